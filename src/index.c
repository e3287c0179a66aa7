/*
 * index.c — the clean-finance index (清廉金融指数): the aggregate
 * integrity_index (transition, combine and final functions) and the
 * assessors' variance, in C.
 *
 * The method is written out in src/index.sql and README.md ("The index");
 * this file does the same arithmetic as those numeric operations in the
 * same order, so every digit (and every display scale) of the state and of
 * the results is what the SQL definition gives.  The state stays numeric[9]
 * (text round-trips exactly; parallel workers and shards move it as text):
 *
 *   1 sum of weights         2 sum of weight * total     3 sum of weight^2 * variance
 *   4 institutions counted   5 excluded                  6 without a variance
 *   7 full_marks + bonus_cap 8 red-line rule (0 zero, 1 exclude)   9 bonus cap
 *
 * How it is cheap per row:
 *   - every sum is held as a Val, an exact scaled integer (int128 and a
 *     display scale) that adds and multiplies as numeric_add and
 *     numeric_mul do, with numeric itself as the fallback past 128 bits;
 *     score_variance's division is numeric_div's, in integers when it fits;
 *   - inside an aggregate the array is rewritten in place, in a datum of a
 *     power-of-two size with a mark in its spare room (checked: no second
 *     validation, no copy by the executor);
 *   - while index_final is the state's only reader, the state is kept in a
 *     running form, its nine sums as int64 behind an empty array header
 *     (see state_running_ok for when that holds).
 * Every function that takes a state validates it (state_read).
 *
 * SQL objects backed here: round_half_even(numeric, integer),
 * score_variance(assessment, scheme), the transition functions index_step, index_accum_assessment,
 * index_accum_assessment1, index_accum_score, index_accum_score1, and
 * index_combine, index_final.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_aggregate.h"
#include "catalog/pg_type.h"
#include "executor/executor.h"
#include "executor/nodeAgg.h"
#include "common/int.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/numeric.h"
#include "utils/syscache.h"

#include "iscore.h"
#include "assessment.h"
#include "scheme.h"

#define INDEX_STATE_LEN 9

/* declared here: the running form of the state is read by it alone */
PG_FUNCTION_INFO_V1(index_final);

/* numeric shorthands; each is exactly the SQL operator of the same name */
#define NADD(a, b)	DirectFunctionCall2(numeric_add, (a), (b))
#define NSUB(a, b)	DirectFunctionCall2(numeric_sub, (a), (b))
#define NMUL(a, b)	DirectFunctionCall2(numeric_mul, (a), (b))
#define NDIV(a, b)	DirectFunctionCall2(numeric_div, (a), (b))
#define NCMP(a, b)	DatumGetInt32(DirectFunctionCall2(numeric_cmp, (a), (b)))
#define NINT(i)		NumericGetDatum(int64_to_numeric(i))

/* ---------------------------------------------------------------------
 * Exact numerics as scaled integers
 *
 * A state element is a numeric; the transition, combine and final
 * functions read it as a Val: an int128 v and a display scale d meaning
 * v / 10^d, exactly as the numeric holds it, or (when it does not fit) the
 * numeric itself.  Val arithmetic is numeric arithmetic: a sum has the
 * larger display scale of its terms, a product the sum of theirs (what
 * numeric_add and numeric_mul give); on int128 overflow it falls back to
 * numeric_add / numeric_mul.  Writing a Val back builds the very numeric
 * (value, display scale, storage form) those functions would build.
 * --------------------------------------------------------------------- */

typedef struct Val
{
	bool		isnum;			/* held as a numeric Datum (num) */
	int			dscale;
	int128		v;
	Datum		num;
} Val;

#define NUMERIC_DEC_DIGITS 4
#define NUMERIC_NBASE 10000

static const int128 *
pow10_128(void)
{
	static int128 p[39];

	if (p[0] == 0)
	{
		p[0] = 1;
		for (int i = 1; i < 39; i++)
			p[i] = p[i - 1] * 10;
	}
	return p;
}

static void
val_int(Val *r, int128 v, int dscale)
{
	r->isnum = false;
	r->v = v;
	r->dscale = dscale;
	r->num = (Datum) 0;
}

/* read a numeric's digits (see numeric_datum_cents in iscore.c) */
static void
val_from_datum(Val *r, Datum d)
{
	struct varlena *vl = (struct varlena *) DatumGetPointer(d);
	const char *data;
	int			len;
	uint16		h;
	int			weight;
	int			dscale;
	bool		negative;
	const char *digits;
	int			ndigits;
	int128		acc = 0;
	int			last;

	r->isnum = true;
	r->num = d;
	r->dscale = 0;
	r->v = 0;
	if (VARATT_IS_EXTENDED(vl) && !VARATT_IS_SHORT(vl))
		return;					/* toasted: numeric path */
	data = VARDATA_ANY(vl);
	len = VARSIZE_ANY_EXHDR(vl);
	if (len < 2)
		return;
	memcpy(&h, data, sizeof(h));
	if ((h & 0xC000) == 0xC000)
		return;					/* NaN, +/-Infinity */
	if ((h & 0xC000) == 0x8000)
	{
		negative = (h & 0x2000) != 0;
		dscale = (h & 0x1F80) >> 7;
		weight = (h & 0x0040) ? (int) (~0x003F | (h & 0x003F)) : (int) (h & 0x003F);
		digits = data + 2;
		ndigits = (len - 2) / 2;
	}
	else
	{
		int16		w;

		if (len < 4)
			return;
		negative = (h & 0xC000) == 0x4000;
		dscale = h & 0x3FFF;
		memcpy(&w, data + 2, sizeof(w));
		weight = w;
		digits = data + 4;
		ndigits = (len - 4) / 2;
	}
	if (dscale > 36)
		return;
	/* the value times 10000^(fraction groups): digits up to 10000^-last */
	last = (dscale + NUMERIC_DEC_DIGITS - 1) / NUMERIC_DEC_DIGITS;
	if (ndigits > 0 && weight - (ndigits - 1) < -last)
		return;					/* digits beyond the display scale */
	/* small values (the common case) in 64 bits, the rest in 128 */
	{
		uint64		a64 = 0;
		int			e = weight - ndigits + 1;
		int			pad = last * NUMERIC_DEC_DIGITS - dscale;
		bool		small = ndigits + (e + last) <= 4;	/* at most 16 digits */

		if (small)
		{
			for (int i = 0; i < ndigits; i++)
			{
				int16		dg;

				memcpy(&dg, digits + 2 * i, sizeof(dg));
				if (dg < 0 || dg >= NUMERIC_NBASE)
					return;
				a64 = a64 * NUMERIC_NBASE + dg;
			}
			for (; e > -last; e--)
				a64 *= NUMERIC_NBASE;
			if (pad > 0)
			{
				uint64		f = (uint64) pow10_128()[pad];

				if (a64 % f != 0)
					return;
				a64 /= f;
			}
			val_int(r, negative ? -(int128) a64 : (int128) a64, dscale);
			return;
		}
	}
	for (int i = 0; i < ndigits; i++)
	{
		int16		dg;

		memcpy(&dg, digits + 2 * i, sizeof(dg));
		if (dg < 0 || dg >= NUMERIC_NBASE)
			return;
		if (__builtin_mul_overflow(acc, (int128) NUMERIC_NBASE, &acc) ||
			__builtin_add_overflow(acc, (int128) dg, &acc))
			return;
	}
	/* acc counts 10000^(weight - ndigits + 1); bring it to 10000^-last */
	for (int e = weight - ndigits + 1; e > -last; e--)
		if (__builtin_mul_overflow(acc, (int128) NUMERIC_NBASE, &acc))
			return;
	/* then to 10^-dscale: drop the padding digits of the last group */
	{
		int			pad = last * NUMERIC_DEC_DIGITS - dscale;
		int128		f = pow10_128()[pad];

		if (acc % f != 0)
			return;
		acc /= f;
	}
	val_int(r, negative ? -acc : acc, dscale);
}

