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
 * Structure: this file says what is particular to uscc — the alphabet, the
 * region positions, the check rule, the packing, the messages of its
 * reasons — in its descriptor uscc_ident; the identifier core (ident.c)
 * does the parsing skeleton, the errors, text and binary I/O, the cleansing
 * functions and the btree, hash and GiST support over it.  uscc_parse() is
 * a pure parser returning bool and a reason, never calling ereport.
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
#include "mb/pg_wchar.h"
#include "utils/builtins.h"

#include "ident.h"
#include "normalize.h"

#define USCC_LEN 10				/* stored bytes */

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

/* The reasons of uscc's own (ident.h has IDENT_BAD_LENGTH, IDENT_BAD_CHAR). */
enum
{
	USCC_FORBIDDEN_LETTER = IDENT_TYPE_REASONS, /* I, O, S, V or Z */
	USCC_REGION_NOT_DIGIT,		/* positions 3-8 not digits */
	USCC_BAD_CHECK				/* wrong check character */
};

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
uscc_scan(const char *s, int n, int *idx, IdentError *err)
{
	int			i;

	for (i = 0; i < n; i++)
	{
		int			k = uscc_index(s[i]);

		if (k < 0)
		{
			err->reason = uscc_forbidden(s[i]) ? USCC_FORBIDDEN_LETTER : IDENT_BAD_CHAR;
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
 * Parse str[0..len), trimmed, 18 characters (ident_parse checks the
 * length).  On success store the packed body in *out (a Uscc).  Never
 * raises.
 */
static bool
uscc_parse(const char *str, int len, void *out, IdentError *err)
{
	int			idx[18];
	int			check;

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
	uscc_pack(idx, (Uscc *) out);
	return true;
}

/* The 18 canonical characters (no terminator). */
static void
uscc_chars(const Uscc *u, char *buf)
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

static void
uscc_format(Datum value, char *out)
{
	uscc_chars((const Uscc *) DatumGetPointer(value), out);
}

/* The phrase of a reason of uscc's own; s: the trimmed input. */
static char *
uscc_reason_text(const char *s, const IdentError *e)
{
	switch (e->reason)
	{
		case USCC_FORBIDDEN_LETTER:
			return psprintf("letter %s at position %d is not used in unified social credit codes",
							ident_char_text(s, e->pos), e->pos + 1);
		case USCC_REGION_NOT_DIGIT:
			return psprintf("%s at position %d of the region code is not a digit",
							ident_char_text(s, e->pos), e->pos + 1);
		case USCC_BAD_CHECK:
			return psprintf("wrong check character \"%c\", expected \"%c\"",
							e->found, e->expected);
	}
	return NULL;
}

/* errdetail and errhint of an input error */
static bool
uscc_explain(const IdentError *e, const char **detail, const char **hint)
{
	switch (e->reason)
	{
		case IDENT_BAD_LENGTH:
			*detail = "A unified social credit code has 18 characters.";
			*hint = "Surrounding white space is ignored; separators and other characters are not.";
			return true;
		case USCC_FORBIDDEN_LETTER:
			*detail = "The code alphabet excludes I, O, S, V and Z.";
			*hint = "I and O are often typed for 1 and 0.";
			return true;
		case IDENT_BAD_CHAR:
			*detail = "A unified social credit code uses only the characters 0-9 and A-Y without I, O, S and V.";
			*hint = "Check the value for typing errors or a shifted column.";
			return true;
		case USCC_REGION_NOT_DIGIT:
			*detail = "Positions 3-8 of a unified social credit code are the region code, 6 digits.";
			*hint = "Check the value for typing errors.";
			return true;
		case USCC_BAD_CHECK:
			*detail = psprintf("The GB 32100 check over the first 17 characters gives \"%c\", the value has \"%c\".",
							   e->expected, e->found);
			*hint = "Some codes issued in 2015-2016 fail this check; keep such values as text and find them with is_valid_uscc().";
			return true;
	}
	return false;
}

/* The GiST encoding: the 10 stored bytes themselves. */
static void
uscc_encode(Datum value, uint8 *out)
{
	memcpy(out, DatumGetPointer(value), USCC_LEN);
}

static Datum
uscc_decode(const uint8 *key)
{
	Uscc	   *u = palloc(sizeof(Uscc));

	memcpy(u->b, key, USCC_LEN);
	return PointerGetDatum(u);
}

static const IdentType uscc_ident = {
	.name = "uscc",
	.binary_noun = "18 characters of a unified social credit code",
	.canonical = "upper case, no white space",
	.size = USCC_LEN,
	.byval = false,
	.textlen = 18,
	.lengths = "18",
	.bad_char = "is not a digit or letter of the code alphabet",
	.wire_version = 1,
	.cleanable = ~(uint32) 0,
	.parse = uscc_parse,
	.format = uscc_format,
	.reason_text = uscc_reason_text,
	.explain = uscc_explain,
	.keylen = USCC_LEN,
	.encode = uscc_encode,
	.decode = uscc_decode,
};

/* uscc_in, uscc_out, uscc_recv, uscc_send */
IDENT_IO(uscc, uscc_ident)
/*
 * uscc_from_text, uscc_to_text, is_valid_uscc, uscc_invalid_reason, and
 * uscc_accepts for to_uscc() (normalize.h)
 */
IDENT_TEXT(uscc, uscc_ident)

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
	IdentError	e;

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
		ident_report(&uscc_ident, pnstrdup(s, 17), 17, &e);
	for (i = 0; i < 17; i++)
		full[i] = uscc_alphabet[idx[i]];
	full[17] = uscc_alphabet[uscc_check_index(idx)];
	full[18] = '\0';
	return ident_from_cstring(&uscc_ident, full, 18);
}

/* ---------- accessors ---------- */

static text *
uscc_part(const Uscc *u, int from, int n)
{
	char		canon[18];

	uscc_chars(u, canon);
	return cstring_to_text_with_len(canon + from, n);
}

/* name(uscc): the n characters from position from + 1, as text */
#define USCC_PART_FUNC(name, from, n) \
PG_FUNCTION_INFO_V1(name); \
Datum \
name(PG_FUNCTION_ARGS) \
{ \
	PG_RETURN_TEXT_P(uscc_part(PG_GETARG_USCC(0), (from), (n))); \
}

USCC_PART_FUNC(uscc_authority, 0, 1)
USCC_PART_FUNC(uscc_entity_type, 1, 1)
USCC_PART_FUNC(uscc_region, 2, 6)
USCC_PART_FUNC(uscc_org_code, 8, 9)

PG_FUNCTION_INFO_V1(uscc_org_code_valid);
Datum
uscc_org_code_valid(PG_FUNCTION_ARGS)
{
	char		canon[18];

	uscc_chars(PG_GETARG_USCC(0), canon);
	PG_RETURN_BOOL(org_code_valid(canon + 8));
}

/* ---------- comparison, hashing, GiST ---------- */

/* memcmp order of the stored bytes is the order of the canonical text */
static inline int
uscc_cmp3(Datum x, Datum y)
{
	return memcmp(DatumGetPointer(x), DatumGetPointer(y), USCC_LEN);
}

/* uscc_eq, _ne, _lt, _le, _gt, _ge, uscc_cmp */
IDENT_COMPARISON(uscc, uscc_cmp3)
/* uscc_smaller, uscc_larger, uscc_sortsupport */
IDENT_ORDERING(uscc, uscc_cmp3)

/*
 * Hash: with hi = bytes 0-1 and lo = bytes 2-9 read big-endian,
 * ident_mix64(lo XOR ident_mix64(hi XOR ident_seed(seed))).  The standard
 * hash is its low 32 bits with seed 0.  Platform-independent.
 */
static uint64
uscc_hash64(Datum value, int64 seed)
{
	const Uscc *u = (const Uscc *) DatumGetPointer(value);
	uint64		hi = ((uint64) u->b[0] << 8) | u->b[1];
	uint64		lo = 0;
	int			i;

	for (i = 2; i < USCC_LEN; i++)
		lo = (lo << 8) | u->b[i];
	return ident_mix64(lo ^ ident_mix64(hi ^ ident_seed(seed)));
}

/* uscc_hash, uscc_hash_extended */
IDENT_HASH(uscc, uscc_hash64)

/* uscc_gist_compress, _fetch, _consistent, _union, _penalty, _picksplit,
 * _same, uscc_gist_key_in, uscc_gist_key_out */
IDENT_GIST(uscc, uscc_ident)
