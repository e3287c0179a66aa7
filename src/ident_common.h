/*
 * ident_common.h — helpers shared by the identifier types cnid and uscc.
 *
 * Nothing here calls ereport except the GiST glue: the parsers of cnid.c and
 * uscc.c stay pure (bool + reason code) and use only the inline helpers for
 * white space.  The rest is
 *   - a documented, platform-independent 64-bit mix function for the hash
 *     opclasses (the hash of a value never depends on the byte order or word
 *     size of the machine, nor on PostgreSQL's own hash_bytes);
 *   - a generic GiST implementation over "interval keys" of fixed-length
 *     byte strings ordered by memcmp: a key is lo[L] || hi[L].  Both types
 *     encode a value as L bytes whose memcmp order is the type's order
 *     (cnid: the body as a big-endian 8-byte integer; uscc: its 10 stored
 *     bytes), so one implementation serves both opclasses.
 */
#ifndef IDENT_COMMON_H
#define IDENT_COMMON_H

#include "postgres.h"

#include <math.h>

#include "access/gist.h"
#include "access/stratnum.h"

/* The white space that surrounds an identifier and is ignored. */
static inline bool
ident_isspace(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static inline void
ident_trim(const char **s, size_t *len)
{
	const char *p = *s;
	size_t		n = *len;

	while (n > 0 && ident_isspace(*p))
	{
		p++;
		n--;
	}
	while (n > 0 && ident_isspace(p[n - 1]))
		n--;
	*s = p;
	*len = n;
}

/*
 * The hash mix: the 64-bit finaliser of MurmurHash3 (two multiply-xorshift
 * rounds; a bijection on 64-bit integers).  Defined on integers, so the
 * result is the same on every platform and in every release of this
 * extension: hash partitions and Citus shards computed today stay valid.
 */
static inline uint64
ident_mix64(uint64 x)
{
	x ^= x >> 33;
	x *= UINT64CONST(0xff51afd7ed558ccd);
	x ^= x >> 33;
	x *= UINT64CONST(0xc4ceb9fe1a85ec53);
	x ^= x >> 33;
	return x;
}

/* The seed of the extended hash, spread over 64 bits. */
static inline uint64
ident_seed(int64 seed)
{
	return ident_mix64((uint64) seed + UINT64CONST(0x9e3779b97f4a7c15));
}

/* ---------- generic GiST over memcmp-ordered interval keys ---------- */

static inline bool
ident_gist_consistent(const uint8 *key, const uint8 *q, int L, StrategyNumber strategy)
{
	int			clo = memcmp(key, q, L);
	int			chi = memcmp(key + L, q, L);

	switch (strategy)
	{
		case BTLessStrategyNumber:
			return clo < 0;
		case BTLessEqualStrategyNumber:
			return clo <= 0;
		case BTEqualStrategyNumber:
			return clo <= 0 && chi >= 0;
		case BTGreaterEqualStrategyNumber:
			return chi >= 0;
		case BTGreaterStrategyNumber:
			return chi > 0;
		default:
			elog(ERROR, "unrecognized strategy number: %d", strategy);
	}
	return false;				/* keep compiler quiet */
}

/* Union of entries vector[0..n-1] into a fresh key. */
static inline uint8 *
ident_gist_union(GistEntryVector *entryvec, int L)
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

static inline double
ident_bytes_to_double(const uint8 *b, int L)
{
	double		d = 0;
	int			i;

	for (i = 0; i < L; i++)
		d = d * 256.0 + b[i];
	return d;
}

/* How much orig must grow to take in add; > 0 whenever it must grow at all. */
static inline float
ident_gist_penalty(const uint8 *orig, const uint8 *add, int L)
{
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
	return (float) p;
}

typedef struct IdentSortItem
{
	OffsetNumber off;
	const uint8 *key;
	int			L;
} IdentSortItem;

static inline int
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
static inline void
ident_gist_picksplit(GistEntryVector *entryvec, GIST_SPLITVEC *v, int L)
{
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
}

/* Leaf entry → key lo = hi = the encoded value. */
static inline GISTENTRY *
ident_gist_leaf_entry(GISTENTRY *entry, const uint8 *enc, int L)
{
	GISTENTRY  *retval = palloc(sizeof(GISTENTRY));
	uint8	   *key = palloc(2 * L);

	memcpy(key, enc, L);
	memcpy(key + L, enc, L);
	gistentryinit(*retval, PointerGetDatum(key), entry->rel, entry->page,
				  entry->offset, false);
	return retval;
}

/* Hex text of a GiST key, "lo..hi", for the storage types' output function. */
static inline char *
ident_gist_key_text(const uint8 *key, int L)
{
	static const char hex[] = "0123456789abcdef";
	char	   *out = palloc(4 * L + 3);
	char	   *p = out;
	int			i;

	for (i = 0; i < 2 * L; i++)
	{
		if (i == L)
		{
			*p++ = '.';
			*p++ = '.';
		}
		*p++ = hex[key[i] >> 4];
		*p++ = hex[key[i] & 15];
	}
	*p = '\0';
	return out;
}


/*
 * True when s[0..len) is printable ASCII (0x20-0x7e): binary receive names
 * the failed rule only for such fields, so a message never carries raw
 * bytes (a NUL, an invalid multibyte sequence) and nothing reads past the
 * field.
 */
static inline bool
ident_printable_ascii(const char *s, int len)
{
	int			i;

	for (i = 0; i < len; i++)
		if ((unsigned char) s[i] < 0x20 || (unsigned char) s[i] > 0x7e)
			return false;
	return true;
}

/* A printable name for the byte at offset pos of an identifier, for messages. */
static inline char *
ident_char_text(const char *s, int pos)
{
	unsigned char c = (unsigned char) s[pos];

	if (c >= 0x21 && c < 0x7f)
		return psprintf("\"%c\"", c);
	if (IS_HIGHBIT_SET(c))
		return pstrdup("a non-ASCII character");
	return psprintf("byte 0x%02x", c);
}

/*
 * The GiST support functions that differ between the two types only in the
 * key length: union, penalty, picksplit and same.  IDENT_GIST_GENERIC(cnid,
 * CNID_KEYLEN) defines cnid_gist_union, cnid_gist_penalty, ... for one type.
 */
#define IDENT_GIST_GENERIC(prefix, keylen) \
PG_FUNCTION_INFO_V1(prefix##_gist_union); \
Datum \
prefix##_gist_union(PG_FUNCTION_ARGS) \
{ \
	GistEntryVector *entryvec = (GistEntryVector *) PG_GETARG_POINTER(0); \
	int		   *size = (int *) PG_GETARG_POINTER(1); \
\
	*size = 2 * (keylen); \
	PG_RETURN_POINTER(ident_gist_union(entryvec, (keylen))); \
} \
\
PG_FUNCTION_INFO_V1(prefix##_gist_penalty); \
Datum \
prefix##_gist_penalty(PG_FUNCTION_ARGS) \
{ \
	GISTENTRY  *orig = (GISTENTRY *) PG_GETARG_POINTER(0); \
	GISTENTRY  *add = (GISTENTRY *) PG_GETARG_POINTER(1); \
	float	   *result = (float *) PG_GETARG_POINTER(2); \
\
	*result = ident_gist_penalty((const uint8 *) DatumGetPointer(orig->key), \
								 (const uint8 *) DatumGetPointer(add->key), (keylen)); \
	PG_RETURN_POINTER(result); \
} \
\
PG_FUNCTION_INFO_V1(prefix##_gist_picksplit); \
Datum \
prefix##_gist_picksplit(PG_FUNCTION_ARGS) \
{ \
	GistEntryVector *entryvec = (GistEntryVector *) PG_GETARG_POINTER(0); \
	GIST_SPLITVEC *v = (GIST_SPLITVEC *) PG_GETARG_POINTER(1); \
\
	ident_gist_picksplit(entryvec, v, (keylen)); \
	PG_RETURN_POINTER(v); \
} \
\
PG_FUNCTION_INFO_V1(prefix##_gist_same); \
Datum \
prefix##_gist_same(PG_FUNCTION_ARGS) \
{ \
	const uint8 *a = (const uint8 *) PG_GETARG_POINTER(0); \
	const uint8 *b = (const uint8 *) PG_GETARG_POINTER(1); \
	bool	   *result = (bool *) PG_GETARG_POINTER(2); \
\
	*result = memcmp(a, b, 2 * (keylen)) == 0; \
	PG_RETURN_POINTER(result); \
}

#endif							/* IDENT_COMMON_H */
