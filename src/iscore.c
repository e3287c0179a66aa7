/*
 * iscore.c — `iscore`, an exact integrity score (清廉积分).
 *
 * A score is three numbers: basic points (基础项), bonus points (加分项) and
 * the number of red-line hits (红线项).  Points are fixed-point hundredths in
 * an int64, so sums are exact and give the same digits in any order, under
 * any parallel plan and on any shard layout.  A red-line hit is not a
 * deduction: it vetoes the score (total() is zero).
 *
 * Text form:  <base><+|-><bonus>[!<redlines>]
 *     80.50+3.00      base 80.50, bonus 3.00, no red line
 *     80.50+3.00!2    the same with two red-line hits (vetoed)
 *     -5.00-1.50      negative base and bonus are allowed
 * Output always writes two decimals and omits "!0"; input accepts up to two
 * decimals (further digits must be zeros) and surrounding white space.
 *
 * Order (btree, never dependent on session settings): more red-line hits sort
 * lower (any vetoed score is below every clean one), then base + bonus
 * (uncapped), then base.  Two scores are equal only when all fields are.
 *
 * SQL objects backed here: type iscore and its I/O (iscore_in, iscore_out,
 * iscore_recv, iscore_send), iscore(numeric, numeric, integer), base(),
 * bonus(), redlines(), total(iscore, numeric), operators + and *, the
 * comparison operators with btree and hash opclasses (iscore_cmp,
 * iscore_hash, iscore_hash_extended), and the aggregates sum(iscore),
 * avg(iscore), min(iscore) and max(iscore) (iscore_smaller, iscore_larger).
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "common/int.h"
#include "libpq/pqformat.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/numeric.h"

#include "iscore.h"
#include "module.h"


/* ---------------------------------------------------------------------
 * Fixed-point helpers shared with the other concepts
 * --------------------------------------------------------------------- */

void
cents_check(int64 v, const char *what)
{
	if (v > ISCORE_MAX_CENTS || v < -ISCORE_MAX_CENTS)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s out of range", what),
				 errdetail("Points must lie within +/-9999999999999999.99.")));
}

int64
cents_add(int64 a, int64 b, const char *what)
{
	int64		r = a + b;		/* both within range: cannot wrap */

	cents_check(r, what);
	return r;
}

int32
redlines_add(int32 a, int32 b)
{
	int32		r;

	if (pg_add_s32_overflow(a, b, &r))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("red-line count out of range"),
				 errdetail("A score counts at most 2147483647 red-line hits.")));
	return r;
}

void
iscore_accumulate(IScore *acc, const IScore *add)
{
	acc->base = cents_add(acc->base, add->base, "basic points");
	acc->bonus = cents_add(acc->bonus, add->bonus, "bonus points");
	acc->redlines = redlines_add(acc->redlines, add->redlines);
}