/* write the numeric of an integer Val at dst (room for 64 bytes); its size */
static Size
val_encode(const Val *a, char *res)
{
	int128		v;
	uint128		mag;
	int			pad;
	int16 dg[12];
	int			n = 0;
	int			weight;
	int			fracgroups;
	Size		len;
	uint16		h;

	Assert(!a->isnum);
	v = a->v;
	mag = v < 0 ? -(uint128) v : (uint128) v;
	fracgroups = (a->dscale + NUMERIC_DEC_DIGITS - 1) / NUMERIC_DEC_DIGITS;
	pad = fracgroups * NUMERIC_DEC_DIGITS - a->dscale;
	if (mag <= PG_UINT64_MAX / 1000 && a->dscale <= 0x3F)
	{
		/* the common case: 64-bit digits, short form (make_result's layout) */
		uint64		m = (uint64) mag * (uint64) pow10_128()[pad];
		int16		g[8];
		int			k = 0,
					lo = 0;

		while (m > 0)
		{
			g[k++] = (int16) (m % NUMERIC_NBASE);
			m /= NUMERIC_NBASE;
		}
		while (lo < k && g[lo] == 0)
			lo++;				/* trailing zero groups */
		weight = k - fracgroups - 1;
		if (k == lo)
			weight = 0;
		if (weight <= 0x3F && weight >= -0x40)
		{
			n = k - lo;
			len = VARHDRSZ + sizeof(uint16) + n * sizeof(int16);
			SET_VARSIZE(res, len);
			h = 0x8000 | (n > 0 && v < 0 ? 0x2000 : 0) | (a->dscale << 7) |
				(weight < 0 ? 0x0040 : 0) | (weight & 0x003F);
			memcpy(res + VARHDRSZ, &h, sizeof(h));
			for (int i = 0; i < n; i++)
				memcpy(res + VARHDRSZ + sizeof(uint16) + i * sizeof(int16), &g[k - 1 - i], sizeof(int16));
			return len;
		}
	}
	/* align the decimal point to a digit group; split in base 10000 */
	{
		uint128		hi = mag,
					lo_groups[12];
		int			k = 0;

		/* multiply by 10^pad without overflow: split off groups first */
		if (pad > 0)
		{
			uint128		f = (uint128) pow10_128()[NUMERIC_DEC_DIGITS - pad];
			uint128		g = (uint128) pow10_128()[pad];

			/* lowest group: (mag mod f) * g; the rest: mag / f */
			if (hi <= PG_UINT64_MAX)
			{
				lo_groups[k++] = ((uint64) hi % (uint64) f) * (uint64) g;
				hi = (uint64) hi / (uint64) f;
			}
			else
			{
				lo_groups[k++] = (hi % f) * g;
				hi /= f;
			}
		}
		while (hi > PG_UINT64_MAX)
		{
			/* sixteen digits at a time: one 128-bit division, then 64-bit */
			uint64		chunk = (uint64) (hi % (uint128) UINT64CONST(10000000000000000));

			hi /= (uint128) UINT64CONST(10000000000000000);
			for (int j = 0; j < 4; j++)
			{
				lo_groups[k++] = chunk % NUMERIC_NBASE;
				chunk /= NUMERIC_NBASE;
			}
		}
		{
			uint64		h64 = (uint64) hi;

			while (h64 > 0)
			{
				lo_groups[k++] = h64 % NUMERIC_NBASE;
				h64 /= NUMERIC_NBASE;
			}
		}
		/* lo_groups[0] is the least significant group */
		for (int i = k - 1; i >= 0; i--)
			dg[n++] = (int16) lo_groups[i];
		weight = k - fracgroups - 1;
	}
	/* strip leading and trailing zero groups, as make_result does */
	{
		int			first = 0;

		while (first < n && dg[first] == 0)
			first++, weight--;
		while (n > first && dg[n - 1] == 0)
			n--;
		n -= first;
		memmove(dg, dg + first, n * sizeof(int16));
	}
	if (n == 0)
	{
		weight = 0;
		v = 0;
	}
	if (a->dscale <= 0x3F && weight <= 0x3F && weight >= -0x40)
	{
		len = VARHDRSZ + sizeof(uint16) + n * sizeof(int16);
		SET_VARSIZE(res, len);
		h = 0x8000 | (v < 0 ? 0x2000 : 0) | (a->dscale << 7) |
			(weight < 0 ? 0x0040 : 0) | (weight & 0x003F);
		memcpy(res + VARHDRSZ, &h, sizeof(h));
		memcpy(res + VARHDRSZ + sizeof(uint16), dg, n * sizeof(int16));
	}
	else
	{
		int16		w = (int16) weight;

		len = VARHDRSZ + 2 * sizeof(uint16) + n * sizeof(int16);
		SET_VARSIZE(res, len);
		h = (v < 0 ? 0x4000 : 0) | (a->dscale & 0x3FFF);
		memcpy(res + VARHDRSZ, &h, sizeof(h));
		memcpy(res + VARHDRSZ + sizeof(uint16), &w, sizeof(w));
		memcpy(res + VARHDRSZ + 2 * sizeof(uint16), dg, n * sizeof(int16));
	}
	return len;
}

/* the numeric a Val stands for */
static Datum
val_numeric(const Val *a)
{
	char		tmp[64];
	Size		len;
	char	   *res;

	if (a->isnum)
		return a->num;
	len = val_encode(a, tmp);
	res = palloc(len);
	memcpy(res, tmp, len);
	return PointerGetDatum(res);
}

static void
val_set_num(Val *r, Datum d)
{
	r->isnum = true;
	r->num = d;
	r->dscale = 0;
	r->v = 0;
}

/* a.v scaled to display scale d (>= a.dscale); false on overflow */
static bool
val_rescale(const Val *a, int d, int128 *out)
{
	if (d - a->dscale > 38)
		return false;
	return !__builtin_mul_overflow(a->v, pow10_128()[d - a->dscale], out);
}

/* a and b are the same integer Val (a quick, partial equality) */
static inline bool
val_same(const Val *a, const Val *b)
{
	return !a->isnum && !b->isnum && a->v == b->v && a->dscale == b->dscale;
}

/* r := a + b (numeric_add) */
static void
val_add(Val *r, const Val *a, const Val *b)
{
	if (!a->isnum && !b->isnum && a->dscale == b->dscale)
	{
		int128		z;

		if (!__builtin_add_overflow(a->v, b->v, &z))
		{
			val_int(r, z, a->dscale);
			return;
		}
	}
	if (!a->isnum && !b->isnum)
	{
		int			d = Max(a->dscale, b->dscale);
		int128		x,
					y,
					z;

		if (val_rescale(a, d, &x) && val_rescale(b, d, &y) &&
			!__builtin_add_overflow(x, y, &z))
		{
			val_int(r, z, d);
			return;
		}
	}
	val_set_num(r, DirectFunctionCall2(numeric_add, val_numeric(a), val_numeric(b)));
}

/* r := a * b (numeric_mul) */
static void
val_mul(Val *r, const Val *a, const Val *b)
{
	int128		z;

	if (!a->isnum && !b->isnum && a->dscale + b->dscale <= 38 &&
		!__builtin_mul_overflow(a->v, b->v, &z))
	{
		val_int(r, z, a->dscale + b->dscale);
		return;
	}
	val_set_num(r, DirectFunctionCall2(numeric_mul, val_numeric(a), val_numeric(b)));
}

