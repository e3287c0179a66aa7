/*
 * cnid.c — the resident identity number (居民身份证号码, GB 11643-1999).
 *
 * An 18-character number: a 6-digit region code (GB/T 2260), the birth date
 * YYYYMMDD, a 3-digit sequence (odd for men, even for women) and a check
 * character (ISO 7064 MOD 11-2, 0-9 or X).  The old 15-digit form (region,
 * YYMMDD in the 1900s, sequence; 996-999 marked centenarians born 18YY) is
 * accepted and upgraded.
 *
 * Representation: 8 bytes passed by value, an int64 holding the 17-digit
 * body as a number (0 <= body < 10^17; the check character is derived, the
 * top bits are zero in this format version), so numeric order is the order
 * of the canonical text and every valid number has exactly one
 * representation.  The screening code (listed.c) relies on this.
 *
 * Structure: cnid_parse() is a pure parser returning bool and a reason,
 * never calling ereport; cnid_in, cnid_recv, cnid(text), is_valid_cnid and
 * cnid_invalid_reason wrap it.  Type input is a pure function of the text
 * (IMMUTABLE): whether a birth date lies in the future depends on the clock
 * and the time zone, so that rule is checked only by the cleansing
 * functions is_valid_cnid and cnid_invalid_reason (STABLE), never by input,
 * COPY, casts or binary receive, which a restore or a replica in another
 * time zone must pass.
 *
 * SQL objects backed here (src/cnid.sql): type cnid (cnid_in, cnid_out,
 * cnid_recv, cnid_send), casts cnid(text) and text(cnid), is_valid_cnid,
 * cnid_invalid_reason, accessors cnid_birth_date, cnid_region,
 * cnid_province, cnid_sex, cnid_mask, constructor cnid_from_parts, the
 * comparison functions and operators, btree (cnid_cmp, cnid_sortsupport),
 * hash (cnid_hash, cnid_hash_extended) and GiST (cnid_gist_*) support, and
 * the GiST storage type cnid_gist_key.
 */
#include "postgres.h"

#include "access/xact.h"
#include "fmgr.h"
#include "pgtime.h"
#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/sortsupport.h"

#include "cnid_rules.h"
#include "ident_common.h"
#include "module.h"
#include "normalize.h"

#define CNID_WIRE_VERSION 1

/* ---------------------------------------------------------------------
 * The pure core
 * --------------------------------------------------------------------- */

typedef enum CnidReason
{
	CNID_OK = 0,
	CNID_BAD_LENGTH,			/* not 18 (or 15) characters */
	CNID_BAD_CHAR,				/* a non-digit where a digit must be */
	CNID_BAD_CHECK_CHAR,		/* position 18 neither a digit nor X */
	CNID_BAD_PROVINCE,			/* positions 1-2 not a province code */
	CNID_BAD_DATE,				/* birth date not a calendar date */
	CNID_EARLY_DATE,			/* birth year before 1800 */
	CNID_FUTURE_DATE,			/* birth date after today (cleansing only) */
	CNID_BAD_CHECK				/* wrong check character */
} CnidReason;

typedef struct CnidError
{
	CnidReason	reason;
	int			len;			/* trimmed length in bytes */
	int			pos;			/* 0-based byte offset of a bad character */
	char		found;			/* the check character given */
	char		expected;		/* the check character computed */
	int32		ymd;			/* birth date as YYYYMMDD */
	int32		today;			/* current date as YYYYMMDD, if checked */
} CnidError;

/* Check character of 17 digits (values 0-9). */
static char
cnid_check_of(const int *d)
{
	int			sum = 0,
				i;

	for (i = 0; i < 17; i++)
		sum += d[i] * cnid_rules_weights[i];
	return cnid_rules_check_chars[sum % 11];
}

/*
 * Validate the rules on the 17 body digits (province, calendar date, year).
 * The future-date rule is separate (cnid_born_by), so that parsing does not
 * depend on the current date.
 */
