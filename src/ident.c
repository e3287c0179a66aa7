/*
 * ident.c — the identifier core: parsing with reasons, the input and
 * binary errors, text and binary I/O, the cleansing functions and the
 * btree/GiST support shared by the identifier types cnid (cnid.c), uscc
 * (uscc.c) and masked_cnid (masked_cnid.c).  ident.h describes the
 * descriptor (IdentType) through which a type says what is particular to
 * it; everything here is the same for every type.
 *
 * Values: a type is either an int64 passed by value (cnid) or a fixed
 * number of bytes by reference without a varlena header (uscc: 10,
 * masked_cnid: 18); no typmod.  The core holds a value being parsed in an
 * IdentValue on the stack (by value) or in palloc'd memory (by reference)
 * and turns it into a Datum with ident_datum.  The hot path — parsing, text
 * input and output, the casts — is inline in ident.h, so that it is
 * compiled in each type's file against its constant descriptor; this file
 * has the rest.
 *
 * The binary form of every type is a version byte and the textlen
 * characters of the canonical text; receive validates all of it (the
 * type's input rules, then that the characters are canonical) and raises
 * 22P03 (invalid_binary_representation) for anything else, naming the rule
 * only when the field is printable ASCII, so that a message never carries
 * raw bytes.
 *
 * GiST: every type encodes a value as keylen bytes whose memcmp order is the
 * type's order (cnid: the body as a big-endian 8-byte integer; uscc: its 10
 * stored bytes), and a key is the interval lo[keylen] || hi[keylen]; one
 * implementation serves every opclass.
 */
#include "postgres.h"

#include <math.h>

#include "access/gist.h"
#include "access/stratnum.h"
#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"

#include "ident.h"
#include "module.h"
#include "normalize.h"

/* ---------------------------------------------------------------------
 * Parsing and reporting
 * --------------------------------------------------------------------- */

/*
 * The length failure of ident_parse: a non-ASCII character is named (a
 * length in bytes would mislead), else IDENT_BAD_LENGTH.  Returns false.
 */
bool
ident_length_error(const char *str, size_t len, IdentError *err)
{
	int			i;

	for (i = 0; i < (int) len; i++)
	{
		if (IS_HIGHBIT_SET(str[i]))
		{
			err->reason = IDENT_BAD_CHAR;
			err->pos = i;
			return false;
		}
	}
	err->reason = IDENT_BAD_LENGTH;
	return false;
}

char *
ident_char_text(const char *s, int pos)
{
	unsigned char c = (unsigned char) s[pos];

	if (c >= 0x21 && c < 0x7f)
		return psprintf("\"%c\"", c);
	if (IS_HIGHBIT_SET(c))
		return pstrdup("a non-ASCII character");
	return psprintf("byte 0x%02x", c);
}

char *
ident_reason_text(const IdentType *t, const char *s, const IdentError *e)
{
	switch (e->reason)
	{
		case IDENT_OK:
			return NULL;
		case IDENT_BAD_LENGTH:
			/* the value is ASCII (ident_parse): bytes are characters */
			return psprintf("wrong length (%d character%s, expected %s)",
							e->len, e->len == 1 ? "" : "s", t->lengths);
		case IDENT_BAD_CHAR:
			return psprintf("%s at position %d %s", ident_char_text(s, e->pos),
							pg_mbstrlen_with_len(s, e->pos) + 1, t->bad_char);
		default:
			return t->reason_text(s, e);
	}
}

void
ident_report(const IdentType *t, const char *input, size_t len, const IdentError *e)
{
	const char *s = input;
	char	   *rule;
	char	   *holds = NULL;
	const char *detail = NULL;
	const char *hint = NULL;

	ident_trim(&s, &len);
	rule = ident_reason_text(t, s, e);
	/* what identifier_normalize() would clean: point there */
	if (t->cleanable & IDENT_REASON_BIT(e->reason))
		holds = ident_normalize_advice(s, len);
	if (holds)
	{
		detail = psprintf("The value holds %s.", holds);
		hint = t->cleaned_hint ? t->cleaned_hint :
			psprintf("Use to_%s(text) to normalise such a value before converting it; identifier_normalize(text) shows the cleaned text.",
					 t->name);
	}
	else if (e->reason == IDENT_OK || !t->explain(e, &detail, &hint))
		elog(ERROR, "%s parse failure %d without a message", t->name, e->reason);
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid %s \"%s\": %s", t->name, input, rule),
			 errdetail_internal("%s", detail),
			 errhint("%s", hint)));
	pg_unreachable();
}