/* numeric_cmp */
static int
val_cmp(const Val *a, const Val *b)
{
	if (!a->isnum && !b->isnum)
	{
		int			d = Max(a->dscale, b->dscale);
		int128		x,
					y;

		if (val_rescale(a, d, &x) && val_rescale(b, d, &y))
			return x < y ? -1 : x > y ? 1 : 0;
	}
	return DatumGetInt32(DirectFunctionCall2(numeric_cmp, val_numeric(a), val_numeric(b)));
}

static bool
val_is_integer(const Val *a)
{
	if (!a->isnum)
		return a->v % pow10_128()[a->dscale] == 0;
	if (numeric_is_nan(DatumGetNumeric(a->num)) || numeric_is_inf(DatumGetNumeric(a->num)))
		return false;
	return DatumGetInt32(DirectFunctionCall2(numeric_cmp, a->num,
											 DirectFunctionCall2(numeric_trunc, a->num,
																 Int32GetDatum(0)))) == 0;
}

static bool
val_is_finite(const Val *a)
{
	return !a->isnum ||
		!(numeric_is_nan(DatumGetNumeric(a->num)) || numeric_is_inf(DatumGetNumeric(a->num)));
}

/* the weight and first base-10000 digit of an integer Val, as numeric holds it */
static void
val_first_digit(const Val *a, int *weight, int *first)
{
	char		tmp[64];
	uint16		h;
	int16		dg;
	Size		len = val_encode(a, tmp);

	memcpy(&h, tmp + VARHDRSZ, sizeof(h));
	if (len <= VARHDRSZ + sizeof(uint16))
	{
		*weight = 0;			/* zero: no digits */
		*first = 0;
		return;
	}
	/* val_encode writes the short form whenever the weight allows */
	if ((h & 0xC000) == 0x8000)
	{
		*weight = (h & 0x0040) ? (int) (~0x003F | (h & 0x003F)) : (int) (h & 0x003F);
		memcpy(&dg, tmp + VARHDRSZ + sizeof(uint16), sizeof(dg));
	}
	else
	{
		int16		w;

		memcpy(&w, tmp + VARHDRSZ + sizeof(uint16), sizeof(w));
		*weight = w;
		memcpy(&dg, tmp + VARHDRSZ + 2 * sizeof(uint16), sizeof(dg));
	}
	*first = dg;
}

/*
 * q := a / b as numeric_div computes it: the result scale of
 * select_div_scale (at least 16 significant digits, at least either input's
 * display scale), the exact quotient rounded half away from zero at that
 * scale.  False when it does not fit in 128 bits (the caller uses numeric).
 */
static bool
val_div(Val *q, const Val *a, const Val *b)
{
	int			w1,
				f1,
				w2,
				f2,
				qweight,
				rscale,
				e;
	int128		num,
				quo,
				rem;

	if (a->isnum || b->isnum || b->v == 0)
		return false;
	val_first_digit(a, &w1, &f1);
	val_first_digit(b, &w2, &f2);
	qweight = w1 - w2;
	if (f1 <= f2)
		qweight--;
	rscale = 16 - qweight * NUMERIC_DEC_DIGITS;
	rscale = Max(rscale, a->dscale);
	rscale = Max(rscale, b->dscale);
	rscale = Max(rscale, 0);
	/* a / b = (a.v / 10^da) / (b.v / 10^db); q.v = a.v * 10^(rscale - da + db) / b.v */
	e = rscale - a->dscale + b->dscale;
	if (e < 0 || e > 38 || rscale > 36 ||
		__builtin_mul_overflow(a->v, pow10_128()[e], &num))
		return false;
	quo = num / b->v;
	rem = num % b->v;
	if (rem < 0)
		rem = -rem;
	if (rem >= (b->v < 0 ? -b->v : b->v) - rem)	/* 2 * |rem| >= |b|: away from zero */
		quo += ((num < 0) != (b->v < 0)) ? -1 : 1;
	val_int(q, quo, rscale);
	return true;
}

/*
 * The variance of an institution's composed total (see score_variance in
 * src/index.sql):
 *   t_i = base_i + least(bonus_i, bonus_cap)   (no veto), w_i its weight,
 *   (n * sum t^2 - (sum t)^2) * sum w^2 / (n * (n - 1) * (sum w)^2).
 * Returns false (SQL NULL) with fewer than two assessors or no weight.
 */
static bool
assessment_variance_numeric(const Assessment *a, const Scheme *sc, Datum *result)
{
	Datum		zero = NINT(0);
	Datum		st = zero,
				st2 = zero,
				sw = zero,
				sw2 = zero;
	int32		n = 0;
	int			i;

	for (i = 0; i < N_ASSESSORS; i++)
	{
		const IScore *p = &a->part[i];
		Datum		t;
		Datum		w;

		if (!(a->present & (1 << i)))
			continue;
		/* least() keeps its first argument on a tie: the bonus */
		if (p->bonus <= sc->bonus_cap)
			t = NADD(NumericGetDatum(cents_to_numeric(p->base)),
					 NumericGetDatum(cents_to_numeric(p->bonus)));
		else
			t = NADD(NumericGetDatum(cents_to_numeric(p->base)), sc->bonus_cap_num);
		w = NumericGetDatum(int64_div_fast_to_numeric(a->weight[i], 4));
		n++;
		st = NADD(st, t);
		st2 = NADD(st2, NMUL(t, t));
		sw = NADD(sw, w);
		sw2 = NADD(sw2, NMUL(w, w));
	}
	if (n < 2 || NCMP(sw, zero) == 0)
		return false;
	*result = NDIV(NMUL(NSUB(NMUL(NINT(n), st2), NMUL(st, st)), sw2),
				   NMUL(NMUL(NINT(n * (n - 1)), sw), sw));
	return true;
}


/*
 * The same, with the four sums kept exactly in integers and turned into
 * numerics only for the final formula.  Every sum of numerics above has the
 * display scale of its widest term, so when the bonus cap has at most two
 * decimals st is hundredths (scale 2), st2 ten-thousandths (scale 4), sw
 * ten-thousandths (scale 4) and sw2 1e-8 (scale 8) — the very numerics the
 * additions build.  A wider cap, or a sum of squares beyond int64, takes
 * the numeric path.
 */
static bool
assessment_variance(const Assessment *a, const Scheme *sc, Datum *result)
{
	int64		st = 0,
				sw = 0,
				sw2 = 0;
	int128		st2 = 0;
	int32		n = 0;
	int			i;

	if (sc->cap_dscale > 2)
		return assessment_variance_numeric(a, sc, result);
	for (i = 0; i < N_ASSESSORS; i++)
	{
		const IScore *p = &a->part[i];
		int64		t;

		if (!(a->present & (1 << i)))
			continue;
		/* |base|, |bonus|, cap <= ISCORE_MAX_CENTS: no int64 overflow below */
		t = p->base + (p->bonus <= sc->bonus_cap ? p->bonus : sc->bonus_cap);
		n++;
		st += t;
		st2 += (int128) t * t;
		sw += a->weight[i];
		sw2 += (int64) a->weight[i] * a->weight[i];
	}
	if (n < 2 || sw == 0)
		return false;
	if (st2 > PG_INT64_MAX)
		return assessment_variance_numeric(a, sc, result);
	{
		Datum		dst,
					dst2,
					dsw,
					dsw2;
		int128		num,
					den;

		/*
		 * The numerator (scale 4 + 8) and denominator (scale 8) in integers,
		 * then numeric_div's quotient in integers when they fit.
		 */
		if (!__builtin_mul_overflow((int128) n, st2, &num) &&
			!__builtin_sub_overflow(num, (int128) st * st, &num) &&
			!__builtin_mul_overflow(num, (int128) sw2, &num) &&
			!__builtin_mul_overflow((int128) n * (n - 1) * sw, (int128) sw, &den))
		{
			Val			a,
						b,
						q;

			val_int(&a, num, 12);
			val_int(&b, den, 8);
			if (val_div(&q, &a, &b))
			{
				*result = val_numeric(&q);
				return true;
			}
		}
		dst = NumericGetDatum(int64_div_fast_to_numeric(st, 2));
		dst2 = NumericGetDatum(int64_div_fast_to_numeric((int64) st2, 4));
		dsw = NumericGetDatum(int64_div_fast_to_numeric(sw, 4));
		dsw2 = NumericGetDatum(int64_div_fast_to_numeric(sw2, 8));
		*result = NDIV(NMUL(NSUB(NMUL(NINT(n), dst2), NMUL(dst, dst)), dsw2),
					   NMUL(NMUL(NINT(n * (n - 1)), dsw), dsw));
	}
	return true;
}

