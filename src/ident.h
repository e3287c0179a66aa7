/*
 * ident.h — the identifier core (ident.c): what the identifier types cnid,
 * uscc and masked_cnid have in common, written once.
 *
 * A type is described by an IdentType: its name, the length of its
 * canonical text, the size of a value (8 bytes by value, or a fixed number
 * of bytes by reference), and the functions that are particular to it —
 * parse (positions, alphabet, check rule, region and date semantics),
 * format (the canonical text of a value), the phrases of its own reasons
 * and the detail and hint of each.  The core does the rest, identically for
 * every type:
 *   - parsing with reasons: surrounding white space trimmed, the length
 *     checked (a non-ASCII character named instead of a misleading length),
 *     then the type's parser; a failure is a reason code with the position
 *     and characters it is about (IdentError), never an ereport;
 *   - the input error: errmsg "invalid <type> \"<value>\": <rule>", the
 *     type's errdetail and errhint, or, when the value holds what
 *     identifier_normalize() cleans, a detail naming it and a hint to the
 *     cleaner (normalize.h);
 *   - text input and output, the casts to and from text, the cleansing
 *     functions is_valid_<type> and <type>_invalid_reason;
 *   - binary I/O: a format version byte and the canonical characters, all
 *     of it validated on receive (22P03, the rule named only for printable
 *     ASCII);
 *   - the btree, hash and GiST support functions, over a three-way
 *     comparison and a 64-bit hash that the type gives.
 *
 * The SQL-callable functions keep their names (the frozen scripts of
 * released versions reference them as AS 'MODULE_PATHNAME', 'cnid_in'):
 * each group of them is defined in the type's file by one macro below,
 * IDENT_IO(cnid, cnid_ident) defining cnid_in, cnid_out, cnid_recv and
 * cnid_send, each a call of the core with the type's descriptor.
 */
#ifndef INTEGRITY_IDENT_H
#define INTEGRITY_IDENT_H

#include "postgres.h"

#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/sortsupport.h"

#include "ident_common.h"

/*
 * Reasons a text is not a value.  The first ones are the core's; a type
 * numbers its own from IDENT_TYPE_REASONS on (at most 31 in all).
 */
#define IDENT_OK			0
#define IDENT_BAD_LENGTH	1	/* not one of the type's lengths */
#define IDENT_BAD_CHAR		2	/* a character the position cannot hold */
#define IDENT_TYPE_REASONS	3

#define IDENT_REASON_BIT(r) ((uint32) 1 << (r))

typedef struct IdentError
{
	int			reason;
	int			len;			/* trimmed length in bytes */
	int			pos;			/* 0-based byte offset of a bad character */
	char		found;			/* the check character given */
	char		expected;		/* the check character computed */
	int32		ymd;			/* a date the rule is about, YYYYMMDD */
	int32		today;			/* the current date, YYYYMMDD (cleansing) */
} IdentError;

/* The largest value and canonical text of any identifier type. */
#define IDENT_MAX_SIZE	32
#define IDENT_MAX_TEXT	32

typedef struct IdentType
{
	const char *name;			/* the SQL type, "cnid" */
	const char *binary_noun;	/* "18 characters of a resident identity
								 * number": what a binary value that is not
								 * printable ASCII is not */
	const char *canonical;		/* the canonical form, in parentheses after
								 * "the 18 canonical characters" */
	int			size;			/* bytes of a value */
	bool		byval;			/* an int64 by value (size 8), else size
								 * bytes by reference */
	int			textlen;		/* characters of the canonical text and of
								 * the binary form */
	int			altlen;			/* another input length (cnid: 15), or 0 */
	const char *lengths;		/* "18 or 15", for the length error */
	const char *bad_char;		/* "is not a digit", after "<char> at
								 * position <n>" */
	int			wire_version;	/* the version byte of the binary form */

	/*
	 * The reasons for which a value holding what identifier_normalize()
	 * cleans is pointed there (IDENT_REASON_BIT set), and the hint then
	 * given; NULL: "Use to_<type>(text) ...".
	 */
	uint32		cleanable;
	const char *cleaned_hint;

	/*
	 * Parse s[0..len), trimmed, len the textlen or the altlen, into out
	 * (size bytes; an int64 when byval).  On failure fill err (reason, pos,
	 * ...) and return false.  Never raises.
	 */
	bool		(*parse) (const char *s, int len, void *out, IdentError *err);
	/* the textlen canonical characters of a value (no terminator) */
	void		(*format) (Datum value, char *out);
	/* the phrase of a reason of the type's own (>= IDENT_TYPE_REASONS) */
	char	   *(*reason_text) (const char *s, const IdentError *err);
	/* errdetail and errhint of a reason; false if it has no input error */
	bool		(*explain) (const IdentError *err, const char **detail, const char **hint);
	/* the cleansing functions' further rules, or NULL; fills err */
	bool		(*cleanse) (Datum value, IdentError *err);

	/* GiST: key length, the encoding of a value and back (memcmp order) */
	int			keylen;
	void		(*encode) (Datum value, uint8 *key);
	Datum		(*decode) (const uint8 *key);
} IdentType;