/* ---------------------------------------------------------------------
 * Text and binary I/O, casts, cleansing
 * --------------------------------------------------------------------- */

/* true when s[0..len) is printable ASCII (0x20-0x7e) */
static bool
ident_printable_ascii(const char *s, int len)
{
	int			i;

	for (i = 0; i < len; i++)
		if ((unsigned char) s[i] < 0x20 || (unsigned char) s[i] > 0x7e)
			return false;
	return true;
}

/*
 * Binary format: a version byte and the textlen characters of the canonical
 * text.  Everything is validated; non-canonical text (lower case, white
 * space, another length) is rejected.
 */
Datum
ident_recv(const IdentType *t, FunctionCallInfo fcinfo)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			n = t->textlen;
	int			version;
	const char *chars;
	char		canon[IDENT_MAX_TEXT];
	IdentValue	v;
	void	   *slot = ident_slot(t, &v);
	Datum		value;
	IdentError	e;

	integrity_recv_need(buf, 1 + n, t->name);
	version = pq_getmsgbyte(buf);
	if (version != t->wire_version)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary %s: unknown format version %d", t->name, version),
				 errdetail("This version of the extension reads format version %d.",
						   t->wire_version)));
	chars = pq_getmsgbytes(buf, n);
	if (!ident_parse(t, chars, n, slot, &e))
	{
		if (ident_printable_ascii(chars, n))
		{
			char	   *copy = pnstrdup(chars, n);
			const char *s = copy;
			size_t		len = n;

			ident_trim(&s, &len);
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("invalid binary %s \"%s\": %s", t->name, copy,
							ident_reason_text(t, s, &e))));
		}
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary %s: not %s", t->name, t->binary_noun),
				 errdetail("The field holds bytes outside printable ASCII.")));
	}
	value = ident_datum(t, slot);
	t->format(value, canon);
	if (memcmp(canon, chars, n) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary %s: not in canonical form", t->name),
				 errdetail("The binary format carries the %d canonical characters (%s).",
						   n, t->canonical)));
	return value;
}