PG_FUNCTION_INFO_V1(index_score_variance);
Datum
index_score_variance(PG_FUNCTION_ARGS)
{
	const Assessment *a = PG_GETARG_ASSESSMENT_P(0);
	const Scheme *sc = scheme_get(fcinfo, PG_GETARG_DATUM(1));
	Datum		v;

	if (!assessment_variance(a, sc, &v))
		PG_RETURN_NULL();
	PG_RETURN_DATUM(v);
}

/* ---------------------------------------------------------------------
 * The state, numeric[9]
 * --------------------------------------------------------------------- */

typedef struct IndexState
{
	Val			f[INDEX_STATE_LEN];	/* positions 1..9 are f[0..8] */
} IndexState;

static void
invalid_state(const char *why)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid integrity_index state"),
			 errdetail("%s", why)));
}

/*
 * Read and validate a state.  A state that an aggregate can reach:
 * numeric[9] without NULLs, every element finite; fresh (7..9 all -1 and
 * 1..6 zero) or started (7 = full_marks + bonus_cap > 9 = bonus cap >= 0,
 * 8 = 0 or 1); 4, 5, 6 whole counts with 6 <= 4; 1 (sum of weights) and
 * 3 (sum of weighted variances) >= 0; with nothing counted (4 = 0),
 * 1, 2, 3 and 6 are 0.
 */
static void
state_read(Datum d, IndexState *st)
{
	ArrayType  *arr = DatumGetArrayTypeP(d);
	char	   *p;
	Val			zero,
				minus1,
				one;
	int			i;

	if (ARR_NDIM(arr) != 1 || ARR_LBOUND(arr)[0] != 1 || ARR_ELEMTYPE(arr) != NUMERICOID ||
		ARR_DIMS(arr)[0] != INDEX_STATE_LEN || ARR_HASNULL(arr))
		invalid_state("Expected numeric[9] without NULLs.");
	p = ARR_DATA_PTR(arr);
	for (i = 0; i < INDEX_STATE_LEN; i++)
	{
		val_from_datum(&st->f[i], PointerGetDatum(p));
		if (!val_is_finite(&st->f[i]))
			invalid_state("Every element must be a finite number.");
		p = att_addlength_pointer(p, -1, p);
		p = (char *) att_align_nominal(p, TYPALIGN_INT);
	}
	val_int(&zero, 0, 0);
	val_int(&minus1, -1, 0);
	val_int(&one, 1, 0);
	if (val_cmp(&st->f[6], &minus1) == 0)
	{
		if (val_cmp(&st->f[7], &minus1) != 0 || val_cmp(&st->f[8], &minus1) != 0)
			invalid_state("A state without a scheme has -1 in positions 7 to 9.");
		for (i = 0; i < 6; i++)
			if (val_cmp(&st->f[i], &zero) != 0)
				invalid_state("A state without a scheme has counted nothing.");
		return;
	}
	if (val_cmp(&st->f[8], &zero) < 0 || val_cmp(&st->f[6], &st->f[8]) <= 0 ||
		(val_cmp(&st->f[7], &zero) != 0 && val_cmp(&st->f[7], &one) != 0))
		invalid_state("Positions 7 to 9 must hold full_marks + bonus_cap, the red-line rule (0 or 1) and the bonus cap.");
	for (i = 3; i < 6; i++)
		if (!val_is_integer(&st->f[i]) || val_cmp(&st->f[i], &zero) < 0)
			invalid_state("Positions 4 to 6 are counts of institutions.");
	if (val_cmp(&st->f[5], &st->f[3]) > 0)
		invalid_state("More institutions without a variance than counted.");
	if (val_cmp(&st->f[0], &zero) < 0 || val_cmp(&st->f[2], &zero) < 0)
		invalid_state("Sums of weights and of weighted variances cannot be negative.");
	if (val_cmp(&st->f[3], &zero) == 0 &&
		(val_cmp(&st->f[0], &zero) != 0 || val_cmp(&st->f[1], &zero) != 0 ||
		 val_cmp(&st->f[2], &zero) != 0))
		invalid_state("A state that counted no institution has no sums.");
}

/* a state with elements too long for the in-place buffer: a plain array */
static Datum
state_write_slow(const IndexState *st)
{
	Datum		el[INDEX_STATE_LEN];

	for (int i = 0; i < INDEX_STATE_LEN; i++)
		el[i] = val_numeric(&st->f[i]);
	PG_RETURN_ARRAYTYPE_P(construct_array(el, INDEX_STATE_LEN, NUMERICOID, -1, false, TYPALIGN_INT));
}

/*
 * In an aggregate, a state is written as a numeric[9] whose datum is a
 * power of two long (the size the allocator gives it anyway): the room
 * after the nine elements lets the next rows write in place, and its last
 * bytes carry a StateMark saying the state was checked (and, when the room
 * allows, its Vals, so that the next row does not even decode it).  Only
 * state_write makes such room: array_in, array_recv and every array
 * function build arrays whose last element ends the datum, so a mark is
 * believed only when the nine elements end before it.  Every reader of the
 * array sees a numeric[9]; the room travels with the datum (parallel
 * workers copy it whole) and is dropped by its text and binary forms.
 */
#define STATE_MARK 0x6B72614D		/* checked; read the elements */
#define STATE_MARK_VALUES 0x6C61564D	/* checked; the Vals precede the mark */

typedef struct StateMark
{
	uint32		magic;
	uint32		datalen;		/* bytes of the nine elements, aligned */
} StateMark;

typedef struct StateValues
{
	uint32		isnum;			/* bit i: element i is read from the array */
	int16		dscale[INDEX_STATE_LEN];
	char		v[INDEX_STATE_LEN][sizeof(int128)];
} StateValues;

/*
 * The running form.  When the only reader of an aggregate's state is
 * index_final — a plain (not partial) aggregation, every aggregate that
 * shares the transition state finishing with index_final, not a window —
 * the transition and combine functions keep the state as its nine Vals
 * alone (int64 each) behind a valid empty array header: index_final reads
 * them, and anything else would read '{}', never stray bytes.  A value
 * beyond int64 brings the state back to its nine elements.  This is what
 * makes the per-row step as cheap as an integer sum.
 */
#define STATE_MARK_RUNNING 0x6E75524D
#define STATE_RUNNING_SIZE 128

typedef struct StateRunning
{
	int64		v[INDEX_STATE_LEN];
	int16		dscale[INDEX_STATE_LEN];
	StateMark	mark;
} StateRunning;

StaticAssertDecl(sizeof(ArrayType) + sizeof(StateRunning) <= STATE_RUNNING_SIZE,
				 "the running form fits its datum");

