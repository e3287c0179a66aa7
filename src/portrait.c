/*
 * portrait.c — the integrity portrait (清廉画像) of one subject.
 *
 * A portrait is the compact profile of an employee, cadre or institution
 * built in one pass over its event rows (dimension, points, time): per
 * dimension the positive and the negative points (exact, in hundredths), the
 * number of events and of red-line hits; the first and last event; and one
 * bucket per calendar month (UTC) with the net points and the event count,
 * from which the reader functions give the recent trend as of any date.
 * Dimensions are data: any non-empty text of at most PORTRAIT_MAX_NAME bytes,
 * at most PORTRAIT_MAX_DIMS distinct ones per portrait (past that: an error,
 * never truncation).
 *
 * SQL objects backed here (declared in src/portrait.sql):
 *   type portrait (portrait_in, portrait_out, portrait_recv, portrait_send;
 *     portrait_from_bytea runs the receive function on a bytea)
 *   aggregate portrait(text, numeric, timestamptz [, boolean])
 *     transition portrait_trans / portrait_trans_flag, combine
 *     portrait_combine, final portrait_final (compaction)
 *   readers: portrait_jsonb, portrait_dimensions, portrait_months,
 *     portrait_trend, portrait_total, portrait_positive, portrait_negative,
 *     portrait_events, portrait_redlines, portrait_first, portrait_last,
 *     portrait_dimension_points, portrait_dimension_events,
 *     portrait_dimension_count
 *   risk: portrait_tags, portrait_grade (text), portrait_risk (the enum
 *     risk_grade), under the rules of the domain portrait_rules
 *
 * Points are bounded as iscore's are: the positive points of all dimensions
 * together, and the negative ones, each within +/-9999999999999999.99, so
 * every sum a reader prints fits (PORTRAIT_MAX_CENTS below).
 *
 * Memory layout of a portrait value (also the aggregate state; never sent on
 * the wire — send/recv use an explicit, versioned, network-order format):
 *
 *   PortraitData header          (version, counts and capacities, first/last)
 *   PortraitDim  dims[dimcap]    sorted by name, bytewise; ndims used
 *   PortraitMonth months[monthcap] sorted by month; nmonths used
 *   char names[namecap]          name bytes, namelen used
 *
 * Rows that hit an existing dimension and month update the state in place
 * (it lives in the aggregate context, AggCheckCallContext); when it must
 * grow, a larger copy (filling its allocator chunk) is made in the per-row
 * context and returned, and the executor copies it into the aggregate
 * context and frees the old state itself — so the old state is never
 * repalloc'd or freed here (that would be a double free).  portrait_final, portrait_in, portrait_recv and portrait_combine
 * produce the compact canonical form (capacities equal to counts, names in
 * dimension order).
 */
#include "postgres.h"

#include <limits.h>

#include "access/htup_details.h"
#include "catalog/pg_enum.h"
#include "catalog/pg_type.h"
#include "common/int.h"
#include "fmgr.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "nodes/execnodes.h"
#include "nodes/nodes.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/json.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/numeric.h"
#include "utils/syscache.h"
#include "utils/timestamp.h"
#include "utils/typcache.h"

#include "iscore.h"
#include "module.h"

#define PORTRAIT_VERSION	1
#define PORTRAIT_MAX_DIMS	64		/* distinct dimensions per portrait */
#define PORTRAIT_MAX_NAME	128		/* bytes per dimension name */
#define PORTRAIT_MAX_TREND_MONTHS 1200

/*
 * Room of a new aggregate state (not in a partial aggregate, see
 * partial_aggregate): a typical subject's dimensions and months
 * (about six dimensions of the eight default modules, nine or ten months:
 * 0.4 kB), so that most states are allocated once and never grow: growing
 * copies the state twice (here, then the executor into the aggregate
 * context) and leaves the smaller chunk behind in the aggregate context.
 */
#define PORTRAIT_INITIAL_DIMS	6
#define PORTRAIT_INITIAL_MONTHS	10

/*
 * Points: every sum a portrait holds or prints — the positive and the
 * negative points of all dimensions together, hence every dimension, month
 * and window — lies within +/- PORTRAIT_MAX_CENTS (the iscore bound,
 * 9999999999999999.99 points), so every reader can add them up in an int64.
 * The aggregate, combine and input refuse anything beyond (22003).
 *
 * PORTRAIT_FLAG_SMALL: every dimension's positive and negative points are
 * within PORTRAIT_SMALL_CENTS, so no sum over at most PORTRAIT_MAX_DIMS of
 * them can pass the bound; the transition function then needs no sum over
 * the dimensions per row.  The flag is a function of the content, set by
 * every constructor; a clear flag only means "check", so values written by
 * 1.0 (flags 0) are read correctly.
 */
#define PORTRAIT_MAX_CENTS	ISCORE_MAX_CENTS
#define PORTRAIT_SMALL_CENTS (PORTRAIT_MAX_CENTS / PORTRAIT_MAX_DIMS)
#define PORTRAIT_FLAG_SMALL 0x01

typedef struct PortraitDim
{
	int64		pos;			/* sum of positive points, hundredths, >= 0 */
	int64		neg;			/* sum of negative points, hundredths, <= 0 */
	int64		events;			/* events in this dimension, >= 1 */
	int32		redlines;		/* red-line hits among them */
	uint16		name_off;		/* offset of the name in the names area */
	uint16		name_len;		/* bytes */
} PortraitDim;

typedef struct PortraitMonth
{
	int32		month;			/* months since 2000-01 (UTC), may be < 0 */
	int32		events;			/* >= 1 */
	int64		points;			/* net points, hundredths */
} PortraitMonth;

typedef struct PortraitData
{
	int32		vl_len_;
	uint8		version;
	uint8		flags;			/* PORTRAIT_FLAG_*, derived from the content */
	uint8		ndims;
	uint8		dimcap;
	uint16		namelen;
	uint16		namecap;
	int32		nmonths;
	int32		monthcap;
	int32		mhint;			/* last month slot hit (aggregate only) */
	TimestampTz first;
	TimestampTz last;
} PortraitData;

typedef PortraitData *Portrait;

#define P_DIMS(p)	((PortraitDim *) ((char *) (p) + sizeof(PortraitData)))
#define P_MONTHS(p) ((PortraitMonth *) ((char *) P_DIMS(p) + (Size) (p)->dimcap * sizeof(PortraitDim)))
#define P_NAMES(p)	((char *) P_MONTHS(p) + (Size) (p)->monthcap * sizeof(PortraitMonth))
#define P_SIZE(dc, mc, nc) (sizeof(PortraitData) + (Size) (dc) * sizeof(PortraitDim) + \
							(Size) (mc) * sizeof(PortraitMonth) + (Size) (nc))

#define DatumGetPortrait(d) ((Portrait) PG_DETOAST_DATUM(d))
#define PG_GETARG_PORTRAIT(n) DatumGetPortrait(PG_GETARG_DATUM(n))

StaticAssertDecl(sizeof(PortraitData) % MAXIMUM_ALIGNOF == 0, "header alignment");
StaticAssertDecl(sizeof(PortraitDim) % MAXIMUM_ALIGNOF == 0, "dim alignment");
StaticAssertDecl(sizeof(PortraitMonth) % MAXIMUM_ALIGNOF == 0, "month alignment");

/* ------------------------------------------------------------------------
 * small helpers
 * ------------------------------------------------------------------------ */

static void points_range_error(void);

static void
overflow_error(const char *what)
{
	if (strcmp(what, "points") == 0)
		points_range_error();
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("portrait %s out of range", what)));
}

static void
points_range_error(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("portrait points out of range"),
			 errdetail("The positive and the negative points of a portrait must each add up to within +/-9999999999999999.99.")));
}

static inline bool
cents_small(int64 pos, int64 neg)
{
	return pos <= PORTRAIT_SMALL_CENTS && neg >= -PORTRAIT_SMALL_CENTS;
}

static inline int64
add64(int64 a, int64 b, const char *what)
{
	int64		r;

	if (unlikely(pg_add_s64_overflow(a, b, &r)))
		overflow_error(what);
	return r;
}

/* UTF-8 text converted to the server encoding, kept in TopMemoryContext */
static const char *
server_text_from_utf8(const char *utf8, int *len)
{
	char	   *conv = pg_any_to_server(utf8, strlen(utf8), PG_UTF8);
	char	   *keep = MemoryContextStrdup(TopMemoryContext, conv);

	if (conv != utf8)
		pfree(conv);
	*len = strlen(keep);
	return keep;
}

/* bytewise name order: memcmp over the common prefix, then length */
static inline int
name_cmp(const char *a, int alen, const char *b, int blen)
{
	int			c = memcmp(a, b, Min(alen, blen));

	if (c != 0)
		return c;
	return (alen > blen) - (alen < blen);
}

static TimestampTz ts_min_cache = 0,
			ts_max_cache = 0;

static void
init_ts_bounds(void)
{
	if (ts_max_cache == 0)
	{
		ts_min_cache = (TimestampTz) (date2j(1, 1, 1) - POSTGRES_EPOCH_JDATE) * USECS_PER_DAY;
		ts_max_cache = (TimestampTz) (date2j(10000, 1, 1) - POSTGRES_EPOCH_JDATE) * USECS_PER_DAY;
	}
}

static inline bool
ts_in_range(TimestampTz ts)
{
	init_ts_bounds();
	return ts >= ts_min_cache && ts < ts_max_cache;
}

/* month index since 2000-01 of a timestamp, in UTC; caller checked range */
static inline int32
ts_month(TimestampTz ts)
{
	int64		days = ts / USECS_PER_DAY;
	int64		z,
				era,
				doe,
				yoe,
				doy,
				mp,
				y,
				m;

	if (ts % USECS_PER_DAY < 0)
		days--;
	/* proleptic Gregorian civil date from a day count (days from 0000-03-01) */
	z = days + 730425;			/* 2000-01-01 is day 730425 of that count */
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	m = mp < 10 ? mp + 3 : mp - 9;
	y = yoe + era * 400 + (m <= 2);
	return (int32) ((y - 2000) * 12 + (m - 1));
}

