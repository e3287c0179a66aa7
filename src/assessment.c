/*
 * assessment.c — `assessment`: one institution's scores from the three
 * assessors, and their weighted composition.
 *
 * One form per institution per year is scored by the institution itself
 * (机构自评, 'self'), the inspection team (检查组考评, 'inspection') and a third
 * party (第三方测评, 'third_party').  The aggregate assess(assessor, score,
 * rules) sums each assessor's rows apart and remembers the scheme's weights;
 * score(assessment) composes them:
 *
 *   base  = sum(w_i * base_i)  / sum(w_i)   over the assessors present,
 *   bonus = sum(w_i * bonus_i) / sum(w_i)   rounded half-even to 0.01,
 *   redlines = the most hits any one assessor found (a red line found by any
 *              assessor counts; the same line seen twice is not two lines).
 *
 * A missing assessor renormalises the weights of the others.  The state is
 * the fixed-size type itself (no `internal`): parallel workers and shards
 * move it as text or binary, and combining adds the parts.
 *
 * Text form (canonical, round-trips):
 *   self:80.50+3.00;inspection:78.00+2.00!1;third_party:-;weights:0.2000/0.5000/0.3000
 *
 * SQL objects backed here: type assessment and its I/O, the aggregate
 * assess(text, iscore, scheme), score(assessment), assessors(assessment),
 * assessor_score(assessment, text), assessor_weight(assessment, text).
 */
#include "postgres.h"

#include "executor/executor.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/numeric.h"

#include "iscore.h"
#include "assessment.h"
#include "module.h"
#include "scheme.h"

StaticAssertDecl(sizeof(IScore) == 24, "iscore is 24 bytes (INTERNALLENGTH)");

StaticAssertDecl(sizeof(Assessment) == 96, "assessment is 96 bytes (INTERNALLENGTH)");

StaticAssertDecl(SCHEME_WEIGHT_ONE == WEIGHT_ONE && N_ASSESSORS == 3,
				 "a scheme's weights are the assessment's weights");

static const char *const assessor_names[N_ASSESSORS] = {"self", "inspection", "third_party"};
static const char *const assessor_names_zh[N_ASSESSORS] = {"机构自评", "检查组考评", "第三方测评"};

/* the assessor named by t, in English or (in the server encoding) Chinese */
static int
assessor_index(text *t)
{
	const char *s = VARDATA_ANY(t);
	int			len = VARSIZE_ANY_EXHDR(t);
	int			i;
	int			zlen;

	for (i = 0; i < N_ASSESSORS; i++)
		if ((len == (int) strlen(assessor_names[i]) && memcmp(s, assessor_names[i], len) == 0) ||
			integrity_name_eq(s, len, assessor_names_zh[i]))
			return i;
	if (integrity_server_name(assessor_names_zh[0], &zlen) != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown assessor \"%s\"", text_to_cstring(t)),
				 errhint("Use 'self' (%s), 'inspection' (%s) or 'third_party' (%s).",
						 integrity_server_name(assessor_names_zh[0], &zlen),
						 integrity_server_name(assessor_names_zh[1], &zlen),
						 integrity_server_name(assessor_names_zh[2], &zlen))));
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("unknown assessor \"%s\"", text_to_cstring(t)),
			 errhint("Use 'self', 'inspection' or 'third_party'.")));
	return -1;
}

static void
assessment_validate(const Assessment *a)
{
	int			i,
				sum = 0;

	if (a->version != ASSESSMENT_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid assessment: unknown version %d", a->version)));
	if (a->present < 0 || a->present >= (1 << N_ASSESSORS))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid assessment: bad assessor set %d", a->present)));
	for (i = 0; i < N_ASSESSORS; i++)
	{
		if (a->weight[i] < 0 || a->weight[i] > WEIGHT_ONE)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("invalid assessment: weight out of range")));
		sum += a->weight[i];
		iscore_validate(&a->part[i]);
		if (!(a->present & (1 << i)) &&
			(a->part[i].base != 0 || a->part[i].bonus != 0 || a->part[i].redlines != 0))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("invalid assessment: absent assessor %s has points",
							assessor_names[i])));
	}
	if (sum != WEIGHT_ONE)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid assessment: weights sum to %d/10000, not 1", sum)));
}

/* ---------------------------------------------------------------------
 * Text and binary I/O
 * --------------------------------------------------------------------- */

static void
bad_text(const char *str, const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid input syntax for type assessment: \"%s\"", str),
			 errdetail("%s", detail),
			 errhint("Write it like \"self:80.50+3.00;inspection:78.00+2.00!1;third_party:-;weights:0.2000/0.5000/0.3000\".")));
}

static bool
expect_prefix(const char **p, const char *lit)
{
	size_t		n = strlen(lit);

	if (strncmp(*p, lit, n) != 0)
		return false;
	*p += n;
	return true;
}

