/*
 * scheme.c — the scheme (评分方案): one reader that parses and validates a
 * year's rules, for every place that takes a scheme.
 *
 * A scheme is a row of nine fields (type scheme_fields, checked by the
 * domain scheme): bonus cap, full marks, the green/blue/yellow thresholds,
 * the three assessors' weights and the red-line rule of the index.  The
 * rules are checked here and nowhere else, in one order with one set of
 * messages (SQLSTATE 22023):
 *   every field given (not NULL) and a number (not NaN); weights 0..1 in
 *   steps of 0.0001; points non-negative, exact to 0.01, at most
 *   9999999999999999.99; full marks positive; weights summing to 1;
 *   yellow < blue < green; green reachable (green <= full_marks +
 *   bonus_cap); red-line rule 'zero' or 'exclude'.
 *
 * The result is cached per call site (fn_extra), keyed on the value's bytes:
 * a literal scheme, which PostgreSQL checks again for every row because it
 * does not fold a domain check, costs one memcmp per row.
 *
 * The GUC integrity.scheme (the default of the one-argument total() and
 * grade(), read by current_scheme()) is registered here; its check hook
 * parses the text form with a parser of its own (no catalogue access) and
 * validates it with the same rules, so a malformed scheme fails at SET.
 * A check hook must not raise (it also runs in the postmaster, at a reload
 * of postgresql.conf, where an ERROR is FATAL), so the parser and the
 * validator never raise: they return false and a SchemeError (message,
 * detail, hint), which scheme_raise() turns into an ereport and the check
 * hook into GUC_check_errmsg and friends.  The numeric calls they make
 * cannot fail on what they are given (numeric_syntax_ok bounds the
 * literals numeric_in reads; the arithmetic is on checked, finite values).
 *
 * SQL objects backed here: scheme_check(scheme_fields) (the domain's CHECK),
 * grade(numeric, scheme), current_scheme(); the setting integrity.scheme.
 * Used by assess (assessment.c) and integrity_index (index.c).
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "access/parallel.h"
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/numeric.h"
#include "utils/typcache.h"

#include "iscore.h"
#include "scheme.h"

static const char *const field_names[SCHEME_NFIELDS] = {
	"bonus_cap", "full_marks", "green", "blue", "yellow",
	"w_self", "w_inspection", "w_third_party", "redline"
};

#define F_BONUS_CAP 0
#define F_FULL_MARKS 1
#define F_GREEN 2
#define F_BLUE 3
#define F_YELLOW 4
#define F_W_SELF 5
#define F_REDLINE 8

#define DEFAULT_SCHEME "(10,100,90,80,60,0.2,0.5,0.3,zero)"

/*
 * Why a scheme is invalid (22023): raised by scheme_raise, or a check
 * hook's.  The texts are translated when they are made (_()), as errmsg
 * would translate its format.
 */
typedef struct SchemeError
{
	char	   *msg;
	char	   *detail;			/* or NULL */
	char	   *hint;			/* or NULL */
} SchemeError;

static bool
scheme_fail(SchemeError *err, char *msg, char *detail, char *hint)
{
	err->msg = msg;
	err->detail = detail;
	err->hint = hint;
	return false;
}

static pg_attribute_noreturn() void
scheme_raise(const SchemeError *err)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg_internal("%s", err->msg),
			 err->detail ? errdetail_internal("%s", err->detail) : 0,
			 err->hint ? errhint("%s", err->hint) : 0));
}

/* numeric shorthands (finite operands only: none of them can raise) */
#define NUM(d)		DatumGetNumeric(d)
#define NOUT(d)		DatumGetCString(DirectFunctionCall1(numeric_out, (d)))
#define NADD(a, b)	DirectFunctionCall2(numeric_add, (a), (b))
#define NCMP(a, b)	DatumGetInt32(DirectFunctionCall2(numeric_cmp, (a), (b)))
#define NROUND(a, k) DirectFunctionCall2(numeric_round, (a), Int32GetDatum(k))
#define NINT(i)		NumericGetDatum(int64_to_numeric(i))

