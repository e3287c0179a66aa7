/*
 * masked_cnid.c — a masked resident identity number, as published lists give
 * it (失信被执行人 and other lists: 3303241976****2118).
 *
 * A value has the 18 positions of a resident identity number (GB 11643-1999),
 * each a digit, X (position 18 only, lower-case x accepted) or * for a
 * masked position.  Input accepts a value only if at least one valid cnid
 * fits it: some position is visible; the visible part of positions 1-2 fits
 * a province-level code; the visible digits of positions 7-14 fit a
 * calendar date from 1800 on; and the visible check character is reachable
 * (ISO 7064 MOD 11-2) by some way of filling the masked positions with a
 * plausible region and date.  With nothing masked this is exactly the rule
 * of the cnid type (the check character must be the right one).  The
 * reachability test is exact and takes constant time: it works on the sets
 * of weighted sums modulo 11 each group of positions can contribute (11-bit
 * masks), the leap day handled through the leap years alone.
 *
 * Representation: 18 bytes by reference, the canonical characters; memcmp
 * order is the order of the text ('*' sorts before the digits).
 *
 * Matching: cnid ~ masked_cnid is true when the number agrees with every
 * visible position; cnid_matches(cnid, text) does the same with the mask as
 * text.  For screening a large masked list, cnid_block(cnid) and
 * masked_cnid_block(masked_cnid) give the same bigint for a number and a mask
 * that shows positions 1-6 and 15-18 (the published masks hide the birth
 * date only) and agree there; an equality join (hash join, or an index on
 * masked_cnid_block(mask)) then finds the candidates and ~ confirms them.
 * README "Masked identity numbers" has the recipe and its plan.
 *
 * Structure: this file says what is particular to masked numbers — the
 * positions, the reachability rule, matching, the messages of its reasons —
 * in its descriptor masked_cnid_ident; the identifier core (ident.c) does
 * the parsing skeleton, the errors, text and binary I/O and the comparison
 * functions over it.
 *
 * SQL objects backed here (src/masked_cnid.sql): type masked_cnid (in, out,
 * recv, send), the comparison functions and btree opclass, the cast from
 * cnid, the operator ~ (masked_cnid_match), cnid_matches, cnid_block,
 * masked_cnid_block, masked_cnid_visible.
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/builtins.h"

#include "masked_cnid.h"
#include "cnid_rules.h"
#include "ident.h"
#define CM_ALL ((uint16) 0x7ff)	/* residues 0..10 */

/*
 * The reasons of masked_cnid's own (ident.h has IDENT_BAD_LENGTH and
 * IDENT_BAD_CHAR: in positions 1-17 neither a digit nor *).
 */
enum
{
	CM_MISPLACED_X = IDENT_TYPE_REASONS,	/* X in positions 1-17 */
	CM_BAD_CHECK_CHAR,			/* position 18: not a digit, X or * */
	CM_ALL_MASKED,				/* nothing visible */
	CM_BAD_PROVINCE,			/* positions 1-2 fit no province code */
	CM_BAD_DATE,				/* positions 7-14 fit no date from 1800 on */
	CM_BAD_CHECK,				/* nothing masked, wrong check character */
	CM_NO_CHECK					/* no filling reaches the check character */
};

/* ---------- residue sets: bit r set = weighted sum r (mod 11) possible ---------- */

static inline uint16
cm_rot(uint16 set, int r)
{
	r %= 11;
	return (uint16) (((set << r) | (set >> (11 - r))) & CM_ALL);
}

static uint16
cm_sumset(uint16 a, uint16 b)
{
	uint16		out = 0;
	int			i;

	for (i = 0; i < 11; i++)
		if (a & (1 << i))
			out |= cm_rot(b, i);
	return out;
}

static inline bool
cm_fits(char p, int digit)
{
	return p == '*' || p - '0' == digit;
}