static void
check_event_time(TimestampTz ts)
{
	if (unlikely(!ts_in_range(ts)))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("event time out of range for portrait"),
				 errdetail("Event times must be finite and fall in the years 1 to 9999 (UTC).")));
}

static inline void
month_ym(int32 month, int *y, int *m)
{
	int32		q = month / 12,
				r = month % 12;

	if (r < 0)
	{
		r += 12;
		q--;
	}
	*y = 2000 + q;
	*m = r + 1;
}

/* month index bounds matching the timestamp bounds */
#define MONTH_MIN ((1 - 2000) * 12)
#define MONTH_MAX ((9999 - 2000) * 12 + 11)

/*
 * numeric -> hundredths, through the shared digit reader of iscore.c.
 * Values finer than 0.01 are an error (22023), values beyond the int64
 * range of hundredths 22003, NaN and infinities 22023.
 */
static int64
numeric_cents(Datum d)
{
	int64		cents = 0;

	switch (numeric_datum_cents(d, &cents))
	{
		case NUMERIC_CENTS_OK:
			break;
		case NUMERIC_CENTS_SPECIAL:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("portrait points must be finite"),
					 errdetail("NaN and infinite points cannot be summed exactly.")));
			break;
		case NUMERIC_CENTS_FINER:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("portrait points must be whole hundredths"),
					 errdetail("Points are exact to 0.01; the value has finer digits."),
					 errhint("Round the points with round(points, 2) if that is what you mean.")));
			break;
		case NUMERIC_CENTS_RANGE:
			points_range_error();
			break;
		case NUMERIC_CENTS_INVALID:
			elog(ERROR, "invalid numeric datum");
			break;
	}
	return cents;
}

static Numeric
cents_numeric(int64 c)
{
	return int64_div_fast_to_numeric(c, 2);
}

static void
append_cents(StringInfo s, int64 c)
{
	uint64		a;

	if (c < 0)
	{
		appendStringInfoChar(s, '-');
		a = (uint64) (-(c + 1)) + 1;
	}
	else
		a = (uint64) c;
	appendStringInfo(s, UINT64_FORMAT ".%02d", a / 100, (int) (a % 100));
}

/* canonical UTC timestamp text: YYYY-MM-DD HH:MM:SS[.ffffff]+00 */
static void
append_ts(StringInfo s, TimestampTz ts, bool iso_t)
{
	struct pg_tm tm;
	fsec_t		fsec;

	if (timestamp2tm(ts, NULL, &tm, &fsec, NULL, NULL) != 0)
		elog(ERROR, "portrait timestamp out of range");
	appendStringInfo(s, "%04d-%02d-%02d%c%02d:%02d:%02d",
					 tm.tm_year, tm.tm_mon, tm.tm_mday, iso_t ? 'T' : ' ',
					 tm.tm_hour, tm.tm_min, tm.tm_sec);
	if (fsec != 0)
	{
		char		buf[8];
		int			n;

		snprintf(buf, sizeof(buf), "%06d", (int) fsec);
		for (n = 6; n > 0 && buf[n - 1] == '0'; n--)
			;
		buf[n] = '\0';
		appendStringInfo(s, ".%s", buf);
	}
	appendStringInfoString(s, "+00");
	if (iso_t)
		appendStringInfoString(s, ":00");
}

/* ------------------------------------------------------------------------
 * building, checking, copying
 * ------------------------------------------------------------------------ */

static Portrait
portrait_alloc(int dimcap, int monthcap, int namecap)
{
	Size		sz = P_SIZE(dimcap, monthcap, namecap);
	Portrait	p;

	if (sz > MaxAllocSize)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("portrait too large")));
	p = (Portrait) palloc0(sz);
	SET_VARSIZE(p, sz);
	p->version = PORTRAIT_VERSION;
	p->dimcap = dimcap;
	p->monthcap = monthcap;
	p->namecap = namecap;
	return p;
}

/* PORTRAIT_FLAG_SMALL from the dimensions */
static void
portrait_set_flags(Portrait p)
{
	PortraitDim *pd = P_DIMS(p);
	bool		small = true;
	int			i;

	for (i = 0; i < p->ndims; i++)
		small &= cents_small(pd[i].pos, pd[i].neg);
	p->flags = small ? PORTRAIT_FLAG_SMALL : 0;
}

/*
 * The points bound over all dimensions (22003 past it); the state's own
 * dimensions, except dimension skip (-1: none), plus pos and neg.
 */
static void
check_points_bound(Portrait p, int skip, int64 pos, int64 neg)
{
	PortraitDim *pd = P_DIMS(p);
	int			i;

	for (i = 0; i < p->ndims; i++)
	{
		if (i == skip)
			continue;
		if (pg_add_s64_overflow(pos, pd[i].pos, &pos) ||
			pg_add_s64_overflow(neg, pd[i].neg, &neg))
			points_range_error();
	}
	if (pos > PORTRAIT_MAX_CENTS || neg < -PORTRAIT_MAX_CENTS)
		points_range_error();
}

/* copy with new capacities (>= counts); compact == names in dim order */
static Portrait
portrait_copy(Portrait src, int dimcap, int monthcap, int namecap)
{
	Portrait	p = portrait_alloc(dimcap, monthcap, namecap);
	PortraitDim *sd = P_DIMS(src),
			   *dd = P_DIMS(p);
	char	   *sn = P_NAMES(src),
			   *dn = P_NAMES(p);
	int			off = 0;
	int			i;

	p->ndims = src->ndims;
	p->nmonths = src->nmonths;
	p->first = src->first;
	p->last = src->last;
	for (i = 0; i < src->ndims; i++)
	{
		dd[i] = sd[i];
		memcpy(dn + off, sn + sd[i].name_off, sd[i].name_len);
		dd[i].name_off = off;
		off += sd[i].name_len;
	}
	p->namelen = off;
	memcpy(P_MONTHS(p), P_MONTHS(src), (Size) src->nmonths * sizeof(PortraitMonth));
	portrait_set_flags(p);
	return p;
}

static Portrait
portrait_compact(Portrait src)
{
	int			names = 0;
	int			i;

	for (i = 0; i < src->ndims; i++)
		names += P_DIMS(src)[i].name_len;
	return portrait_copy(src, src->ndims, src->nmonths, names);
}

/*
 * Cheap structural check of a value in memory layout (combine, final and the
 * readers trust values made by this file, but a value read back from a
 * table of a future version must not be misread).
 */
static void
portrait_check_layout(Portrait p)
{
	if (p->version != PORTRAIT_VERSION ||
		p->ndims < 1 || p->ndims > p->dimcap || p->ndims > PORTRAIT_MAX_DIMS ||
		p->nmonths < 1 || p->nmonths > p->monthcap ||
		p->namelen > p->namecap ||
		VARSIZE(p) != P_SIZE(p->dimcap, p->monthcap, p->namecap))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("invalid portrait value"),
				 errdetail("Version %d, %d dimensions, %d months, size %u.",
						   p->version, p->ndims, p->nmonths, VARSIZE(p))));
}

/* parsed but unchecked portrait, from text or binary input */
typedef struct BuildDim
{
	char	   *name;
	int			len;
	int64		pos,
				neg,
				events,
				redlines;
} BuildDim;

typedef struct BuildMonth
{
	int32		month;
	int64		points;
	int64		events;
} BuildMonth;

typedef struct Builder
{
	int			errcode;
	TimestampTz first,
				last;
	int			ndims,
				dimcap;
	BuildDim   *dims;
	int			nmonths,
				monthcap;
	BuildMonth *months;
} Builder;

static void
builder_init(Builder *b, int errcode)
{
	memset(b, 0, sizeof(Builder));
	b->errcode = errcode;
	b->dimcap = 8;
	b->dims = palloc(sizeof(BuildDim) * b->dimcap);
	b->monthcap = 16;
	b->months = palloc(sizeof(BuildMonth) * b->monthcap);
}

static BuildDim *
builder_add_dim(Builder *b)
{
	if (b->ndims >= PORTRAIT_MAX_DIMS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("portrait has too many dimensions"),
				 errdetail("A portrait holds at most %d distinct dimensions.", PORTRAIT_MAX_DIMS)));
	if (b->ndims == b->dimcap)
	{
		b->dimcap *= 2;
		b->dims = repalloc(b->dims, sizeof(BuildDim) * b->dimcap);
	}
	return &b->dims[b->ndims++];
}

static BuildMonth *
builder_add_month(Builder *b)
{
	if (b->nmonths >= MONTH_MAX - MONTH_MIN + 1)
		ereport(ERROR,
				(errcode(b->errcode),
				 errmsg("invalid portrait"),
				 errdetail("Too many month buckets.")));
	if (b->nmonths == b->monthcap)
	{
		b->monthcap *= 2;
		b->months = repalloc(b->months, sizeof(BuildMonth) * b->monthcap);
	}
	return &b->months[b->nmonths++];
}

#define BAD(...) \
	ereport(ERROR, (errcode(b->errcode), errmsg("invalid portrait"), errdetail(__VA_ARGS__)))