void
iscore_validate(const IScore *s)
{
	cents_check(s->base, "basic points");
	cents_check(s->bonus, "bonus points");
	if (s->redlines < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid iscore: negative red-line count %d", s->redlines)));
	if (s->flags != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid iscore: unknown flags %d", s->flags)));
}

int64
iscore_total_cents(const IScore *s, int64 cap)
{
	if (s->redlines > 0)
		return 0;
	return cents_add(s->base, Min(s->bonus, cap), "total points");
}

static Numeric
cents_bound(bool negative)
{
	return int64_to_numeric(negative ? -ISCORE_MAX_CENTS : ISCORE_MAX_CENTS);
}

/*
 * Read a numeric's stored digits directly, without numeric arithmetic or
 * allocation.  The numeric storage format is part of PostgreSQL's on-disk
 * compatibility: a 16-bit header (short form: sign, display scale, 7-bit
 * weight; long form: sign and scale, then a 16-bit weight) followed by
 * base-10000 digits with trailing zeros stripped.  Returns NUMERIC_CENTS_OK
 * and the value in hundredths (any int64), or says why not; never raises, so
 * each caller reports in its own words.  Shared by iscore and portrait.
 */
NumericCentsResult
numeric_datum_cents(Datum d, int64 *out)
{
	struct varlena *v = PG_DETOAST_DATUM_PACKED(d);
	const char *data = VARDATA_ANY(v);
	int			len = VARSIZE_ANY_EXHDR(v);
	NumericCentsResult r = NUMERIC_CENTS_OK;
	uint16		h;
	int			weight = 0;
	bool		negative = false;
	const char *digits = NULL;
	int			ndigits = 0;
	int			i;
	uint128		acc = 0;

	if (len < 2)
		r = NUMERIC_CENTS_INVALID;
	else
	{
		memcpy(&h, data, sizeof(h));
		if ((h & 0xC000) == 0xC000)
			r = NUMERIC_CENTS_SPECIAL;	/* NaN, +/-Infinity */
		else if ((h & 0xC000) == 0x8000)
		{
			negative = (h & 0x2000) != 0;
			weight = (h & 0x0040) ? (int) (~0x003F | (h & 0x003F)) : (int) (h & 0x003F);
			digits = data + 2;
			ndigits = (len - 2) / 2;
		}
		else if (len < 4)
			r = NUMERIC_CENTS_INVALID;
		else
		{
			int16		w;

			negative = (h & 0xC000) == 0x4000;
			memcpy(&w, data + 2, sizeof(w));
			weight = w;
			digits = data + 4;
			ndigits = (len - 4) / 2;
		}
	}
	for (i = 0; r == NUMERIC_CENTS_OK && i < ndigits; i++)
	{
		int16		dg;
		int			e = weight - i;	/* this digit counts 10000^e */

		memcpy(&dg, digits + 2 * i, sizeof(dg));
		if (dg < 0 || dg >= 10000)
			r = NUMERIC_CENTS_INVALID;
		else if (dg == 0)
			continue;
		else if (e > 4)
			r = NUMERIC_CENTS_RANGE;
		else if (e >= 0)
		{
			uint128		place = 100;
			int			k;

			for (k = 0; k < e; k++)
				place *= 10000;
			acc += (uint128) dg * place;
			if (acc > (uint128) PG_INT64_MAX)
				r = NUMERIC_CENTS_RANGE;
		}
		else if (e == -1 && dg % 100 == 0)
			acc += dg / 100;
		else
			r = NUMERIC_CENTS_FINER;
	}
	if (r == NUMERIC_CENTS_OK && acc > (uint128) PG_INT64_MAX)
		r = NUMERIC_CENTS_RANGE;
	if (r == NUMERIC_CENTS_OK)
		*out = negative ? -(int64) acc : (int64) acc;
	if ((Pointer) v != DatumGetPointer(d))
		pfree(v);
	return r;
}

int64
cents_from_datum(Datum d, const char *what)
{
	int64		cents;

	if (numeric_datum_cents(d, &cents) == NUMERIC_CENTS_OK &&
		cents <= ISCORE_MAX_CENTS && cents >= -ISCORE_MAX_CENTS)
		return cents;
	/* anything else: the numeric-arithmetic path decides and reports */
	return numeric_to_cents(DatumGetNumeric(d), what);
}

int64
numeric_to_cents(Numeric n, const char *what)
{
	Numeric		scaled;
	Numeric		whole;

	if (numeric_is_nan(n) || numeric_is_inf(n))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be a finite number", what)));
	scaled = DatumGetNumeric(DirectFunctionCall2(numeric_mul,
												 NumericGetDatum(n),
												 NumericGetDatum(int64_to_numeric(100))));
	whole = DatumGetNumeric(DirectFunctionCall2(numeric_trunc,
												NumericGetDatum(scaled),
												Int32GetDatum(0)));
	if (!DatumGetBool(DirectFunctionCall2(numeric_eq,
										  NumericGetDatum(scaled),
										  NumericGetDatum(whole))))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be exact to 0.01", what),
				 errdetail("Value: %s.",
						   DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(n)))),
				 errhint("Round the points with round(points, 2) if that is what you mean.")));
	if (DatumGetBool(DirectFunctionCall2(numeric_gt, NumericGetDatum(whole),
										 NumericGetDatum(cents_bound(false)))) ||
		DatumGetBool(DirectFunctionCall2(numeric_lt, NumericGetDatum(whole),
										 NumericGetDatum(cents_bound(true)))))
		cents_check(ISCORE_MAX_CENTS + 1, what);	/* raises */
	return DatumGetInt64(DirectFunctionCall1(numeric_int8, NumericGetDatum(whole)));
}

Numeric
cents_to_numeric(int64 v)
{
	return int64_div_fast_to_numeric(v, 2);
}

