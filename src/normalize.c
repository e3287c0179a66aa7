/*
 * normalize.c — identifier cleaning: the text of a resident identity number
 * (cnid) or a unified social credit code (uscc) as it arrives from forms,
 * spreadsheets and CSV files, made ready for the types' input.
 *
 * identifier_normalize(text) does what the "compact" functions of the usual
 * identifier libraries do, for the forms Chinese sources produce:
 *   - full-width forms U+FF01..U+FF5E (０-９, Ａ-Ｚ, ａ-ｚ, －, ．, ...) become
 *     their ASCII characters;
 *   - every space goes: ASCII white space, no-break spaces, the ideographic
 *     space U+3000, the spaces U+2000..U+200A, U+202F, U+205F, U+1680, the
 *     line and paragraph separators, and the invisible U+200B..U+200D,
 *     U+2060, U+FEFF (a byte-order mark at the start of a CSV file) and the
 *     soft hyphen U+00AD;
 *   - one hyphen or dot between two letters or digits goes (a group
 *     separator: 110105-19491231-002X, 9135.0100.M000100Y43); hyphens are
 *     -, U+2010..U+2015, U+2212, U+FE58, U+FE63 and the full-width
 *     hyphen-minus, dots are ., U+00B7, U+2024, U+3002, U+30FB, U+FF0E,
 *     U+FF61 and U+FF65.  A separator at either end, next to another
 *     separator or next to anything but a letter or a digit stays, and the
 *     value then fails validation with a message pointing at it;
 *   - ASCII letters become upper case.
 * Everything else is kept as it is, so a value that is not an identifier
 * stays recognisably wrong.  The result for a valid identifier is its
 * canonical text (the 15-digit form of a cnid stays 15 digits: the type
 * upgrades it).
 *
 * Encodings: the work is done on Unicode code points.  In a UTF8 (or
 * SQL_ASCII) database the bytes are decoded directly; in any other server
 * encoding (EUC_CN, where the full-width forms are the row A3 of GB 2312,
 * EUC_JP, ...) a value holding non-ASCII bytes is converted to UTF-8 with
 * the database's default conversion, cleaned, and converted back.  Pure
 * ASCII text, the common case, is never converted.
 *
 * The try-casts to_cnid(text, strict) and to_uscc(text, strict) normalise
 * and convert in one call: strict (the default) raises the type's input
 * error, with the raw value in the error context; strict => false returns
 * NULL for exactly the values the type rejects (the type's rules, no other:
 * a cnid born after today converts in both forms; is_valid_cnid is the
 * cleansing predicate that also refuses it).  Both are IMMUTABLE, like the
 * types' input.  Nothing depends on the order in which a WHERE clause
 * evaluates its conditions.
 *
 * ident_normalize_advice() (normalize.h) lets the input errors of the
 * identifier types (ident.c) add a hint pointing here when a rejected value
 * holds what the normaliser would clean.
 *
 * SQL objects backed here (src/normalize.sql): identifier_normalize(text),
 * to_cnid(text, boolean), to_uscc(text, boolean).
 */
#include "postgres.h"

#include "fmgr.h"
#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"

#include "normalize.h"

/* the input functions of cnid.c and uscc.c, called directly */
extern PGDLLEXPORT Datum cnid_from_text(PG_FUNCTION_ARGS);
extern PGDLLEXPORT Datum uscc_from_text(PG_FUNCTION_ARGS);

/* What a cleaning changed (for the input functions' hint). */
#define NORM_FULLWIDTH	0x01
#define NORM_SPACE		0x02
#define NORM_SEPARATOR	0x04

typedef enum ItemKind
{
	ITEM_ALNUM,					/* an ASCII letter or digit (after folding) */
	ITEM_SEP,					/* a hyphen or a dot */
	ITEM_OTHER					/* anything else */
} ItemKind;

typedef struct Item
{
	ItemKind	kind;
	char		ascii;			/* the ASCII character, or 0: copy the bytes */
	int			off;			/* the original bytes */
	int			len;
} Item;