/* does the aggregate finish with index_final? (a catalogue look-up) */
static bool
aggregate_finishes_with_index_final(Oid aggfnoid)
{
	HeapTuple	tup = SearchSysCache1(AGGFNOID, ObjectIdGetDatum(aggfnoid));
	Oid			finalfn;
	FmgrInfo	fi;

	if (!HeapTupleIsValid(tup))
		return false;
	finalfn = ((Form_pg_aggregate) GETSTRUCT(tup))->aggfinalfn;
	ReleaseSysCache(tup);
	if (!OidIsValid(finalfn))
		return false;
	fmgr_info(finalfn, &fi);
	return fi.fn_addr == index_final;
}

/*
 * May the state of this call be kept in the running form?  Only inside an
 * Agg node, and only if every aggregate sharing this transition state ends
 * with index_final: in a plain or finalizing aggregation its final function
 * is then the state's only reader; in a partial aggregation (a parallel
 * worker, a partition) the states go to the finalizing step of the same
 * query, which combines them with index_combine and finishes with
 * index_final (PostgreSQL 15 makes no other use of partial states, and
 * postgres_fdw ships no partial aggregate).  *cached (per call site) keeps
 * the catalogue answer of a partial aggregation: -1 not yet known.
 */
static bool
state_running_ok(FunctionCallInfo fcinfo, int *cached)
{
	AggState   *as;
	int			transno;

	if (fcinfo->context == NULL || !IsA(fcinfo->context, AggState))
		return false;
	as = (AggState *) fcinfo->context;
	if (as->curpertrans == NULL)
		return false;
	transno = as->curpertrans - as->pertrans;
	if (transno < 0 || transno >= as->numtrans)
		return false;
	if (!DO_AGGSPLIT_SKIPFINAL(as->aggsplit))
	{
		for (int i = 0; i < as->numaggs; i++)
			if (as->peragg[i].transno == transno &&
				(!OidIsValid(as->peragg[i].finalfn_oid) ||
				 as->peragg[i].finalfn.fn_addr != index_final))
				return false;
		return true;
	}
	/* partial: the final functions are not set up; ask the catalogue once */
	if (cached == NULL || DO_AGGSPLIT_COMBINE(as->aggsplit))
		return false;
	if (*cached < 0)
	{
		*cached = 1;
		for (int i = 0; i < as->numaggs; i++)
			if (as->peragg[i].transno == transno &&
				!aggregate_finishes_with_index_final(as->peragg[i].aggref->aggfnoid))
				*cached = 0;
	}
	return *cached == 1;
}

static bool
state_read_running(ArrayType *arr, IndexState *st)
{
	StateRunning r;

	if (VARSIZE(arr) != STATE_RUNNING_SIZE || ARR_NDIM(arr) != 0)
		return false;
	memcpy(&r, (char *) arr + STATE_RUNNING_SIZE - sizeof(StateRunning), sizeof(r));
	if (r.mark.magic != STATE_MARK_RUNNING)
		return false;
	for (int i = 0; i < INDEX_STATE_LEN; i++)
		val_int(&st->f[i], r.v[i], r.dscale[i]);
	return true;
}

/* write st in the running form (in place when old is one); false if it does not fit */
static bool
state_write_running(Datum old, const IndexState *st, Datum *result)
{
	StateRunning r;
	ArrayType  *arr = (ArrayType *) DatumGetPointer(old);

	for (int i = 0; i < INDEX_STATE_LEN; i++)
	{
		if (st->f[i].isnum || st->f[i].v > PG_INT64_MAX || st->f[i].v < PG_INT64_MIN)
			return false;
		r.v[i] = (int64) st->f[i].v;
		r.dscale[i] = (int16) st->f[i].dscale;
	}
	r.mark.magic = STATE_MARK_RUNNING;
	r.mark.datalen = 0;
	if (old == (Datum) 0 || VARATT_IS_EXTENDED(arr) || VARSIZE(arr) != STATE_RUNNING_SIZE ||
		ARR_NDIM(arr) != 0)
	{
		arr = (ArrayType *) palloc0(STATE_RUNNING_SIZE);
		SET_VARSIZE(arr, STATE_RUNNING_SIZE);
		arr->ndim = 0;
		arr->dataoffset = 0;
		arr->elemtype = NUMERICOID;
	}
	memcpy((char *) arr + STATE_RUNNING_SIZE - sizeof(StateRunning), &r, sizeof(r));
	*result = PointerGetDatum(arr);
	return true;
}

/* the end of the nine elements of a numeric[9] without NULLs */
static Size
state_data_len(ArrayType *arr)
{
	char	   *start = ARR_DATA_PTR(arr);
	char	   *p = start;
	char	   *end = (char *) arr + VARSIZE(arr);

	for (int i = 0; i < INDEX_STATE_LEN; i++)
	{
		if (p + VARHDRSZ_SHORT > end || p + VARSIZE_ANY(p) > end)
			return (Size) -1;
		p = att_addlength_pointer(p, -1, p);
		p = (char *) att_align_nominal(p, TYPALIGN_INT);
	}
	return p - start;
}

static bool
state_read_cached(Datum d, IndexState *st)
{
	ArrayType  *arr = (ArrayType *) DatumGetPointer(d);
	StateMark	m;
	StateValues c;
	Size		room;
	char	   *p;

	/* a state that went through a tuple (a parallel worker's) may be packed */
	if (VARATT_IS_EXTENDED(arr))
		arr = (ArrayType *) PG_DETOAST_DATUM(d);
	if (state_read_running(arr, st))
		return true;
	if (VARATT_IS_EXTENDED(arr) || VARSIZE(arr) < ARR_OVERHEAD_NONULLS(1) + sizeof(StateMark) ||
		ARR_NDIM(arr) != 1 || ARR_HASNULL(arr) || ARR_ELEMTYPE(arr) != NUMERICOID ||
		ARR_DIMS(arr)[0] != INDEX_STATE_LEN || ARR_LBOUND(arr)[0] != 1)
		return false;
	room = VARSIZE(arr) - ARR_OVERHEAD_NONULLS(1) - sizeof(StateMark);
	memcpy(&m, (char *) arr + VARSIZE(arr) - sizeof(StateMark), sizeof(StateMark));
	if (m.magic == STATE_MARK_VALUES)
	{
		if (room < sizeof(StateValues))
			return false;
		room -= sizeof(StateValues);
		memcpy(&c, (char *) arr + VARSIZE(arr) - sizeof(StateMark) - sizeof(StateValues),
			   sizeof(StateValues));
	}
	else if (m.magic != STATE_MARK)
		return false;
	if (m.datalen > room || state_data_len(arr) != m.datalen)
		return false;
	p = ARR_DATA_PTR(arr);
	for (int i = 0; i < INDEX_STATE_LEN; i++)
	{
		if (m.magic == STATE_MARK)
			val_from_datum(&st->f[i], PointerGetDatum(p));
		else if (c.isnum & (1 << i))
			val_set_num(&st->f[i], PointerGetDatum(p));
		else
		{
			int128		v;

			memcpy(&v, c.v[i], sizeof(v));
			val_int(&st->f[i], v, c.dscale[i]);
		}
		p = att_addlength_pointer(p, -1, p);
		p = (char *) att_align_nominal(p, TYPALIGN_INT);
	}
	return true;
}

/*
 * Write a state back as numeric[9].  In an aggregate, when the new array
 * fits in the old one's storage, in place (the executor then keeps it
 * without a copy); otherwise a new array with room to grow.
 */
#define STATE_ALL ((1 << INDEX_STATE_LEN) - 1)