int64
div_half_even(int128 num, int128 den)
{
	int128		q = num / den;
	int128		r = num % den;
	int128		twice;

	Assert(den > 0);
	if (r < 0)
	{
		/* make the remainder non-negative: floor division */
		q -= 1;
		r += den;
	}
	twice = 2 * r;
	if (twice > den || (twice == den && (q & 1) != 0))
		q += 1;
	if (q > ISCORE_MAX_CENTS || q < -ISCORE_MAX_CENTS)
		cents_check(ISCORE_MAX_CENTS + 1, "points");	/* raises */
	return (int64) q;
}

int64
cents_scale(int64 cents, Numeric weight, const char *what)
{
	Numeric		prod;
	Numeric		fl;
	Numeric		frac;
	Numeric		half = int64_div_fast_to_numeric(5, 1);
	int			c;
	int64		r;

	prod = DatumGetNumeric(DirectFunctionCall2(numeric_mul,
											   NumericGetDatum(int64_to_numeric(cents)),
											   NumericGetDatum(weight)));
	fl = DatumGetNumeric(DirectFunctionCall1(numeric_floor, NumericGetDatum(prod)));
	frac = DatumGetNumeric(DirectFunctionCall2(numeric_sub, NumericGetDatum(prod),
											   NumericGetDatum(fl)));
	if (DatumGetBool(DirectFunctionCall2(numeric_gt, NumericGetDatum(fl),
										 NumericGetDatum(cents_bound(false)))) ||
		DatumGetBool(DirectFunctionCall2(numeric_lt, NumericGetDatum(fl),
										 NumericGetDatum(cents_bound(true)))))
		cents_check(ISCORE_MAX_CENTS + 1, what);	/* raises */
	r = DatumGetInt64(DirectFunctionCall1(numeric_int8, NumericGetDatum(fl)));
	c = DatumGetInt32(DirectFunctionCall2(numeric_cmp, NumericGetDatum(frac),
										  NumericGetDatum(half)));
	if (c > 0 || (c == 0 && (r & 1) != 0))
		r += 1;
	cents_check(r, what);
	return r;
}

/* ---------------------------------------------------------------------
 * Text form: a pure parser that reports, and a thin SQL wrapper that raises
 * --------------------------------------------------------------------- */

typedef enum IScoreParseError
{
	ISP_OK = 0,
	ISP_EMPTY,
	ISP_BASE_DIGITS,
	ISP_DECIMALS,
	ISP_BONUS_SIGN,
	ISP_BONUS_DIGITS,
	ISP_REDLINE_DIGITS,
	ISP_TRAILING,
	ISP_RANGE,
	ISP_REDLINE_RANGE
} IScoreParseError;

static const char *const isp_detail[] = {
	"",
	"The value is empty.",
	"Basic points must start with digits, optionally preceded by \"-\".",
	"Points have at most two decimal places (further digits must be zeros).",
	"Bonus points must follow the basic points with \"+\" or \"-\".",
	"Bonus points must be digits after the sign.",
	"The red-line count after \"!\" must be digits.",
	"Unexpected characters after the score.",
	"Points must lie within +/-9999999999999999.99.",
	"The red-line count must be at most 2147483647."
};

/* parse [-]digits[.digits] into hundredths; *p advanced */
static IScoreParseError
parse_points(const char **p, bool allow_minus, int64 *out)
{
	const char *s = *p;
	bool		neg = false;
	int64		v = 0;
	int			ndigits = 0;

	if (allow_minus && *s == '-')
	{
		neg = true;
		s++;
	}
	while (*s >= '0' && *s <= '9')
	{
		if (v > ISCORE_MAX_CENTS / 10)
			return ISP_RANGE;
		v = v * 10 + (*s - '0');
		if (v > ISCORE_MAX_CENTS / 100)
			return ISP_RANGE;
		s++;
		ndigits++;
	}
	if (ndigits == 0)
		return ISP_BASE_DIGITS;
	v *= 100;
	if (*s == '.')
	{
		int			place = 0;

		s++;
		if (!(*s >= '0' && *s <= '9'))
			return ISP_DECIMALS;
		while (*s >= '0' && *s <= '9')
		{
			if (place == 0)
				v += 10 * (*s - '0');
			else if (place == 1)
				v += (*s - '0');
			else if (*s != '0')
				return ISP_DECIMALS;
			place++;
			s++;
		}
	}
	*out = neg ? -v : v;
	*p = s;
	return ISP_OK;
}