/* validate every invariant, then lay out the compact value */
static Portrait
builder_finish(Builder *b)
{
	int64		dim_events = 0,
				dim_pos = 0,
				dim_neg = 0,
				month_events = 0,
				month_pos = 0,
				month_neg = 0;
	int			names = 0;
	int			i;
	Portrait	p;
	PortraitDim *pd;
	char	   *pn;

	if (b->ndims < 1)
		BAD("A portrait has at least one dimension.");
	if (b->nmonths < 1)
		BAD("A portrait has at least one month bucket.");
	if (!ts_in_range(b->first) || !ts_in_range(b->last))
		BAD("First and last event times must fall in the years 1 to 9999.");
	if (b->first > b->last)
		BAD("The first event is later than the last.");
	for (i = 0; i < b->ndims; i++)
	{
		BuildDim   *d = &b->dims[i];

		if (d->len < 1 || d->len > PORTRAIT_MAX_NAME)
			BAD("Dimension names have 1 to %d bytes.", PORTRAIT_MAX_NAME);
		if (!pg_verifymbstr(d->name, d->len, true))
			BAD("Dimension name %d is not valid in the server encoding.", i + 1);
		if (i > 0 && name_cmp(b->dims[i - 1].name, b->dims[i - 1].len, d->name, d->len) >= 0)
			BAD("Dimensions must be sorted by name (bytewise) without duplicates: \"%s\" after \"%s\".",
				d->name, b->dims[i - 1].name);
		if (d->pos < 0)
			BAD("Positive points of \"%s\" are negative.", d->name);
		if (d->neg > 0)
			BAD("Negative points of \"%s\" are positive.", d->name);
		if (d->events < 1)
			BAD("Dimension \"%s\" has no events.", d->name);
		if (d->redlines < 0 || d->redlines > d->events || d->redlines > PG_INT32_MAX)
			BAD("Red-line hits of \"%s\" must be between 0 and its event count (and at most %d).",
				d->name, PG_INT32_MAX);
		if (pg_add_s64_overflow(dim_events, d->events, &dim_events))
			BAD("Event counts add up beyond the 64-bit range.");
		if (pg_add_s64_overflow(dim_pos, d->pos, &dim_pos) ||
			pg_add_s64_overflow(dim_neg, d->neg, &dim_neg) ||
			dim_pos > PORTRAIT_MAX_CENTS || dim_neg < -PORTRAIT_MAX_CENTS)
			points_range_error();
		names += d->len;
	}
	for (i = 0; i < b->nmonths; i++)
	{
		BuildMonth *m = &b->months[i];

		if (m->month < MONTH_MIN || m->month > MONTH_MAX)
			BAD("Month bucket out of range.");
		if (i > 0 && b->months[i - 1].month >= m->month)
			BAD("Month buckets must be sorted without duplicates.");
		if (m->events < 1 || m->events > PG_INT32_MAX)
			BAD("A month bucket has 1 to %d events.", PG_INT32_MAX);
		/* a month's net points: a positive part no larger than its
		 * positive points, a negative part likewise; the monthly parts
		 * therefore add up within the dimensions' points (checked below) */
		if (pg_add_s64_overflow(month_events, m->events, &month_events))
			BAD("Event counts add up beyond the 64-bit range.");
		if (m->points > 0 ? pg_add_s64_overflow(month_pos, m->points, &month_pos)
			: pg_add_s64_overflow(month_neg, m->points, &month_neg))
			points_range_error();
	}
	if (dim_events != month_events)
		BAD("Events per dimension (" INT64_FORMAT ") and per month (" INT64_FORMAT ") disagree.",
			dim_events, month_events);
	if (dim_pos + dim_neg != month_pos + month_neg)
		BAD("Points per dimension and per month disagree.");
	if (month_pos > dim_pos || month_neg < dim_neg)
		BAD("The months' gains or losses exceed the dimensions' positive or negative points.");
	if (ts_month(b->first) != b->months[0].month ||
		ts_month(b->last) != b->months[b->nmonths - 1].month)
		BAD("First and last event must fall in the first and last month buckets.");
	if (dim_events == 1 && b->first != b->last)
		BAD("A portrait of one event has equal first and last times.");

	p = portrait_alloc(b->ndims, b->nmonths, names);
	p->ndims = b->ndims;
	p->nmonths = b->nmonths;
	p->first = b->first;
	p->last = b->last;
	pd = P_DIMS(p);
	pn = P_NAMES(p);
	names = 0;
	for (i = 0; i < b->ndims; i++)
	{
		pd[i].pos = b->dims[i].pos;
		pd[i].neg = b->dims[i].neg;
		pd[i].events = b->dims[i].events;
		pd[i].redlines = b->dims[i].redlines;
		pd[i].name_off = names;
		pd[i].name_len = b->dims[i].len;
		memcpy(pn + names, b->dims[i].name, b->dims[i].len);
		names += b->dims[i].len;
	}
	p->namelen = names;
	for (i = 0; i < b->nmonths; i++)
	{
		PortraitMonth *m = &P_MONTHS(p)[i];

		m->month = b->months[i].month;
		m->points = b->months[i].points;
		m->events = b->months[i].events;
	}
	portrait_set_flags(p);
	return p;
}

/* ------------------------------------------------------------------------
 * text I/O
 *
 *   v1|FIRST|LAST|"dim"=POS/NEG/EVENTS/REDLINES;...|YYYY-MM=POINTS/EVENTS;...
 *
 * FIRST/LAST: YYYY-MM-DD HH:MM:SS[.ffffff]+00 (UTC); points: -?D+.DD;
 * names in double quotes with \" and \\ escaped.  Dimensions sorted by name
 * bytewise, months ascending: the text of a portrait is canonical.
 * ------------------------------------------------------------------------ */

typedef struct Parser
{
	const char *s;
	const char *start;
} Parser;

#define PBAD(what) \
	ereport(ERROR, \
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION), \
			 errmsg("invalid input syntax for type portrait: \"%s\"", ps->start), \
			 errdetail("%s at character %d.", what, (int) (ps->s - ps->start) + 1)))

static void
expect(Parser *ps, char c)
{
	if (*ps->s != c)
	{
		char		msg[40];

		snprintf(msg, sizeof(msg), "Expected \"%c\"", c);
		PBAD(msg);
	}
	ps->s++;
}

static uint64
parse_digits(Parser *ps, int mindig, int maxdig, const char *what)
{
	uint64		v = 0;
	int			n = 0;

	while (*ps->s >= '0' && *ps->s <= '9')
	{
		if (n >= maxdig || v > (PG_UINT64_MAX - 9) / 10)
			PBAD(what);
		v = v * 10 + (*ps->s - '0');
		ps->s++;
		n++;
	}
	if (n < mindig)
		PBAD(what);
	return v;
}

/*
 * A number in canonical form: decimal digits without leading zeros ("0"
 * itself is the only number starting with 0).  Up to 19 digits are read
 * into the result; *toolong is set when there are more (all are consumed).
 */
static uint64
parse_number(Parser *ps, const char *what, bool *toolong)
{
	uint64		v = 0;
	int			n = 0;

	*toolong = false;
	if (*ps->s < '0' || *ps->s > '9')
		PBAD(what);
	if (ps->s[0] == '0' && ps->s[1] >= '0' && ps->s[1] <= '9')
		PBAD("Leading zeros in a number (the text form is canonical)");
	while (*ps->s >= '0' && *ps->s <= '9')
	{
		if (n < 19)
			v = v * 10 + (*ps->s - '0');
		else
			*toolong = true;
		ps->s++;
		n++;
	}
	return v;
}

static int64
parse_count(Parser *ps)
{
	bool		toolong;
	uint64		v = parse_number(ps, "Expected a count", &toolong);

	if (toolong || v > (uint64) PG_INT64_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("portrait count out of range"),
				 errdetail("Counts are 64-bit integers.")));
	return (int64) v;
}

/* points: -?D+.DD, canonical (no leading zeros, no -0.00), within the bound */
static int64
parse_points(Parser *ps)
{
	bool		neg = false;
	bool		toolong;
	uint64		whole,
				frac;
	int64		v;

	if (*ps->s == '-')
	{
		neg = true;
		ps->s++;
	}
	whole = parse_number(ps, "Expected points as digits with two decimals", &toolong);
	expect(ps, '.');
	frac = parse_digits(ps, 2, 2, "Points have exactly two decimals");
	if (toolong || whole > (uint64) (PORTRAIT_MAX_CENTS / 100))
		points_range_error();
	v = (int64) (whole * 100 + frac);
	if (neg && v == 0)
		PBAD("Negative zero (-0.00) is written 0.00");
	return neg ? -v : v;
}

static TimestampTz
parse_ts(Parser *ps)
{
	int			y,
				mo,
				d,
				h,
				mi,
				sec;
	int64		usec = 0;
	TimestampTz ts;

	y = (int) parse_digits(ps, 4, 4, "Expected a year of four digits");
	expect(ps, '-');
	mo = (int) parse_digits(ps, 2, 2, "Expected a month of two digits");
	expect(ps, '-');
	d = (int) parse_digits(ps, 2, 2, "Expected a day of two digits");
	expect(ps, ' ');
	h = (int) parse_digits(ps, 2, 2, "Expected an hour of two digits");
	expect(ps, ':');
	mi = (int) parse_digits(ps, 2, 2, "Expected minutes of two digits");
	expect(ps, ':');
	sec = (int) parse_digits(ps, 2, 2, "Expected seconds of two digits");
	if (*ps->s == '.')
	{
		int			n = 0;

		ps->s++;
		while (*ps->s >= '0' && *ps->s <= '9' && n < 6)
		{
			usec = usec * 10 + (*ps->s - '0');
			ps->s++;
			n++;
		}
		if (n == 0 || (*ps->s >= '0' && *ps->s <= '9'))
			PBAD("Expected 1 to 6 fractional digits");
		if (ps->s[-1] == '0')
			PBAD("Trailing zeros in fractional seconds (the text form is canonical)");
		for (; n < 6; n++)
			usec *= 10;
	}
	expect(ps, '+');
	expect(ps, '0');
	expect(ps, '0');
	if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > day_tab[isleap(y)][mo - 1] ||
		h > 23 || mi > 59 || sec > 59)
		PBAD("Invalid date or time");
	ts = (TimestampTz) (date2j(y, mo, d) - POSTGRES_EPOCH_JDATE) * USECS_PER_DAY +
		((int64) h * 3600 + mi * 60 + sec) * USECS_PER_SEC + usec;
	return ts;
}

