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
 * Structure: this file says what is particular to cnid — the positions,
 * the check rule, the region and birth-date semantics, the messages of its
 * reasons — in its descriptor cnid_ident; the identifier core (ident.c)
 * does the parsing skeleton, the errors, text and binary I/O, the cleansing
 * functions and the btree, hash and GiST support over it.  cnid_parse() is
 * a pure parser returning bool and a reason, never calling ereport.
 *
 * Type input is a pure function of the text (IMMUTABLE): whether a birth
 * date lies in the future depends on the clock and the time zone, so that
 * rule (cnid_cleanse) is checked only by the cleansing functions
 * is_valid_cnid and cnid_invalid_reason (STABLE), never by input, COPY,
 * casts or binary receive, which a restore or a replica in another time
 * zone must pass.
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
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"

#include "cnid_rules.h"
#include "ident.h"
#include "normalize.h"

/* ---------------------------------------------------------------------
 * The pure core
 * --------------------------------------------------------------------- */

/* The reasons of cnid's own (ident.h has IDENT_BAD_LENGTH, IDENT_BAD_CHAR). */
enum
{
	CNID_BAD_CHECK_CHAR = IDENT_TYPE_REASONS,	/* position 18 neither a
												 * digit nor X */
	CNID_BAD_PROVINCE,			/* positions 1-2 not a province code */
	CNID_BAD_DATE,				/* birth date not a calendar date */
	CNID_EARLY_DATE,			/* birth year before 1800 */
	CNID_FUTURE_DATE,			/* birth date after today (cleansing only) */
	CNID_BAD_CHECK				/* wrong check character */
};

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
cnid_check_body(const int *d, IdentError *err)
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
cnid_born_by(int64 body, int32 today, IdentError *err)
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
 * Parse str[0..len), trimmed, 18 or 15 characters (ident_parse checks the
 * length).  On success store the body in *out (an int64); otherwise fill
 * *err.  Never raises, and depends on nothing but the text.
 */