int
iscore_parse(const char *str, IScore *out)
{
	const char *p = str;
	IScoreParseError e;
	bool		bonus_neg;

	memset(out, 0, sizeof(IScore));
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	if (*p == '\0')
		return ISP_EMPTY;
	if ((e = parse_points(&p, true, &out->base)) != ISP_OK)
		return e;
	if (*p != '+' && *p != '-')
		return ISP_BONUS_SIGN;
	bonus_neg = (*p == '-');
	p++;
	if ((e = parse_points(&p, false, &out->bonus)) != ISP_OK)
		return e == ISP_BASE_DIGITS ? ISP_BONUS_DIGITS : e;
	if (bonus_neg)
		out->bonus = -out->bonus;
	if (*p == '!')
	{
		int64		r = 0;
		int			n = 0;

		p++;
		while (*p >= '0' && *p <= '9')
		{
			r = r * 10 + (*p - '0');
			if (r > PG_INT32_MAX)
				return ISP_REDLINE_RANGE;
			p++;
			n++;
		}
		if (n == 0)
			return ISP_REDLINE_DIGITS;
		out->redlines = (int32) r;
	}
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	if (*p != '\0')
		return ISP_TRAILING;
	return ISP_OK;
}

PG_FUNCTION_INFO_V1(iscore_in);
Datum
iscore_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	IScore	   *s = palloc(sizeof(IScore));
	IScoreParseError e = (IScoreParseError) iscore_parse(str, s);

	if (e == ISP_RANGE || e == ISP_REDLINE_RANGE)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("value out of range for type iscore: \"%s\"", str),
				 errdetail("%s", isp_detail[e])));
	if (e != ISP_OK)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type iscore: \"%s\"", str),
				 errdetail("%s", isp_detail[e]),
				 errhint("Write basic+bonus points with up to two decimals and an optional \"!\" and red-line count, e.g. \"80.50+3.00\" or \"80.50+3.00!1\".")));
	PG_RETURN_ISCORE_P(s);
}

static void
append_cents(StringInfo buf, int64 v, bool with_sign)
{
	uint64		a = v < 0 ? (uint64) (-v) : (uint64) v;

	if (with_sign)
		appendStringInfoChar(buf, v < 0 ? '-' : '+');
	else if (v < 0)
		appendStringInfoChar(buf, '-');
	appendStringInfo(buf, UINT64_FORMAT ".%02d", a / 100, (int) (a % 100));
}

void
iscore_append(StringInfo buf, const IScore *s)
{
	append_cents(buf, s->base, false);
	append_cents(buf, s->bonus, true);
	if (s->redlines != 0)
		appendStringInfo(buf, "!%d", s->redlines);
}

PG_FUNCTION_INFO_V1(iscore_out);
Datum
iscore_out(PG_FUNCTION_ARGS)
{
	StringInfoData buf;

	initStringInfo(&buf);
	iscore_append(&buf, PG_GETARG_ISCORE_P(0));
	PG_RETURN_CSTRING(buf.data);
}

/*
 * Binary form: a format byte (1), then base and bonus as int8 and the
 * red-line count as int4, network byte order.
 */
#define ISCORE_BINARY_FORMAT 1

PG_FUNCTION_INFO_V1(iscore_recv);
Datum
iscore_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	IScore	   *s = palloc0(sizeof(IScore));
	int			fmt;

	integrity_recv_need(buf, 1, "iscore");
	fmt = pq_getmsgbyte(buf);
	if (fmt != ISCORE_BINARY_FORMAT)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary iscore: unknown format %d", fmt),
				 errdetail("This version reads format %d.", ISCORE_BINARY_FORMAT)));
	integrity_recv_need(buf, 8 + 8 + 4, "iscore");
	s->base = pq_getmsgint64(buf);
	s->bonus = pq_getmsgint64(buf);
	s->redlines = (int32) pq_getmsgint(buf, 4);
	iscore_validate(s);
	PG_RETURN_ISCORE_P(s);
}