/* parse a weight 0.NNNN or 1.0000 (up to four decimals) */
static bool
parse_weight(const char **p, int32 *out)
{
	const char *s = *p;
	int32		v;
	int			places = 0;

	if (*s != '0' && *s != '1')
		return false;
	v = (*s - '0') * WEIGHT_ONE;
	s++;
	if (*s == '.')
	{
		int			scale = WEIGHT_ONE / 10;

		s++;
		while (*s >= '0' && *s <= '9')
		{
			if (places >= 4)
				return false;
			v += (*s - '0') * scale;
			scale /= 10;
			places++;
			s++;
		}
		if (places == 0)
			return false;
	}
	if (v > WEIGHT_ONE)
		return false;
	*out = v;
	*p = s;
	return true;
}

PG_FUNCTION_INFO_V1(assessment_in);
Datum
assessment_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	Assessment *a = palloc0(sizeof(Assessment));
	const char *p = str;
	int			i;

	a->version = ASSESSMENT_VERSION;
	while (*p == ' ')
		p++;
	for (i = 0; i < N_ASSESSORS; i++)
	{
		const char *start;
		char	   *part;
		size_t		len;

		if (!expect_prefix(&p, assessor_names[i]) || !expect_prefix(&p, ":"))
			bad_text(str, psprintf("Expected \"%s:\" at position %d.", assessor_names[i],
								   (int) (p - str) + 1));
		start = p;
		while (*p && *p != ';')
			p++;
		if (*p != ';')
			bad_text(str, "Expected \";\" after each assessor's score.");
		len = p - start;
		p++;
		if (len == 1 && *start == '-')
			continue;
		part = pnstrdup(start, len);
		/* a part is a score and nothing else: no white space anywhere */
		if (len == 0 || strpbrk(part, " \t\n\r\v\f") != NULL ||
			iscore_parse(part, &a->part[i]) != 0)
			bad_text(str, psprintf("The score of %s, \"%s\", is not a valid iscore or \"-\".",
								   assessor_names[i], part));
		a->present |= 1 << i;
	}
	if (!expect_prefix(&p, "weights:"))
		bad_text(str, "Expected \"weights:\" after the three assessors.");
	for (i = 0; i < N_ASSESSORS; i++)
	{
		if (i > 0 && !expect_prefix(&p, "/"))
			bad_text(str, "Weights are three numbers separated by \"/\".");
		if (!parse_weight(&p, &a->weight[i]))
			bad_text(str, "A weight is a number from 0 to 1 with at most four decimals.");
	}
	while (*p == ' ')
		p++;
	if (*p != '\0')
		bad_text(str, "Unexpected characters after the weights.");
	if (a->weight[0] + a->weight[1] + a->weight[2] != WEIGHT_ONE)
		bad_text(str, "The weights must sum to 1.");
	PG_RETURN_POINTER(a);
}

PG_FUNCTION_INFO_V1(assessment_out);
Datum
assessment_out(PG_FUNCTION_ARGS)
{
	Assessment *a = PG_GETARG_ASSESSMENT_P(0);
	StringInfoData buf;
	int			i;

	initStringInfo(&buf);
	for (i = 0; i < N_ASSESSORS; i++)
	{
		appendStringInfo(&buf, "%s:", assessor_names[i]);
		if (a->present & (1 << i))
			iscore_append(&buf, &a->part[i]);
		else
			appendStringInfoChar(&buf, '-');
		appendStringInfoChar(&buf, ';');
	}
	appendStringInfo(&buf, "weights:%d.%04d/%d.%04d/%d.%04d",
					 a->weight[0] / WEIGHT_ONE, a->weight[0] % WEIGHT_ONE,
					 a->weight[1] / WEIGHT_ONE, a->weight[1] % WEIGHT_ONE,
					 a->weight[2] / WEIGHT_ONE, a->weight[2] % WEIGHT_ONE);
	PG_RETURN_CSTRING(buf.data);
}

/* binary: version byte, assessor bitmask, three weights, three scores */
PG_FUNCTION_INFO_V1(assessment_recv);
Datum
assessment_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	Assessment *a = palloc0(sizeof(Assessment));
	int			i;

	integrity_recv_need(buf, 2 + N_ASSESSORS * (4 + 8 + 8 + 4), "assessment");
	a->version = pq_getmsgbyte(buf);
	a->present = pq_getmsgbyte(buf);
	for (i = 0; i < N_ASSESSORS; i++)
		a->weight[i] = (int32) pq_getmsgint(buf, 4);
	for (i = 0; i < N_ASSESSORS; i++)
	{
		a->part[i].base = pq_getmsgint64(buf);
		a->part[i].bonus = pq_getmsgint64(buf);
		a->part[i].redlines = (int32) pq_getmsgint(buf, 4);
	}
	assessment_validate(a);
	PG_RETURN_POINTER(a);
}