static bool
cnid_check_body(const int *d, CnidError *err)
{
	int			y,
				m,
				dd;

	if (!cnid_rules_province_ok(d[0] * 10 + d[1]))
	{
		err->reason = CNID_BAD_PROVINCE;
		return false;
	}
	y = d[6] * 1000 + d[7] * 100 + d[8] * 10 + d[9];
	m = d[10] * 10 + d[11];
	dd = d[12] * 10 + d[13];
	err->ymd = y * 10000 + m * 100 + dd;
	if (m < 1 || m > 12 || dd < 1 || dd > cnid_rules_days_in_month(y, m))
	{
		err->reason = CNID_BAD_DATE;
		return false;
	}
	if (y < CNID_RULES_MIN_YEAR)
	{
		err->reason = CNID_EARLY_DATE;
		return false;
	}
	return true;
}

/*
 * The cleansing rule: the birth date of a parsed body is not after today
 * (YYYYMMDD).  Fills *err and returns false otherwise.
 */
static bool
cnid_born_by(int64 body, int32 today, CnidError *err)
{
	int32		ymd = (int32) ((body / 1000) % 100000000);

	if (ymd > today)
	{
		err->reason = CNID_FUTURE_DATE;
		err->ymd = ymd;
		err->today = today;
		return false;
	}
	return true;
}

/*
 * Parse str[0..len) (surrounding white space ignored).  On success store
 * the body in *result; otherwise fill *err.  Never raises, and depends on
 * nothing but the text.
 */
static bool
cnid_parse(const char *str, size_t len, int64 *result, CnidError *err)
{
	int			d[17];
	int			i;
	int64		body = 0;

	memset(err, 0, sizeof(*err));
	ident_trim(&str, &len);
	err->len = (int) len;

	if (len == 18)
	{
		char		c;

		for (i = 0; i < 17; i++)
		{
			if (str[i] < '0' || str[i] > '9')
			{
				err->reason = CNID_BAD_CHAR;
				err->pos = i;
				return false;
			}
			d[i] = str[i] - '0';
		}
		c = str[17];
		if (c == 'x')
			c = 'X';
		if (!((c >= '0' && c <= '9') || c == 'X'))
		{
			err->reason = CNID_BAD_CHECK_CHAR;
			err->pos = 17;
			return false;
		}
		if (!cnid_check_body(d, err))
			return false;
		err->found = c;
		err->expected = cnid_check_of(d);
		if (c != err->expected)
		{
			err->reason = CNID_BAD_CHECK;
			return false;
		}
	}
	else if (len == 15)
	{
		int			seq;

		for (i = 0; i < 15; i++)
		{
			if (str[i] < '0' || str[i] > '9')
			{
				err->reason = CNID_BAD_CHAR;
				err->pos = i;
				return false;
			}
		}
		/* region */
		for (i = 0; i < 6; i++)
			d[i] = str[i] - '0';
		seq = (str[12] - '0') * 100 + (str[13] - '0') * 10 + (str[14] - '0');
		/* century: 996-999 were given to centenarians, born in the 1800s */
		d[6] = 1;
		d[7] = (seq >= 996) ? 8 : 9;
		/* YYMMDD */
		for (i = 0; i < 6; i++)
			d[8 + i] = str[6 + i] - '0';
		for (i = 0; i < 3; i++)
			d[14 + i] = str[12 + i] - '0';
		if (!cnid_check_body(d, err))
			return false;
	}
	else
	{
		/* a non-ASCII character makes any length count misleading */
		for (i = 0; i < (int) len; i++)
		{
			if (IS_HIGHBIT_SET(str[i]))
			{
				err->reason = CNID_BAD_CHAR;
				err->pos = i;
				return false;
			}
		}
		err->reason = CNID_BAD_LENGTH;
		return false;
	}

	for (i = 0; i < 17; i++)
		body = body * 10 + d[i];
	*result = body;
	return true;
}

/* Canonical text of a body into buf[19]. */
static void
cnid_format(int64 body, char *buf)
{
	cnid_rules_chars(body, buf);
	buf[18] = '\0';
}