PG_FUNCTION_INFO_V1(iscore_send);
Datum
iscore_send(PG_FUNCTION_ARGS)
{
	IScore	   *s = PG_GETARG_ISCORE_P(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, ISCORE_BINARY_FORMAT);
	pq_sendint64(&buf, s->base);
	pq_sendint64(&buf, s->bonus);
	pq_sendint32(&buf, s->redlines);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* ---------------------------------------------------------------------
 * Constructor and accessors
 * --------------------------------------------------------------------- */

PG_FUNCTION_INFO_V1(iscore_make);
Datum
iscore_make(PG_FUNCTION_ARGS)
{
	IScore	   *s = palloc0(sizeof(IScore));
	int32		r = PG_GETARG_INT32(2);

	s->base = cents_from_datum(PG_GETARG_DATUM(0), "basic points");
	s->bonus = cents_from_datum(PG_GETARG_DATUM(1), "bonus points");
	if (r < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("red-line count must not be negative"),
				 errdetail("Got %d.", r)));
	s->redlines = r;
	PG_RETURN_ISCORE_P(s);
}

PG_FUNCTION_INFO_V1(iscore_base);
Datum
iscore_base(PG_FUNCTION_ARGS)
{
	PG_RETURN_NUMERIC(cents_to_numeric(PG_GETARG_ISCORE_P(0)->base));
}

PG_FUNCTION_INFO_V1(iscore_bonus);
Datum
iscore_bonus(PG_FUNCTION_ARGS)
{
	PG_RETURN_NUMERIC(cents_to_numeric(PG_GETARG_ISCORE_P(0)->bonus));
}

PG_FUNCTION_INFO_V1(iscore_redlines);
Datum
iscore_redlines(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(PG_GETARG_ISCORE_P(0)->redlines);
}

PG_FUNCTION_INFO_V1(iscore_total);
Datum
iscore_total(PG_FUNCTION_ARGS)
{
	IScore	   *s = PG_GETARG_ISCORE_P(0);
	int64		cap = numeric_to_cents(PG_GETARG_NUMERIC(1), "bonus cap");

	if (cap < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("bonus cap must not be negative")));
	PG_RETURN_NUMERIC(cents_to_numeric(iscore_total_cents(s, cap)));
}

/* ---------------------------------------------------------------------
 * Arithmetic
 * --------------------------------------------------------------------- */

PG_FUNCTION_INFO_V1(iscore_plus);
Datum
iscore_plus(PG_FUNCTION_ARGS)
{
	IScore	   *r = palloc(sizeof(IScore));

	*r = *PG_GETARG_ISCORE_P(0);
	iscore_accumulate(r, PG_GETARG_ISCORE_P(1));
	PG_RETURN_ISCORE_P(r);
}

static IScore *
iscore_scale(const IScore *s, Numeric w)
{
	IScore	   *r = palloc0(sizeof(IScore));

	if (numeric_is_nan(w) || numeric_is_inf(w))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("weight must be a finite number")));
	if (DatumGetBool(DirectFunctionCall2(numeric_lt, NumericGetDatum(w),
										 NumericGetDatum(int64_to_numeric(0)))))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("weight must not be negative"),
				 errhint("A red-line hit survives any weight; a negative weight would turn points into deductions.")));
	r->base = cents_scale(s->base, w, "basic points");
	r->bonus = cents_scale(s->bonus, w, "bonus points");
	r->redlines = s->redlines;
	return r;
}

PG_FUNCTION_INFO_V1(iscore_mul);
Datum
iscore_mul(PG_FUNCTION_ARGS)
{
	PG_RETURN_ISCORE_P(iscore_scale(PG_GETARG_ISCORE_P(0), PG_GETARG_NUMERIC(1)));
}

PG_FUNCTION_INFO_V1(iscore_mul_commuted);
Datum
iscore_mul_commuted(PG_FUNCTION_ARGS)
{
	PG_RETURN_ISCORE_P(iscore_scale(PG_GETARG_ISCORE_P(1), PG_GETARG_NUMERIC(0)));
}

/* ---------------------------------------------------------------------
 * Comparison and hashing
 * --------------------------------------------------------------------- */

static int
iscore_compare(const IScore *a, const IScore *b)
{
	int64		sa,
				sb;

	if (a->redlines != b->redlines)
		return a->redlines > b->redlines ? -1 : 1;
	sa = a->base + a->bonus;	/* within range: cannot wrap */
	sb = b->base + b->bonus;
	if (sa != sb)
		return sa < sb ? -1 : 1;
	if (a->base != b->base)
		return a->base < b->base ? -1 : 1;
	return 0;
}

PG_FUNCTION_INFO_V1(iscore_cmp);
Datum
iscore_cmp(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(iscore_compare(PG_GETARG_ISCORE_P(0), PG_GETARG_ISCORE_P(1)));
}