PG_FUNCTION_INFO_V1(assessment_send);
Datum
assessment_send(PG_FUNCTION_ARGS)
{
	Assessment *a = PG_GETARG_ASSESSMENT_P(0);
	StringInfoData buf;
	int			i;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, ASSESSMENT_VERSION);
	pq_sendbyte(&buf, a->present);
	for (i = 0; i < N_ASSESSORS; i++)
		pq_sendint32(&buf, a->weight[i]);
	for (i = 0; i < N_ASSESSORS; i++)
	{
		pq_sendint64(&buf, a->part[i].base);
		pq_sendint64(&buf, a->part[i].bonus);
		pq_sendint32(&buf, a->part[i].redlines);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* ---------------------------------------------------------------------
 * The aggregate assess(assessor, score, rules)
 * --------------------------------------------------------------------- */

PG_FUNCTION_INFO_V1(assess_accum);
Datum
assess_accum(PG_FUNCTION_ARGS)
{
	Assessment *a;
	const int32 *w;
	int			i;

	if (!AggCheckCallContext(fcinfo, NULL))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("assess_accum called outside an aggregate")));
	if (PG_ARGISNULL(2))		/* no score: skip the row, like sum() */
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	if (PG_ARGISNULL(1))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("assessor must not be NULL")));
	if (PG_ARGISNULL(3))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("scheme must not be NULL")));
	i = assessor_index(PG_GETARG_TEXT_PP(1));
	/* the scheme's weights, read and validated once per distinct scheme */
	w = scheme_get(fcinfo, PG_GETARG_DATUM(3))->weight;
	if (PG_ARGISNULL(0))
	{
		/*
		 * A group's first row: a fresh state in the per-row context.  The
		 * executor copies a new pass-by-reference state into the aggregate
		 * context; one allocated there would be left behind per group.
		 */
		a = palloc0(sizeof(Assessment));
		a->version = ASSESSMENT_VERSION;
		memcpy(a->weight, w, sizeof(a->weight));
	}
	else
	{
		a = PG_GETARG_ASSESSMENT_P(0);
		assessment_validate(a);
		if (memcmp(a->weight, w, sizeof(a->weight)) != 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("one assessment cannot mix schemes with different weights")));
	}
	iscore_accumulate(&a->part[i], PG_GETARG_ISCORE_P(2));
	a->present |= 1 << i;
	PG_RETURN_POINTER(a);
}

PG_FUNCTION_INFO_V1(assess_combine);
Datum
assess_combine(PG_FUNCTION_ARGS)
{
	Assessment *a;
	Assessment *b = PG_GETARG_ASSESSMENT_P(1);
	int			i;

	if (!AggCheckCallContext(fcinfo, NULL))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("assess_combine called outside an aggregate")));
	a = PG_GETARG_ASSESSMENT_P(0);
	assessment_validate(a);
	assessment_validate(b);
	if (memcmp(a->weight, b->weight, sizeof(a->weight)) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("one assessment cannot mix schemes with different weights")));
	for (i = 0; i < N_ASSESSORS; i++)
		iscore_accumulate(&a->part[i], &b->part[i]);
	a->present |= b->present;
	PG_RETURN_POINTER(a);
}

/* ---------------------------------------------------------------------
 * Reading an assessment
 * --------------------------------------------------------------------- */

static void
compose(const Assessment *a, IScore *out)
{
	int128		nb = 0,
				no = 0;
	int32		den = 0;
	int			i;

	memset(out, 0, sizeof(IScore));
	for (i = 0; i < N_ASSESSORS; i++)
	{
		if (!(a->present & (1 << i)))
			continue;
		nb += (int128) a->weight[i] * a->part[i].base;
		no += (int128) a->weight[i] * a->part[i].bonus;
		den += a->weight[i];
		out->redlines = Max(out->redlines, a->part[i].redlines);
	}
	if (den == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("no assessor with a positive weight assessed this institution"),
				 errhint("The scheme gives weight 0 to every assessor present.")));
	out->base = div_half_even(nb, den);
	out->bonus = div_half_even(no, den);
}

PG_FUNCTION_INFO_V1(assessment_score);
Datum
assessment_score(PG_FUNCTION_ARGS)
{
	IScore	   *s = palloc(sizeof(IScore));

	compose(PG_GETARG_ASSESSMENT_P(0), s);
	PG_RETURN_ISCORE_P(s);
}

PG_FUNCTION_INFO_V1(assessment_assessors);
Datum
assessment_assessors(PG_FUNCTION_ARGS)
{
	Assessment *a = PG_GETARG_ASSESSMENT_P(0);

	PG_RETURN_INT32(((a->present & 1) != 0) + ((a->present & 2) != 0) + ((a->present & 4) != 0));
}

PG_FUNCTION_INFO_V1(assessment_assessor_score);
Datum
assessment_assessor_score(PG_FUNCTION_ARGS)
{
	Assessment *a = PG_GETARG_ASSESSMENT_P(0);
	int			i = assessor_index(PG_GETARG_TEXT_PP(1));
	IScore	   *s;

	if (!(a->present & (1 << i)))
		PG_RETURN_NULL();
	s = palloc(sizeof(IScore));
	*s = a->part[i];
	PG_RETURN_ISCORE_P(s);
}

PG_FUNCTION_INFO_V1(assessment_assessor_weight);
Datum
assessment_assessor_weight(PG_FUNCTION_ARGS)
{
	Assessment *a = PG_GETARG_ASSESSMENT_P(0);
	int			i = assessor_index(PG_GETARG_TEXT_PP(1));

	PG_RETURN_NUMERIC(int64_div_fast_to_numeric(a->weight[i], 4));
}