/* ---------------------------------------------------------------------
 * The SQL skin
 * --------------------------------------------------------------------- */

/*
 * The current date (CURRENT_DATE: transaction start, session time zone) as
 * YYYYMMDD, for the cleansing functions only; cached per transaction start
 * and time zone.
 */
static int32
cnid_today(void)
{
	static bool cached = false;
	static TimestampTz cached_ts = 0;
	static pg_tz *cached_tz = NULL;
	static int32 cached_ymd = 0;
	TimestampTz ts = GetCurrentTransactionStartTimestamp();

	if (!cached || ts != cached_ts || session_timezone != cached_tz)
	{
		DateADT		today = GetSQLCurrentDate();
		int			y,
					m,
					d;

		j2date(today + POSTGRES_EPOCH_JDATE, &y, &m, &d);
		cached_ymd = y * 10000 + m * 100 + d;
		cached_ts = ts;
		cached_tz = session_timezone;
		cached = true;
	}
	return cached_ymd;
}

int64
cnid_datum_body(Datum d)
{
	int64		v = DatumGetInt64(d);

	if (v < 0 || v >= CNID_RULES_BODY_LIMIT)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("corrupt cnid value")));
	return v;
}

#define PG_GETARG_CNID(n) cnid_datum_body(PG_GETARG_DATUM(n))
#define PG_RETURN_CNID(v) PG_RETURN_INT64(v)

static char *
ymd_text(int32 ymd)
{
	return psprintf("%04d-%02d-%02d", ymd / 10000, (ymd / 100) % 100, ymd % 100);
}

/*
 * The rule that failed, as a short phrase (used in errmsg and by
 * cnid_invalid_reason).  s/len: the trimmed input.
 */
static char *
cnid_reason_text(const char *s, const CnidError *e)
{
	switch (e->reason)
	{
		case CNID_OK:
			return NULL;
		case CNID_BAD_LENGTH:
			{
				int			n = pg_mbstrlen_with_len(s, e->len);

				return psprintf("wrong length (%d character%s, expected 18 or 15)",
								n, n == 1 ? "" : "s");
			}
		case CNID_BAD_CHAR:
			return psprintf("%s at position %d is not a digit",
							ident_char_text(s, e->pos),
							pg_mbstrlen_with_len(s, e->pos) + 1);
		case CNID_BAD_CHECK_CHAR:
			return psprintf("%s at position 18 is not a check character (0-9 or X)",
							ident_char_text(s, e->pos));
		case CNID_BAD_PROVINCE:
			return psprintf("unknown province code \"%.2s\"", s);
		case CNID_BAD_DATE:
			return psprintf("impossible birth date \"%08d\"", e->ymd);
		case CNID_EARLY_DATE:
			return psprintf("birth year %d is before %d", e->ymd / 10000, CNID_RULES_MIN_YEAR);
		case CNID_FUTURE_DATE:
			return psprintf("birth date %s is in the future", ymd_text(e->ymd));
		case CNID_BAD_CHECK:
			return psprintf("wrong check character \"%c\", expected \"%c\"",
							e->found, e->expected);
	}
	return NULL;
}