#define ISCORE_CMP_FN(name, op) \
PG_FUNCTION_INFO_V1(name); \
Datum \
name(PG_FUNCTION_ARGS) \
{ \
	PG_RETURN_BOOL(iscore_compare(PG_GETARG_ISCORE_P(0), PG_GETARG_ISCORE_P(1)) op 0); \
}

ISCORE_CMP_FN(iscore_eq, ==)
ISCORE_CMP_FN(iscore_ne, !=)
ISCORE_CMP_FN(iscore_lt, <)
ISCORE_CMP_FN(iscore_le, <=)
ISCORE_CMP_FN(iscore_gt, >)
ISCORE_CMP_FN(iscore_ge, >=)

/*
 * Hashing.  Release 1.0 hashed a fixed little-endian encoding of the three
 * fields (base, bonus: 8 bytes each, red-line count: 4 bytes) with
 * PostgreSQL's hash_bytes().  hash_bytes() reads its input as 32-bit words
 * in the machine's byte order, so the same 20 bytes hashed differently on a
 * big-endian machine.  Hash indexes and hash partitions built by 1.0 on
 * little-endian machines must keep their values, so this computes exactly
 * those values, on every platform: the 20 bytes read as little-endian words
 * are the low and high halves of base, of bonus, and the red-line count,
 * and these five words go through the same mixing steps (Bob Jenkins'
 * lookup3, as PostgreSQL's hashfn.c uses it for a 20-byte key) as integer
 * arithmetic, without reading memory in the machine's byte order.
 * sql/iscore.sql pins values computed by 1.0 on x86-64.
 */
static inline uint32
hrot(uint32 x, int k)
{
	return (x << k) | (x >> (32 - k));
}

#define HASH_MIX(a, b, c) \
	do { \
		a -= c; a ^= hrot(c, 4); c += b; \
		b -= a; b ^= hrot(a, 6); a += c; \
		c -= b; c ^= hrot(b, 8); b += a; \
		a -= c; a ^= hrot(c, 16); c += b; \
		b -= a; b ^= hrot(a, 19); a += c; \
		c -= b; c ^= hrot(b, 4); b += a; \
	} while (0)

#define HASH_FINAL(a, b, c) \
	do { \
		c ^= b; c -= hrot(b, 14); \
		a ^= c; a -= hrot(c, 11); \
		b ^= a; b -= hrot(a, 25); \
		c ^= b; c -= hrot(b, 16); \
		a ^= c; a -= hrot(c, 4); \
		b ^= a; b -= hrot(a, 14); \
		c ^= b; c -= hrot(b, 24); \
	} while (0)

/* the 64-bit hash (b << 32 | c) of a score; seed 0 = unseeded */
static uint64
iscore_hash64(const IScore *s, uint64 seed)
{
	uint64		base = (uint64) s->base;
	uint64		bonus = (uint64) s->bonus;
	uint32		a,
				b,
				c;

	a = b = c = 0x9e3779b9 + 20 + 3923095;	/* key length 20 bytes */
	if (seed != 0)
	{
		a += (uint32) (seed >> 32);
		b += (uint32) seed;
		HASH_MIX(a, b, c);
	}
	/* bytes 0-11 */
	a += (uint32) base;
	b += (uint32) (base >> 32);
	c += (uint32) bonus;
	HASH_MIX(a, b, c);
	/* bytes 12-19 */
	a += (uint32) (bonus >> 32);
	b += (uint32) s->redlines;
	HASH_FINAL(a, b, c);
	return ((uint64) b << 32) | c;
}

PG_FUNCTION_INFO_V1(iscore_hash);
Datum
iscore_hash(PG_FUNCTION_ARGS)
{
	PG_RETURN_UINT32((uint32) iscore_hash64(PG_GETARG_ISCORE_P(0), 0));
}

PG_FUNCTION_INFO_V1(iscore_hash_extended);
Datum
iscore_hash_extended(PG_FUNCTION_ARGS)
{
	PG_RETURN_UINT64(iscore_hash64(PG_GETARG_ISCORE_P(0), (uint64) PG_GETARG_INT64(1)));
}

/* min(iscore) and max(iscore): the lesser / greater of two scores in the
 * btree order; the argument itself is returned, as numeric_smaller does. */