static bool
cnid_parse(const char *str, int len, void *out, IdentError *err)
{
	int			d[17];
	int			i;
	int64		body = 0;

	if (len == 18)
	{
		char		c;

		if (!ident_digits(str, 17, d, err))
			return false;
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
	else
	{
		int			o[15],
					seq;

		/* the old form: 15 digits */
		if (!ident_digits(str, 15, o, err))
			return false;
		/* region */
		for (i = 0; i < 6; i++)
			d[i] = o[i];
		seq = o[12] * 100 + o[13] * 10 + o[14];
		/* century: 996-999 were given to centenarians, born in the 1800s */
		d[6] = 1;
		d[7] = (seq >= 996) ? 8 : 9;
		/* YYMMDD, sequence */
		for (i = 0; i < 6; i++)
			d[8 + i] = o[6 + i];
		for (i = 0; i < 3; i++)
			d[14 + i] = o[12 + i];
		if (!cnid_check_body(d, err))
			return false;
	}

	for (i = 0; i < 17; i++)
		body = body * 10 + d[i];
	*(int64 *) out = body;
	return true;
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

/* The canonical 18 characters of a cnid Datum (checked for range). */
static void
cnid_format(Datum value, char *out)
{
	cnid_rules_chars(cnid_datum_body(value), out);
}

/* is_valid_cnid, cnid_invalid_reason: the birth date is not after today */
static bool
cnid_cleanse(Datum value, IdentError *err)
{
	return cnid_born_by(DatumGetInt64(value), cnid_today(), err);
}

static char *
ymd_text(int32 ymd)
{
	return psprintf("%04d-%02d-%02d", ymd / 10000, (ymd / 100) % 100, ymd % 100);
}

/* The phrase of a reason of cnid's own; s: the trimmed input. */
static char *
cnid_reason_text(const char *s, const IdentError *e)
{
	switch (e->reason)
	{
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

/* errdetail and errhint of an input error */
static bool
cnid_explain(const IdentError *e, const char **detail, const char **hint)
{
	switch (e->reason)
	{
		case IDENT_BAD_LENGTH:
			*detail = "A resident identity number has 18 characters (17 digits and a check character), or 15 digits in the old form.";
			*hint = "Surrounding white space is ignored; separators and other characters are not.";
			return true;
		case IDENT_BAD_CHAR:
			*detail = e->len == 15 ? "All 15 characters of an old-form resident identity number are digits."
				: "Positions 1 to 17 of a resident identity number are ASCII digits.";
			*hint = "Check the value for typing errors or a shifted column.";
			return true;
		case CNID_BAD_CHECK_CHAR:
			*detail = "The 18th character of a resident identity number is a digit or X (x is accepted).";
			*hint = "Check the value for typing errors.";
			return true;
		case CNID_BAD_PROVINCE:
			*detail = "Positions 1-2 must be a province-level code of GB/T 2260: 11-15, 21-23, 31-37, 41-46, 50-54, 61-65, 71, 81, 82 or 83.";
			*hint = "Check the first two digits; county-level codes are never checked.";
			return true;
		case CNID_BAD_DATE:
			*detail = "Positions 7-14 (positions 7-12 in the old form) must be a calendar date YYYYMMDD.";
			*hint = "Check the month and the day of the birth date.";
			return true;
		case CNID_EARLY_DATE:
			*detail = psprintf("Birth dates before %d-01-01 are not plausible.", CNID_RULES_MIN_YEAR);
			*hint = "Check the year of the birth date (positions 7-10).";
			return true;
		case CNID_BAD_CHECK:
			*detail = psprintf("ISO 7064 MOD 11-2 over the first 17 digits gives the check character \"%c\", the value has \"%c\".",
							   e->expected, e->found);
			*hint = "A wrong check character usually means a mistyped or transposed digit.";
			return true;
	}
	/* CNID_FUTURE_DATE: a cleansing rule (is_valid_cnid), never an input error */
	return false;
}

/* The GiST encoding: the body as a big-endian 8-byte integer. */
#define CNID_KEYLEN 8

static void
cnid_encode(Datum value, uint8 *out)
{
	int64		v = DatumGetInt64(value);
	int			i;

	for (i = 7; i >= 0; i--)
	{
		out[i] = (uint8) (v & 0xff);
		v >>= 8;
	}
}

static Datum
cnid_decode(const uint8 *b)
{
	int64		v = 0;
	int			i;

	for (i = 0; i < 8; i++)
		v = (v << 8) | b[i];
	return Int64GetDatum(v);
}

static const IdentType cnid_ident = {
	.name = "cnid",
	.binary_noun = "18 characters of a resident identity number",
	.canonical = "upper-case X, no white space",
	.size = sizeof(int64),
	.byval = true,
	.textlen = 18,
	.altlen = 15,
	.lengths = "18 or 15",
	.bad_char = "is not a digit",
	.wire_version = 1,
	.cleanable = ~(uint32) 0,
	.parse = cnid_parse,
	.format = cnid_format,
	.reason_text = cnid_reason_text,
	.explain = cnid_explain,
	.cleanse = cnid_cleanse,
	.keylen = CNID_KEYLEN,
	.encode = cnid_encode,
	.decode = cnid_decode,
};

/* cnid_in, cnid_out, cnid_recv, cnid_send */
IDENT_IO(cnid, cnid_ident)
/*
 * cnid_from_text, cnid_to_text, is_valid_cnid, cnid_invalid_reason, and
 * cnid_accepts for to_cnid() (normalize.h)
 */
IDENT_TEXT(cnid, cnid_ident)

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
	char		canon[18];

	cnid_rules_chars(v, canon);
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
	return ident_from_cstring(&cnid_ident, body, 18);
}

/* ---------- comparison, hashing, GiST ---------- */

/* numeric order of the bodies is the order of the canonical text */
static inline int
cnid_cmp3(Datum x, Datum y)
{
	int64		a = DatumGetInt64(x);
	int64		b = DatumGetInt64(y);

	return a < b ? -1 : (a > b ? 1 : 0);
}

/* cnid_eq, _ne, _lt, _le, _gt, _ge, cnid_cmp */
IDENT_COMPARISON(cnid, cnid_cmp3)
/* cnid_smaller, cnid_larger, cnid_sortsupport */
IDENT_ORDERING(cnid, cnid_cmp3)

/*
 * Hash: ident_mix64(body XOR ident_seed(seed)); the standard hash is the low
 * 32 bits with seed 0.  Defined on the integer value, so it is the same on
 * every platform.
 */
static inline uint64
cnid_hash64(Datum value, int64 seed)
{
	return ident_hash64((uint64) DatumGetInt64(value), seed);
}

/* cnid_hash, cnid_hash_extended */
IDENT_HASH(cnid, cnid_hash64)

/* cnid_gist_compress, _fetch, _consistent, _union, _penalty, _picksplit,
 * _same, cnid_gist_key_in, cnid_gist_key_out */
IDENT_GIST(cnid, cnid_ident)
