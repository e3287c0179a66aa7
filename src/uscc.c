/*
 * uscc.c — the unified social credit code (统一社会信用代码, GB 32100-2015).
 *
 * 18 characters from the 31-character alphabet 0-9 A-H J-N P-R T U W-Y (no
 * I, O, S, V, Z): position 1 the registration authority, 2 the entity type,
 * 3-8 the region (digits), 9-17 the organisation code (GB 11714, with its
 * own check character at 17) and 18 the check character (weights 3^i mod 31
 * over the alphabet indexes, check = (31 - sum mod 31) mod 31).
 *
 * Representation: 10 bytes, fixed length, passed by reference, alignment
 * char, no varlena header.  The 17 body characters are packed as one
 * mixed-radix number (radix 31 at positions 1-2 and 9-17, radix 10 at 3-8;
 * < 2^75, the top 5 bits are zero in this format version), stored
 * big-endian.  The check character is derived.  So memcmp equality is
 * equality, memcmp order is the order of the canonical text, and every valid
 * code has exactly one representation.  The screening code relies on this.
 *
 * Structure: uscc_parse() is a pure parser returning bool and a reason,
 * never calling ereport; uscc_in, uscc_recv, uscc(text), is_valid_uscc,
 * uscc_invalid_reason and uscc_from_parts wrap it.
 *
 * SQL objects backed here (src/uscc.sql): type uscc (uscc_in, uscc_out,
 * uscc_recv, uscc_send), casts uscc(text) and text(uscc), is_valid_uscc,
 * uscc_invalid_reason, accessors uscc_authority, uscc_entity_type,
 * uscc_region, uscc_org_code, uscc_org_code_valid, constructor
 * uscc_from_parts, comparison functions and operators, btree (uscc_cmp,
 * uscc_sortsupport), hash (uscc_hash, uscc_hash_extended) and GiST
 * (uscc_gist_*) support and the GiST storage type uscc_gist_key.
 */
#include "postgres.h"

#include "fmgr.h"
#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/sortsupport.h"

#include "ident_common.h"
#include "module.h"
#include "normalize.h"

#define USCC_LEN 10				/* stored bytes */
#define USCC_WIRE_VERSION 1

typedef struct Uscc
{
	uint8		b[USCC_LEN];
} Uscc;

#define PG_GETARG_USCC(n) ((const Uscc *) PG_GETARG_POINTER(n))

/* ---------------------------------------------------------------------
 * The pure core
 * --------------------------------------------------------------------- */