static void
cnid_report(const char *input, size_t len, const CnidError *e)
{
	const char *s = input;
	char	   *rule;

	ident_trim(&s, &len);
	rule = cnid_reason_text(s, e);

	/* what identifier_normalize() would clean: point there */
	if (e->reason != CNID_OK)
		ident_report_normalizable("cnid", input, rule, s, len);

	switch (e->reason)
	{
		case CNID_OK:
			break;
		case CNID_BAD_LENGTH:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid cnid \"%s\": %s", input, rule),
					 errdetail("A resident identity number has 18 characters (17 digits and a check character), or 15 digits in the old form."),
					 errhint("Surrounding white space is ignored; separators and other characters are not.")));
			break;
		case CNID_BAD_CHAR:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid cnid \"%s\": %s", input, rule),
					 errdetail(e->len == 15 ? "All 15 characters of an old-form resident identity number are digits."
							   : "Positions 1 to 17 of a resident identity number are ASCII digits."),
					 errhint("Check the value for typing errors or a shifted column.")));
			break;
		case CNID_BAD_CHECK_CHAR:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid cnid \"%s\": %s", input, rule),
					 errdetail("The 18th character of a resident identity number is a digit or X (x is accepted)."),
					 errhint("Check the value for typing errors.")));
			break;
		case CNID_BAD_PROVINCE:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid cnid \"%s\": %s", input, rule),
					 errdetail("Positions 1-2 must be a province-level code of GB/T 2260: 11-15, 21-23, 31-37, 41-46, 50-54, 61-65, 71, 81, 82 or 83."),
					 errhint("Check the first two digits; county-level codes are never checked.")));
			break;
		case CNID_BAD_DATE:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid cnid \"%s\": %s", input, rule),
					 errdetail("Positions 7-14 (positions 7-12 in the old form) must be a calendar date YYYYMMDD."),
					 errhint("Check the month and the day of the birth date.")));
			break;
		case CNID_EARLY_DATE:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid cnid \"%s\": %s", input, rule),
					 errdetail("Birth dates before %d-01-01 are not plausible.", CNID_RULES_MIN_YEAR),
					 errhint("Check the year of the birth date (positions 7-10).")));
			break;
		case CNID_FUTURE_DATE:
			/* a cleansing rule (is_valid_cnid), never an input error */
			break;
		case CNID_BAD_CHECK:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid cnid \"%s\": %s", input, rule),
					 errdetail("ISO 7064 MOD 11-2 over the first 17 digits gives the check character \"%c\", the value has \"%c\".",
							   e->expected, e->found),
					 errhint("A wrong check character usually means a mistyped or transposed digit.")));
			break;
	}
	/* only parse failures come here, and each one raised above */
	elog(ERROR, "cnid parse failure %d without a message", (int) e->reason);
}

static int64
cnid_from_cstring(const char *str, size_t len)
{
	int64		v;
	CnidError	e;

	if (!cnid_parse(str, len, &v, &e))
	{
		/* the message needs a NUL-terminated copy */
		char	   *copy = pnstrdup(str, len);

		cnid_report(copy, len, &e);
	}
	return v;
}

PG_FUNCTION_INFO_V1(cnid_in);
Datum
cnid_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);

	PG_RETURN_CNID(cnid_from_cstring(str, strlen(str)));
}

PG_FUNCTION_INFO_V1(cnid_out);
Datum
cnid_out(PG_FUNCTION_ARGS)
{
	int64		v = PG_GETARG_CNID(0);
	char	   *buf = palloc(19);

	cnid_format(v, buf);
	PG_RETURN_CSTRING(buf);
}

/*
 * Binary format: a version byte (1) and the 18 characters of the canonical
 * text.  Everything is validated; non-canonical text (lower-case x, white
 * space, the 15-digit form) is rejected.  Every failure is 22P03
 * (invalid_binary_representation); the rule that failed is named when the
 * 18 bytes are printable ASCII, so the message never shows raw bytes.
 */
PG_FUNCTION_INFO_V1(cnid_recv);
Datum
cnid_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			version;
	const char *chars;
	char		canon[19];
	int64		v;
	CnidError	e;

	integrity_recv_need(buf, 1 + 18, "cnid");
	version = pq_getmsgbyte(buf);
	if (version != CNID_WIRE_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary cnid: unknown format version %d", version),
				 errdetail("This version of the extension reads format version %d.", CNID_WIRE_VERSION)));
	chars = pq_getmsgbytes(buf, 18);
	if (!cnid_parse(chars, 18, &v, &e))
	{
		if (ident_printable_ascii(chars, 18))
		{
			char	   *copy = pnstrdup(chars, 18);
			const char *s = copy;
			size_t		len = 18;

			ident_trim(&s, &len);
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("invalid binary cnid \"%s\": %s", copy, cnid_reason_text(s, &e))));
		}
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary cnid: not 18 characters of a resident identity number"),
				 errdetail("The field holds bytes outside printable ASCII.")));
	}
	cnid_format(v, canon);
	if (memcmp(canon, chars, 18) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary cnid: not in canonical form"),
				 errdetail("The binary format carries the 18 canonical characters (upper-case X, no white space).")));
	PG_RETURN_CNID(v);
}