static char *
parse_name(Parser *ps, int *len)
{
	StringInfoData buf;

	initStringInfo(&buf);
	expect(ps, '"');
	for (;;)
	{
		char		c = *ps->s;

		if (c == '\0')
			PBAD("Unterminated dimension name");
		if (c == '"')
			break;
		if (c == '\\')
		{
			ps->s++;
			c = *ps->s;
			if (c != '"' && c != '\\')
				PBAD("Only \\\" and \\\\ are escapes in dimension names");
		}
		appendStringInfoChar(&buf, c);
		ps->s++;
	}
	ps->s++;
	*len = buf.len;
	return buf.data;
}

PG_FUNCTION_INFO_V1(portrait_in);
Datum
portrait_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	Parser		pss = {str, str};
	Parser	   *ps = &pss;
	Builder		b;
	bool		toolong;

	builder_init(&b, ERRCODE_INVALID_TEXT_REPRESENTATION);
	expect(ps, 'v');
	if (parse_number(ps, "Expected a version number", &toolong) != PORTRAIT_VERSION || toolong)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("unsupported portrait version"),
				 errdetail("This build reads version %d.", PORTRAIT_VERSION)));
	expect(ps, '|');
	b.first = parse_ts(ps);
	expect(ps, '|');
	b.last = parse_ts(ps);
	expect(ps, '|');
	for (;;)
	{
		BuildDim   *d = builder_add_dim(&b);

		d->name = parse_name(ps, &d->len);
		expect(ps, '=');
		d->pos = parse_points(ps);
		expect(ps, '/');
		d->neg = parse_points(ps);
		expect(ps, '/');
		d->events = parse_count(ps);
		expect(ps, '/');
		d->redlines = parse_count(ps);
		if (*ps->s != ';')
			break;
		ps->s++;
	}
	expect(ps, '|');
	for (;;)
	{
		BuildMonth *m = builder_add_month(&b);
		int			y,
					mo;

		y = (int) parse_digits(ps, 4, 4, "Expected a month as YYYY-MM");
		expect(ps, '-');
		mo = (int) parse_digits(ps, 2, 2, "Expected a month as YYYY-MM");
		if (y < 1 || mo < 1 || mo > 12)
			PBAD("Invalid month");
		m->month = (y - 2000) * 12 + (mo - 1);
		expect(ps, '=');
		m->points = parse_points(ps);
		expect(ps, '/');
		m->events = parse_count(ps);
		if (*ps->s != ';')
			break;
		ps->s++;
	}
	if (*ps->s != '\0')
		PBAD("Unexpected trailing characters");
	PG_RETURN_POINTER(builder_finish(&b));
}

static void
append_name(StringInfo s, const char *name, int len)
{
	int			i;

	appendStringInfoChar(s, '"');
	for (i = 0; i < len; i++)
	{
		if (name[i] == '"' || name[i] == '\\')
			appendStringInfoChar(s, '\\');
		appendStringInfoChar(s, name[i]);
	}
	appendStringInfoChar(s, '"');
}

PG_FUNCTION_INFO_V1(portrait_out);
Datum
portrait_out(PG_FUNCTION_ARGS)
{
	Portrait	p = PG_GETARG_PORTRAIT(0);
	StringInfoData s;
	PortraitDim *pd;
	char	   *pn;
	int			i;

	portrait_check_layout(p);
	pd = P_DIMS(p);
	pn = P_NAMES(p);
	initStringInfo(&s);
	appendStringInfo(&s, "v%d|", PORTRAIT_VERSION);
	append_ts(&s, p->first, false);
	appendStringInfoChar(&s, '|');
	append_ts(&s, p->last, false);
	appendStringInfoChar(&s, '|');
	for (i = 0; i < p->ndims; i++)
	{
		if (i > 0)
			appendStringInfoChar(&s, ';');
		append_name(&s, pn + pd[i].name_off, pd[i].name_len);
		appendStringInfoChar(&s, '=');
		append_cents(&s, pd[i].pos);
		appendStringInfoChar(&s, '/');
		append_cents(&s, pd[i].neg);
		appendStringInfo(&s, "/" INT64_FORMAT "/%d", pd[i].events, pd[i].redlines);
	}
	appendStringInfoChar(&s, '|');
	for (i = 0; i < p->nmonths; i++)
	{
		PortraitMonth *m = &P_MONTHS(p)[i];
		int			y,
					mo;

		if (i > 0)
			appendStringInfoChar(&s, ';');
		month_ym(m->month, &y, &mo);
		appendStringInfo(&s, "%04d-%02d=", y, mo);
		append_cents(&s, m->points);
		appendStringInfo(&s, "/%d", m->events);
	}
	PG_RETURN_CSTRING(s.data);
}

/* ------------------------------------------------------------------------
 * binary I/O: uint8 version, int64 first, int64 last, int32 ndims,
 * per dimension int32 byte length + name (client encoding), int64 pos, neg,
 * events, redlines; int32 nmonths, per month int32 month (since 2000-01),
 * int64 points, events.
 * ------------------------------------------------------------------------ */

/* the fewest bytes of one dimension: length, a 1-byte name, four int64 */
#define RECV_DIM_MIN (4 + 1 + 4 * 8)

PG_FUNCTION_INFO_V1(portrait_recv);
Datum
portrait_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	Builder		b;
	int			version;
	int32		n;
	int			i;

	builder_init(&b, ERRCODE_INVALID_BINARY_REPRESENTATION);
	integrity_recv_need(buf, 1, "portrait");
	version = pq_getmsgbyte(buf);
	if (version != PORTRAIT_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("unsupported portrait version %d", version),
				 errdetail("This build reads version %d.", PORTRAIT_VERSION)));
	integrity_recv_need(buf, 8 + 8 + 4, "portrait");
	b.first = (TimestampTz) pq_getmsgint64(buf);
	b.last = (TimestampTz) pq_getmsgint64(buf);
	n = (int32) pq_getmsgint(buf, 4);
	/*
	 * More dimensions than the value has room for (each takes at least
	 * RECV_DIM_MIN bytes): a malformed value.  More than a portrait holds,
	 * in a value that has the room: this build's limit (as for arrays).
	 */
	if (n < 1 || n > (buf->len - buf->cursor) / RECV_DIM_MIN)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid number of portrait dimensions: %d", n),
				 n < 1 ? errdetail("A portrait holds 1 to %d dimensions.", PORTRAIT_MAX_DIMS)
				 : errdetail("The value has room for at most %d.", (buf->len - buf->cursor) / RECV_DIM_MIN)));
	if (n > PORTRAIT_MAX_DIMS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("invalid number of portrait dimensions: %d", n),
				 errdetail("A portrait holds 1 to %d dimensions.", PORTRAIT_MAX_DIMS)));
	for (i = 0; i < n; i++)
	{
		BuildDim   *d = builder_add_dim(&b);
		int32		len;

		integrity_recv_need(buf, 4, "portrait");
		len = (int32) pq_getmsgint(buf, 4);
		if (len < 1 || len > 4 * PORTRAIT_MAX_NAME || len > buf->len - buf->cursor)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("invalid portrait dimension name length %d", len)));
		d->name = pq_getmsgtext(buf, len, &d->len);
		integrity_recv_need(buf, 4 * 8, "portrait");
		d->pos = pq_getmsgint64(buf);
		d->neg = pq_getmsgint64(buf);
		d->events = pq_getmsgint64(buf);
		d->redlines = pq_getmsgint64(buf);
	}
	integrity_recv_need(buf, 4, "portrait");
	n = (int32) pq_getmsgint(buf, 4);
	if (n < 1 || n > MONTH_MAX - MONTH_MIN + 1 || n > (buf->len - buf->cursor) / 20)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid number of portrait month buckets: %d", n)));
	for (i = 0; i < n; i++)
	{
		BuildMonth *m = builder_add_month(&b);

		m->month = (int32) pq_getmsgint(buf, 4);
		m->points = pq_getmsgint64(buf);
		m->events = pq_getmsgint64(buf);
	}
	if (buf->cursor != buf->len)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg_plural("invalid portrait: %d trailing byte",
							   "invalid portrait: %d trailing bytes",
							   buf->len - buf->cursor, buf->len - buf->cursor)));
	PG_RETURN_POINTER(builder_finish(&b));
}