/* residues of a two-digit number n at positions pos, pos+1 */
static inline int
cm_pair_residue(int pos, int n)
{
	return (cnid_rules_weights[pos] * (n / 10) + cnid_rules_weights[pos + 1] * (n % 10)) % 11;
}

/* residues positions 1-2 can contribute; 0 if no province code fits */
static uint16
cm_region_set(const char *c)
{
	uint16		set = 0;
	int			p;

	for (p = 11; p <= 83; p++)
		if (cnid_rules_province_ok(p) && cm_fits(c[0], p / 10) && cm_fits(c[1], p % 10))
			set |= 1 << cm_pair_residue(0, p);
	return set;
}

/*
 * residues positions 7-14 can contribute over the valid dates (year >= 1800)
 * that fit; 0 if none fits
 */
static uint16
cm_date_set(const char *c)
{
	uint16		cent = 0,
				cent4 = 0,
				yy_all = 0,
				yy_leap = 0,
				md = 0,
				years,
				leap_years,
				out;
	bool		yy00 = false;
	int			n,
				m,
				d;

	for (n = CNID_RULES_MIN_YEAR / 100; n <= 99; n++)
		if (cm_fits(c[6], n / 10) && cm_fits(c[7], n % 10))
		{
			cent |= 1 << cm_pair_residue(6, n);
			if (n % 4 == 0)
				cent4 |= 1 << cm_pair_residue(6, n);
		}
	for (n = 0; n <= 99; n++)
		if (cm_fits(c[8], n / 10) && cm_fits(c[9], n % 10))
		{
			yy_all |= 1 << cm_pair_residue(8, n);
			if (n == 0)
				yy00 = true;
			else if (n % 4 == 0)
				yy_leap |= 1 << cm_pair_residue(8, n);
		}
	/* month and day, the leap day apart (2001 is not a leap year) */
	for (m = 1; m <= 12; m++)
		for (d = 1; d <= cnid_rules_days_in_month(2001, m); d++)
			if (cm_fits(c[10], m / 10) && cm_fits(c[11], m % 10) &&
				cm_fits(c[12], d / 10) && cm_fits(c[13], d % 10))
				md |= 1 << ((cm_pair_residue(10, m) + cm_pair_residue(12, d)) % 11);
	years = cm_sumset(cent, yy_all);
	out = cm_sumset(years, md);
	if (cm_fits(c[10], 0) && cm_fits(c[11], 2) && cm_fits(c[12], 2) && cm_fits(c[13], 9))
	{
		/* leap years: yy a non-zero multiple of 4, or 00 in a century divisible by 4 */
		leap_years = cm_sumset(cent, yy_leap);
		if (yy00)
			leap_years |= cent4;	/* the residue of "00" is 0 */
		out |= cm_rot(leap_years, (cm_pair_residue(10, 2) + cm_pair_residue(12, 29)) % 11);
	}
	return out;
}

/* residues of one position (a digit or *) */
static inline uint16
cm_digit_set(const char *c, int pos)
{
	uint16		set = 0;
	int			d;

	for (d = 0; d <= 9; d++)
		if (cm_fits(c[pos], d))
			set |= 1 << ((cnid_rules_weights[pos] * d) % 11);
	return set;
}

/*
 * Parse str[0..len), trimmed, 18 characters (ident_parse checks the length)
 * into out (a CnidMask).  Pure: never raises, depends on nothing but the
 * text.
 */