static const char uscc_alphabet[32] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
static const int uscc_weights[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
static const int org_weights[8] = {3, 7, 9, 10, 5, 8, 4, 2};

typedef enum UsccReason
{
	USCC_OK = 0,
	USCC_BAD_LENGTH,			/* not 18 characters */
	USCC_FORBIDDEN_LETTER,		/* I, O, S, V or Z */
	USCC_BAD_CHAR,				/* anything else outside the alphabet */
	USCC_REGION_NOT_DIGIT,		/* positions 3-8 not digits */
	USCC_BAD_CHECK				/* wrong check character */
} UsccReason;

typedef struct UsccError
{
	UsccReason	reason;
	int			len;			/* trimmed length in bytes */
	int			pos;			/* 0-based byte offset of the bad character */
	char		found;
	char		expected;
} UsccError;

/* alphabet index + 1 of each byte (lower case accepted), 0 if none */
static const uint8 uscc_index_table[256] = {
	['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5, ['5'] = 6,
	['6'] = 7, ['7'] = 8, ['8'] = 9, ['9'] = 10, ['A'] = 11, ['a'] = 11,
	['B'] = 12, ['b'] = 12, ['C'] = 13, ['c'] = 13, ['D'] = 14, ['d'] = 14,
	['E'] = 15, ['e'] = 15, ['F'] = 16, ['f'] = 16, ['G'] = 17, ['g'] = 17,
	['H'] = 18, ['h'] = 18, ['J'] = 19, ['j'] = 19, ['K'] = 20, ['k'] = 20,
	['L'] = 21, ['l'] = 21, ['M'] = 22, ['m'] = 22, ['N'] = 23, ['n'] = 23,
	['P'] = 24, ['p'] = 24, ['Q'] = 25, ['q'] = 25, ['R'] = 26, ['r'] = 26,
	['T'] = 27, ['t'] = 27, ['U'] = 28, ['u'] = 28, ['W'] = 29, ['w'] = 29,
	['X'] = 30, ['x'] = 30, ['Y'] = 31, ['y'] = 31
};

/* alphabet index of a character, -1 if none */
static inline int
uscc_index(char c)
{
	return (int) uscc_index_table[(unsigned char) c] - 1;
}

static bool
uscc_forbidden(char c)
{
	return c == 'I' || c == 'O' || c == 'S' || c == 'V' || c == 'Z' ||
		c == 'i' || c == 'o' || c == 's' || c == 'v' || c == 'z';
}

static int
uscc_check_index(const int *idx)
{
	int			sum = 0,
				i;

	for (i = 0; i < 17; i++)
		sum += idx[i] * uscc_weights[i];
	return (31 - sum % 31) % 31;
}

static inline int
uscc_radix(int pos)
{
	return (pos >= 2 && pos <= 7) ? 10 : 31;
}

/*
 * Validate the alphabet and the region of n (17 or 18) characters, filling
 * idx[0..n).  Never raises.
 */
static bool
uscc_scan(const char *s, int n, int *idx, UsccError *err)
{
	int			i;

	for (i = 0; i < n; i++)
	{
		int			k = uscc_index(s[i]);

		if (k < 0)
		{
			err->reason = uscc_forbidden(s[i]) ? USCC_FORBIDDEN_LETTER : USCC_BAD_CHAR;
			err->pos = i;
			return false;
		}
		if (i >= 2 && i <= 7 && k > 9)
		{
			err->reason = USCC_REGION_NOT_DIGIT;
			err->pos = i;
			return false;
		}
		idx[i] = k;
	}
	return true;
}

/*
 * Pack 17 alphabet indexes into 10 big-endian bytes: the value is
 * A * 31^9 + B with A the first 8 positions (< 31^2 * 10^6 < 2^30) and B the
 * last 9 (< 31^9 < 2^45).
 */
#define USCC_POW31_9 UINT64CONST(26439622160671)

static void
uscc_pack(const int *idx, Uscc *out)
{
	uint64		a = 0,
				b = 0;
	int			i,
				k;
	uint64		hi,
				lo;

	for (i = 0; i < 8; i++)
		a = a * (uint64) uscc_radix(i) + (uint64) idx[i];
	for (i = 8; i < 17; i++)
		b = b * 31 + (uint64) idx[i];
#ifdef HAVE_INT128
	{
		uint128		v = (uint128) a * USCC_POW31_9 + b;

		hi = (uint64) (v >> 64);
		lo = (uint64) v;
	}
#else
	{
		/* a * M with M = mh * 2^32 + ml, all products below 2^64 */
		uint64		ml = USCC_POW31_9 & UINT64CONST(0xffffffff);
		uint64		mh = USCC_POW31_9 >> 32;
		uint64		p0 = a * ml;	/* < 2^62 */
		uint64		p1 = a * mh;	/* < 2^43, shifted by 32 */
		uint64		t;

		lo = p0 + (p1 << 32);
		hi = (p1 >> 32) + (lo < p0 ? 1 : 0);
		t = lo + b;
		hi += (t < lo ? 1 : 0);
		lo = t;
	}
#endif
	out->b[0] = (uint8) (hi >> 8);
	out->b[1] = (uint8) hi;
	for (k = 0; k < 8; k++)
		out->b[2 + k] = (uint8) (lo >> (56 - 8 * k));
}

/* Unpack into 17 indexes; false if the bytes are not a packed body. */
static bool
uscc_unpack(const Uscc *u, int *idx)
{
	uint32		limb[3];
	int			i,
				k;

	limb[2] = ((uint32) u->b[0] << 8) | u->b[1];
	limb[1] = limb[0] = 0;
	for (k = 0; k < 4; k++)
	{
		limb[1] = (limb[1] << 8) | u->b[2 + k];
		limb[0] = (limb[0] << 8) | u->b[6 + k];
	}
	for (i = 16; i >= 0; i--)
	{
		uint64		rem = 0;
		uint32		radix = (uint32) uscc_radix(i);

		for (k = 2; k >= 0; k--)
		{
			uint64		cur = (rem << 32) | limb[k];

			limb[k] = (uint32) (cur / radix);
			rem = cur % radix;
		}
		idx[i] = (int) rem;
	}
	return limb[0] == 0 && limb[1] == 0 && limb[2] == 0;
}

/*
 * Parse str[0..len) (surrounding white space ignored).  On success store
 * the packed body in *out.  Never raises.
 */
static bool
uscc_parse(const char *str, size_t len, Uscc *out, UsccError *err)
{
	int			idx[18];
	int			check;

	memset(err, 0, sizeof(*err));
	ident_trim(&str, &len);
	err->len = (int) len;
	if (len != 18)
	{
		int			i;

		/* a non-ASCII character makes any length count misleading */
		for (i = 0; i < (int) len; i++)
		{
			if (IS_HIGHBIT_SET(str[i]))
			{
				err->reason = USCC_BAD_CHAR;
				err->pos = i;
				return false;
			}
		}
		err->reason = USCC_BAD_LENGTH;
		return false;
	}
	if (!uscc_scan(str, 18, idx, err))
		return false;
	check = uscc_check_index(idx);
	if (check != idx[17])
	{
		err->reason = USCC_BAD_CHECK;
		err->found = uscc_alphabet[idx[17]];
		err->expected = uscc_alphabet[check];
		return false;
	}
	uscc_pack(idx, out);
	return true;
}

/* Canonical text into buf[19]. */
static void
uscc_format(const Uscc *u, char *buf)
{
	int			idx[17],
				i;

	if (!uscc_unpack(u, idx))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("corrupt uscc value")));
	for (i = 0; i < 17; i++)
		buf[i] = uscc_alphabet[idx[i]];
	buf[17] = uscc_alphabet[uscc_check_index(idx)];
	buf[18] = '\0';
}