PG_FUNCTION_INFO_V1(portrait_send);
Datum
portrait_send(PG_FUNCTION_ARGS)
{
	Portrait	p = PG_GETARG_PORTRAIT(0);
	StringInfoData buf;
	PortraitDim *pd;
	char	   *pn;
	int			i;

	portrait_check_layout(p);
	pd = P_DIMS(p);
	pn = P_NAMES(p);
	pq_begintypsend(&buf);
	pq_sendbyte(&buf, PORTRAIT_VERSION);
	pq_sendint64(&buf, p->first);
	pq_sendint64(&buf, p->last);
	pq_sendint32(&buf, p->ndims);
	for (i = 0; i < p->ndims; i++)
	{
		char	   *conv = pg_server_to_client(pn + pd[i].name_off, pd[i].name_len);
		int			clen = (conv == pn + pd[i].name_off) ? (int) pd[i].name_len : (int) strlen(conv);

		pq_sendint32(&buf, clen);
		pq_sendbytes(&buf, conv, clen);
		pq_sendint64(&buf, pd[i].pos);
		pq_sendint64(&buf, pd[i].neg);
		pq_sendint64(&buf, pd[i].events);
		pq_sendint64(&buf, (int64) pd[i].redlines);
	}
	pq_sendint32(&buf, p->nmonths);
	for (i = 0; i < p->nmonths; i++)
	{
		PortraitMonth *m = &P_MONTHS(p)[i];

		pq_sendint32(&buf, m->month);
		pq_sendint64(&buf, m->points);
		pq_sendint64(&buf, (int64) m->events);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* ------------------------------------------------------------------------
 * the aggregate
 * ------------------------------------------------------------------------ */

/*
 * The default red-line dimension, 红线 (U+7EA2 U+7EBF), in the server
 * encoding: converted from UTF-8 once per backend and kept.  Every server
 * encoding the extension supports (see integrity.control) has these
 * characters, so the conversion cannot fail there; in any other encoding it
 * raises its own error, like any text that does not fit the encoding.
 */
static const char *redline_name = NULL;
static int	redline_len = 0;

static void
init_redline_name(void)
{
	static const char utf8[] = "\xe7\xba\xa2\xe7\xba\xbf";

	if (likely(redline_name != NULL))
		return;
	redline_name = server_text_from_utf8(utf8, &redline_len);
}

static inline int
find_dim(Portrait p, const char *name, int len, bool *found)
{
	PortraitDim *pd = P_DIMS(p);
	const char *pn = P_NAMES(p);
	int			lo = 0,
				hi = p->ndims;
	int			i;

	/*
	 * Dimensions are few: scan for an equal name, rejecting most candidates
	 * on the length and the last eight bytes; binary search only for the
	 * insertion point of a new name.
	 */
	if (len >= 8)
	{
		uint64		tail,
					t2;

		memcpy(&tail, name + len - 8, 8);
		for (i = 0; i < hi; i++)
		{
			if (pd[i].name_len != len)
				continue;
			memcpy(&t2, pn + pd[i].name_off + len - 8, 8);
			if (t2 == tail && memcmp(pn + pd[i].name_off, name, len - 8) == 0)
			{
				*found = true;
				return i;
			}
		}
	}
	else
	{
		for (i = 0; i < hi; i++)
		{
			if (pd[i].name_len == len && memcmp(pn + pd[i].name_off, name, len) == 0)
			{
				*found = true;
				return i;
			}
		}
	}

	while (lo < hi)
	{
		int			mid = (lo + hi) >> 1;
		int			c = name_cmp(pn + pd[mid].name_off, pd[mid].name_len, name, len);

		if (c == 0)
		{
			*found = true;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = false;
	return lo;
}

static inline int
find_month(Portrait p, int32 month, bool *found)
{
	PortraitMonth *pm = P_MONTHS(p);
	int			n = p->nmonths;
	int			pos;

	if (p->mhint < n && pm[p->mhint].month == month)
	{
		*found = true;
		return p->mhint;
	}
	if (n <= 16)
	{
		/* few buckets: a branch-free count of the smaller months */
		int			i;

		pos = 0;
		for (i = 0; i < n; i++)
			pos += (pm[i].month < month);
	}
	else
	{
		/* branch-free binary search */
		const PortraitMonth *base = pm;
		int			len = n;

		while (len > 1)
		{
			int			half = len / 2;

			base = (base[half - 1].month < month) ? base + half : base;
			len -= half;
		}
		pos = (int) (base - pm) + (base->month < month);
	}
	*found = (pos < n && pm[pos].month == month);
	return pos;
}

/*
 * Two ways to size a state.  Where the final function follows (a serial
 * or a finalizing aggregate, a window), a new state has room for a typical
 * subject and every state fills the memory chunk that palloc hands out for
 * it anyway (AllocSet rounds small requests up to a power of two): the
 * spare bytes become month slots and dimension slots with name room, so a
 * state grows rarely and takes no more memory in the aggregate context.
 * A parallel worker's partial aggregate, though, hands its states on as
 * they are — through the tuple queue, sorted, combined — so there every
 * spare byte is paid for again: those states start small and grow by a
 * little each time (more copies, smaller states; measured, the better
 * trade there).
 */
static inline bool
partial_aggregate(FunctionCallInfo fcinfo)
{
	return fcinfo->context != NULL && IsA(fcinfo->context, AggState) &&
		DO_AGGSPLIT_SKIPFINAL(((AggState *) fcinfo->context)->aggsplit);
}

/* capacities at least the given ones, filling their allocator chunk */
static void
fill_capacities(int *dc, int *mc, int *nc, int namelen)
{
	Size		need = P_SIZE(*dc, *mc, *nc);
	Size		spare = (need <= 8192 ? pg_nextpower2_size_t(need) : need) - need;
	Size		dimcost = sizeof(PortraitDim) + namelen;
	bool		progress = true;

	while (progress)
	{
		progress = false;
		if (spare >= sizeof(PortraitMonth) && *mc < MONTH_MAX - MONTH_MIN + 1)
		{
			(*mc)++;
			spare -= sizeof(PortraitMonth);
			progress = true;
		}
		if (spare >= dimcost && *dc < PORTRAIT_MAX_DIMS)
		{
			(*dc)++;
			*nc += namelen;
			spare -= dimcost;
			progress = true;
		}
	}
}

/*
 * A larger copy with room for one more dimension (name of newlen bytes,
 * when newlen > 0) and/or one more month, in the current (per-row) memory
 * context: the executor copies it into the aggregate context and frees the
 * old state.  Room for two more dimensions (names of the same length) and
 * one more month, then whatever fills the chunk.
 */
static Portrait
portrait_grow(Portrait p, int newlen, bool newmonth, bool fill)
{
	int			dc = p->dimcap,
				nc = p->namecap,
				mc = Max(p->monthcap, p->nmonths + (newmonth ? 1 : 0) + 1);

	if (newlen > 0)
	{
		if (p->ndims == dc)
			dc = Min(PORTRAIT_MAX_DIMS, dc + 2);
		if (p->namelen + newlen > nc)
			nc = Min(PORTRAIT_MAX_DIMS * PORTRAIT_MAX_NAME, p->namelen + 3 * newlen);
	}
	if (fill)
		fill_capacities(&dc, &mc, &nc, Max(newlen, p->ndims > 0 ? p->namelen / p->ndims : 0));
	return portrait_copy(p, dc, mc, nc);
}

static Datum
portrait_trans_common(FunctionCallInfo fcinfo, bool has_flag)
{
	MemoryContext aggctx;
	bool		in_agg = AggCheckCallContext(fcinfo, &aggctx) != 0;
	bool		partial = in_agg && partial_aggregate(fcinfo);
	Portrait	p;
	struct varlena *dimv;
	const char *name;
	int			len;
	int64		cents;
	TimestampTz at;
	bool		redline;
	int32		month;
	int			di,
				mi;
	bool		dfound,
				mfound;
	PortraitDim *d;
	PortraitMonth *m;
	int64		newpos,
				newneg,
				dev,
				mpoints,
				mev;

	/* rows with a NULL argument are skipped, as every SQL aggregate does */
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3) ||
		(has_flag && PG_ARGISNULL(4)))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}

	/*
	 * With many groups the states do not fit in the CPU caches, and every
	 * row touches several cache lines of its state (header, dimensions,
	 * names, a month): ask for all of them now, so that the misses overlap
	 * with each other and with reading the arguments below instead of
	 * stalling one after the other.  The first 512 bytes (a typical state)
	 * are requested without reading the state's size first, which would
	 * wait for the first miss; a prefetch past the end of an allocation
	 * is harmless.  (Only states built by this function, in an aggregate.)
	 */
	if (in_agg && !PG_ARGISNULL(0))
	{
		const char *st = (const char *) PG_GETARG_POINTER(0);
		int			off;

		for (off = 0; off < 512; off += 64)
			__builtin_prefetch(st + off, 1);
	}

	dimv = pg_detoast_datum_packed((struct varlena *) PG_GETARG_POINTER(1));
	name = VARDATA_ANY(dimv);
	len = VARSIZE_ANY_EXHDR(dimv);
	if (unlikely(len < 1 || len > PORTRAIT_MAX_NAME))
		ereport(ERROR,
				(errcode(len < 1 ? ERRCODE_INVALID_PARAMETER_VALUE : ERRCODE_STRING_DATA_RIGHT_TRUNCATION),
				 errmsg(len < 1 ? "portrait dimension name must not be empty"
						: "portrait dimension name is too long"),
				 errdetail("Dimension names have 1 to %d bytes.", PORTRAIT_MAX_NAME)));
	cents = numeric_cents(PG_GETARG_DATUM(2));
	at = PG_GETARG_TIMESTAMPTZ(3);
	check_event_time(at);
	month = ts_month(at);
	if (has_flag)
		redline = PG_GETARG_BOOL(4);
	else
	{
		init_redline_name();
		redline = (len == redline_len && len > 0 && memcmp(name, redline_name, len) == 0);
	}

	if (PG_ARGISNULL(0))
	{
		int			dc = 2,
					mc = 2,
					nc = 2 * len;

		if (!partial)
		{
			dc = PORTRAIT_INITIAL_DIMS;
			mc = PORTRAIT_INITIAL_MONTHS;
			nc = PORTRAIT_INITIAL_DIMS * len;
			fill_capacities(&dc, &mc, &nc, len);
		}
		p = portrait_alloc(dc, mc, nc);
		p->first = p->last = at;
		p->flags = PORTRAIT_FLAG_SMALL;		/* no dimension yet */
	}
	else
	{
		p = (Portrait) PG_GETARG_POINTER(0);
		if (!in_agg)
		{
			/* called as a plain function: never modify the argument */
			p = DatumGetPortrait(PG_GETARG_DATUM(0));
			portrait_check_layout(p);
			p = portrait_copy(p, p->dimcap, p->monthcap, p->namecap);
		}
	}

	di = find_dim(p, name, len, &dfound);
	mi = find_month(p, month, &mfound);

	/* compute every new value first: an error leaves the state untouched */
	if (dfound)
	{
		d = &P_DIMS(p)[di];
		newpos = d->pos;
		newneg = d->neg;
		dev = add64(d->events, 1, "event count");
	}
	else
	{
		if (p->ndims >= PORTRAIT_MAX_DIMS)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("portrait has too many dimensions"),
					 errdetail("A portrait holds at most %d distinct dimensions; \"%.*s\" would be number %d.",
							   PORTRAIT_MAX_DIMS, len, name, PORTRAIT_MAX_DIMS + 1),
					 errhint("Map rare dimensions to fewer, broader ones before aggregating.")));
		newpos = newneg = 0;
		dev = 1;
	}
	if (cents > 0)
		newpos = add64(newpos, cents, "points");
	else
		newneg = add64(newneg, cents, "points");
	/* the bound over all dimensions: a sum only when a dimension is large */
	if (unlikely(!(p->flags & PORTRAIT_FLAG_SMALL) || !cents_small(newpos, newneg)))
		check_points_bound(p, dfound ? di : -1, newpos, newneg);
	if (mfound)
	{
		m = &P_MONTHS(p)[mi];
		mpoints = add64(m->points, cents, "points");
		if (unlikely(m->events == PG_INT32_MAX))
			overflow_error("monthly event count");
		mev = m->events + 1;
	}
	else
	{
		mpoints = cents;
		mev = 1;
	}

	/* grow if needed: a new copy in the per-row context, moved by the executor */
	if ((!dfound && (p->ndims == p->dimcap || p->namelen + len > p->namecap)) ||
		(!mfound && p->nmonths == p->monthcap))
		p = portrait_grow(p, dfound ? 0 : len, !mfound, !partial);

	if (!dfound)
	{
		PortraitDim *pd = P_DIMS(p);

		memmove(&pd[di + 1], &pd[di], (Size) (p->ndims - di) * sizeof(PortraitDim));
		memcpy(P_NAMES(p) + p->namelen, name, len);
		pd[di].name_off = p->namelen;
		pd[di].name_len = len;
		pd[di].redlines = 0;
		p->namelen += len;
		p->ndims++;
	}
	d = &P_DIMS(p)[di];
	d->pos = newpos;
	d->neg = newneg;
	d->events = dev;
	if (!cents_small(newpos, newneg))
		p->flags &= ~PORTRAIT_FLAG_SMALL;
	if (redline)
	{
		if (unlikely(d->redlines == PG_INT32_MAX))
			overflow_error("red-line count");
		d->redlines++;
	}

	if (!mfound)
	{
		PortraitMonth *pm = P_MONTHS(p);

		memmove(&pm[mi + 1], &pm[mi], (Size) (p->nmonths - mi) * sizeof(PortraitMonth));
		pm[mi].month = month;
		p->nmonths++;
	}
	m = &P_MONTHS(p)[mi];
	m->points = mpoints;
	m->events = mev;
	p->mhint = mi;

	if (at < p->first)
		p->first = at;
	if (at > p->last)
		p->last = at;

	if ((Pointer) dimv != PG_GETARG_POINTER(1))
		pfree(dimv);
	PG_RETURN_POINTER(p);
}