/* dirty: the elements that changed; the others are copied from old */
static Datum
state_write(FunctionCallInfo fcinfo, Datum old, const IndexState *st, uint32 dirty, int *running)
{
	char	   *oel[INDEX_STATE_LEN];
	char		buf[INDEX_STATE_LEN * 64];
	Size		data = 0;
	Size		need;
	ArrayType  *arr;
	bool		inagg = AggCheckCallContext(fcinfo, NULL) != 0;
	Datum		runningval;

	if (inagg && state_running_ok(fcinfo, running) && state_write_running(old, st, &runningval))
		return runningval;
	if (old != (Datum) 0 && !VARATT_IS_EXTENDED(DatumGetPointer(old)) &&
		ARR_NDIM((ArrayType *) DatumGetPointer(old)) == 0)
	{
		old = (Datum) 0;		/* leaving the running form: no elements to keep */
		dirty = STATE_ALL;
	}

	if (dirty != STATE_ALL)
	{
		/* old is a numeric[9] without NULLs, read and checked by the caller */
		char	   *p = ARR_DATA_PTR((ArrayType *) DatumGetPointer(old));

		for (int i = 0; i < INDEX_STATE_LEN; i++)
		{
			oel[i] = p;
			p = att_addlength_pointer(p, -1, p);
			p = (char *) att_align_nominal(p, TYPALIGN_INT);
		}
	}
	/* the elements, assembled apart (some may point into the old array) */
	for (int i = 0; i < INDEX_STATE_LEN; i++)
	{
		Size		l;
		Size		next;

		if (data + 64 > sizeof(buf))
			return state_write_slow(st);
		if (!(dirty & (1 << i)))
		{
			l = VARSIZE_ANY(oel[i]);
			if (data + l > sizeof(buf))
				return state_write_slow(st);
			memcpy(buf + data, oel[i], l);
		}
		else if (st->f[i].isnum)
		{
			l = VARSIZE_ANY(DatumGetPointer(st->f[i].num));
			if (data + l > sizeof(buf))
				return state_write_slow(st);
			memcpy(buf + data, DatumGetPointer(st->f[i].num), l);
		}
		else
			l = val_encode(&st->f[i], buf + data);
		next = att_align_nominal(data + l, TYPALIGN_INT);
		memset(buf + data + l, 0, next - data - l);
		data = next;
	}
	need = ARR_OVERHEAD_NONULLS(1) + data;
	if (inagg && old != (Datum) 0 && !VARATT_IS_EXTENDED(DatumGetPointer(old)) &&
		VARSIZE(DatumGetPointer(old)) >= need + sizeof(StateMark) &&
		ARR_NDIM((ArrayType *) DatumGetPointer(old)) == 1 &&
		!ARR_HASNULL((ArrayType *) DatumGetPointer(old)))
	{
		arr = (ArrayType *) DatumGetPointer(old);
		memset((char *) arr + need, 0, VARSIZE(arr) - need);
	}
	else
	{
		/*
		 * A power of two: the allocator rounds every small chunk up to one,
		 * so the room costs no memory.
		 */
		Size		size = inagg ? pg_nextpower2_32(need + sizeof(StateMark)) : need;

		arr = (ArrayType *) palloc0(size);
		SET_VARSIZE(arr, size);
		arr->ndim = 1;
		arr->dataoffset = 0;
		arr->elemtype = NUMERICOID;
		ARR_DIMS(arr)[0] = INDEX_STATE_LEN;
		ARR_LBOUND(arr)[0] = 1;
	}
	memcpy(ARR_DATA_PTR(arr), buf, data);
	if (inagg)
	{
		StateMark	m;
		char	   *end = (char *) arr + VARSIZE(arr);

		m.magic = STATE_MARK;
		m.datalen = data;
		if (VARSIZE(arr) >= need + sizeof(StateMark) + sizeof(StateValues))
		{
			StateValues c;

			memset(&c, 0, sizeof(c));
			for (int i = 0; i < INDEX_STATE_LEN; i++)
			{
				if (st->f[i].isnum)
					c.isnum |= 1 << i;
				c.dscale[i] = st->f[i].dscale;
				memcpy(c.v[i], &st->f[i].v, sizeof(int128));
			}
			memcpy(end - sizeof(StateMark) - sizeof(StateValues), &c, sizeof(c));
			m.magic = STATE_MARK_VALUES;
		}
		memcpy(end - sizeof(StateMark), &m, sizeof(m));
	}
	PG_RETURN_ARRAYTYPE_P(arr);
}

/* ---------------------------------------------------------------------
 * The transition functions
 * --------------------------------------------------------------------- */

/* kept per call site with its scheme (Scheme.extra) */
typedef struct IndexSiteCache
{
	Val			sv[3];			/* full_marks + bonus_cap, rule, bonus cap */
	int			running;		/* state_running_ok's catalogue answer, -1 unknown */
} IndexSiteCache;

/* where a row's variance comes from */
typedef struct VarianceSource
{
	const Assessment *a;		/* computed from this assessment, or */
	Datum		given;			/* given (when a is NULL) */
	bool		given_null;
} VarianceSource;

static bool running_step(FunctionCallInfo fcinfo, Datum state, IndexSiteCache *ix,
						 const Scheme *sc, const IScore *s, const Val *w,
						 VarianceSource *var, bool assessed);

/*
 * One row into the state (index_step in the SQL definition).  s NULL or
 * weight NULL: the state unchanged.  rules_null: an error.
 */
static Datum
index_step_core(FunctionCallInfo fcinfo, Datum state, bool state_null,
				const IScore *s, VarianceSource *var, Datum weight, bool weight_null,
				bool rules_null, int rules_arg, bool assessed)
{
	const Scheme *sc;
	IndexState	st;
	Val			w,
				t,
				one,
				x;
	Datum		variance = (Datum) 0;
	bool		variance_null;
	Numeric		wn;
	uint32		dirty = 0;
	IndexSiteCache *ix;

	if (s == NULL || weight_null)
	{
		if (state_null)
			PG_RETURN_NULL();
		PG_RETURN_DATUM(state);
	}
	if (rules_null)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("scheme must not be NULL")));
	if (weight == (Datum) 0)
		val_int(&w, 1, 0);		/* the forms without a weight */
	else
		val_from_datum(&w, weight);
	if (w.isnum && (numeric_is_nan(wn = DatumGetNumeric(weight)) || numeric_is_inf(wn)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("index weight must be a finite number"),
				 errdetail("Got %s.", DatumGetCString(DirectFunctionCall1(numeric_out, weight)))));
	if (w.isnum ? DatumGetInt32(DirectFunctionCall2(numeric_cmp, weight, NINT(0))) < 0 : w.v < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("index weight must not be negative"),
				 errdetail("Got %s.", DatumGetCString(DirectFunctionCall1(numeric_out, weight)))));
	sc = scheme_get(fcinfo, PG_GETARG_DATUM(rules_arg));

	if (state_null)
		invalid_state("Expected numeric[9] without NULLs.");

	/* what this call site keeps with its scheme */
	ix = (IndexSiteCache *) sc->extra;
	if (ix == NULL)
	{
		/* the scheme's three numerics as Vals, kept as long as the scheme */
		ix = MemoryContextAlloc(sc->cxt, sizeof(IndexSiteCache));
		val_from_datum(&ix->sv[0], sc->scale_num);
		val_from_datum(&ix->sv[1], sc->rule_num);
		val_from_datum(&ix->sv[2], sc->bonus_cap_num);
		ix->running = -1;
		((Scheme *) sc)->extra = ix;
	}

	if (running_step(fcinfo, state, ix, sc, s, &w, var, assessed))
		PG_RETURN_DATUM(state);

	if (!state_read_cached(state, &st))
		state_read(state, &st);
	/* a packed or toasted state was read from a copy: write every element */
	if (VARATT_IS_EXTENDED(DatumGetPointer(state)))
		dirty = STATE_ALL;

	/* positions 7..9: the scheme, set by the first row */
	{
		Val		   *sv = ix->sv;
		Val			minus1;

		val_int(&minus1, -1, 0);
		if (val_same(&st.f[6], &sv[0]) && val_same(&st.f[7], &sv[1]) && val_same(&st.f[8], &sv[2]))
			 /* the common case: the scheme of the rows before */ ;
		else if (val_cmp(&st.f[6], &minus1) == 0)
		{
			dirty |= (1 << 6) | (1 << 7) | (1 << 8);
			st.f[6] = sv[0];
			st.f[7] = sv[1];
			st.f[8] = sv[2];
		}
		else if (val_cmp(&st.f[6], &sv[0]) != 0 || val_cmp(&st.f[7], &sv[1]) != 0 ||
				 val_cmp(&st.f[8], &sv[2]) != 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("one index cannot mix schemes with different full marks, bonus caps or red-line rules"),
					 errhint("Compute one index per scheme year (GROUP BY year).")));
	}
	val_int(&one, 1, 0);

	if (s->redlines > 0 && sc->exclude)
	{
		val_add(&st.f[4], &st.f[4], &one);
		return state_write(fcinfo, state, &st, dirty | (1 << 4), &ix->running);
	}
	if (s->redlines > 0 && assessed)
	{
		variance = NINT(0);		/* a vetoed total is certain: 0 */
		variance_null = false;
	}
	else if (var->a != NULL)
		variance_null = !assessment_variance(var->a, sc, &variance);
	else
	{
		variance = var->given;
		variance_null = var->given_null;
	}

	val_int(&t, iscore_total_cents(s, sc->bonus_cap), 2);
	val_add(&st.f[0], &st.f[0], &w);
	val_mul(&x, &w, &t);
	val_add(&st.f[1], &st.f[1], &x);
	val_add(&st.f[3], &st.f[3], &one);
	if (variance_null)
		val_add(&st.f[5], &st.f[5], &one);
	else
	{
		Val			v;

		val_from_datum(&v, variance);
		val_mul(&x, &w, &w);
		val_mul(&x, &x, &v);
		val_add(&st.f[2], &st.f[2], &x);
	}
	return state_write(fcinfo, state, &st, dirty | (1 << 0) | (1 << 1) | (1 << 2) | (1 << 3) | (1 << 5), &ix->running);
}