/*
 * Validate the nine fields (numeric x 8, text), in the order and with the
 * messages of the rules above: false and *err on the first rule broken.
 * Never raises.
 */
static bool
scheme_validate(const Datum *v, const bool *isnull, SchemeError *err)
{
	Datum		zero = NINT(0);
	Datum		one = NINT(1);
	Datum		wsum;
	Datum		best;
	char	   *rule;
	int			i;

	for (i = 0; i < F_REDLINE; i++)
	{
		const char *f = field_names[i];

		if (isnull[i])
			return scheme_fail(err, psprintf(_("invalid scheme: %s is missing"), f), NULL,
							   pstrdup(_("Every field of a scheme must be given; scheme() supplies defaults.")));
		if (numeric_is_nan(NUM(v[i])))
			return scheme_fail(err, psprintf(_("invalid scheme: %s is NaN"), f),
							   pstrdup(_("Every field of a scheme but the red-line rule is a finite number.")),
							   NULL);
		if (i >= F_W_SELF)
		{
			if (NCMP(v[i], zero) < 0 || NCMP(v[i], one) > 0 ||
				NCMP(v[i], NROUND(v[i], 4)) != 0)
				return scheme_fail(err, psprintf(_("invalid scheme: weight %s = %s is not between 0 and 1 in steps of 0.0001"),
												 f, NOUT(v[i])), NULL, NULL);
		}
		else if (numeric_is_inf(NUM(v[i])) || NCMP(v[i], zero) < 0 ||
				 NCMP(v[i], NROUND(v[i], 2)) != 0 ||
				 NCMP(v[i], NumericGetDatum(cents_to_numeric(ISCORE_MAX_CENTS))) > 0)
			return scheme_fail(err, psprintf(_("invalid scheme: %s = %s must be non-negative points with at most two decimals"),
											 f, NOUT(v[i])), NULL, NULL);
	}
	if (NCMP(v[F_FULL_MARKS], zero) == 0)
		return scheme_fail(err, pstrdup(_("invalid scheme: full_marks must be positive")), NULL, NULL);
	wsum = NADD(NADD(v[F_W_SELF], v[F_W_SELF + 1]), v[F_W_SELF + 2]);
	if (NCMP(wsum, one) != 0)
		return scheme_fail(err, psprintf(_("invalid scheme: assessor weights sum to %s, not 1"), NOUT(wsum)),
						   psprintf(_("The weights are w_self %s, w_inspection %s and w_third_party %s."),
									NOUT(v[F_W_SELF]), NOUT(v[F_W_SELF + 1]), NOUT(v[F_W_SELF + 2])),
						   NULL);
	if (!(NCMP(v[F_YELLOW], v[F_BLUE]) < 0 && NCMP(v[F_BLUE], v[F_GREEN]) < 0))
		return scheme_fail(err, pstrdup(_("invalid scheme: grade thresholds out of order")),
						   psprintf(_("The thresholds are yellow %s, blue %s and green %s."),
									NOUT(v[F_YELLOW]), NOUT(v[F_BLUE]), NOUT(v[F_GREEN])),
						   pstrdup(_("Thresholds must rise strictly: yellow < blue < green.")));
	best = NADD(v[F_FULL_MARKS], v[F_BONUS_CAP]);
	if (NCMP(v[F_GREEN], best) > 0)
		return scheme_fail(err, psprintf(_("invalid scheme: green threshold %s is above the best possible total %s"),
										 NOUT(v[F_GREEN]), NOUT(best)), NULL, NULL);
	rule = isnull[F_REDLINE] ? NULL : TextDatumGetCString(v[F_REDLINE]);
	if (rule == NULL || (strcmp(rule, "zero") != 0 && strcmp(rule, "exclude") != 0))
		return scheme_fail(err, psprintf(_("invalid scheme: redline rule %s is unknown"),
										 rule ? quote_literal_cstr(rule) : "NULL"),
						   NULL,
						   pstrdup(_("Use 'zero' (a red-line institution counts 0 in the index) or 'exclude'.")));
	return true;
}