PG_FUNCTION_INFO_V1(portrait_trans);
Datum
portrait_trans(PG_FUNCTION_ARGS)
{
	return portrait_trans_common(fcinfo, false);
}

PG_FUNCTION_INFO_V1(portrait_trans_flag);
Datum
portrait_trans_flag(PG_FUNCTION_ARGS)
{
	return portrait_trans_common(fcinfo, true);
}

/*
 * combine: merge two portraits.  Strict (the executor adopts the first
 * non-NULL state).  Checks both inputs and every sum; the result is a new
 * compact value.
 */
PG_FUNCTION_INFO_V1(portrait_combine);
Datum
portrait_combine(PG_FUNCTION_ARGS)
{
	Portrait	a = PG_GETARG_PORTRAIT(0);
	Portrait	b = PG_GETARG_PORTRAIT(1);
	PortraitDim *ad,
			   *bd,
			   *rd;
	PortraitMonth *am,
			   *bm,
			   *rm;
	char	   *an,
			   *bn,
			   *rn;
	int			i,
				j,
				k,
				nd,
				nm;
	Portrait	r;

	portrait_check_layout(a);
	portrait_check_layout(b);
	ad = P_DIMS(a);
	bd = P_DIMS(b);
	an = P_NAMES(a);
	bn = P_NAMES(b);
	am = P_MONTHS(a);
	bm = P_MONTHS(b);

	/* count the union of dimensions and months */
	for (i = j = nd = 0; i < a->ndims || j < b->ndims; nd++)
	{
		int			c;

		if (i >= a->ndims)
			c = 1;
		else if (j >= b->ndims)
			c = -1;
		else
			c = name_cmp(an + ad[i].name_off, ad[i].name_len, bn + bd[j].name_off, bd[j].name_len);
		if (c <= 0)
			i++;
		if (c >= 0)
			j++;
	}
	if (nd > PORTRAIT_MAX_DIMS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("portrait has too many dimensions"),
				 errdetail("Combining gives %d distinct dimensions; a portrait holds at most %d.",
						   nd, PORTRAIT_MAX_DIMS)));
	for (i = j = nm = 0; i < a->nmonths || j < b->nmonths; nm++)
	{
		if (i < a->nmonths && (j >= b->nmonths || am[i].month <= bm[j].month))
		{
			if (j < b->nmonths && am[i].month == bm[j].month)
				j++;
			i++;
		}
		else
			j++;
	}

	r = portrait_alloc(nd, nm, a->namelen + b->namelen);
	rd = P_DIMS(r);
	rn = P_NAMES(r);
	rm = P_MONTHS(r);
	for (i = j = k = 0; k < nd; k++)
	{
		int			c;
		const char *src;
		uint32		slen;

		if (i >= a->ndims)
			c = 1;
		else if (j >= b->ndims)
			c = -1;
		else
			c = name_cmp(an + ad[i].name_off, ad[i].name_len, bn + bd[j].name_off, bd[j].name_len);
		if (c < 0)
		{
			rd[k] = ad[i];
			src = an + ad[i].name_off;
			slen = ad[i].name_len;
			i++;
		}
		else if (c > 0)
		{
			rd[k] = bd[j];
			src = bn + bd[j].name_off;
			slen = bd[j].name_len;
			j++;
		}
		else
		{
			rd[k].pos = add64(ad[i].pos, bd[j].pos, "points");
			rd[k].neg = add64(ad[i].neg, bd[j].neg, "points");
			rd[k].events = add64(ad[i].events, bd[j].events, "event count");
			if (pg_add_s32_overflow(ad[i].redlines, bd[j].redlines, &rd[k].redlines))
				overflow_error("red-line count");
			src = an + ad[i].name_off;
			slen = ad[i].name_len;
			i++;
			j++;
		}
		memcpy(rn + r->namelen, src, slen);
		rd[k].name_off = r->namelen;
		rd[k].name_len = slen;
		r->namelen += slen;
	}
	r->ndims = nd;
	r->namecap = r->namelen;	/* names of shared dims counted once */
	for (i = j = k = 0; k < nm; k++)
	{
		if (i < a->nmonths && (j >= b->nmonths || am[i].month < bm[j].month))
			rm[k] = am[i++];
		else if (i >= a->nmonths || bm[j].month < am[i].month)
			rm[k] = bm[j++];
		else
		{
			rm[k].month = am[i].month;
			rm[k].points = add64(am[i].points, bm[j].points, "points");
			if (pg_add_s32_overflow(am[i].events, bm[j].events, &rm[k].events))
				overflow_error("monthly event count");
			i++;
			j++;
		}
	}
	r->nmonths = nm;
	r->first = Min(a->first, b->first);
	r->last = Max(a->last, b->last);
	check_points_bound(r, -1, 0, 0);
	portrait_set_flags(r);
	SET_VARSIZE(r, P_SIZE(r->dimcap, r->monthcap, r->namecap));
	PG_RETURN_POINTER(r);
}

/* final function: the compact canonical copy of the state */
PG_FUNCTION_INFO_V1(portrait_final);
Datum
portrait_final(PG_FUNCTION_ARGS)
{
	Portrait	p;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	p = PG_GETARG_PORTRAIT(0);
	portrait_check_layout(p);
	PG_RETURN_POINTER(portrait_compact(p));
}

/* ------------------------------------------------------------------------
 * readers
 * ------------------------------------------------------------------------ */

static Portrait
get_portrait(FunctionCallInfo fcinfo, int n)
{
	Portrait	p = PG_GETARG_PORTRAIT(n);

	portrait_check_layout(p);
	return p;
}

static void
portrait_sums(Portrait p, int64 *pos, int64 *neg, int64 *events, int64 *redlines)
{
	PortraitDim *pd = P_DIMS(p);
	int64		a = 0,
				b = 0,
				c = 0,
				d = 0;
	int			i;

	for (i = 0; i < p->ndims; i++)
	{
		a = add64(a, pd[i].pos, "points");
		b = add64(b, pd[i].neg, "points");
		c = add64(c, pd[i].events, "event count");
		d = add64(d, pd[i].redlines, "red-line count");
	}
	*pos = a;
	*neg = b;
	*events = c;
	*redlines = d;
}

PG_FUNCTION_INFO_V1(portrait_total);
Datum
portrait_total(PG_FUNCTION_ARGS)
{
	int64		pos,
				neg,
				ev,
				rl;

	portrait_sums(get_portrait(fcinfo, 0), &pos, &neg, &ev, &rl);
	PG_RETURN_NUMERIC(cents_numeric(add64(pos, neg, "points")));
}

PG_FUNCTION_INFO_V1(portrait_positive);
Datum
portrait_positive(PG_FUNCTION_ARGS)
{
	int64		pos,
				neg,
				ev,
				rl;

	portrait_sums(get_portrait(fcinfo, 0), &pos, &neg, &ev, &rl);
	PG_RETURN_NUMERIC(cents_numeric(pos));
}

PG_FUNCTION_INFO_V1(portrait_negative);
Datum
portrait_negative(PG_FUNCTION_ARGS)
{
	int64		pos,
				neg,
				ev,
				rl;

	portrait_sums(get_portrait(fcinfo, 0), &pos, &neg, &ev, &rl);
	PG_RETURN_NUMERIC(cents_numeric(neg));
}