PG_FUNCTION_INFO_V1(iscore_smaller);
Datum
iscore_smaller(PG_FUNCTION_ARGS)
{
	IScore	   *a = PG_GETARG_ISCORE_P(0);
	IScore	   *b = PG_GETARG_ISCORE_P(1);

	PG_RETURN_ISCORE_P(iscore_compare(a, b) <= 0 ? a : b);
}

PG_FUNCTION_INFO_V1(iscore_larger);
Datum
iscore_larger(PG_FUNCTION_ARGS)
{
	IScore	   *a = PG_GETARG_ISCORE_P(0);
	IScore	   *b = PG_GETARG_ISCORE_P(1);

	PG_RETURN_ISCORE_P(iscore_compare(a, b) >= 0 ? a : b);
}

/* ---------------------------------------------------------------------
 * sum(iscore): the state is an iscore, summed in place
 * --------------------------------------------------------------------- */

PG_FUNCTION_INFO_V1(iscore_sum_accum);
Datum
iscore_sum_accum(PG_FUNCTION_ARGS)
{
	IScore	   *state;

	/* strict with a NULL initial value: the first input was copied in */
	if (AggCheckCallContext(fcinfo, NULL))
		state = PG_GETARG_ISCORE_P(0);
	else
	{
		state = palloc(sizeof(IScore));
		*state = *PG_GETARG_ISCORE_P(0);
	}
	iscore_accumulate(state, PG_GETARG_ISCORE_P(1));
	PG_RETURN_ISCORE_P(state);
}

/* ---------------------------------------------------------------------
 * avg(iscore): the state is a bigint[]
 *
 *   {rows, base_lo, bonus_lo, redlines, base_hi, bonus_hi}
 *
 * where the exact sums are base = base_hi * 10^18 + base_lo (and the same
 * for bonus), |*_lo| < 10^18 with the sign of the sum.  The sums of many
 * scores exceed an int64 of hundredths although their average is a valid
 * score, so they are kept as int128.  A sum within the range of one score
 * has *_hi = 0, and the state is then written as the first four elements
 * only, release 1.0's state {rows, base, bonus, redlines} (INITCOND
 * '{0,0,0,0}'); it grows to six elements when a sum needs them.
 *
 * Every function checks the state it is given (these functions are
 * callable from SQL with any array): counts in range, |sum| <= rows * the
 * largest score, nothing without rows.
 * --------------------------------------------------------------------- */

#define AVG_STATE_LEN_1_0 4
#define AVG_STATE_LEN 6
#define AVG_SPLIT INT64CONST(1000000000000000000)	/* 10^18 */

typedef struct AvgState
{
	int64		rows;
	int128		base;
	int128		bonus;
	int64		redlines;
} AvgState;

static void
avg_state_invalid(const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid avg(iscore) state"),
			 errdetail("%s", detail)));
}

static int128
avg_state_join(int64 hi, int64 lo)
{
	if (lo <= -AVG_SPLIT || lo >= AVG_SPLIT || (hi > 0 && lo < 0) || (hi < 0 && lo > 0))
		avg_state_invalid("A sum's low part must lie within +/-(10^18 - 1) with the sign of the sum.");
	return (int128) hi * AVG_SPLIT + lo;
}

/* read and check a state of either layout */
static void
avg_state_read(ArrayType *a, AvgState *st)
{
	int			n;
	const int64 *v;
	int128		bound;

	if (ARR_NDIM(a) != 1 || ARR_HASNULL(a) || ARR_ELEMTYPE(a) != INT8OID ||
		ARR_LBOUND(a)[0] != 1 ||
		(ARR_DIMS(a)[0] != AVG_STATE_LEN && ARR_DIMS(a)[0] != AVG_STATE_LEN_1_0))
		avg_state_invalid("Expected a bigint array of 6 (or 4) non-null elements.");
	n = ARR_DIMS(a)[0];
	v = (const int64 *) ARR_DATA_PTR(a);
	st->rows = v[0];
	st->redlines = v[3];
	if (n == AVG_STATE_LEN)
	{
		st->base = avg_state_join(v[4], v[1]);
		st->bonus = avg_state_join(v[5], v[2]);
	}
	else
	{
		st->base = v[1];
		st->bonus = v[2];
	}
	if (st->rows < 0)
		avg_state_invalid("The row count must not be negative.");
	if (st->redlines < 0 || st->redlines > PG_INT32_MAX)
		avg_state_invalid("The red-line count must lie within 0..2147483647.");
	bound = (int128) st->rows * ISCORE_MAX_CENTS;
	if (st->base > bound || st->base < -bound || st->bonus > bound || st->bonus < -bound)
		avg_state_invalid("A sum of points exceeds the row count times the largest score.");
	if (st->rows == 0 && st->redlines != 0)
		avg_state_invalid("A state without rows has no red-line hits.");
}