static bool
is_space_cp(pg_wchar c)
{
	switch (c)
	{
		case 0x09:
		case 0x0A:
		case 0x0B:
		case 0x0C:
		case 0x0D:
		case 0x20:
		case 0x85:
		case 0xA0:
		case 0xAD:				/* soft hyphen: invisible */
		case 0x1680:
		case 0x2028:
		case 0x2029:
		case 0x202F:
		case 0x205F:
		case 0x2060:
		case 0x3000:
		case 0xFEFF:
			return true;
	}
	return (c >= 0x2000 && c <= 0x200D);	/* spaces and zero-width chars */
}

static bool
is_hyphen_cp(pg_wchar c)
{
	return c == '-' || (c >= 0x2010 && c <= 0x2015) || c == 0x2212 ||
		c == 0xFE58 || c == 0xFE63;
}

static bool
is_dot_cp(pg_wchar c)
{
	return c == '.' || c == 0xB7 || c == 0x2024 || c == 0x3002 || c == 0x30FB ||
		c == 0xFF61 || c == 0xFF65;
}

/*
 * Decode one UTF-8 character at s[0..n); returns its length (>= 1) and the
 * code point, or length 1 and code point 0xFFFFFFFF for a byte that does
 * not start a well-formed sequence (possible only in SQL_ASCII databases).
 */
static int
decode_utf8(const unsigned char *s, int n, pg_wchar *cp)
{
	int			l = pg_utf_mblen(s);

	if (l < 1 || l > n || !pg_utf8_islegal(s, l))
	{
		*cp = 0xFFFFFFFF;
		return 1;
	}
	if (l == 1)
		*cp = s[0];
	else
		*cp = utf8_to_unicode(s);
	return l;
}

/*
 * Clean UTF-8 text u[0..n) into a palloc'd UTF-8 string; *outlen its length,
 * *changes the NORM_* flags of what was cleaned (surrounding ASCII white
 * space and lower case are not flagged: the types accept them).
 */
static char *
normalize_utf8(const char *u, int n, int *outlen, int *changes)
{
	Item	   *items = palloc(sizeof(Item) * (n + 1));
	int			nitems = 0;
	int			lo = 0,
				hi = n;
	int			i;
	char	   *out,
			   *p;

	*changes = 0;
	/* surrounding ASCII white space: removed without a flag */
	while (lo < hi && (u[lo] == ' ' || (u[lo] >= '\t' && u[lo] <= '\r')))
		lo++;
	while (hi > lo && (u[hi - 1] == ' ' || (u[hi - 1] >= '\t' && u[hi - 1] <= '\r')))
		hi--;

	for (i = lo; i < hi;)
	{
		pg_wchar	c;
		int			l = decode_utf8((const unsigned char *) u + i, hi - i, &c);
		Item	   *it = &items[nitems];

		if (is_space_cp(c))
		{
			*changes |= NORM_SPACE;
			i += l;
			continue;
		}
		if (c >= 0xFF01 && c <= 0xFF5E)
		{
			c -= 0xFEE0;
			*changes |= NORM_FULLWIDTH;
		}
		it->off = i;
		it->len = l;
		it->ascii = 0;
		if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))
		{
			it->kind = ITEM_ALNUM;
			it->ascii = (c >= 'a' && c <= 'z') ? (char) (c - 'a' + 'A') : (char) c;
		}
		else
		{
			it->kind = (is_hyphen_cp(c) || is_dot_cp(c)) ? ITEM_SEP : ITEM_OTHER;
			if (c < 0x80)
				it->ascii = (char) c;	/* folded full-width forms land here */
		}
		nitems++;
		i += l;
	}

	out = palloc(n + 1);
	p = out;
	for (i = 0; i < nitems; i++)
	{
		Item	   *it = &items[i];

		if (it->kind == ITEM_SEP && i > 0 && i < nitems - 1 &&
			items[i - 1].kind == ITEM_ALNUM && items[i + 1].kind == ITEM_ALNUM)
		{
			*changes |= NORM_SEPARATOR;
			continue;
		}
		if (it->ascii != 0)
			*p++ = it->ascii;
		else
		{
			memcpy(p, u + it->off, it->len);
			p += it->len;
		}
	}
	*p = '\0';
	*outlen = (int) (p - out);
	pfree(items);
	return out;
}