/*
 * The common row on a state in the running form, updated where it lies:
 * same scheme, sums whose display scales already are those of the terms
 * (so that adding is adding integers), no int64 overflow.  False (nothing
 * changed) for anything else: the general path does it.
 */
static bool
running_step(FunctionCallInfo fcinfo, Datum state, IndexSiteCache *ix, const Scheme *sc,
			 const IScore *s, const Val *w, VarianceSource *var, bool assessed)
{
	ArrayType  *arr = (ArrayType *) DatumGetPointer(state);
	StateRunning *r;
	int64		wv,
				n0,
				n1,
				n2,
				n3,
				n5,
				t,
				x;

	if (VARATT_IS_EXTENDED(arr) || VARSIZE(arr) != STATE_RUNNING_SIZE || ARR_NDIM(arr) != 0 ||
		!AggCheckCallContext(fcinfo, NULL))
		return false;
	r = (StateRunning *) ((char *) arr + STATE_RUNNING_SIZE - sizeof(StateRunning));
	if (r->mark.magic != STATE_MARK_RUNNING || !state_running_ok(fcinfo, &ix->running))
		return false;
	for (int i = 0; i < 3; i++)
		if (ix->sv[i].isnum || r->v[6 + i] != ix->sv[i].v || r->dscale[6 + i] != ix->sv[i].dscale)
			return false;
	if (s->redlines > 0 && sc->exclude)
	{
		if (r->dscale[4] != 0 || r->v[4] == PG_INT64_MAX)
			return false;
		r->v[4]++;
		return true;
	}
	/* the score path, or a vetoed assessment (variance 0): no variance to read */
	if (var->a != NULL && !(s->redlines > 0 && assessed))
		return false;
	if (!var->given_null && !(s->redlines > 0 && assessed))
		return false;
	if (w->isnum || w->v > PG_INT64_MAX || w->v < 0 ||
		r->dscale[0] != w->dscale || r->dscale[1] != w->dscale + 2 || r->dscale[3] != 0)
		return false;
	wv = (int64) w->v;
	t = iscore_total_cents(s, sc->bonus_cap);
	if (pg_add_s64_overflow(r->v[0], wv, &n0) ||
		pg_mul_s64_overflow(wv, t, &x) || pg_add_s64_overflow(r->v[1], x, &n1) ||
		pg_add_s64_overflow(r->v[3], 1, &n3))
		return false;
	n2 = r->v[2];
	n5 = r->v[5];
	if (s->redlines > 0 && assessed)
	{
		/* variance 0: adds w * w * 0, at display scale 2 * dscale(w) */
		if (r->dscale[2] < 2 * w->dscale)
			return false;
	}
	else
	{
		if (r->dscale[5] != 0 || pg_add_s64_overflow(r->v[5], 1, &n5))
			return false;
	}
	r->v[0] = n0;
	r->v[1] = n1;
	r->v[2] = n2;
	r->v[3] = n3;
	r->v[5] = n5;
	return true;
}

/* index_step(state, s, variance, weight, rules, assessed) */
PG_FUNCTION_INFO_V1(index_step);
Datum
index_step(PG_FUNCTION_ARGS)
{
	VarianceSource var;

	var.a = NULL;
	var.given = PG_ARGISNULL(2) ? (Datum) 0 : PG_GETARG_DATUM(2);
	var.given_null = PG_ARGISNULL(2);
	if (!var.given_null)
	{
		Numeric		v = DatumGetNumeric(var.given);

		if (numeric_is_nan(v) || numeric_is_inf(v) ||
			DatumGetInt32(DirectFunctionCall2(numeric_cmp, var.given, NINT(0))) < 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("a variance must be a finite number, not negative")));
	}
	/* a NULL assessed flag: a plain IF in PL/pgSQL takes it as false */
	return index_step_core(fcinfo, PG_GETARG_DATUM(0), PG_ARGISNULL(0),
						   PG_ARGISNULL(1) ? NULL : PG_GETARG_ISCORE_P(1), &var,
						   PG_GETARG_DATUM(3), PG_ARGISNULL(3), PG_ARGISNULL(4), 4,
						   !PG_ARGISNULL(5) && PG_GETARG_BOOL(5));
}

static Datum
accum_assessment(FunctionCallInfo fcinfo, Datum weight, bool weight_null, int rules_arg)
{
	VarianceSource var;
	const Assessment *a;
	Datum		s;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	a = PG_GETARG_ASSESSMENT_P(1);
	s = DirectFunctionCall1(assessment_score, PointerGetDatum(a));	/* may raise */
	/* the variance, only when it is needed: no rules means NULL */
	var.a = PG_ARGISNULL(rules_arg) ? NULL : a;
	var.given = (Datum) 0;
	var.given_null = true;
	return index_step_core(fcinfo, PG_GETARG_DATUM(0), PG_ARGISNULL(0),
						   DatumGetIScoreP(s), &var, weight, weight_null,
						   PG_ARGISNULL(rules_arg), rules_arg, true);
}

/* index_accum_assessment(state, a, weight, rules) */
PG_FUNCTION_INFO_V1(index_accum_assessment);
Datum
index_accum_assessment(PG_FUNCTION_ARGS)
{
	return accum_assessment(fcinfo, PG_GETARG_DATUM(2), PG_ARGISNULL(2), 3);
}

/* index_accum_assessment1(state, a, rules): weight 1 */
PG_FUNCTION_INFO_V1(index_accum_assessment1);
Datum
index_accum_assessment1(PG_FUNCTION_ARGS)
{
	return accum_assessment(fcinfo, (Datum) 0, false, 2);
}