PG_FUNCTION_INFO_V1(portrait_events);
Datum
portrait_events(PG_FUNCTION_ARGS)
{
	int64		pos,
				neg,
				ev,
				rl;

	portrait_sums(get_portrait(fcinfo, 0), &pos, &neg, &ev, &rl);
	PG_RETURN_INT64(ev);
}

PG_FUNCTION_INFO_V1(portrait_redlines);
Datum
portrait_redlines(PG_FUNCTION_ARGS)
{
	int64		pos,
				neg,
				ev,
				rl;

	portrait_sums(get_portrait(fcinfo, 0), &pos, &neg, &ev, &rl);
	PG_RETURN_INT64(rl);
}

PG_FUNCTION_INFO_V1(portrait_first);
Datum
portrait_first(PG_FUNCTION_ARGS)
{
	PG_RETURN_TIMESTAMPTZ(get_portrait(fcinfo, 0)->first);
}

PG_FUNCTION_INFO_V1(portrait_last);
Datum
portrait_last(PG_FUNCTION_ARGS)
{
	PG_RETURN_TIMESTAMPTZ(get_portrait(fcinfo, 0)->last);
}

PG_FUNCTION_INFO_V1(portrait_dimension_count);
Datum
portrait_dimension_count(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(get_portrait(fcinfo, 0)->ndims);
}

static PortraitDim *
lookup_dim(Portrait p, text *t)
{
	bool		found;
	int			i = find_dim(p, VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), &found);

	return found ? &P_DIMS(p)[i] : NULL;
}

PG_FUNCTION_INFO_V1(portrait_dimension_points);
Datum
portrait_dimension_points(PG_FUNCTION_ARGS)
{
	Portrait	p = get_portrait(fcinfo, 0);
	PortraitDim *d = lookup_dim(p, PG_GETARG_TEXT_PP(1));

	PG_RETURN_NUMERIC(cents_numeric(d ? add64(d->pos, d->neg, "points") : 0));
}

PG_FUNCTION_INFO_V1(portrait_dimension_events);
Datum
portrait_dimension_events(PG_FUNCTION_ARGS)
{
	Portrait	p = get_portrait(fcinfo, 0);
	PortraitDim *d = lookup_dim(p, PG_GETARG_TEXT_PP(1));

	PG_RETURN_INT64(d ? d->events : 0);
}

/* rows (dimension, points, positive, negative, events, redlines) */
PG_FUNCTION_INFO_V1(portrait_dimensions);
Datum
portrait_dimensions(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	Portrait	p = get_portrait(fcinfo, 0);
	PortraitDim *pd = P_DIMS(p);
	char	   *pn = P_NAMES(p);
	int			i;

	InitMaterializedSRF(fcinfo, 0);
	for (i = 0; i < p->ndims; i++)
	{
		Datum		values[6];
		bool		nulls[6] = {0};

		values[0] = PointerGetDatum(cstring_to_text_with_len(pn + pd[i].name_off, pd[i].name_len));
		values[1] = NumericGetDatum(cents_numeric(add64(pd[i].pos, pd[i].neg, "points")));
		values[2] = NumericGetDatum(cents_numeric(pd[i].pos));
		values[3] = NumericGetDatum(cents_numeric(pd[i].neg));
		values[4] = Int64GetDatum(pd[i].events);
		values[5] = Int64GetDatum((int64) pd[i].redlines);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

/* rows (month date, points numeric, events bigint) */
PG_FUNCTION_INFO_V1(portrait_months);
Datum
portrait_months(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	Portrait	p = get_portrait(fcinfo, 0);
	int			i;

	InitMaterializedSRF(fcinfo, 0);
	for (i = 0; i < p->nmonths; i++)
	{
		PortraitMonth *m = &P_MONTHS(p)[i];
		Datum		values[3];
		bool		nulls[3] = {0};
		int			y,
					mo;

		month_ym(m->month, &y, &mo);
		values[0] = DateADTGetDatum(date2j(y, mo, 1) - POSTGRES_EPOCH_JDATE);
		values[1] = NumericGetDatum(cents_numeric(m->points));
		values[2] = Int64GetDatum((int64) m->events);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

/*
 * trend as of a time: the N months ending with the month of as_of (UTC)
 * against the N months before them.  Record (recent, previous, change,
 * recent_events, previous_events).
 */
static void
trend_sums(Portrait p, TimestampTz as_of, int32 n,
		   int64 *recent, int64 *previous, int64 *recent_ev, int64 *previous_ev)
{
	int32		now_m;
	int64		rp = 0,
				pp = 0,
				re = 0,
				pe = 0;
	int			i;

	if (n < 1 || n > PORTRAIT_MAX_TREND_MONTHS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("trend window must be 1 to %d months, not %d", PORTRAIT_MAX_TREND_MONTHS, n)));
	check_event_time(as_of);
	now_m = ts_month(as_of);
	for (i = 0; i < p->nmonths; i++)
	{
		PortraitMonth *m = &P_MONTHS(p)[i];
		int32		age = now_m - m->month; /* 0 = the month of as_of */

		if (age < 0)
			break;				/* months ascend: the rest are later too */
		if (age < n)
		{
			rp = add64(rp, m->points, "points");
			re = add64(re, m->events, "event count");
		}
		else if (age < 2 * n)
		{
			pp = add64(pp, m->points, "points");
			pe = add64(pe, m->events, "event count");
		}
	}
	*recent = rp;
	*previous = pp;
	*recent_ev = re;
	*previous_ev = pe;
}

PG_FUNCTION_INFO_V1(portrait_trend);
Datum
portrait_trend(PG_FUNCTION_ARGS)
{
	Portrait	p = get_portrait(fcinfo, 0);
	int64		rp,
				pp,
				re,
				pe;
	TupleDesc	tupdesc;
	Datum		values[5];
	bool		nulls[5] = {0};

	trend_sums(p, PG_GETARG_TIMESTAMPTZ(1), PG_GETARG_INT32(2), &rp, &pp, &re, &pe);
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	tupdesc = BlessTupleDesc(tupdesc);
	values[0] = NumericGetDatum(cents_numeric(rp));
	values[1] = NumericGetDatum(cents_numeric(pp));
	{
		int64		ch;

		if (pg_sub_s64_overflow(rp, pp, &ch))
			overflow_error("points");
		values[2] = NumericGetDatum(cents_numeric(ch));
	}
	values[3] = Int64GetDatum(re);
	values[4] = Int64GetDatum(pe);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}

/* the portrait as jsonb */
PG_FUNCTION_INFO_V1(portrait_jsonb);
Datum
portrait_jsonb(PG_FUNCTION_ARGS)
{
	Portrait	p = get_portrait(fcinfo, 0);
	PortraitDim *pd = P_DIMS(p);
	char	   *pn = P_NAMES(p);
	StringInfoData s;
	int64		pos,
				neg,
				ev,
				rl;
	int			i;

	portrait_sums(p, &pos, &neg, &ev, &rl);
	initStringInfo(&s);
	appendStringInfo(&s, "{\"version\": %d, \"events\": " INT64_FORMAT ", \"redlines\": " INT64_FORMAT ", \"points\": ",
					 PORTRAIT_VERSION, ev, rl);
	append_cents(&s, add64(pos, neg, "points"));
	appendStringInfoString(&s, ", \"positive\": ");
	append_cents(&s, pos);
	appendStringInfoString(&s, ", \"negative\": ");
	append_cents(&s, neg);
	appendStringInfoString(&s, ", \"first\": \"");
	append_ts(&s, p->first, true);
	appendStringInfoString(&s, "\", \"last\": \"");
	append_ts(&s, p->last, true);
	appendStringInfoString(&s, "\", \"dimensions\": {");
	for (i = 0; i < p->ndims; i++)
	{
		char	   *nm = pnstrdup(pn + pd[i].name_off, pd[i].name_len);

		if (i > 0)
			appendStringInfoString(&s, ", ");
		escape_json(&s, nm);
		appendStringInfoString(&s, ": {\"points\": ");
		append_cents(&s, add64(pd[i].pos, pd[i].neg, "points"));
		appendStringInfoString(&s, ", \"positive\": ");
		append_cents(&s, pd[i].pos);
		appendStringInfoString(&s, ", \"negative\": ");
		append_cents(&s, pd[i].neg);
		appendStringInfo(&s, ", \"events\": " INT64_FORMAT ", \"redlines\": %d}",
						 pd[i].events, pd[i].redlines);
	}
	appendStringInfoString(&s, "}, \"months\": {");
	for (i = 0; i < p->nmonths; i++)
	{
		PortraitMonth *m = &P_MONTHS(p)[i];
		int			y,
					mo;

		month_ym(m->month, &y, &mo);
		appendStringInfo(&s, "%s\"%04d-%02d\": {\"points\": ", i > 0 ? ", " : "", y, mo);
		append_cents(&s, m->points);
		appendStringInfo(&s, ", \"events\": %d}", m->events);
	}
	appendStringInfoString(&s, "}}");
	PG_RETURN_DATUM(DirectFunctionCall1(jsonb_in, CStringGetDatum(s.data)));
}

/* binary input from a bytea (the receive function as an SQL function) */
PG_FUNCTION_INFO_V1(portrait_from_bytea);
Datum
portrait_from_bytea(PG_FUNCTION_ARGS)
{
	bytea	   *b = PG_GETARG_BYTEA_PP(0);
	StringInfoData buf;

	initStringInfo(&buf);
	appendBinaryStringInfo(&buf, VARDATA_ANY(b), VARSIZE_ANY_EXHDR(b));
	PG_RETURN_DATUM(DirectFunctionCall1(portrait_recv, PointerGetDatum(&buf)));
}

/* ------------------------------------------------------------------------
 * risk rules, tags and grade
 *
 * The rules arrive as a portrait_rules value (a domain over the composite
 * portrait_rules_t whose CHECK constraints validated it).  They are read
 * once per call site and kept in fn_extra with a copy of their bytes: a
 * constant — the folded default make_portrait_rules(), a literal — costs a
 * memcmp per row afterwards.
 * ------------------------------------------------------------------------ */

#define RULES_NATTS 7

typedef struct PortraitRules
{
	int32		alert_redlines;
	int64		alert_below;	/* hundredths */
	int64		watch_below;
	int64		watch_negative;
	int64		exemplar_from;
	int32		trend_months;
	int64		watch_drop;
} PortraitRules;

/* the tags, in the order portrait_tags lists them */
typedef enum PortraitTag
{
	TAG_REDLINE,
	TAG_LOW_TOTAL,
	TAG_BELOW_WATCH,
	TAG_DEDUCTIONS,
	TAG_DECLINING,
	TAG_EXEMPLAR,
	NUM_TAGS
} PortraitTag;

static const char *const tag_names[NUM_TAGS] = {
	"redline", "low_total", "below_watch", "deductions", "declining", "exemplar"
};

/* the grades, from low to high risk: the order of the enum risk_grade */
typedef enum PortraitGrade
{
	GRADE_EXEMPLAR,
	GRADE_NORMAL,
	GRADE_WATCH,
	GRADE_ALERT,
	NUM_GRADES
} PortraitGrade;

static const char *const grade_names[NUM_GRADES] = {
	"exemplar", "normal", "watch", "alert"
};

typedef struct RulesCache
{
	uint32		len;			/* bytes of the cached rules tuple, 0: none */
	char	   *bytes;			/* their copy */
	PortraitRules rules;
	Oid			grade_oid[NUM_GRADES];	/* risk_grade labels (portrait_risk) */
} RulesCache;

static int64
rule_cents(Datum d, const char *field)
{
	int64		cents;

	if (numeric_datum_cents(d, &cents) != NUMERIC_CENTS_OK ||
		cents > PORTRAIT_MAX_CENTS || cents < -PORTRAIT_MAX_CENTS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid portrait rule %s", field),
				 errdetail("Amounts of portrait rules are finite, in whole hundredths, within +/-9999999999999999.99.")));
	return cents;
}

static void
read_rules(HeapTupleHeader th, PortraitRules *r)
{
	static const Oid types[RULES_NATTS] = {INT4OID, NUMERICOID, NUMERICOID, NUMERICOID,
	NUMERICOID, INT4OID, NUMERICOID};
	static const char *const fields[RULES_NATTS] = {"alert_redlines", "alert_below",
		"watch_below", "watch_negative", "exemplar_from", "trend_months", "watch_drop"};
	TupleDesc	td;
	HeapTupleData tuple;
	Datum		values[RULES_NATTS];
	bool		nulls[RULES_NATTS];
	int			i;

	td = lookup_rowtype_tupdesc(HeapTupleHeaderGetTypeId(th), HeapTupleHeaderGetTypMod(th));
	if (td->natts != RULES_NATTS)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("portrait rules must have %d fields, not %d", RULES_NATTS, td->natts)));
	for (i = 0; i < RULES_NATTS; i++)
		if (TupleDescAttr(td, i)->atttypid != types[i] || TupleDescAttr(td, i)->attisdropped)
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("portrait rules field %d is not %s of type %s",
							i + 1, fields[i], format_type_be(types[i]))));
	tuple.t_len = HeapTupleHeaderGetDatumLength(th);
	ItemPointerSetInvalid(&tuple.t_self);
	tuple.t_tableOid = InvalidOid;
	tuple.t_data = th;
	heap_deform_tuple(&tuple, td, values, nulls);
	ReleaseTupleDesc(td);
	for (i = 0; i < RULES_NATTS; i++)
		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("portrait rule %s must not be NULL", fields[i])));
	r->alert_redlines = DatumGetInt32(values[0]);
	r->alert_below = rule_cents(values[1], fields[1]);
	r->watch_below = rule_cents(values[2], fields[2]);
	r->watch_negative = rule_cents(values[3], fields[3]);
	r->exemplar_from = rule_cents(values[4], fields[4]);
	r->trend_months = DatumGetInt32(values[5]);
	r->watch_drop = rule_cents(values[6], fields[6]);
	if (r->trend_months < 1 || r->trend_months > PORTRAIT_MAX_TREND_MONTHS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("trend window must be 1 to %d months, not %d",
						PORTRAIT_MAX_TREND_MONTHS, r->trend_months)));
}