/* GB 11714 check of an organisation code (9 canonical characters). */
static bool
org_code_valid(const char *code)
{
	int			sum = 0,
				i,
				c;
	char		expected;

	for (i = 0; i < 8; i++)
	{
		char		ch = code[i];
		int			v;

		if (ch >= '0' && ch <= '9')
			v = ch - '0';
		else
			v = ch - 'A' + 10;	/* A=10 .. Z=35 */
		sum += v * org_weights[i];
	}
	c = 11 - sum % 11;
	expected = (c == 10) ? 'X' : (c == 11) ? '0' : (char) ('0' + c);
	return code[8] == expected;
}

/* ---------------------------------------------------------------------
 * The SQL skin
 * --------------------------------------------------------------------- */

static char *
uscc_reason_text(const char *s, const UsccError *e)
{
	switch (e->reason)
	{
		case USCC_OK:
			return NULL;
		case USCC_BAD_LENGTH:
			{
				int			n = pg_mbstrlen_with_len(s, e->len);

				return psprintf("wrong length (%d character%s, expected 18)",
								n, n == 1 ? "" : "s");
			}
		case USCC_FORBIDDEN_LETTER:
			return psprintf("letter %s at position %d is not used in unified social credit codes",
							ident_char_text(s, e->pos), e->pos + 1);
		case USCC_BAD_CHAR:
			return psprintf("%s at position %d is not a digit or letter of the code alphabet",
							ident_char_text(s, e->pos), pg_mbstrlen_with_len(s, e->pos) + 1);
		case USCC_REGION_NOT_DIGIT:
			return psprintf("%s at position %d of the region code is not a digit",
							ident_char_text(s, e->pos), e->pos + 1);
		case USCC_BAD_CHECK:
			return psprintf("wrong check character \"%c\", expected \"%c\"",
							e->found, e->expected);
	}
	return NULL;
}

static void
uscc_report(const char *input, size_t len, const UsccError *e)
{
	const char *s = input;
	char	   *rule;

	ident_trim(&s, &len);
	rule = uscc_reason_text(s, e);
	/* what identifier_normalize() would clean: point there */
	if (e->reason != USCC_OK)
		ident_report_normalizable("uscc", input, rule, s, len);

	switch (e->reason)
	{
		case USCC_OK:
			break;
		case USCC_BAD_LENGTH:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid uscc \"%s\": %s", input, rule),
					 errdetail("A unified social credit code has 18 characters."),
					 errhint("Surrounding white space is ignored; separators and other characters are not.")));
			break;
		case USCC_FORBIDDEN_LETTER:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid uscc \"%s\": %s", input, rule),
					 errdetail("The code alphabet excludes I, O, S, V and Z."),
					 errhint("I and O are often typed for 1 and 0.")));
			break;
		case USCC_BAD_CHAR:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid uscc \"%s\": %s", input, rule),
					 errdetail("A unified social credit code uses only the characters 0-9 and A-Y without I, O, S and V."),
					 errhint("Check the value for typing errors or a shifted column.")));
			break;
		case USCC_REGION_NOT_DIGIT:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid uscc \"%s\": %s", input, rule),
					 errdetail("Positions 3-8 of a unified social credit code are the region code, 6 digits."),
					 errhint("Check the value for typing errors.")));
			break;
		case USCC_BAD_CHECK:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid uscc \"%s\": %s", input, rule),
					 errdetail("The GB 32100 check over the first 17 characters gives \"%c\", the value has \"%c\".",
							   e->expected, e->found),
					 errhint("Some codes issued in 2015-2016 fail this check; keep such values as text and find them with is_valid_uscc().")));
			break;
	}
}