static bool
cm_parse(const char *str, int len, void *out, IdentError *err)
{
	char	   *c = ((CnidMask *) out)->c;
	int			i,
				visible = 0;
	uint16		total,
				date;

	for (i = 0; i < CNID_MASK_LEN; i++)
	{
		char		ch = str[i];

		if (ch == 'x')
			ch = 'X';
		if (ch == '*' || (ch >= '0' && ch <= '9') || (ch == 'X' && i == 17))
		{
			c[i] = ch;
			if (ch != '*')
				visible++;
			continue;
		}
		err->pos = i;
		err->reason = (i == 17) ? CM_BAD_CHECK_CHAR : (ch == 'X') ? CM_MISPLACED_X : IDENT_BAD_CHAR;
		return false;
	}
	if (visible == 0)
	{
		err->reason = CM_ALL_MASKED;
		return false;
	}

	total = cm_region_set(c);
	if (total == 0)
	{
		err->reason = CM_BAD_PROVINCE;
		return false;
	}
	date = cm_date_set(c);
	if (date == 0)
	{
		err->reason = CM_BAD_DATE;
		return false;
	}
	total = cm_sumset(total, date);
	for (i = 2; i < 6; i++)
		total = cm_sumset(total, cm_digit_set(c, i));
	for (i = 14; i < 17; i++)
		total = cm_sumset(total, cm_digit_set(c, i));

	if (c[17] != '*')
	{
		int			r;
		bool		reachable = false;

		for (r = 0; r < 11; r++)
			if ((total & (1 << r)) && cnid_rules_check_chars[r] == c[17])
				reachable = true;
		if (!reachable)
		{
			err->found = c[17];
			if (visible == CNID_MASK_LEN)
			{
				/* nothing masked: exactly one residue */
				for (r = 0; r < 11; r++)
					if (total & (1 << r))
						err->expected = cnid_rules_check_chars[r];
				err->reason = CM_BAD_CHECK;
			}
			else
				err->reason = CM_NO_CHECK;
			return false;
		}
	}
	return true;
}

/* ---------------------------------------------------------------------
 * Messages
 * --------------------------------------------------------------------- */

/* The phrase of a reason of masked_cnid's own; s: the trimmed input. */
static char *
cm_reason_text(const char *s, const IdentError *e)
{
	switch (e->reason)
	{
		case CM_MISPLACED_X:
			return psprintf("\"X\" at position %d is not the check character", e->pos + 1);
		case CM_BAD_CHECK_CHAR:
			return psprintf("%s at position 18 is neither a check character (0-9 or X) nor *",
							ident_char_text(s, e->pos));
		case CM_ALL_MASKED:
			return pstrdup("every position is masked");
		case CM_BAD_PROVINCE:
			return psprintf("no province code fits \"%.2s\"", s);
		case CM_BAD_DATE:
			return psprintf("no birth date fits \"%.8s\"", s + 6);
		case CM_BAD_CHECK:
			return psprintf("wrong check character \"%c\", expected \"%c\"", e->found, e->expected);
		case CM_NO_CHECK:
			return psprintf("no number fitting the visible digits has check character \"%c\"", e->found);
	}
	return NULL;
}

/* errdetail and errhint of an input error */
static bool
cm_explain(const IdentError *e, const char **detail, const char **hint)
{
	switch (e->reason)
	{
		case IDENT_BAD_LENGTH:
			*detail = "A masked resident identity number has 18 positions, each a digit, X (position 18 only) or * for a masked position.";
			*hint = "The old 15-digit form is not accepted masked; surrounding white space is ignored.";
			return true;
		case IDENT_BAD_CHAR:
			*detail = "Positions 1 to 17 of a masked resident identity number are ASCII digits or * (masked).";
			*hint = "Write every masked position as *, one per hidden digit.";
			return true;
		case CM_MISPLACED_X:
			*detail = "X stands only in position 18, as the check character with the value 10.";
			*hint = "Masked positions are written *, not X; check for a shifted column.";
			return true;
		case CM_BAD_CHECK_CHAR:
			*detail = "Position 18 of a masked resident identity number is a digit, X (x is accepted) or *.";
			*hint = "Check the value for typing errors.";
			return true;
		case CM_ALL_MASKED:
			*detail = "A mask that shows nothing fits every number and identifies no one.";
			*hint = "Store NULL for an entry without a number and screen it by name (name_match).";
			return true;
		case CM_BAD_PROVINCE:
			*detail = "Positions 1-2 hold a province-level code of GB/T 2260: 11-15, 21-23, 31-37, 41-46, 50-54, 61-65, 71, 81, 82 or 83.";
			*hint = "Check the first two positions.";
			return true;
		case CM_BAD_DATE:
			*detail = psprintf("Positions 7-14 are a birth date YYYYMMDD from %d on; no calendar date has the visible digits.",
							   CNID_RULES_MIN_YEAR);
			*hint = "Check the visible digits of the birth date; published masks usually hide the month and day (positions 11-14) or the whole date (positions 7-14).";
			return true;
		case CM_BAD_CHECK:
			*detail = psprintf("Nothing is masked, and ISO 7064 MOD 11-2 over the first 17 digits gives the check character \"%c\", the value has \"%c\".",
							   e->expected, e->found);
			*hint = "A wrong check character usually means a mistyped or transposed digit.";
			return true;
		case CM_NO_CHECK:
			*detail = "For every way of filling the masked positions with a plausible region and birth date, ISO 7064 MOD 11-2 gives another check character.";
			*hint = "A visible digit or the check character was mistyped in the list.";
			return true;
	}
	return false;
}