/* index_accum_score(state, s, weight, rules) */
PG_FUNCTION_INFO_V1(index_accum_score);
Datum
index_accum_score(PG_FUNCTION_ARGS)
{
	VarianceSource var = {NULL, (Datum) 0, true};

	return index_step_core(fcinfo, PG_GETARG_DATUM(0), PG_ARGISNULL(0),
						   PG_ARGISNULL(1) ? NULL : PG_GETARG_ISCORE_P(1), &var,
						   PG_GETARG_DATUM(2), PG_ARGISNULL(2), PG_ARGISNULL(3), 3, false);
}

/* index_accum_score1(state, s, rules): weight 1 */
PG_FUNCTION_INFO_V1(index_accum_score1);
Datum
index_accum_score1(PG_FUNCTION_ARGS)
{
	VarianceSource var = {NULL, (Datum) 0, true};

	return index_step_core(fcinfo, PG_GETARG_DATUM(0), PG_ARGISNULL(0),
						   PG_ARGISNULL(1) ? NULL : PG_GETARG_ISCORE_P(1), &var,
						   (Datum) 0, false, PG_ARGISNULL(2), 2, false);
}

/* ---------------------------------------------------------------------
 * Combine and final (index_combine, index_final in src/index.sql)
 * --------------------------------------------------------------------- */

/* index_combine(a, b): the element-wise sum of two states of one scheme */
PG_FUNCTION_INFO_V1(index_combine);
Datum
index_combine(PG_FUNCTION_ARGS)
{
	IndexState	a,
				b;
	Val			minus1;

	if (!state_read_cached(PG_GETARG_DATUM(0), &a))
		state_read(PG_GETARG_DATUM(0), &a);
	if (!state_read_cached(PG_GETARG_DATUM(1), &b))
		state_read(PG_GETARG_DATUM(1), &b);
	val_int(&minus1, -1, 0);
	if (val_cmp(&a.f[6], &minus1) == 0)
		PG_RETURN_DATUM(PG_GETARG_DATUM(1));
	if (val_cmp(&b.f[6], &minus1) == 0)
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	if (val_cmp(&a.f[6], &b.f[6]) != 0 || val_cmp(&a.f[7], &b.f[7]) != 0 ||
		val_cmp(&a.f[8], &b.f[8]) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("one index cannot mix schemes with different full marks, bonus caps or red-line rules")));
	for (int i = 0; i < 6; i++)
		val_add(&a.f[i], &a.f[i], &b.f[i]);
	return state_write(fcinfo, PG_GETARG_DATUM(0), &a, STATE_ALL, NULL);
}

/* numeric constants of the final function, made once per backend */
static Datum
numeric_const(const char *text, Datum *slot)
{
	if (*slot == (Datum) 0)
	{
		MemoryContext old = MemoryContextSwitchTo(TopMemoryContext);

		*slot = DirectFunctionCall3(numeric_in, CStringGetDatum(text),
									ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1));
		MemoryContextSwitchTo(old);
	}
	return *slot;
}

/*
 * Half-even rounding to `places` decimals (negative: tens, hundreds, ...),
 * the result of the method of 1.1's src/index.sql (y = x * 10^places,
 * fl = floor(y), fl + 1 when y - fl > 0.5 or (= 0.5 and fl odd), then
 * round(fl / 10^places, places)), computed without scaling x: t = x
 * truncated to `places`; when |x - t| is exactly half a unit of the last
 * place, t if its last place is even, else round(x, places) (half away from
 * zero, the even neighbour); otherwise round(x, places), the nearest.
 * Every step is exact numeric arithmetic on values no larger than x, so
 * any numeric rounds (scaling by 10^places overflowed above about 10^130072
 * and rounded y at numeric's 16383 decimals, turning a value just below a
 * tie into a tie).  The display scale is max(places, 0), as round()'s.  NaN
 * and infinities pass through.
 */
#define ROUND_PLACES_LIMIT 1000		/* numeric's scale limit (typmod) */

static Datum
pow10_numeric(int e)
{
	char		text[16];

	snprintf(text, sizeof(text), "1e%d", e);
	return DirectFunctionCall3(numeric_in, CStringGetDatum(text),
							   ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1));
}

static Datum
round_half_even_places(Datum x, int places)
{
	static Datum half2,
				two_units2;
	Numeric		nx = DatumGetNumeric(x);
	Datum		t,
				half,
				two_units;

	if (numeric_is_nan(nx) || numeric_is_inf(nx))
		return x;
	if (places == 2)
	{
		half = numeric_const("0.005", &half2);
		two_units = numeric_const("0.02", &two_units2);
	}
	else
	{
		Datum		unit = pow10_numeric(-places);

		half = NMUL(unit, DirectFunctionCall3(numeric_in, CStringGetDatum("0.5"),
											  ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1)));
		two_units = NMUL(unit, NINT(2));
	}
	t = DirectFunctionCall2(numeric_trunc, x, Int32GetDatum(places));
	if (NCMP(DirectFunctionCall1(numeric_abs, NSUB(x, t)), half) == 0 &&
		NCMP(DirectFunctionCall2(numeric_mod, t, two_units), NINT(0)) == 0)
		return t;				/* a tie, and t's last place is even */
	return DirectFunctionCall2(numeric_round, x, Int32GetDatum(places));
}

/* round_half_even(x numeric, places integer DEFAULT 2) */
PG_FUNCTION_INFO_V1(index_round_half_even);
Datum
index_round_half_even(PG_FUNCTION_ARGS)
{
	int32		places = PG_GETARG_INT32(1);

	if (places < -ROUND_PLACES_LIMIT || places > ROUND_PLACES_LIMIT)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot round to %d decimal places", places),
				 errdetail("Places run from -%d to %d, the scales a numeric can have.",
						   ROUND_PLACES_LIMIT, ROUND_PLACES_LIMIT)));
	PG_RETURN_DATUM(round_half_even_places(PG_GETARG_DATUM(0), places));
}

/* index_final(state) -> index_result */
Datum
index_final(PG_FUNCTION_ARGS)
{
	IndexState	st;
	TupleDesc	desc;
	Datum		values[7];
	bool		nulls[7] = {true, true, true, true, false, false, false};
	Datum		s[INDEX_STATE_LEN];
	Val			zero;

	if (!state_read_cached(PG_GETARG_DATUM(0), &st))
		state_read(PG_GETARG_DATUM(0), &st);
	val_int(&zero, 0, 0);
	if (val_cmp(&st.f[3], &zero) == 0 && val_cmp(&st.f[4], &zero) == 0)
		PG_RETURN_NULL();
	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "index_final must return a composite type");
	for (int i = 0; i < INDEX_STATE_LEN; i++)
		s[i] = val_numeric(&st.f[i]);
	values[4] = DirectFunctionCall1(numeric_int4, s[3]);
	values[5] = DirectFunctionCall1(numeric_int4, s[4]);
	values[6] = DirectFunctionCall1(numeric_int4, s[5]);
	if (val_cmp(&st.f[0], &zero) != 0)
	{
		Datum		den = NMUL(s[6], s[0]);
		Datum		v = NDIV(NMUL(NINT(100), s[1]), den);

		values[0] = round_half_even_places(v, 2);
		nulls[0] = false;
		if (val_cmp(&st.f[5], &st.f[3]) < 0)
		{
			Datum		se = NDIV(NMUL(NINT(100), DirectFunctionCall1(numeric_sqrt, s[2])), den);
			static Datum z1645;
			Datum		z = numeric_const("1.645", &z1645);

			values[1] = round_half_even_places(se, 2);
			values[2] = round_half_even_places(NSUB(v, NMUL(z, se)), 2);
			values[3] = round_half_even_places(NADD(v, NMUL(z, se)), 2);
			nulls[1] = nulls[2] = nulls[3] = false;
		}
	}
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(desc), values, nulls)));
}