/* the fields of a composite datum; raises if it is not a nine-field row */
static void
scheme_deform(HeapTupleHeader td, Datum *v, bool *isnull)
{
	TupleDesc	desc = lookup_rowtype_tupdesc(HeapTupleHeaderGetTypeId(td),
											  HeapTupleHeaderGetTypMod(td));
	HeapTupleData tuple;

	if (desc->natts != SCHEME_NFIELDS)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("a scheme has %d fields, not %d", SCHEME_NFIELDS, desc->natts)));
	tuple.t_len = HeapTupleHeaderGetDatumLength(td);
	ItemPointerSetInvalid(&tuple.t_self);
	tuple.t_tableOid = InvalidOid;
	tuple.t_data = td;
	heap_deform_tuple(&tuple, desc, v, isnull);
	ReleaseTupleDesc(desc);
}

/* a validated scheme's fields as a Scheme, its numerics copied into cxt */
static void
scheme_fill(Scheme *s, const Datum *v, MemoryContext cxt)
{
	MemoryContext old = MemoryContextSwitchTo(cxt);
	int			i;

	s->bonus_cap = cents_from_datum(v[F_BONUS_CAP], "bonus cap");
	s->full_marks = cents_from_datum(v[F_FULL_MARKS], "full marks");
	for (i = 0; i < 3; i++)
	{
		Datum		scaled = DirectFunctionCall2(numeric_mul, v[F_W_SELF + i],
												 NINT(SCHEME_WEIGHT_ONE));

		s->weight[i] = DatumGetInt32(DirectFunctionCall1(numeric_int4, scaled));
	}
	s->exclude = strcmp(TextDatumGetCString(v[F_REDLINE]), "exclude") == 0;
	s->cap_dscale = DatumGetInt32(DirectFunctionCall1(numeric_scale, v[F_BONUS_CAP]));
	s->bonus_cap_num = PointerGetDatum(PG_DETOAST_DATUM_COPY(v[F_BONUS_CAP]));
	s->scale_num = NADD(v[F_FULL_MARKS], v[F_BONUS_CAP]);
	s->rule_num = NINT(s->exclude ? 1 : 0);
	s->green_num = PointerGetDatum(PG_DETOAST_DATUM_COPY(v[F_GREEN]));
	s->blue_num = PointerGetDatum(PG_DETOAST_DATUM_COPY(v[F_BLUE]));
	s->yellow_num = PointerGetDatum(PG_DETOAST_DATUM_COPY(v[F_YELLOW]));
	s->cxt = cxt;
	s->extra = NULL;
	MemoryContextSwitchTo(old);
}

/* ---------------------------------------------------------------------
 * The per-call-site cache
 * --------------------------------------------------------------------- */

typedef struct SchemeCache
{
	MemoryContext cxt;			/* holds the numerics of `scheme` */
	Scheme		scheme;
	Oid			grade_oids[4];	/* grade(): enum values red..green, or 0 */
	Size		len;			/* bytes of the cached value */
	char	   *bytes;
} SchemeCache;

static SchemeCache *
scheme_cache(FunctionCallInfo fcinfo)
{
	SchemeCache *c = (SchemeCache *) fcinfo->flinfo->fn_extra;

	if (c == NULL)
	{
		c = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(SchemeCache));
		c->cxt = AllocSetContextCreate(fcinfo->flinfo->fn_mcxt, "integrity scheme cache",
									   ALLOCSET_SMALL_SIZES);
		fcinfo->flinfo->fn_extra = c;
	}
	return c;
}

const Scheme *
scheme_get(FunctionCallInfo fcinfo, Datum rules)
{
	SchemeCache *c = scheme_cache(fcinfo);
	HeapTupleHeader td = DatumGetHeapTupleHeader(rules);
	Size		len = HeapTupleHeaderGetDatumLength(td);
	Datum		v[SCHEME_NFIELDS];
	bool		isnull[SCHEME_NFIELDS];
	SchemeError err;

	if (c->bytes != NULL && c->len == len && memcmp(c->bytes, td, len) == 0)
		return &c->scheme;

	scheme_deform(td, v, isnull);
	if (!scheme_validate(v, isnull, &err))
		scheme_raise(&err);
	MemoryContextReset(c->cxt);
	c->bytes = NULL;
	scheme_fill(&c->scheme, v, c->cxt);
	c->bytes = MemoryContextAlloc(c->cxt, len);
	memcpy(c->bytes, td, len);
	c->len = len;
	return &c->scheme;
}