PG_FUNCTION_INFO_V1(cnid_send);
Datum
cnid_send(PG_FUNCTION_ARGS)
{
	int64		v = PG_GETARG_CNID(0);
	char		canon[19];
	StringInfoData buf;

	cnid_format(v, canon);
	pq_begintypsend(&buf);
	pq_sendbyte(&buf, CNID_WIRE_VERSION);
	pq_sendbytes(&buf, canon, 18);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

PG_FUNCTION_INFO_V1(cnid_from_text);
Datum
cnid_from_text(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);

	PG_RETURN_CNID(cnid_from_cstring(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t)));
}

PG_FUNCTION_INFO_V1(cnid_to_text);
Datum
cnid_to_text(PG_FUNCTION_ARGS)
{
	int64		v = PG_GETARG_CNID(0);
	char		canon[19];

	cnid_format(v, canon);
	PG_RETURN_TEXT_P(cstring_to_text_with_len(canon, 18));
}

/* the type's input rules as a predicate, for to_cnid() (normalize.h) */
bool
cnid_accepts(const char *s, size_t len)
{
	int64		v;
	CnidError	e;

	return cnid_parse(s, len, &v, &e);
}

PG_FUNCTION_INFO_V1(is_valid_cnid);
Datum
is_valid_cnid(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);
	int64		v;
	CnidError	e;

	PG_RETURN_BOOL(cnid_parse(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), &v, &e) &&
				   cnid_born_by(v, cnid_today(), &e));
}

PG_FUNCTION_INFO_V1(cnid_invalid_reason);
Datum
cnid_invalid_reason(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);
	const char *s = VARDATA_ANY(t);
	size_t		len = VARSIZE_ANY_EXHDR(t);
	int64		v;
	CnidError	e;

	if (cnid_parse(s, len, &v, &e) && cnid_born_by(v, cnid_today(), &e))
		PG_RETURN_NULL();
	ident_trim(&s, &len);
	PG_RETURN_TEXT_P(cstring_to_text(cnid_reason_text(s, &e)));
}

/* ---------- accessors and constructor ---------- */

PG_FUNCTION_INFO_V1(cnid_birth_date);
Datum
cnid_birth_date(PG_FUNCTION_ARGS)
{
	int64		v = PG_GETARG_CNID(0);
	int			ymd = (int) ((v / 1000) % 100000000);

	PG_RETURN_DATEADT(date2j(ymd / 10000, (ymd / 100) % 100, ymd % 100) - POSTGRES_EPOCH_JDATE);
}

PG_FUNCTION_INFO_V1(cnid_region);
Datum
cnid_region(PG_FUNCTION_ARGS)
{
	int64		v = PG_GETARG_CNID(0);

	PG_RETURN_TEXT_P(cstring_to_text(psprintf("%06d", (int) (v / INT64CONST(100000000000)))));
}

PG_FUNCTION_INFO_V1(cnid_province);
Datum
cnid_province(PG_FUNCTION_ARGS)
{
	int64		v = PG_GETARG_CNID(0);

	PG_RETURN_TEXT_P(cstring_to_text(psprintf("%02d", (int) (v / INT64CONST(1000000000000000)))));
}

PG_FUNCTION_INFO_V1(cnid_sex);
Datum
cnid_sex(PG_FUNCTION_ARGS)
{
	int64		v = PG_GETARG_CNID(0);

	PG_RETURN_TEXT_P(cstring_to_text((v % 2) ? "M" : "F"));
}

