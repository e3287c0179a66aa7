/*
 * cnid_rules.h — the rules of GB 11643-1999 that more than one identifier
 * file needs: the ISO 7064 MOD 11-2 weights and check characters, the
 * province-level codes of GB/T 2260, the calendar, and the canonical 18
 * characters of a stored cnid body.
 *
 * Used by cnid.c (the cnid type) and masked_cnid.c (masked numbers), one
 * definition of each rule.  Pure inline functions, nothing here raises;
 * but for cnid_datum_body (cnid.c), the one check of a stored value.
 */
#ifndef CNID_RULES_H
#define CNID_RULES_H

#include "postgres.h"

/* A stored cnid is its 17-digit body as an int64 in [0, 10^17). */
#define CNID_RULES_BODY_LIMIT INT64CONST(100000000000000000)
/* Birth years before this are not plausible (the cnid input rule). */
#define CNID_RULES_MIN_YEAR 1800

/*
 * The body of a cnid Datum, checked for range: XX001 (data_corrupted)
 * "corrupt cnid value" for a value no input or receive function makes.
 */
extern int64 cnid_datum_body(Datum d);

static const int cnid_rules_weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
static const char cnid_rules_check_chars[11] = {'1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'};

/* GB/T 2260 province-level codes */
static inline bool
cnid_rules_province_ok(int p)
{
	return (p >= 11 && p <= 15) || (p >= 21 && p <= 23) || (p >= 31 && p <= 37) ||
		(p >= 41 && p <= 46) || (p >= 50 && p <= 54) || (p >= 61 && p <= 65) ||
		p == 71 || p == 81 || p == 82 || p == 83;
}

static inline bool
cnid_rules_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static inline int
cnid_rules_days_in_month(int y, int m)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (m == 2 && cnid_rules_leap(y))
		return 29;
	return days[m - 1];
}

/*
 * The canonical 18 characters of a body (no terminator): 17 digits and the
 * check character.
 */
static inline void
cnid_rules_chars(int64 body, char *out)
{
	int			sum = 0,
				i;

	for (i = 16; i >= 0; i--)
	{
		out[i] = (char) ('0' + (int) (body % 10));
		body /= 10;
	}
	for (i = 0; i < 17; i++)
		sum += (out[i] - '0') * cnid_rules_weights[i];
	out[17] = cnid_rules_check_chars[sum % 11];
}

#endif							/* CNID_RULES_H */