/*
 * The state as an array: the argument itself, updated in place, inside an
 * aggregate when it has room; a new array otherwise.  The four-element form
 * is kept while both sums fit in it (a smaller state per group in hash
 * aggregation); the six-element form once either does not, or once given.
 */
static Datum
avg_state_write(FunctionCallInfo fcinfo, ArrayType *a, const AvgState *st)
{
	int64		v[AVG_STATE_LEN];
	int			have = ARR_DIMS(a)[0];
	int			n;

	v[0] = st->rows;
	v[1] = (int64) (st->base % AVG_SPLIT);
	v[2] = (int64) (st->bonus % AVG_SPLIT);
	v[3] = st->redlines;
	v[4] = (int64) (st->base / AVG_SPLIT);
	v[5] = (int64) (st->bonus / AVG_SPLIT);
	n = (v[4] != 0 || v[5] != 0 || have == AVG_STATE_LEN) ? AVG_STATE_LEN : AVG_STATE_LEN_1_0;
	if (n == have && AggCheckCallContext(fcinfo, NULL))
	{
		memcpy(ARR_DATA_PTR(a), v, n * sizeof(int64));
		PG_RETURN_ARRAYTYPE_P(a);
	}
	else
	{
		Datum		d[AVG_STATE_LEN];
		int			i;

		for (i = 0; i < n; i++)
			d[i] = Int64GetDatum(v[i]);
		PG_RETURN_ARRAYTYPE_P(construct_array(d, n, INT8OID, sizeof(int64),
											  FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
	}
}

static void
avg_state_add(AvgState *st, int64 rows, int128 base, int128 bonus, int64 redlines)
{
	if (pg_add_s64_overflow(st->rows, rows, &st->rows))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("row count out of range"),
				 errdetail("An avg(iscore) state counts at most 9223372036854775807 rows.")));
	/* |sums| <= rows * ISCORE_MAX_CENTS < 2^123: int128 cannot wrap */
	st->base += base;
	st->bonus += bonus;
	st->redlines = redlines_add((int32) st->redlines, (int32) redlines);
}

PG_FUNCTION_INFO_V1(iscore_avg_accum);
Datum
iscore_avg_accum(PG_FUNCTION_ARGS)
{
	ArrayType  *a = PG_GETARG_ARRAYTYPE_P(0);
	const IScore *s;
	AvgState	st;

	avg_state_read(a, &st);
	if (PG_ARGISNULL(1))		/* declared STRICT; kept for direct calls */
		PG_RETURN_ARRAYTYPE_P(a);
	s = PG_GETARG_ISCORE_P(1);
	iscore_validate(s);
	avg_state_add(&st, 1, s->base, s->bonus, s->redlines);
	return avg_state_write(fcinfo, a, &st);
}

PG_FUNCTION_INFO_V1(iscore_avg_combine);
Datum
iscore_avg_combine(PG_FUNCTION_ARGS)
{
	ArrayType  *a = PG_GETARG_ARRAYTYPE_P(0);
	AvgState	st,
				add;

	avg_state_read(a, &st);
	avg_state_read(PG_GETARG_ARRAYTYPE_P(1), &add);
	avg_state_add(&st, add.rows, add.base, add.bonus, add.redlines);
	return avg_state_write(fcinfo, a, &st);
}

PG_FUNCTION_INFO_V1(iscore_avg_final);
Datum
iscore_avg_final(PG_FUNCTION_ARGS)
{
	AvgState	st;
	IScore	   *r;

	avg_state_read(PG_GETARG_ARRAYTYPE_P(0), &st);
	if (st.rows == 0)
		PG_RETURN_NULL();
	r = palloc0(sizeof(IScore));
	r->base = div_half_even(st.base, st.rows);
	r->bonus = div_half_even(st.bonus, st.rows);
	r->redlines = (int32) st.redlines;
	PG_RETURN_ISCORE_P(r);
}