/* scheme_check(scheme_fields): the CHECK of the domain scheme */
PG_FUNCTION_INFO_V1(scheme_check);
Datum
scheme_check(PG_FUNCTION_ARGS)
{
	if (PG_ARGISNULL(0))		/* a NULL scheme is NULL; a row of NULLs is not */
		PG_RETURN_BOOL(true);
	(void) scheme_get(fcinfo, PG_GETARG_DATUM(0));
	PG_RETURN_BOOL(true);
}

/* grade(points numeric, rules scheme) */
PG_FUNCTION_INFO_V1(scheme_grade);
Datum
scheme_grade(PG_FUNCTION_ARGS)
{
	Datum		points = PG_GETARG_DATUM(0);
	const Scheme *s = scheme_get(fcinfo, PG_GETARG_DATUM(1));
	SchemeCache *c = (SchemeCache *) fcinfo->flinfo->fn_extra;
	static const char *const labels[4] = {"red", "yellow", "blue", "green"};
	int			g;

	if (numeric_is_nan(NUM(points)) || numeric_is_inf(NUM(points)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot grade %s points", NOUT(points)),
				 errdetail("A grade needs a finite total.")));
	if (NCMP(points, s->green_num) >= 0)
		g = 3;
	else if (NCMP(points, s->blue_num) >= 0)
		g = 2;
	else if (NCMP(points, s->yellow_num) >= 0)
		g = 1;
	else
		g = 0;
	if (c->grade_oids[g] == InvalidOid)
	{
		Oid			grade_type = get_fn_expr_rettype(fcinfo->flinfo);

		if (!OidIsValid(grade_type))
			grade_type = get_func_rettype(fcinfo->flinfo->fn_oid);
		c->grade_oids[g] = DatumGetObjectId(DirectFunctionCall2(enum_in,
																CStringGetDatum(labels[g]),
																ObjectIdGetDatum(grade_type)));
	}
	PG_RETURN_OID(c->grade_oids[g]);
}

/* ---------------------------------------------------------------------
 * The text form, for the setting integrity.scheme
 * --------------------------------------------------------------------- */

/* a numeric literal numeric_in accepts and cannot fail on (bounded size) */
static bool
numeric_syntax_ok(const char *s)
{
	const char *p = s;
	int			digits = 0;
	int			edigits = 0;
	bool		sign = false;

	while (isspace((unsigned char) *p))
		p++;
	if (*p == '+' || *p == '-')
		p++, sign = true;
	if (pg_strncasecmp(p, "infinity", 8) == 0)
		p += 8;
	else if (pg_strncasecmp(p, "inf", 3) == 0)
		p += 3;
	else if (!sign && pg_strncasecmp(p, "nan", 3) == 0)
		p += 3;
	else
	{
		while (isdigit((unsigned char) *p))
			p++, digits++;
		if (*p == '.')
		{
			p++;
			while (isdigit((unsigned char) *p))
				p++, digits++;
		}
		if (digits == 0 || digits > 1000)
			return false;
		if (*p == 'e' || *p == 'E')
		{
			p++;
			if (*p == '+' || *p == '-')
				p++;
			while (isdigit((unsigned char) *p))
				p++, edigits++;
			if (edigits == 0 || edigits > 3)
				return false;
		}
	}
	while (isspace((unsigned char) *p))
		p++;
	return *p == '\0';
}

/*
 * Parse a scheme's text form — a row literal as record_in reads it:
 * "(f1,...,f9)", fields may be double-quoted ("" and backslash escapes),
 * an empty unquoted field is NULL.  False and *err for malformed text.
 * Never raises.
 */