/* ---------------------------------------------------------------------
 * The SQL skin
 * --------------------------------------------------------------------- */

#define PG_GETARG_CNID_MASK(n) ((const CnidMask *) PG_GETARG_POINTER(n))

/* A value is its canonical characters. */
static void
cm_format(Datum value, char *out)
{
	memcpy(out, ((const CnidMask *) DatumGetPointer(value))->c, CNID_MASK_LEN);
}

static const IdentType masked_cnid_ident = {
	.name = "masked_cnid",
	.binary_noun = "18 positions of a masked resident identity number",
	.canonical = "upper-case X, no white space",
	.size = sizeof(CnidMask),
	.byval = false,
	.textlen = CNID_MASK_LEN,
	.lengths = "18",
	.bad_char = "is neither a digit nor *",
	.wire_version = 1,
	/* what identifier_normalize() cleans shows as a bad length or character */
	.cleanable = IDENT_REASON_BIT(IDENT_BAD_LENGTH) | IDENT_REASON_BIT(IDENT_BAD_CHAR),
	.cleaned_hint = "identifier_normalize(text) cleans such a value (a full-width asterisk becomes *); cast its result.",
	.parse = cm_parse,
	.format = cm_format,
	.reason_text = cm_reason_text,
	.explain = cm_explain,
	/* no cleansing functions, no GiST opclass */
};

/* masked_cnid_in, masked_cnid_out, masked_cnid_recv, masked_cnid_send */
IDENT_IO(masked_cnid, masked_cnid_ident)

/* the cast cnid -> masked_cnid: the full number, nothing masked */
PG_FUNCTION_INFO_V1(masked_cnid_from_cnid);
Datum
masked_cnid_from_cnid(PG_FUNCTION_ARGS)
{
	CnidMask   *m = palloc(sizeof(CnidMask));

	cnid_rules_chars(cnid_datum_body(PG_GETARG_DATUM(0)), m->c);
	PG_RETURN_POINTER(m);
}

/* ---------- comparison (memcmp of the canonical text) ---------- */

static inline int
cm_cmp3(Datum x, Datum y)
{
	return memcmp(((const CnidMask *) DatumGetPointer(x))->c,
				  ((const CnidMask *) DatumGetPointer(y))->c, CNID_MASK_LEN);
}

/* masked_cnid_eq, _ne, _lt, _le, _gt, _ge, masked_cnid_cmp */
IDENT_COMPARISON(masked_cnid, cm_cmp3)

/* ---------- matching ---------- */