/* ---------- parsing and reporting ---------- */

/* The input error of a failed parse of input (len bytes, NUL-terminated). */
extern pg_attribute_noreturn() void ident_report(const IdentType *t, const char *input,
												 size_t len, const IdentError *err);
/* The rule that failed, as a short phrase; s: the trimmed input. */
extern char *ident_reason_text(const IdentType *t, const char *s, const IdentError *err);
/* A printable name for the byte at offset pos of an identifier. */
extern char *ident_char_text(const char *s, int pos);
/* The failure of a text of no valid length (ident_parse); returns false. */
extern bool ident_length_error(const char *str, size_t len, IdentError *err);

/*
 * For a type's parser: the n characters at s are ASCII digits, their values
 * stored in d[0..n); else IDENT_BAD_CHAR at the first other one.
 */
static inline bool
ident_digits(const char *s, int n, int *d, IdentError *err)
{
	int			i;

	for (i = 0; i < n; i++)
	{
		if (s[i] < '0' || s[i] > '9')
		{
			err->reason = IDENT_BAD_CHAR;
			err->pos = i;
			return false;
		}
		d[i] = s[i] - '0';
	}
	return true;
}

/* ---------- the SQL-callable functions, over a descriptor ---------- */

/* A core function: what the SQL function of a type does with fcinfo. */
typedef Datum (IdentCoreFunction) (const IdentType *t, FunctionCallInfo fcinfo);

extern IdentCoreFunction ident_recv, ident_send,
			ident_is_valid, ident_invalid_reason,
			ident_gist_compress, ident_gist_fetch, ident_gist_consistent,
			ident_gist_union, ident_gist_penalty, ident_gist_picksplit,
			ident_gist_same, ident_gist_key_in, ident_gist_key_out;

/* ---------------------------------------------------------------------
 * The hot path: parsing, text input and output
 *
 * Inline, so that in a type's file, where the descriptor is a constant,
 * the compiler calls (and may inline) the type's parse and format directly:
 * COPY into a cnid or uscc column costs what it cost before the core
 * existed.  The cold paths (errors, binary I/O, GiST) are in ident.c.
 * --------------------------------------------------------------------- */

/* A value being parsed: an int64 by value, or room for one by reference. */
typedef union IdentValue
{
	int64		i;
	uint8		b[IDENT_MAX_SIZE];
} IdentValue;

/* Where a value of the type is parsed into: v, or palloc'd memory. */
static inline void *
ident_slot(const IdentType *t, IdentValue *v)
{
	return t->byval ? (void *) v : palloc(t->size);
}

/* The Datum of a value parsed into slot (from ident_slot). */
static inline Datum
ident_datum(const IdentType *t, void *slot)
{
	return t->byval ? Int64GetDatum(*(int64 *) slot) : PointerGetDatum(slot);
}

/*
 * Parse str[0..len) into out (white space around it ignored): the length,
 * then the type's parser.  Never raises.
 */
static inline bool
ident_parse(const IdentType *t, const char *str, size_t len, void *out,
			IdentError *err)
{
	memset(err, 0, sizeof(*err));
	ident_trim(&str, &len);
	err->len = (int) len;
	if (len == (size_t) t->textlen || (t->altlen > 0 && len == (size_t) t->altlen))
		return t->parse(str, (int) len, out, err);
	return ident_length_error(str, len, err);
}