static Uscc *
uscc_from_cstring(const char *str, size_t len)
{
	Uscc	   *u = palloc(sizeof(Uscc));
	UsccError	e;

	if (!uscc_parse(str, len, u, &e))
		uscc_report(pnstrdup(str, len), len, &e);
	return u;
}

PG_FUNCTION_INFO_V1(uscc_in);
Datum
uscc_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);

	PG_RETURN_POINTER(uscc_from_cstring(str, strlen(str)));
}

PG_FUNCTION_INFO_V1(uscc_out);
Datum
uscc_out(PG_FUNCTION_ARGS)
{
	char	   *buf = palloc(19);

	uscc_format(PG_GETARG_USCC(0), buf);
	PG_RETURN_CSTRING(buf);
}

/*
 * Binary format: a version byte (1) and the 18 characters of the canonical
 * text.  Everything is validated; non-canonical text is rejected.  Every
 * failure is 22P03; the rule is named only for printable ASCII fields.
 */
PG_FUNCTION_INFO_V1(uscc_recv);
Datum
uscc_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			version;
	const char *chars;
	char		canon[19];
	Uscc	   *u = palloc(sizeof(Uscc));
	UsccError	e;

	integrity_recv_need(buf, 1 + 18, "uscc");
	version = pq_getmsgbyte(buf);
	if (version != USCC_WIRE_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary uscc: unknown format version %d", version),
				 errdetail("This version of the extension reads format version %d.", USCC_WIRE_VERSION)));
	chars = pq_getmsgbytes(buf, 18);
	if (!uscc_parse(chars, 18, u, &e))
	{
		if (ident_printable_ascii(chars, 18))
		{
			char	   *copy = pnstrdup(chars, 18);
			const char *s = copy;
			size_t		len = 18;

			ident_trim(&s, &len);
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("invalid binary uscc \"%s\": %s", copy, uscc_reason_text(s, &e))));
		}
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary uscc: not 18 characters of a unified social credit code"),
				 errdetail("The field holds bytes outside printable ASCII.")));
	}
	uscc_format(u, canon);
	if (memcmp(canon, chars, 18) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary uscc: not in canonical form"),
				 errdetail("The binary format carries the 18 canonical characters (upper case, no white space).")));
	PG_RETURN_POINTER(u);
}

PG_FUNCTION_INFO_V1(uscc_send);
Datum
uscc_send(PG_FUNCTION_ARGS)
{
	char		canon[19];
	StringInfoData buf;

	uscc_format(PG_GETARG_USCC(0), canon);
	pq_begintypsend(&buf);
	pq_sendbyte(&buf, USCC_WIRE_VERSION);
	pq_sendbytes(&buf, canon, 18);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

PG_FUNCTION_INFO_V1(uscc_from_text);
Datum
uscc_from_text(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);

	PG_RETURN_POINTER(uscc_from_cstring(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t)));
}

PG_FUNCTION_INFO_V1(uscc_to_text);
Datum
uscc_to_text(PG_FUNCTION_ARGS)
{
	char		canon[19];

	uscc_format(PG_GETARG_USCC(0), canon);
	PG_RETURN_TEXT_P(cstring_to_text_with_len(canon, 18));
}

/* the type's input rules as a predicate, for to_uscc() (normalize.h) */
bool
uscc_accepts(const char *s, size_t len)
{
	Uscc		u;
	UsccError	e;

	return uscc_parse(s, len, &u, &e);
}

PG_FUNCTION_INFO_V1(is_valid_uscc);
Datum
is_valid_uscc(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);

	PG_RETURN_BOOL(uscc_accepts(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t)));
}

PG_FUNCTION_INFO_V1(uscc_invalid_reason);
Datum
uscc_invalid_reason(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);
	const char *s = VARDATA_ANY(t);
	size_t		len = VARSIZE_ANY_EXHDR(t);
	Uscc		u;
	UsccError	e;

	if (uscc_parse(s, len, &u, &e))
		PG_RETURN_NULL();
	ident_trim(&s, &len);
	PG_RETURN_TEXT_P(cstring_to_text(uscc_reason_text(s, &e)));
}