Datum
ident_send(const IdentType *t, FunctionCallInfo fcinfo)
{
	char		canon[IDENT_MAX_TEXT];
	StringInfoData buf;

	t->format(PG_GETARG_DATUM(0), canon);
	pq_begintypsend(&buf);
	pq_sendbyte(&buf, t->wire_version);
	pq_sendbytes(&buf, canon, t->textlen);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* The input rules and the cleansing rules of the type; fills *e. */
static bool
ident_clean(const IdentType *t, const char *s, size_t len, IdentError *e)
{
	IdentValue	v;

	if (!ident_parse(t, s, len, &v, e))
		return false;
	return t->cleanse == NULL || t->cleanse(ident_datum(t, &v), e);
}

Datum
ident_is_valid(const IdentType *t, FunctionCallInfo fcinfo)
{
	text	   *s = PG_GETARG_TEXT_PP(0);
	IdentError	e;

	PG_RETURN_BOOL(ident_clean(t, VARDATA_ANY(s), VARSIZE_ANY_EXHDR(s), &e));
}

Datum
ident_invalid_reason(const IdentType *t, FunctionCallInfo fcinfo)
{
	text	   *arg = PG_GETARG_TEXT_PP(0);
	const char *s = VARDATA_ANY(arg);
	size_t		len = VARSIZE_ANY_EXHDR(arg);
	IdentError	e;

	if (ident_clean(t, s, len, &e))
		PG_RETURN_NULL();
	ident_trim(&s, &len);
	PG_RETURN_TEXT_P(cstring_to_text(ident_reason_text(t, s, &e)));
}

/* ---------------------------------------------------------------------
 * GiST over memcmp-ordered interval keys lo[L] || hi[L]
 * --------------------------------------------------------------------- */

/* Leaf entry: key lo = hi = the encoded value. */
Datum
ident_gist_compress(const IdentType *t, FunctionCallInfo fcinfo)
{
	GISTENTRY  *entry = (GISTENTRY *) PG_GETARG_POINTER(0);
	GISTENTRY  *retval;
	uint8	   *key;

	if (!entry->leafkey)
		PG_RETURN_POINTER(entry);
	retval = palloc(sizeof(GISTENTRY));
	key = palloc(2 * t->keylen);
	t->encode(entry->key, key);
	memcpy(key + t->keylen, key, t->keylen);
	gistentryinit(*retval, PointerGetDatum(key), entry->rel, entry->page,
				  entry->offset, false);
	PG_RETURN_POINTER(retval);
}

Datum
ident_gist_fetch(const IdentType *t, FunctionCallInfo fcinfo)
{
	GISTENTRY  *entry = (GISTENTRY *) PG_GETARG_POINTER(0);
	GISTENTRY  *retval = palloc(sizeof(GISTENTRY));

	gistentryinit(*retval, t->decode((const uint8 *) DatumGetPointer(entry->key)),
				  entry->rel, entry->page, entry->offset, false);
	PG_RETURN_POINTER(retval);
}

Datum
ident_gist_consistent(const IdentType *t, FunctionCallInfo fcinfo)
{
	GISTENTRY  *entry = (GISTENTRY *) PG_GETARG_POINTER(0);
	StrategyNumber strategy = (StrategyNumber) PG_GETARG_UINT16(2);
	bool	   *recheck = (bool *) PG_GETARG_POINTER(4);
	const uint8 *key = (const uint8 *) DatumGetPointer(entry->key);
	int			L = t->keylen;
	uint8		q[IDENT_MAX_SIZE];
	int			clo,
				chi;

	*recheck = false;
	t->encode(PG_GETARG_DATUM(1), q);
	clo = memcmp(key, q, L);
	chi = memcmp(key + L, q, L);
	switch (strategy)
	{
		case BTLessStrategyNumber:
			PG_RETURN_BOOL(clo < 0);
		case BTLessEqualStrategyNumber:
			PG_RETURN_BOOL(clo <= 0);
		case BTEqualStrategyNumber:
			PG_RETURN_BOOL(clo <= 0 && chi >= 0);
		case BTGreaterEqualStrategyNumber:
			PG_RETURN_BOOL(chi >= 0);
		case BTGreaterStrategyNumber:
			PG_RETURN_BOOL(chi > 0);
		default:
			elog(ERROR, "unrecognized strategy number: %d", strategy);
	}
	PG_RETURN_BOOL(false);		/* keep compiler quiet */
}

/* Union of entries vector[0..n-1] into a fresh key. */
static uint8 *
ident_key_union(GistEntryVector *entryvec, int L)
{
	uint8	   *out = palloc(2 * L);
	int			i;

	memcpy(out, DatumGetPointer(entryvec->vector[0].key), 2 * L);
	for (i = 1; i < entryvec->n; i++)
	{
		const uint8 *k = (const uint8 *) DatumGetPointer(entryvec->vector[i].key);

		if (memcmp(k, out, L) < 0)
			memcpy(out, k, L);
		if (memcmp(k + L, out + L, L) > 0)
			memcpy(out + L, k + L, L);
	}
	return out;
}

Datum
ident_gist_union(const IdentType *t, FunctionCallInfo fcinfo)
{
	GistEntryVector *entryvec = (GistEntryVector *) PG_GETARG_POINTER(0);
	int		   *size = (int *) PG_GETARG_POINTER(1);

	*size = 2 * t->keylen;
	PG_RETURN_POINTER(ident_key_union(entryvec, t->keylen));
}

static double
ident_bytes_to_double(const uint8 *b, int L)
{
	double		d = 0;
	int			i;

	for (i = 0; i < L; i++)
		d = d * 256.0 + b[i];
	return d;
}

/* How much orig must grow to take in add; > 0 whenever it must grow at all. */
Datum
ident_gist_penalty(const IdentType *t, FunctionCallInfo fcinfo)
{
	GISTENTRY  *origentry = (GISTENTRY *) PG_GETARG_POINTER(0);
	GISTENTRY  *addentry = (GISTENTRY *) PG_GETARG_POINTER(1);
	float	   *result = (float *) PG_GETARG_POINTER(2);
	const uint8 *orig = (const uint8 *) DatumGetPointer(origentry->key);
	const uint8 *add = (const uint8 *) DatumGetPointer(addentry->key);
	int			L = t->keylen;
	double		p = 0;
	bool		grows = false;

	if (memcmp(add, orig, L) < 0)
	{
		p += ident_bytes_to_double(orig, L) - ident_bytes_to_double(add, L);
		grows = true;
	}
	if (memcmp(add + L, orig + L, L) > 0)
	{
		p += ident_bytes_to_double(add + L, L) - ident_bytes_to_double(orig + L, L);
		grows = true;
	}
	if (grows)
	{
		/* scale into float range, keep it strictly positive */
		p = p / ldexp(1.0, 8 * L) * 1e6;
		if (!(p > 1e-30))
			p = 1e-30;
	}
	*result = (float) p;
	PG_RETURN_POINTER(result);
}

typedef struct IdentSortItem
{
	OffsetNumber off;
	const uint8 *key;
	int			L;
} IdentSortItem;

static int
ident_sortitem_cmp(const void *a, const void *b)
{
	const IdentSortItem *x = (const IdentSortItem *) a;
	const IdentSortItem *y = (const IdentSortItem *) b;
	int			c = memcmp(x->key, y->key, x->L);

	if (c == 0)
		c = memcmp(x->key + x->L, y->key + y->L, x->L);
	return c;
}

/* Split sorted by (lo, hi): first half left, second half right. */
Datum
ident_gist_picksplit(const IdentType *t, FunctionCallInfo fcinfo)
{
	GistEntryVector *entryvec = (GistEntryVector *) PG_GETARG_POINTER(0);
	GIST_SPLITVEC *v = (GIST_SPLITVEC *) PG_GETARG_POINTER(1);
	int			L = t->keylen;
	OffsetNumber maxoff = entryvec->n - 1;
	int			n = maxoff - FirstOffsetNumber + 1;
	IdentSortItem *items = palloc(sizeof(IdentSortItem) * n);
	uint8	   *lu = palloc(2 * L);
	uint8	   *ru = palloc(2 * L);
	int			i,
				half;

	for (i = 0; i < n; i++)
	{
		items[i].off = FirstOffsetNumber + i;
		items[i].key = (const uint8 *) DatumGetPointer(entryvec->vector[FirstOffsetNumber + i].key);
		items[i].L = L;
	}
	qsort(items, n, sizeof(IdentSortItem), ident_sortitem_cmp);

	v->spl_left = palloc(sizeof(OffsetNumber) * (n + 1));
	v->spl_right = palloc(sizeof(OffsetNumber) * (n + 1));
	v->spl_nleft = v->spl_nright = 0;
	half = n / 2;
	if (half == 0)
		half = 1;
	for (i = 0; i < n; i++)
	{
		uint8	   *u = (i < half) ? lu : ru;
		bool		first = (i == 0 || i == half);

		if (i < half)
			v->spl_left[v->spl_nleft++] = items[i].off;
		else
			v->spl_right[v->spl_nright++] = items[i].off;
		if (first)
			memcpy(u, items[i].key, 2 * L);
		else
		{
			if (memcmp(items[i].key, u, L) < 0)
				memcpy(u, items[i].key, L);
			if (memcmp(items[i].key + L, u + L, L) > 0)
				memcpy(u + L, items[i].key + L, L);
		}
	}
	if (v->spl_nright == 0)		/* n == 1: cannot really happen */
		memcpy(ru, lu, 2 * L);
	v->spl_ldatum = PointerGetDatum(lu);
	v->spl_rdatum = PointerGetDatum(ru);
	pfree(items);
	PG_RETURN_POINTER(v);
}

Datum
ident_gist_same(const IdentType *t, FunctionCallInfo fcinfo)
{
	const uint8 *a = (const uint8 *) PG_GETARG_POINTER(0);
	const uint8 *b = (const uint8 *) PG_GETARG_POINTER(1);
	bool	   *result = (bool *) PG_GETARG_POINTER(2);

	*result = memcmp(a, b, 2 * t->keylen) == 0;
	PG_RETURN_POINTER(result);
}

/* The GiST storage type <type>_gist_key: not for direct use. */
Datum
ident_gist_key_in(const IdentType *t, FunctionCallInfo fcinfo)
{
	ereport(ERROR,
			(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
			 errmsg("%s_gist_key is an internal type of the GiST opclass and has no input",
					t->name)));
	PG_RETURN_NULL();
}

/* A key as "[lo,hi]" in the type's canonical text. */
Datum
ident_gist_key_out(const IdentType *t, FunctionCallInfo fcinfo)
{
	const uint8 *key = (const uint8 *) PG_GETARG_POINTER(0);
	char		lo[IDENT_MAX_TEXT + 1],
				hi[IDENT_MAX_TEXT + 1];

	t->format(t->decode(key), lo);
	t->format(t->decode(key + t->keylen), hi);
	lo[t->textlen] = hi[t->textlen] = '\0';
	PG_RETURN_CSTRING(psprintf("[%s,%s]", lo, hi));
}