/* The value of str[0..len), or the input error (22P02). */
static inline Datum
ident_from_cstring(const IdentType *t, const char *str, size_t len)
{
	IdentValue	v;
	void	   *slot = ident_slot(t, &v);
	IdentError	e;

	/* the message needs a NUL-terminated copy */
	if (!ident_parse(t, str, len, slot, &e))
		ident_report(t, pnstrdup(str, len), len, &e);
	return ident_datum(t, slot);
}

/* true if the type's input function accepts s[0..len) */
static inline bool
ident_accepts(const IdentType *t, const char *s, size_t len)
{
	IdentValue	v;
	IdentError	e;

	return ident_parse(t, s, len, &v, &e);
}

static inline Datum
ident_in(const IdentType *t, FunctionCallInfo fcinfo)
{
	char	   *str = PG_GETARG_CSTRING(0);

	return ident_from_cstring(t, str, strlen(str));
}

static inline Datum
ident_out(const IdentType *t, FunctionCallInfo fcinfo)
{
	char	   *buf = palloc(t->textlen + 1);

	t->format(PG_GETARG_DATUM(0), buf);
	buf[t->textlen] = '\0';
	PG_RETURN_CSTRING(buf);
}

/* the cast <type>(text) */
static inline Datum
ident_from_text(const IdentType *t, FunctionCallInfo fcinfo)
{
	text	   *s = PG_GETARG_TEXT_PP(0);

	return ident_from_cstring(t, VARDATA_ANY(s), VARSIZE_ANY_EXHDR(s));
}

/* the cast text(<type>) */
static inline Datum
ident_to_text(const IdentType *t, FunctionCallInfo fcinfo)
{
	char		canon[IDENT_MAX_TEXT];

	t->format(PG_GETARG_DATUM(0), canon);
	PG_RETURN_TEXT_P(cstring_to_text_with_len(canon, t->textlen));
}

/* One SQL-callable function name(...) = core(&desc, fcinfo). */
#define IDENT_FUNC(name, core, desc) \
PG_FUNCTION_INFO_V1(name); \
Datum \
name(PG_FUNCTION_ARGS) \
{ \
	return core(&(desc), fcinfo); \
}

