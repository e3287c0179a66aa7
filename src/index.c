/*
 * index.c — the clean-finance index (清廉金融指数): the per-row work of the
 * aggregate integrity_index and the assessors' variance, in C.
 *
 * The method is written out in src/index.sql and README.md ("The index");
 * this file does the same arithmetic with the same numeric operations in the
 * same order, so every digit (and every display scale) of the state and of
 * the results is what the SQL definition gives.  The state stays numeric[9]
 * (text round-trips exactly; parallel workers and shards move it as text):
 *
 *   1 sum of weights         2 sum of weight * total     3 sum of weight^2 * variance
 *   4 institutions counted   5 excluded                  6 without a variance
 *   7 full_marks + bonus_cap 8 red-line rule (0 zero, 1 exclude)   9 bonus cap
 *
 * Numerics are variable-length, so the state cannot be updated in place:
 * each row deconstructs it, adds, and builds a new array in the per-call
 * context (the executor copies it into the aggregate's context).
 *
 * SQL objects backed here: score_variance(assessment, scheme), the
 * transition functions index_step, index_accum_assessment,
 * index_accum_assessment1, index_accum_score, index_accum_score1.
 * index_combine and index_final stay in SQL (PL/pgSQL): they run once per
 * partial state, not per row.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "executor/executor.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/numeric.h"

#include "iscore.h"
#include "assessment.h"

#define INDEX_STATE_LEN 9

/* the scheme fields the index reads, cached per call site by the tuple bytes */
typedef struct IndexScheme
{
	Datum		bonus_cap;		/* numeric, as stored (display scale kept) */
	Datum		scale;			/* full_marks + bonus_cap */
	Datum		rule;			/* numeric 0 ('zero') or 1 ('exclude') */
	bool		exclude;
	int64		cap_cents;		/* bonus cap in hundredths, for total() */
	int32		cap_dscale;		/* display scale of bonus_cap */
	Size		len;
	char		bytes[FLEXIBLE_ARRAY_MEMBER];
} IndexScheme;

static Datum
scheme_numeric(HeapTupleHeader rules, const char *field)
{
	bool		isnull;
	Datum		d = GetAttributeByName(rules, field, &isnull);

	if (isnull)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("scheme field %s is NULL", field)));
	return d;
}

static const IndexScheme *
index_scheme(FunctionCallInfo fcinfo, HeapTupleHeader rules)
{
	IndexScheme *c = (IndexScheme *) fcinfo->flinfo->fn_extra;
	Size		len = HeapTupleHeaderGetDatumLength(rules);
	MemoryContext old;
	Datum		cap,
				full,
				red;
	bool		isnull;
	int64		cap_cents;
	bool		exclude;

	if (c != NULL && c->len == len && memcmp(c->bytes, rules, len) == 0)
		return c;

	cap = scheme_numeric(rules, "bonus_cap");
	full = scheme_numeric(rules, "full_marks");
	/* the checks of total(iscore, bonus_cap) */
	cap_cents = numeric_to_cents(DatumGetNumeric(cap), "bonus cap");
	if (cap_cents < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("bonus cap must not be negative")));
	red = GetAttributeByName(rules, "redline", &isnull);
	exclude = !isnull && strcmp(TextDatumGetCString(red), "exclude") == 0;

	if (c != NULL)
	{
		pfree(DatumGetPointer(c->bonus_cap));
		pfree(DatumGetPointer(c->scale));
		pfree(DatumGetPointer(c->rule));
		pfree(c);
	}
	old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
	c = palloc(offsetof(IndexScheme, bytes) + len);
	c->bonus_cap = PointerGetDatum(PG_DETOAST_DATUM_COPY(cap));
	c->scale = DirectFunctionCall2(numeric_add, full, cap);
	c->rule = NumericGetDatum(int64_to_numeric(exclude ? 1 : 0));
	MemoryContextSwitchTo(old);
	c->exclude = exclude;
	c->cap_cents = cap_cents;
	c->cap_dscale = DatumGetInt32(DirectFunctionCall1(numeric_scale, cap));
	c->len = len;
	memcpy(c->bytes, rules, len);
	fcinfo->flinfo->fn_extra = c;
	return c;
}

/* numeric shorthands; each is exactly the SQL operator of the same name */
#define NADD(a, b)	DirectFunctionCall2(numeric_add, (a), (b))
#define NSUB(a, b)	DirectFunctionCall2(numeric_sub, (a), (b))
#define NMUL(a, b)	DirectFunctionCall2(numeric_mul, (a), (b))
#define NDIV(a, b)	DirectFunctionCall2(numeric_div, (a), (b))
#define NCMP(a, b)	DatumGetInt32(DirectFunctionCall2(numeric_cmp, (a), (b)))
#define NINT(i)		NumericGetDatum(int64_to_numeric(i))

/*
 * The variance of an institution's composed total (see score_variance in
 * src/index.sql):
 *   t_i = base_i + least(bonus_i, bonus_cap)   (no veto), w_i its weight,
 *   (n * sum t^2 - (sum t)^2) * sum w^2 / (n * (n - 1) * (sum w)^2).
 * Returns false (SQL NULL) with fewer than two assessors or no weight.
 */