/* uscc_from_parts(text): 17 characters, the check character appended */
PG_FUNCTION_INFO_V1(uscc_from_parts);
Datum
uscc_from_parts(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);
	const char *s = VARDATA_ANY(t);
	size_t		len = VARSIZE_ANY_EXHDR(t);
	int			idx[18];
	char		full[19];
	int			i;
	UsccError	e;

	ident_trim(&s, &len);
	if (len != 17)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("uscc_from_parts needs 17 characters, not %d",
						pg_mbstrlen_with_len(s, (int) len)),
				 errdetail("Its argument is a unified social credit code without the check character.")));
	memset(&e, 0, sizeof(e));
	e.len = 17;
	if (!uscc_scan(s, 17, idx, &e))
		uscc_report(pnstrdup(s, 17), 17, &e);
	for (i = 0; i < 17; i++)
		full[i] = uscc_alphabet[idx[i]];
	full[17] = uscc_alphabet[uscc_check_index(idx)];
	full[18] = '\0';
	PG_RETURN_POINTER(uscc_from_cstring(full, 18));
}

/* ---------- accessors ---------- */

static text *
uscc_part(const Uscc *u, int from, int n)
{
	char		canon[19];

	uscc_format(u, canon);
	return cstring_to_text_with_len(canon + from, n);
}

PG_FUNCTION_INFO_V1(uscc_authority);
Datum
uscc_authority(PG_FUNCTION_ARGS)
{
	PG_RETURN_TEXT_P(uscc_part(PG_GETARG_USCC(0), 0, 1));
}

PG_FUNCTION_INFO_V1(uscc_entity_type);
Datum
uscc_entity_type(PG_FUNCTION_ARGS)
{
	PG_RETURN_TEXT_P(uscc_part(PG_GETARG_USCC(0), 1, 1));
}

PG_FUNCTION_INFO_V1(uscc_region);
Datum
uscc_region(PG_FUNCTION_ARGS)
{
	PG_RETURN_TEXT_P(uscc_part(PG_GETARG_USCC(0), 2, 6));
}

PG_FUNCTION_INFO_V1(uscc_org_code);
Datum
uscc_org_code(PG_FUNCTION_ARGS)
{
	PG_RETURN_TEXT_P(uscc_part(PG_GETARG_USCC(0), 8, 9));
}

PG_FUNCTION_INFO_V1(uscc_org_code_valid);
Datum
uscc_org_code_valid(PG_FUNCTION_ARGS)
{
	char		canon[19];

	uscc_format(PG_GETARG_USCC(0), canon);
	PG_RETURN_BOOL(org_code_valid(canon + 8));
}

/* ---------- comparison, hashing ---------- */

static inline int
uscc_cmp_internal(const Uscc *a, const Uscc *b)
{
	return memcmp(a->b, b->b, USCC_LEN);
}

#define USCC_CMP_FUNC(name, op) \
PG_FUNCTION_INFO_V1(name); \
Datum \
name(PG_FUNCTION_ARGS) \
{ \
	PG_RETURN_BOOL(uscc_cmp_internal(PG_GETARG_USCC(0), PG_GETARG_USCC(1)) op 0); \
}

USCC_CMP_FUNC(uscc_eq, ==)
USCC_CMP_FUNC(uscc_ne, !=)
USCC_CMP_FUNC(uscc_lt, <)
USCC_CMP_FUNC(uscc_le, <=)
USCC_CMP_FUNC(uscc_gt, >)
USCC_CMP_FUNC(uscc_ge, >=)

PG_FUNCTION_INFO_V1(uscc_smaller);
Datum
uscc_smaller(PG_FUNCTION_ARGS)
{
	const Uscc *a = PG_GETARG_USCC(0);
	const Uscc *b = PG_GETARG_USCC(1);

	PG_RETURN_POINTER(uscc_cmp_internal(a, b) <= 0 ? a : b);
}

PG_FUNCTION_INFO_V1(uscc_larger);
Datum
uscc_larger(PG_FUNCTION_ARGS)
{
	const Uscc *a = PG_GETARG_USCC(0);
	const Uscc *b = PG_GETARG_USCC(1);

	PG_RETURN_POINTER(uscc_cmp_internal(a, b) >= 0 ? a : b);
}

PG_FUNCTION_INFO_V1(uscc_cmp);
Datum
uscc_cmp(PG_FUNCTION_ARGS)
{
	int			c = uscc_cmp_internal(PG_GETARG_USCC(0), PG_GETARG_USCC(1));

	PG_RETURN_INT32(c < 0 ? -1 : (c > 0 ? 1 : 0));
}