/* The type's I/O functions: prefix_in, prefix_out, prefix_recv, prefix_send. */
#define IDENT_IO(prefix, desc) \
IDENT_FUNC(prefix##_in, ident_in, desc) \
IDENT_FUNC(prefix##_out, ident_out, desc) \
IDENT_FUNC(prefix##_recv, ident_recv, desc) \
IDENT_FUNC(prefix##_send, ident_send, desc)

/*
 * The casts and the cleansing functions: prefix_from_text (the cast
 * prefix(text)), prefix_to_text (text(prefix)), is_valid_prefix and
 * prefix_invalid_reason; and prefix_accepts, the input rules as a C
 * predicate for the try-cast to_prefix() (normalize.h declares it).
 */
#define IDENT_TEXT(prefix, desc) \
IDENT_FUNC(prefix##_from_text, ident_from_text, desc) \
IDENT_FUNC(prefix##_to_text, ident_to_text, desc) \
IDENT_FUNC(is_valid_##prefix, ident_is_valid, desc) \
IDENT_FUNC(prefix##_invalid_reason, ident_invalid_reason, desc) \
bool \
prefix##_accepts(const char *s, size_t len) \
{ \
	return ident_accepts(&(desc), s, len); \
}

/*
 * The GiST opclass over interval keys lo || hi of desc.keylen bytes each:
 * prefix_gist_compress, _fetch, _consistent, _union, _penalty, _picksplit,
 * _same, and the storage type's prefix_gist_key_in and prefix_gist_key_out.
 */
#define IDENT_GIST(prefix, desc) \
IDENT_FUNC(prefix##_gist_compress, ident_gist_compress, desc) \
IDENT_FUNC(prefix##_gist_fetch, ident_gist_fetch, desc) \
IDENT_FUNC(prefix##_gist_consistent, ident_gist_consistent, desc) \
IDENT_FUNC(prefix##_gist_union, ident_gist_union, desc) \
IDENT_FUNC(prefix##_gist_penalty, ident_gist_penalty, desc) \
IDENT_FUNC(prefix##_gist_picksplit, ident_gist_picksplit, desc) \
IDENT_FUNC(prefix##_gist_same, ident_gist_same, desc) \
IDENT_FUNC(prefix##_gist_key_in, ident_gist_key_in, desc) \
IDENT_FUNC(prefix##_gist_key_out, ident_gist_key_out, desc)

/*
 * The comparison functions over cmp(Datum, Datum), a static inline
 * three-way comparison of the type (negative, 0, positive), so that each
 * of them compiles to the comparison itself: prefix_eq, _ne, _lt, _le, _gt,
 * _ge (the operators) and prefix_cmp (btree support 1: -1, 0 or 1).
 */
#define IDENT_CMP_OP(name, cmp, test) \
PG_FUNCTION_INFO_V1(name); \
Datum \
name(PG_FUNCTION_ARGS) \
{ \
	PG_RETURN_BOOL(cmp(PG_GETARG_DATUM(0), PG_GETARG_DATUM(1)) test 0); \
}

#define IDENT_COMPARISON(prefix, cmp) \
IDENT_CMP_OP(prefix##_eq, cmp, ==) \
IDENT_CMP_OP(prefix##_ne, cmp, !=) \
IDENT_CMP_OP(prefix##_lt, cmp, <) \
IDENT_CMP_OP(prefix##_le, cmp, <=) \
IDENT_CMP_OP(prefix##_gt, cmp, >) \
IDENT_CMP_OP(prefix##_ge, cmp, >=) \
PG_FUNCTION_INFO_V1(prefix##_cmp); \
Datum \
prefix##_cmp(PG_FUNCTION_ARGS) \
{ \
	int			c = cmp(PG_GETARG_DATUM(0), PG_GETARG_DATUM(1)); \
\
	PG_RETURN_INT32(c < 0 ? -1 : (c > 0 ? 1 : 0)); \
}

/*
 * min/max and sorting: prefix_smaller and prefix_larger (the aggregates'
 * transition functions) and prefix_sortsupport (btree support 2).
 */
#define IDENT_ORDERING(prefix, cmp) \
PG_FUNCTION_INFO_V1(prefix##_smaller); \
Datum \
prefix##_smaller(PG_FUNCTION_ARGS) \
{ \
	Datum		a = PG_GETARG_DATUM(0); \
	Datum		b = PG_GETARG_DATUM(1); \
\
	return cmp(a, b) <= 0 ? a : b; \
} \
\
PG_FUNCTION_INFO_V1(prefix##_larger); \
Datum \
prefix##_larger(PG_FUNCTION_ARGS) \
{ \
	Datum		a = PG_GETARG_DATUM(0); \
	Datum		b = PG_GETARG_DATUM(1); \
\
	return cmp(a, b) >= 0 ? a : b; \
} \
\
static int \
prefix##_fastcmp(Datum x, Datum y, SortSupport ssup) \
{ \
	return cmp(x, y); \
} \
\
PG_FUNCTION_INFO_V1(prefix##_sortsupport); \
Datum \
prefix##_sortsupport(PG_FUNCTION_ARGS) \
{ \
	SortSupport ssup = (SortSupport) PG_GETARG_POINTER(0); \
\
	ssup->comparator = prefix##_fastcmp; \
	PG_RETURN_VOID(); \
}

/*
 * The hash opclass over hash64(Datum, int64 seed), the type's portable
 * 64-bit hash: prefix_hash (its low 32 bits with seed 0) and
 * prefix_hash_extended.
 */
#define IDENT_HASH(prefix, hash64) \
PG_FUNCTION_INFO_V1(prefix##_hash); \
Datum \
prefix##_hash(PG_FUNCTION_ARGS) \
{ \
	PG_RETURN_INT32((int32) (uint32) hash64(PG_GETARG_DATUM(0), 0)); \
} \
\
PG_FUNCTION_INFO_V1(prefix##_hash_extended); \
Datum \
prefix##_hash_extended(PG_FUNCTION_ARGS) \
{ \
	PG_RETURN_INT64((int64) hash64(PG_GETARG_DATUM(0), PG_GETARG_INT64(1))); \
}

#endif							/* INTEGRITY_IDENT_H */