static RulesCache *
rules_cache(FunctionCallInfo fcinfo)
{
	RulesCache *c = (RulesCache *) fcinfo->flinfo->fn_extra;

	if (c == NULL)
	{
		c = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(RulesCache));
		fcinfo->flinfo->fn_extra = c;
	}
	return c;
}

/* the rules of argument 2, read or found in the cache */
static const PortraitRules *
get_rules(FunctionCallInfo fcinfo)
{
	RulesCache *c = rules_cache(fcinfo);
	HeapTupleHeader th = PG_GETARG_HEAPTUPLEHEADER(2);
	uint32		len = HeapTupleHeaderGetDatumLength(th);

	if (len != c->len || memcmp(th, c->bytes, len) != 0)
	{
		PortraitRules r;

		read_rules(th, &r);
		if (c->bytes)
			pfree(c->bytes);
		c->len = 0;
		c->bytes = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, len);
		memcpy(c->bytes, th, len);
		c->len = len;
		c->rules = r;
	}
	return &c->rules;
}

/*
 * The tags that fire, as a bit set over PortraitTag.  Arguments: the
 * portrait, as_of (NULL: no trend rule), the rules.  Returns false when the
 * result is NULL (a NULL portrait or NULL rules).
 */
static bool
portrait_tag_bits(FunctionCallInfo fcinfo, uint32 *bits)
{
	Portrait	p;
	const PortraitRules *r;
	int64		pos,
				neg,
				ev,
				rl,
				total;
	bool		declining = false;
	uint32		b = 0;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(2))
		return false;
	p = get_portrait(fcinfo, 0);
	r = get_rules(fcinfo);
	portrait_sums(p, &pos, &neg, &ev, &rl);
	total = pos + neg;			/* within the bound: cannot overflow */
	if (!PG_ARGISNULL(1))
	{
		int64		rp,
					pp,
					re,
					pe;

		trend_sums(p, PG_GETARG_TIMESTAMPTZ(1), r->trend_months, &rp, &pp, &re, &pe);
		/* change = rp - pp; declining when it falls by watch_drop or more */
		declining = rp < pp && (int128) pp - rp >= r->watch_drop;
	}
	if (rl >= r->alert_redlines)
		b |= 1 << TAG_REDLINE;
	if (total < r->alert_below)
		b |= 1 << TAG_LOW_TOTAL;
	if (total < r->watch_below)
		b |= 1 << TAG_BELOW_WATCH;
	if (neg < 0 && -neg >= r->watch_negative)
		b |= 1 << TAG_DEDUCTIONS;
	if (declining)
		b |= 1 << TAG_DECLINING;
	if (total >= r->exemplar_from && rl == 0 && neg == 0 && !declining)
		b |= 1 << TAG_EXEMPLAR;
	*bits = b;
	return true;
}

static PortraitGrade
grade_of(uint32 bits)
{
	if (bits & ((1 << TAG_REDLINE) | (1 << TAG_LOW_TOTAL)))
		return GRADE_ALERT;
	if (bits & ((1 << TAG_BELOW_WATCH) | (1 << TAG_DEDUCTIONS) | (1 << TAG_DECLINING)))
		return GRADE_WATCH;
	if (bits & (1 << TAG_EXEMPLAR))
		return GRADE_EXEMPLAR;
	return GRADE_NORMAL;
}

/* portrait_tags(p, as_of, rules) -> text[] */
PG_FUNCTION_INFO_V1(portrait_tags);
Datum
portrait_tags(PG_FUNCTION_ARGS)
{
	uint32		bits;
	Datum		elems[NUM_TAGS];
	int			n = 0;
	int			i;

	if (!portrait_tag_bits(fcinfo, &bits))
		PG_RETURN_NULL();
	for (i = 0; i < NUM_TAGS; i++)
		if (bits & (1 << i))
			elems[n++] = CStringGetTextDatum(tag_names[i]);
	PG_RETURN_ARRAYTYPE_P(construct_array(elems, n, TEXTOID, -1, false, TYPALIGN_INT));
}

/* portrait_grade(p, as_of, rules) -> text (the 1.0 form) */
PG_FUNCTION_INFO_V1(portrait_grade);
Datum
portrait_grade(PG_FUNCTION_ARGS)
{
	uint32		bits;

	if (!portrait_tag_bits(fcinfo, &bits))
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text(grade_names[grade_of(bits)]));
}

/* portrait_risk(p, as_of, rules) -> risk_grade, the same grade, ordered */
PG_FUNCTION_INFO_V1(portrait_risk);
Datum
portrait_risk(PG_FUNCTION_ARGS)
{
	uint32		bits;
	RulesCache *c;

	if (!portrait_tag_bits(fcinfo, &bits))
		PG_RETURN_NULL();
	c = rules_cache(fcinfo);
	if (!OidIsValid(c->grade_oid[0]))
	{
		Oid			typid = get_func_rettype(fcinfo->flinfo->fn_oid);
		int			i;

		for (i = 0; i < NUM_GRADES; i++)
		{
			c->grade_oid[i] = GetSysCacheOid2(ENUMTYPOIDNAME, Anum_pg_enum_oid,
											  ObjectIdGetDatum(typid),
											  CStringGetDatum(grade_names[i]));
			if (!OidIsValid(c->grade_oid[i]))
				elog(ERROR, "type %s has no label \"%s\"", format_type_be(typid), grade_names[i]);
		}
	}
	PG_RETURN_OID(c->grade_oid[grade_of(bits)]);
}
