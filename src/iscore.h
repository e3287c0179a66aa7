/*
 * iscore.h — the exact integrity score and the fixed-point helpers shared by
 * every concept that handles points.
 *
 * Points are held as int64 hundredths of a point.  Every value a user can
 * store lies within +/- ISCORE_MAX_CENTS, so the sum of any two values fits
 * in an int64 and every intermediate check is a plain comparison.
 */
#ifndef INTEGRITY_ISCORE_H
#define INTEGRITY_ISCORE_H

#include "postgres.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "utils/numeric.h"

/* 9999999999999999.99 points: sixteen digits before the decimal point */
#define ISCORE_MAX_CENTS	INT64CONST(999999999999999999)

typedef struct IScore
{
	int64		base;			/* basic points, hundredths */
	int64		bonus;			/* bonus points, hundredths (uncapped) */
	int32		redlines;		/* red-line hits, >= 0 */
	int32		flags;			/* reserved for later formats; always 0 */
} IScore;

#define DatumGetIScoreP(d)		((IScore *) DatumGetPointer(d))
#define PG_GETARG_ISCORE_P(n)	DatumGetIScoreP(PG_GETARG_DATUM(n))
#define PG_RETURN_ISCORE_P(p)	PG_RETURN_POINTER(p)

/* checked arithmetic on hundredths; raise 22003 past ISCORE_MAX_CENTS */
extern int64 cents_add(int64 a, int64 b, const char *what);
extern int32 redlines_add(int32 a, int32 b);
extern void cents_check(int64 v, const char *what);

/* exact numeric <-> hundredths; finer than 0.01 is an error (22023) */
extern int64 numeric_to_cents(Numeric n, const char *what);
extern Numeric cents_to_numeric(int64 v);
/* numeric Datum -> hundredths by reading its stored digits; never raises */
typedef enum NumericCentsResult
{
	NUMERIC_CENTS_OK,
	NUMERIC_CENTS_SPECIAL,		/* NaN or an infinity */
	NUMERIC_CENTS_FINER,		/* digits below 0.01 */
	NUMERIC_CENTS_RANGE,		/* beyond the int64 range of hundredths */
	NUMERIC_CENTS_INVALID		/* not a well-formed numeric */
} NumericCentsResult;
extern NumericCentsResult numeric_datum_cents(Datum d, int64 *out);
/* the same from a numeric Datum, reading its digits without arithmetic */
extern int64 cents_from_datum(Datum d, const char *what);

/* numeric weight * hundredths, rounded half-even to a hundredth */
extern int64 cents_scale(int64 cents, Numeric weight, const char *what);

/* integer division rounded half-even (den > 0); used for averages and weights */
extern int64 div_half_even(int128 num, int128 den);

/* sum of two scores into *acc, checked */
extern void iscore_accumulate(IScore *acc, const IScore *add);

/* validate every field of a score that came from outside (recv, text) */
extern void iscore_validate(const IScore *s);

/* the total under a cap (hundredths): 0 when vetoed, else base + min(bonus, cap) */
extern int64 iscore_total_cents(const IScore *s, int64 cap);

/* text form: parse (0 = ok, never raises) and append canonical output */
extern int	iscore_parse(const char *str, IScore *out);
extern void iscore_append(StringInfo buf, const IScore *s);

#endif
