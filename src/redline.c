/*
 * redline.c — red-line aggregates: zero tolerance as an SQL primitive.
 *
 * A red line is not a deduction; touching one vetoes the result.  These
 * aggregates keep an `iscore` as their state (base = summed points, redlines
 * = hits), so partial states are a plain SQL type that parallel query and
 * sharded engines move as text or binary, and combining is iscore addition.
 *
 * SQL objects backed here:
 *   iscore_agg(class text, points numeric) -> iscore
 *       builds a score from indicator rows: class 'basic' (基础项) adds to
 *       basic points, 'bonus' (加分项) to bonus points, 'redline' (红线项)
 *       counts `points` red-line hits (a whole number >= 0; 0 = checked and
 *       clean).  Rows with a NULL argument are skipped, like sum().
 *   redline_sum(points numeric, is_redline boolean) -> numeric
 *       sum(points), or 0 as soon as one row is a red line.
 *
 * The Chinese class names are compared in the server encoding (module.h).
 */
#include "postgres.h"

#include "utils/builtins.h"
#include "utils/numeric.h"

#include "iscore.h"
#include "module.h"

typedef enum ItemClass
{
	ITEM_BASIC,
	ITEM_BONUS,
	ITEM_REDLINE
} ItemClass;

static const char *const class_names[3] = {"basic", "bonus", "redline"};
static const char *const class_names_zh[3] = {"基础项", "加分项", "红线项"};

static ItemClass
item_class(text *t)
{
	const char *s = VARDATA_ANY(t);
	int			len = VARSIZE_ANY_EXHDR(t);
	int			i;
	int			zlen;

	for (i = 0; i < 3; i++)
		if ((len == (int) strlen(class_names[i]) && memcmp(s, class_names[i], len) == 0) ||
			integrity_name_eq(s, len, class_names_zh[i]))
			return (ItemClass) i;
	if (integrity_server_name(class_names_zh[0], &zlen) != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown indicator class \"%s\"", text_to_cstring(t)),
				 errhint("Use 'basic' (%s), 'bonus' (%s) or 'redline' (%s).",
						 integrity_server_name(class_names_zh[0], &zlen),
						 integrity_server_name(class_names_zh[1], &zlen),
						 integrity_server_name(class_names_zh[2], &zlen))));
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("unknown indicator class \"%s\"", text_to_cstring(t)),
			 errhint("Use 'basic', 'bonus' or 'redline'.")));
	return ITEM_BASIC;			/* keep the compiler quiet */
}

/*
 * The state: the caller's, updated in place, inside an aggregate; a fresh
 * zero for a group's first row.  The fresh state is allocated in the
 * current (per-row) memory context, not in the aggregate context: the
 * executor copies a new pass-by-reference state into the aggregate context
 * itself, so a state allocated there would be left behind once per group.
 */
static IScore *
state_for_update(FunctionCallInfo fcinfo)
{
	if (!AggCheckCallContext(fcinfo, NULL))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("transition function called outside an aggregate")));
	if (!PG_ARGISNULL(0))
		return PG_GETARG_ISCORE_P(0);
	return palloc0(sizeof(IScore));
}

PG_FUNCTION_INFO_V1(iscore_item_accum);
Datum
iscore_item_accum(PG_FUNCTION_ARGS)
{
	IScore	   *state;
	int64		cents;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	state = state_for_update(fcinfo);
	cents = cents_from_datum(PG_GETARG_DATUM(2), "indicator points");
	switch (item_class(PG_GETARG_TEXT_PP(1)))
	{
		case ITEM_BASIC:
			state->base = cents_add(state->base, cents, "basic points");
			break;
		case ITEM_BONUS:
			state->bonus = cents_add(state->bonus, cents, "bonus points");
			break;
		case ITEM_REDLINE:
			if (cents < 0 || cents % 100 != 0 || cents / 100 > PG_INT32_MAX)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("red-line points must be a whole number of hits, not negative"),
						 errdetail("Got %s.",
								   DatumGetCString(DirectFunctionCall1(numeric_out,
																	   PG_GETARG_DATUM(2)))),
						 errhint("Red-line rows count hits: record 1 for each red line touched, 0 for a red line checked and clean.")));
			state->redlines = redlines_add(state->redlines, (int32) (cents / 100));
			break;
	}
	PG_RETURN_ISCORE_P(state);
}

PG_FUNCTION_INFO_V1(redline_sum_accum);
Datum
redline_sum_accum(PG_FUNCTION_ARGS)
{
	IScore	   *state;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	if (PG_ARGISNULL(2))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("red-line flag must not be NULL"),
				 errhint("An unknown flag cannot be counted as clean; use coalesce() if NULL means no red line.")));
	state = state_for_update(fcinfo);
	state->base = cents_add(state->base, cents_from_datum(PG_GETARG_DATUM(1), "points"),
							"points");
	if (PG_GETARG_BOOL(2))
		state->redlines = redlines_add(state->redlines, 1);
	PG_RETURN_ISCORE_P(state);
}

PG_FUNCTION_INFO_V1(redline_sum_final);
Datum
redline_sum_final(PG_FUNCTION_ARGS)
{
	IScore	   *s;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	s = PG_GETARG_ISCORE_P(0);
	PG_RETURN_NUMERIC(cents_to_numeric(s->redlines > 0 ? 0 : s->base));
}