static bool
assessment_variance_numeric(const Assessment *a, const IndexScheme *sc, Datum *result)
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
		if (p->bonus <= sc->cap_cents)
			t = NADD(NumericGetDatum(cents_to_numeric(p->base)),
					 NumericGetDatum(cents_to_numeric(p->bonus)));
		else
			t = NADD(NumericGetDatum(cents_to_numeric(p->base)), sc->bonus_cap);
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
assessment_variance(const Assessment *a, const IndexScheme *sc, Datum *result)
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
		t = p->base + (p->bonus <= sc->cap_cents ? p->bonus : sc->cap_cents);
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
		Datum		dst = NumericGetDatum(int64_div_fast_to_numeric(st, 2));
		Datum		dst2 = NumericGetDatum(int64_div_fast_to_numeric((int64) st2, 4));
		Datum		dsw = NumericGetDatum(int64_div_fast_to_numeric(sw, 4));
		Datum		dsw2 = NumericGetDatum(int64_div_fast_to_numeric(sw2, 8));

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
	const IndexScheme *sc = index_scheme(fcinfo, PG_GETARG_HEAPTUPLEHEADER(1));
	Datum		v;

	if (!assessment_variance(a, sc, &v))
		PG_RETURN_NULL();
	PG_RETURN_DATUM(v);
}

/* where a row's variance comes from */
typedef struct VarianceSource
{
	const Assessment *a;		/* computed from this assessment, or */
	Datum		given;			/* given (when a is NULL) */
	bool		given_null;
} VarianceSource;

static void
invalid_state(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid integrity_index state"),
			 errdetail("Expected numeric[9] without NULLs.")));
}

/*
 * One row into the state (index_step in the SQL definition).  s NULL or
 * weight NULL: the state unchanged.  rules_null: an error.
 */
static Datum
index_step_core(FunctionCallInfo fcinfo, Datum state, bool state_null,
				const IScore *s, VarianceSource *var, Datum weight, bool weight_null,
				bool rules_null, int rules_arg, bool assessed)
{
	const IndexScheme *sc;
	ArrayType  *arr;
	Datum	   *st;
	bool	   *nulls;
	int			n;
	Datum		variance;
	bool		variance_null;
	Datum		t;
	Datum		zero = NINT(0);

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
	if (NCMP(weight, zero) < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("index weight must not be negative"),
				 errdetail("Got %s.", DatumGetCString(DirectFunctionCall1(numeric_out, weight)))));
	sc = index_scheme(fcinfo, PG_GETARG_HEAPTUPLEHEADER(rules_arg));

	if (state_null)
		invalid_state();
	arr = DatumGetArrayTypeP(state);
	if (ARR_NDIM(arr) != 1 || ARR_LBOUND(arr)[0] != 1 || ARR_ELEMTYPE(arr) != NUMERICOID)
		invalid_state();
	deconstruct_array(arr, NUMERICOID, -1, false, TYPALIGN_INT, &st, &nulls, &n);
	if (n != INDEX_STATE_LEN)
		invalid_state();
	for (int i = 0; i < n; i++)
		if (nulls[i])
			invalid_state();

	/* positions 1..9 of the SQL array are st[0..8] */
	if (NCMP(st[6], NINT(-1)) == 0)
	{
		st[6] = sc->scale;
		st[7] = sc->rule;
		st[8] = sc->bonus_cap;
	}
	else if (NCMP(st[6], sc->scale) != 0 || NCMP(st[7], sc->rule) != 0 ||
			 NCMP(st[8], sc->bonus_cap) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("one index cannot mix schemes with different full marks, bonus caps or red-line rules"),
				 errhint("Compute one index per scheme year (GROUP BY year).")));

	if (s->redlines > 0)
	{
		if (sc->exclude)
		{
			st[4] = NADD(st[4], NINT(1));
			goto done;
		}
	}
	if (s->redlines > 0 && assessed)
	{
		variance = zero;		/* a vetoed total is certain: 0 */
		variance_null = false;
	}
	else if (var->a != NULL)
		variance_null = !assessment_variance(var->a, sc, &variance);
	else
	{
		variance = var->given;
		variance_null = var->given_null;
	}

	t = NumericGetDatum(cents_to_numeric(iscore_total_cents(s, sc->cap_cents)));
	st[0] = NADD(st[0], weight);
	st[1] = NADD(st[1], NMUL(weight, t));
	st[3] = NADD(st[3], NINT(1));
	if (variance_null)
		st[5] = NADD(st[5], NINT(1));
	else
		st[2] = NADD(st[2], NMUL(NMUL(weight, weight), variance));

done:
	PG_RETURN_ARRAYTYPE_P(construct_array(st, INDEX_STATE_LEN, NUMERICOID, -1, false, TYPALIGN_INT));
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
	return accum_assessment(fcinfo, NINT(1), false, 2);
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
						   NINT(1), false, PG_ARGISNULL(2), 2, false);
}
