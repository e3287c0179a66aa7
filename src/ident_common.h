/*
 * ident_common.h — the small inline helpers of the identifier core
 * (ident.h, ident.c) that other concepts use as well:
 *   - the white space that surrounds an identifier and is ignored;
 *   - a documented, platform-independent 64-bit mix function for the hash
 *     opclasses (the hash of a value never depends on the byte order or word
 *     size of the machine, nor on PostgreSQL's own hash_bytes), also used by
 *     the blacklist index and name screening.
 * Nothing here raises.  The rest of what the identifier types share is in
 * ident.h.
 */
#ifndef IDENT_COMMON_H
#define IDENT_COMMON_H

#include "postgres.h"

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

/*
 * The hash of a 64-bit integer value with a seed: cnid's hash functions and
 * the blacklist index's int8_ops and cnid_ops (which must agree with them).
 */
static inline uint64
ident_hash64(uint64 v, int64 seed)
{
	return ident_mix64(v ^ ident_seed(seed));
}

#endif							/* IDENT_COMMON_H */