static bool
scheme_parse(const char *str, Datum *v, bool *isnull, SchemeError *err)
{
	const char *p = str;
	StringInfoData buf;
	int			i;

	initStringInfo(&buf);
	while (isspace((unsigned char) *p))
		p++;
	if (*p++ != '(')
		return scheme_fail(err, psprintf(_("malformed scheme \"%s\""), str),
						   pstrdup(_("Missing left parenthesis.")),
						   psprintf(_("Write it as a row: '%s'."), DEFAULT_SCHEME));
	for (i = 0; i < SCHEME_NFIELDS; i++)
	{
		bool		quoted = false;
		bool		inquote = false;

		if (i > 0)
		{
			if (*p != ',')
				return scheme_fail(err, psprintf(_("malformed scheme \"%s\""), str),
								   psprintf(_("A scheme has %d fields."), SCHEME_NFIELDS), NULL);
			p++;
		}
		resetStringInfo(&buf);
		while (*p && (inquote || (*p != ',' && *p != ')')))
		{
			char		ch = *p++;

			if (ch == '\\')
			{
				if (*p == '\0')
					break;
				appendStringInfoChar(&buf, *p++);
			}
			else if (ch == '"')
			{
				if (!inquote)
					inquote = quoted = true;
				else if (*p == '"')
					appendStringInfoChar(&buf, *p++);
				else
					inquote = false;
			}
			else
				appendStringInfoChar(&buf, ch);
		}
		if (*p == '\0')
			return scheme_fail(err, psprintf(_("malformed scheme \"%s\""), str),
							   pstrdup(_("Unexpected end of input.")), NULL);
		isnull[i] = !quoted && buf.len == 0;
		if (isnull[i])
			v[i] = (Datum) 0;
		else if (i == F_REDLINE)
			v[i] = CStringGetTextDatum(buf.data);
		else if (!numeric_syntax_ok(buf.data))
			return scheme_fail(err, psprintf(_("invalid scheme: %s = \"%s\" is not a number"),
											 field_names[i], buf.data), NULL, NULL);
		else
			v[i] = DirectFunctionCall3(numeric_in, CStringGetDatum(buf.data),
									   ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1));
	}
	if (*p++ != ')')
		return scheme_fail(err, psprintf(_("malformed scheme \"%s\""), str),
						   psprintf(_("A scheme has %d fields."), SCHEME_NFIELDS), NULL);
	while (isspace((unsigned char) *p))
		p++;
	if (*p != '\0')
		return scheme_fail(err, psprintf(_("malformed scheme \"%s\""), str),
						   pstrdup(_("Junk after right parenthesis.")), NULL);
	return true;
}

/* ---------------------------------------------------------------------
 * The setting integrity.scheme and current_scheme()
 * --------------------------------------------------------------------- */

static char *scheme_setting = NULL;
/* true while the library defines the setting (see scheme_init) */
static bool scheme_loading = false;
/* a value SET before the library was loaded that PostgreSQL dropped, or NULL */
static char *scheme_dropped = NULL;

static void
scheme_assign_hook(const char *newval, void *extra)
{
	if (!scheme_loading)
		scheme_dropped = NULL;	/* set since: that value holds */
}

static bool
scheme_check_hook(char **newval, void **extra, GucSource source)
{
	Datum		v[SCHEME_NFIELDS];
	bool		isnull[SCHEME_NFIELDS];
	SchemeError err;

	if (*newval == NULL || (*newval)[0] == '\0')
		return true;
	if (scheme_loading || IsParallelWorker())
		return true;			/* kept unchecked; current_scheme() reports it */
	if (scheme_parse(*newval, v, isnull, &err) && scheme_validate(v, isnull, &err))
		return true;
	GUC_check_errcode(ERRCODE_INVALID_PARAMETER_VALUE);
	GUC_check_errmsg("%s", err.msg);
	if (err.detail)
		GUC_check_errdetail("%s", err.detail);
	if (err.hint)
		GUC_check_errhint("%s", err.hint);
	return false;
}

/*
 * A value SET in a session before the library was loaded there was kept as
 * a placeholder, unchecked.  Refusing it now (with a WARNING, as PostgreSQL
 * does for a bad placeholder) would leave the default in its place and let
 * total() and grade() run on a scheme nobody chose; so while the library
 * defines the setting, the check hook keeps whatever was set, and
 * current_scheme() raises the scheme's error when it reads it — in this
 * process and, since the value travels with the session's settings, in
 * parallel workers (which take the leader's settings as they are, so that
 * a query that does not read this one still runs).  SET or RESET mends it.
 */