static bool
all_ascii(const char *s, size_t len)
{
	size_t		i;

	for (i = 0; i < len; i++)
		if (IS_HIGHBIT_SET(s[i]))
			return false;
	return true;
}

/*
 * Clean s[0..len) in the server encoding; the result (palloc'd, in the
 * server encoding) and its length.
 */
static char *
normalize_server(const char *s, size_t len, int *outlen, int *changes)
{
	int			enc = GetDatabaseEncoding();
	char	   *u,
			   *r,
			   *back;
	int			rlen;

	if (enc == PG_UTF8 || enc == PG_SQL_ASCII || all_ascii(s, len))
		return normalize_utf8(s, (int) len, outlen, changes);

	u = (char *) pg_do_encoding_conversion((unsigned char *) pnstrdup(s, len), (int) len,
										   enc, PG_UTF8);
	r = normalize_utf8(u, (int) strlen(u), &rlen, changes);
	back = (char *) pg_do_encoding_conversion((unsigned char *) r, rlen, PG_UTF8, enc);
	*outlen = (int) strlen(back);
	return back;
}

char *
ident_normalize_advice(const char *s, size_t len)
{
	int			outlen,
				changes;
	StringInfoData buf;

	(void) normalize_server(s, len, &outlen, &changes);
	if (changes == 0)
		return NULL;
	initStringInfo(&buf);
	if (changes & NORM_FULLWIDTH)
		appendStringInfoString(&buf, "full-width characters");
	if (changes & NORM_SPACE)
		appendStringInfo(&buf, "%sspaces inside it or outside ASCII",
						 buf.len ? ((changes & NORM_SEPARATOR) ? ", " : " and ") : "");
	if (changes & NORM_SEPARATOR)
		appendStringInfo(&buf, "%shyphens or dots between groups",
						 buf.len ? " and " : "");
	return buf.data;
}

static text *
normalize_text(text *t)
{
	int			outlen,
				changes;
	char	   *r = normalize_server(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), &outlen, &changes);

	return cstring_to_text_with_len(r, outlen);
}

PG_FUNCTION_INFO_V1(identifier_normalize);
Datum
identifier_normalize(PG_FUNCTION_ARGS)
{
	PG_RETURN_TEXT_P(normalize_text(PG_GETARG_TEXT_PP(0)));
}

/* error context of a strict try-cast: the value as given */
static void
try_cast_context(void *arg)
{
	text	   *raw = (text *) arg;

	errcontext("converting \"%s\" after normalisation", text_to_cstring(raw));
}

static Datum
try_cast(FunctionCallInfo fcinfo, bool (*accepts) (const char *, size_t),
		 PGFunction from_text)
{
	text	   *raw = PG_GETARG_TEXT_PP(0);
	bool		strict = PG_GETARG_BOOL(1);
	text	   *clean = normalize_text(raw);
	Datum		result;

	if (!strict)
	{
		if (!accepts(VARDATA_ANY(clean), VARSIZE_ANY_EXHDR(clean)))
			PG_RETURN_NULL();
		return DirectFunctionCall1(from_text, PointerGetDatum(clean));
	}
	else
	{
		ErrorContextCallback cb;

		cb.callback = try_cast_context;
		cb.arg = raw;
		cb.previous = error_context_stack;
		error_context_stack = &cb;
		result = DirectFunctionCall1(from_text, PointerGetDatum(clean));
		error_context_stack = cb.previous;
	}
	return result;
}

PG_FUNCTION_INFO_V1(to_cnid);
Datum
to_cnid(PG_FUNCTION_ARGS)
{
	return try_cast(fcinfo, cnid_accepts, cnid_from_text);
}

PG_FUNCTION_INFO_V1(to_uscc);
Datum
to_uscc(PG_FUNCTION_ARGS)
{
	return try_cast(fcinfo, uscc_accepts, uscc_from_text);
}