void
masked_cnid_agreement(int64 body, const CnidMask *mask, CnidMaskAgreement *out)
{
	char		n[CNID_MASK_LEN];
	int			i;

	cnid_rules_chars(body, n);
	memset(out, 0, sizeof(*out));
	out->region_agrees = out->date_agrees = out->seq_agrees = true;
	out->sex_agrees = out->check_agrees = true;
	for (i = 0; i < CNID_MASK_LEN; i++)
	{
		bool		agrees;

		if (mask->c[i] == '*')
			continue;
		agrees = (mask->c[i] == n[i]);
		if (i < 6)
		{
			out->region_visible++;
			out->region_agrees &= agrees;
		}
		else if (i < 14)
		{
			out->date_visible++;
			out->date_agrees &= agrees;
		}
		else if (i < 17)
		{
			out->seq_visible++;
			out->seq_agrees &= agrees;
			if (i == 16)
			{
				out->sex_visible = true;
				/* the parity, not the digit, gives the sex */
				out->sex_agrees = ((mask->c[i] - '0') % 2 == (n[i] - '0') % 2);
			}
		}
		else
		{
			out->check_visible = true;
			out->check_agrees = agrees;
		}
	}
	out->matches = out->region_agrees && out->date_agrees && out->seq_agrees && out->check_agrees;
}

static inline bool
cm_match(int64 body, const CnidMask *mask)
{
	char		n[CNID_MASK_LEN];
	int			i;

	cnid_rules_chars(body, n);
	for (i = 0; i < CNID_MASK_LEN; i++)
		if (mask->c[i] != '*' && mask->c[i] != n[i])
			return false;
	return true;
}

PG_FUNCTION_INFO_V1(masked_cnid_match);
Datum
masked_cnid_match(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(cm_match(cnid_datum_body(PG_GETARG_DATUM(0)), PG_GETARG_CNID_MASK(1)));
}

PG_FUNCTION_INFO_V1(cnid_matches);
Datum
cnid_matches(PG_FUNCTION_ARGS)
{
	int64		body = cnid_datum_body(PG_GETARG_DATUM(0));
	text	   *t = PG_GETARG_TEXT_PP(1);
	Datum		mask = ident_from_cstring(&masked_cnid_ident, VARDATA_ANY(t),
										  VARSIZE_ANY_EXHDR(t));

	PG_RETURN_BOOL(cm_match(body, (const CnidMask *) DatumGetPointer(mask)));
}

/*
 * The block key of positions 1-6 and 15-18: (region * 1000 + sequence) * 11
 * + the value of the check character (X = 10); NULL if the mask hides any
 * of them.  A number fits a mask only if their keys are equal (or the
 * mask's is NULL).
 */
static int64
cm_block(const char *c)
{
	int64		k = 0;
	int			i;

	for (i = 0; i < 6; i++)
		k = k * 10 + (c[i] - '0');
	for (i = 14; i < 17; i++)
		k = k * 10 + (c[i] - '0');
	return k * 11 + (c[17] == 'X' ? 10 : c[17] - '0');
}

PG_FUNCTION_INFO_V1(cnid_block);
Datum
cnid_block(PG_FUNCTION_ARGS)
{
	char		n[CNID_MASK_LEN];

	cnid_rules_chars(cnid_datum_body(PG_GETARG_DATUM(0)), n);
	PG_RETURN_INT64(cm_block(n));
}

PG_FUNCTION_INFO_V1(masked_cnid_block);
Datum
masked_cnid_block(PG_FUNCTION_ARGS)
{
	const CnidMask *m = PG_GETARG_CNID_MASK(0);
	int			i;

	for (i = 0; i < CNID_MASK_LEN; i++)
		if ((i < 6 || i >= 14) && m->c[i] == '*')
			PG_RETURN_NULL();
	PG_RETURN_INT64(cm_block(m->c));
}

PG_FUNCTION_INFO_V1(masked_cnid_visible);
Datum
masked_cnid_visible(PG_FUNCTION_ARGS)
{
	const CnidMask *m = PG_GETARG_CNID_MASK(0);
	int			i,
				n = 0;

	for (i = 0; i < CNID_MASK_LEN; i++)
		n += (m->c[i] != '*');
	PG_RETURN_INT32(n);
}