void
scheme_init(void)
{
	const char *pending = GetConfigOption("integrity.scheme", true, false);
	char	   *before = pending ? MemoryContextStrdup(TopMemoryContext, pending) : NULL;

	scheme_loading = true;
	DefineCustomStringVariable("integrity.scheme",
							   "Default scheme of the one-argument total() and grade().",
							   "A scheme's text form, e.g. '" DEFAULT_SCHEME "'; empty means scheme().",
							   &scheme_setting,
							   "",
							   PGC_USERSET,
							   0,
							   scheme_check_hook,
							   scheme_assign_hook,
							   NULL);
	scheme_loading = false;
	/*
	 * Inside a parallel operation PostgreSQL cannot apply a pending value at
	 * all (a WARNING says so) and the default takes its place: remember it,
	 * so that current_scheme() raises an error rather than use the default.
	 */
	if (before != NULL && strcmp(before, scheme_setting ? scheme_setting : "") != 0)
		scheme_dropped = before;
	else if (before != NULL)
		pfree(before);
}

static void
unchecked_setting_context(void *arg)
{
	errcontext("integrity.scheme \"%s\", set before the extension was loaded in this session (SET a valid scheme or RESET it)",
			   (const char *) arg);
}

PG_FUNCTION_INFO_V1(current_scheme);
Datum
current_scheme(PG_FUNCTION_ARGS)
{
	typedef struct
	{
		char	   *text;
		HeapTupleHeader tuple;
	}			CurrentCache;
	CurrentCache *c = (CurrentCache *) fcinfo->flinfo->fn_extra;
	const char *text = (scheme_setting && scheme_setting[0]) ? scheme_setting : DEFAULT_SCHEME;
	HeapTupleHeader copy;

	if (scheme_dropped != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("integrity.scheme \"%s\" was not applied", scheme_dropped),
				 errdetail("It was set before the extension was loaded in this session, and the extension was loaded inside a parallel operation, where settings cannot change."),
				 errhint("SET integrity.scheme again, or load the extension first (LOAD 'integrity', or session_preload_libraries).")));
	if (c == NULL || strcmp(c->text, text) != 0)
	{
		Datum		v[SCHEME_NFIELDS];
		bool		isnull[SCHEME_NFIELDS];
		SchemeError err;
		TupleDesc	desc;
		HeapTuple	tuple;
		MemoryContext old;
		ErrorContextCallback cb;

		/* a value set before the library was loaded: checked only now */
		cb.callback = unchecked_setting_context;
		cb.arg = unconstify(char *, text);
		cb.previous = error_context_stack;
		error_context_stack = &cb;
		if (!scheme_parse(text, v, isnull, &err) || !scheme_validate(v, isnull, &err))
			scheme_raise(&err);
		error_context_stack = cb.previous;
		switch (get_call_result_type(fcinfo, NULL, &desc))
		{
			case TYPEFUNC_COMPOSITE:
			case TYPEFUNC_COMPOSITE_DOMAIN:
				break;
			default:
				elog(ERROR, "current_scheme() must return a composite type");
		}
		old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
		if (c == NULL)
			c = palloc0(sizeof(CurrentCache));
		else
		{
			pfree(c->text);
			pfree(c->tuple);
		}
		desc = BlessTupleDesc(CreateTupleDescCopy(desc));
		tuple = heap_form_tuple(desc, v, isnull);
		c->tuple = (HeapTupleHeader) DatumGetPointer(heap_copy_tuple_as_datum(tuple, desc));
		c->text = pstrdup(text);
		MemoryContextSwitchTo(old);
		fcinfo->flinfo->fn_extra = c;
	}
	copy = palloc(HeapTupleHeaderGetDatumLength(c->tuple));
	memcpy(copy, c->tuple, HeapTupleHeaderGetDatumLength(c->tuple));
	PG_RETURN_HEAPTUPLEHEADER(copy);
}