static int
uscc_fastcmp(Datum x, Datum y, SortSupport ssup)
{
	return memcmp(DatumGetPointer(x), DatumGetPointer(y), USCC_LEN);
}

PG_FUNCTION_INFO_V1(uscc_sortsupport);
Datum
uscc_sortsupport(PG_FUNCTION_ARGS)
{
	SortSupport ssup = (SortSupport) PG_GETARG_POINTER(0);

	ssup->comparator = uscc_fastcmp;
	PG_RETURN_VOID();
}

/*
 * Hash: with hi = bytes 0-1 and lo = bytes 2-9 read big-endian,
 * ident_mix64(lo XOR ident_mix64(hi XOR ident_seed(seed))).  The standard
 * hash is its low 32 bits with seed 0.  Platform-independent.
 */
static uint64
uscc_hash64(const Uscc *u, int64 seed)
{
	uint64		hi = ((uint64) u->b[0] << 8) | u->b[1];
	uint64		lo = 0;
	int			i;

	for (i = 2; i < USCC_LEN; i++)
		lo = (lo << 8) | u->b[i];
	return ident_mix64(lo ^ ident_mix64(hi ^ ident_seed(seed)));
}

PG_FUNCTION_INFO_V1(uscc_hash);
Datum
uscc_hash(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32((int32) (uint32) uscc_hash64(PG_GETARG_USCC(0), 0));
}

PG_FUNCTION_INFO_V1(uscc_hash_extended);
Datum
uscc_hash_extended(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64((int64) uscc_hash64(PG_GETARG_USCC(0), PG_GETARG_INT64(1)));
}

/* ---------- GiST ---------- */

PG_FUNCTION_INFO_V1(uscc_gist_compress);
Datum
uscc_gist_compress(PG_FUNCTION_ARGS)
{
	GISTENTRY  *entry = (GISTENTRY *) PG_GETARG_POINTER(0);

	if (entry->leafkey)
		PG_RETURN_POINTER(ident_gist_leaf_entry(entry,
												(const uint8 *) DatumGetPointer(entry->key),
												USCC_LEN));
	PG_RETURN_POINTER(entry);
}

PG_FUNCTION_INFO_V1(uscc_gist_fetch);
Datum
uscc_gist_fetch(PG_FUNCTION_ARGS)
{
	GISTENTRY  *entry = (GISTENTRY *) PG_GETARG_POINTER(0);
	GISTENTRY  *retval = palloc(sizeof(GISTENTRY));
	Uscc	   *u = palloc(sizeof(Uscc));

	memcpy(u->b, DatumGetPointer(entry->key), USCC_LEN);
	gistentryinit(*retval, PointerGetDatum(u), entry->rel, entry->page, entry->offset, false);
	PG_RETURN_POINTER(retval);
}

PG_FUNCTION_INFO_V1(uscc_gist_consistent);
Datum
uscc_gist_consistent(PG_FUNCTION_ARGS)
{
	GISTENTRY  *entry = (GISTENTRY *) PG_GETARG_POINTER(0);
	const Uscc *q = PG_GETARG_USCC(1);
	StrategyNumber strategy = (StrategyNumber) PG_GETARG_UINT16(2);
	bool	   *recheck = (bool *) PG_GETARG_POINTER(4);

	*recheck = false;
	PG_RETURN_BOOL(ident_gist_consistent((const uint8 *) DatumGetPointer(entry->key),
										 q->b, USCC_LEN, strategy));
}

IDENT_GIST_GENERIC(uscc, USCC_LEN)

PG_FUNCTION_INFO_V1(uscc_gist_key_in);
Datum
uscc_gist_key_in(PG_FUNCTION_ARGS)
{
	ereport(ERROR,
			(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
			 errmsg("uscc_gist_key is an internal type of the GiST opclass and has no input")));
	PG_RETURN_NULL();
}

PG_FUNCTION_INFO_V1(uscc_gist_key_out);
Datum
uscc_gist_key_out(PG_FUNCTION_ARGS)
{
	const uint8 *key = (const uint8 *) PG_GETARG_POINTER(0);
	char		lo[19],
				hi[19];

	uscc_format((const Uscc *) key, lo);
	uscc_format((const Uscc *) (key + USCC_LEN), hi);
	PG_RETURN_CSTRING(psprintf("[%s,%s]", lo, hi));
}