PG_FUNCTION_INFO_V1(cnid_mask);
Datum
cnid_mask(PG_FUNCTION_ARGS)
{
	int64		v = PG_GETARG_CNID(0);
	char		canon[19];

	cnid_format(v, canon);
	memset(canon + 6, '*', 8);
	PG_RETURN_TEXT_P(cstring_to_text_with_len(canon, 18));
}

/* cnid_from_parts(region integer, birth date, seq integer) */
PG_FUNCTION_INFO_V1(cnid_from_parts);
Datum
cnid_from_parts(PG_FUNCTION_ARGS)
{
	int32		region = PG_GETARG_INT32(0);
	DateADT		birth = PG_GETARG_DATEADT(1);
	int32		seq = PG_GETARG_INT32(2);
	int			y,
				m,
				d;
	char		body[19];
	int			digits[17],
				i;

	if (region < 100000 || region > 999999)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cnid region code %d is not a 6-digit number", region)));
	if (seq < 0 || seq > 999)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cnid sequence %d is not between 0 and 999", seq)));
	if (DATE_NOT_FINITE(birth))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cnid birth date must be finite")));
	j2date(birth + POSTGRES_EPOCH_JDATE, &y, &m, &d);
	if (y < 1 || y > 9999)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cnid birth year %d is out of range", y)));
	snprintf(body, sizeof(body), "%06d%04d%02d%02d%03d", region, y, m, d, seq);
	for (i = 0; i < 17; i++)
		digits[i] = body[i] - '0';
	body[17] = cnid_check_of(digits);
	body[18] = '\0';
	/* the full validation (province, date rules; not the cleansing rule) */
	PG_RETURN_CNID(cnid_from_cstring(body, 18));
}

/* ---------- comparison, hashing ---------- */

#define CNID_CMP_FUNC(name, op) \
PG_FUNCTION_INFO_V1(name); \
Datum \
name(PG_FUNCTION_ARGS) \
{ \
	int64 a = PG_GETARG_INT64(0); \
	int64 b = PG_GETARG_INT64(1); \
	PG_RETURN_BOOL(a op b); \
}

CNID_CMP_FUNC(cnid_eq, ==)
CNID_CMP_FUNC(cnid_ne, !=)
CNID_CMP_FUNC(cnid_lt, <)
CNID_CMP_FUNC(cnid_le, <=)
CNID_CMP_FUNC(cnid_gt, >)
CNID_CMP_FUNC(cnid_ge, >=)

PG_FUNCTION_INFO_V1(cnid_smaller);
Datum
cnid_smaller(PG_FUNCTION_ARGS)
{
	int64		a = PG_GETARG_INT64(0);
	int64		b = PG_GETARG_INT64(1);

	PG_RETURN_INT64(a < b ? a : b);
}

PG_FUNCTION_INFO_V1(cnid_larger);
Datum
cnid_larger(PG_FUNCTION_ARGS)
{
	int64		a = PG_GETARG_INT64(0);
	int64		b = PG_GETARG_INT64(1);

	PG_RETURN_INT64(a > b ? a : b);
}

PG_FUNCTION_INFO_V1(cnid_cmp);
Datum
cnid_cmp(PG_FUNCTION_ARGS)
{
	int64		a = PG_GETARG_INT64(0);
	int64		b = PG_GETARG_INT64(1);

	PG_RETURN_INT32(a < b ? -1 : (a > b ? 1 : 0));
}

static int
cnid_fastcmp(Datum x, Datum y, SortSupport ssup)
{
	int64		a = DatumGetInt64(x);
	int64		b = DatumGetInt64(y);

	return a < b ? -1 : (a > b ? 1 : 0);
}

PG_FUNCTION_INFO_V1(cnid_sortsupport);
Datum
cnid_sortsupport(PG_FUNCTION_ARGS)
{
	SortSupport ssup = (SortSupport) PG_GETARG_POINTER(0);

	ssup->comparator = cnid_fastcmp;
	PG_RETURN_VOID();
}

/*
 * Hash: ident_mix64(body XOR ident_seed(seed)); the standard hash is the low
 * 32 bits with seed 0.  Defined on the integer value, so it is the same on
 * every platform.
 */
static inline uint64
cnid_hash64(int64 v, int64 seed)
{
	return ident_mix64((uint64) v ^ ident_seed(seed));
}

PG_FUNCTION_INFO_V1(cnid_hash);
Datum
cnid_hash(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32((int32) (uint32) cnid_hash64(PG_GETARG_INT64(0), 0));
}

PG_FUNCTION_INFO_V1(cnid_hash_extended);
Datum
cnid_hash_extended(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64((int64) cnid_hash64(PG_GETARG_INT64(0), PG_GETARG_INT64(1)));
}

/* ---------- GiST ---------- */

#define CNID_KEYLEN 8

static void
cnid_encode(int64 v, uint8 *out)
{
	int			i;

	for (i = 7; i >= 0; i--)
	{
		out[i] = (uint8) (v & 0xff);
		v >>= 8;
	}
}

static int64
cnid_decode(const uint8 *b)
{
	int64		v = 0;
	int			i;

	for (i = 0; i < 8; i++)
		v = (v << 8) | b[i];
	return v;
}

PG_FUNCTION_INFO_V1(cnid_gist_compress);
Datum
cnid_gist_compress(PG_FUNCTION_ARGS)
{
	GISTENTRY  *entry = (GISTENTRY *) PG_GETARG_POINTER(0);

	if (entry->leafkey)
	{
		uint8		enc[CNID_KEYLEN];

		cnid_encode(DatumGetInt64(entry->key), enc);
		PG_RETURN_POINTER(ident_gist_leaf_entry(entry, enc, CNID_KEYLEN));
	}
	PG_RETURN_POINTER(entry);
}

PG_FUNCTION_INFO_V1(cnid_gist_fetch);
Datum
cnid_gist_fetch(PG_FUNCTION_ARGS)
{
	GISTENTRY  *entry = (GISTENTRY *) PG_GETARG_POINTER(0);
	GISTENTRY  *retval = palloc(sizeof(GISTENTRY));
	int64		v = cnid_decode((const uint8 *) DatumGetPointer(entry->key));

	gistentryinit(*retval, Int64GetDatum(v), entry->rel, entry->page, entry->offset, false);
	PG_RETURN_POINTER(retval);
}

PG_FUNCTION_INFO_V1(cnid_gist_consistent);
Datum
cnid_gist_consistent(PG_FUNCTION_ARGS)
{
	GISTENTRY  *entry = (GISTENTRY *) PG_GETARG_POINTER(0);
	int64		q = PG_GETARG_INT64(1);
	StrategyNumber strategy = (StrategyNumber) PG_GETARG_UINT16(2);
	bool	   *recheck = (bool *) PG_GETARG_POINTER(4);
	uint8		enc[CNID_KEYLEN];

	*recheck = false;
	cnid_encode(q, enc);
	PG_RETURN_BOOL(ident_gist_consistent((const uint8 *) DatumGetPointer(entry->key),
										 enc, CNID_KEYLEN, strategy));
}

IDENT_GIST_GENERIC(cnid, CNID_KEYLEN)

/* The GiST storage type cnid_gist_key: not for direct use. */
PG_FUNCTION_INFO_V1(cnid_gist_key_in);
Datum
cnid_gist_key_in(PG_FUNCTION_ARGS)
{
	ereport(ERROR,
			(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
			 errmsg("cnid_gist_key is an internal type of the GiST opclass and has no input")));
	PG_RETURN_NULL();
}

PG_FUNCTION_INFO_V1(cnid_gist_key_out);
Datum
cnid_gist_key_out(PG_FUNCTION_ARGS)
{
	const uint8 *key = (const uint8 *) PG_GETARG_POINTER(0);
	char		lo[19],
				hi[19];

	cnid_format(cnid_decode(key), lo);
	cnid_format(cnid_decode(key + CNID_KEYLEN), hi);
	PG_RETURN_CSTRING(psprintf("[%s,%s]", lo, hi));
}
