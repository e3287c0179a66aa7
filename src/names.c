/*
 * names.c — screening by name: Chinese names in every written form, keys
 * that turn fuzzy screening into equality joins, and a match score that
 * explains itself.
 *
 * Libraries: ICU (libicu, already a dependency of PostgreSQL) does the
 * Unicode work: NFKC normalisation (full-width forms, compatibility
 * ideographs, the ideographic space), the transform "Hant-Hans"
 * (traditional to simplified characters), "Han-Latin" and
 * "Han-Latin/Names" (pinyin; the /Names variant gives the readings of
 * surnames) and "Latin-ASCII" (tone marks and ü off).  A small table here
 * adds the variant characters (异体字) that Hant-Hans leaves alone (峯 峰,
 * 喆 哲, 淸 清 ...) and the second readings of surnames (曾 zeng/ceng,
 * 单 shan/dan, 解 xie/jie, 区 ou/qu, 仇 qiu/chou, 朴 piao/pu, 查 zha/cha ...).
 *
 * name_normalize(text): NFKC; every space, full-width or not, collapsed,
 * and dropped between two Han characters; the middle-dot family (· • ‧ ・
 * ∙ ⋅ . ...) as U+00B7 without spaces around it; variant and traditional
 * characters simplified; Latin letters upper case, without diacritics
 * (Lǚ becomes LU: tone marks do not tell people apart, and the result is
 * ASCII in every server encoding).
 *
 * name_pinyin(text): the pinyin keys of a name, "surname given" in
 * lower-case ASCII without tones.  A Han name gives one key per reading of
 * its surname (compound surnames such as 欧阳 and 诸葛 recognised); a
 * name in Latin letters ("ZHANG Wei", "Wei Zhang", "Xiao-Ming Zhang") gives
 * both orders, since sources put the surname first or last.  Names joined
 * by a middle dot (阿依古丽·买买提) take the first part as the "surname".
 *
 * name_keys(text): 64-bit keys such that two names share a key when they
 * are the same name after normalisation, have a pinyin key in common, or
 * are one character apart (insertion, deletion or substitution: the
 * deletion neighbourhood, every name with one character left out, for
 * names of three characters or more).  A join on unnest(name_keys(...)) is
 * an equality join.  Two-character names get no deletion keys: the key "张"
 * would join every 张; their common typing errors are homophones (a pinyin
 * input method), which the pinyin keys catch.
 *
 * name_match(candidate, entry, candidate_id, entry_id): a score 0-100 and
 * its reasons.  Name evidence (the best one): exact 45, written form (the
 * same after width, spaces, dots, case) 45, traditional 45, variant 42, pinyin 40, one character different 40 (20 for two-character
 * names); number evidence when both numbers are given and the candidate's
 * number fits the entry's mask: region up to 10, birth date up to 25 (in
 * proportion to the visible date digits), sequence and check character up
 * to 20, reported as region / birth date / birth year / birth digits (one
 * to three date digits visible) / sex (no points of its own: position 17
 * is part of the sequence) / sequence.  A number that does not fit caps
 * the score at 20 ("number differs").  Every point belongs to a reason:
 * name_match_lines() returns them one row each, and they add up to the
 * score (the cap is a line of negative points).  The
 * threshold name_match_threshold() is 70: a name alone (45 at most) or a
 * number alone (55 at most) never reaches it; an exact or pinyin name with
 * a number whose visible region and sequence agree does.
 *
 * Encodings: every function converts its text argument from the server
 * encoding to UTF-8 (pg_server_to_any) and its text result back
 * (pg_any_to_server), so EUC_CN databases work (a simplified character
 * outside GB 2312 then raises the conversion error).  GB 2312 has one
 * middle dot, U+30FB (A1A4): name_normalize writes it there instead of
 * U+00B7.  Keys and pinyin do not depend on the encoding.
 *
 * Per backend, the transliterators are opened once and the results of the
 * per-character transforms for the Han characters of the BMP are cached in
 * arrays allocated in TopMemoryContext; ICU's own objects live for the
 * backend's life.  The results depend on the ICU version's data (like an
 * ICU collation): after an ICU major upgrade, rebuild indexes on
 * name_normalize or name_keys (name_icu_version() says which ICU is used).
 *
 * SQL objects backed here (src/names.sql): name_normalize, name_pinyin,
 * name_keys, name_match, name_match_lines, name_match_threshold,
 * name_icu_version.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "funcapi.h"
#include "mb/pg_wchar.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utrans.h>
#include <unicode/uversion.h>

#include "cnid_rules.h"
#include "masked_cnid.h"
#include "ident_common.h"

/* flags of a normalisation: what it changed */
#define NF_FORM 1				/* width, spaces, dots, case */
#define NF_VARIANT 2			/* a variant character */
#define NF_TRAD 4				/* a traditional character */

#define HAN_BMP_LO 0x3400
#define HAN_BMP_HI 0x9FFF
#define HAN_BMP_N (HAN_BMP_HI - HAN_BMP_LO + 1)

#define NAME_MAX_CP 256			/* longer names are refused */
#define NAME_THRESHOLD 70

/* ---------------------------------------------------------------------
 * Tables
 * --------------------------------------------------------------------- */

/* variant characters Hant-Hans leaves alone, and their common forms */
static const struct
{
	UChar32		from,
				to;
}			name_variants[] =
{
	{0x5CEF, 0x5CF0},			/* 峯 峰 */
	{0x5586, 0x54F2},			/* 喆 哲 */
	{0x5803, 0x5764},			/* 堃 坤 */
	{0x6DF8, 0x6E05},			/* 淸 清 */
	{0x9751, 0x9752},			/* 靑 青 */
	{0x885E, 0x536B},			/* 衞 卫 */
	{0x752F, 0x5B81},			/* 甯 宁 */
	{0x73EE, 0x4F69},			/* 珮 佩 */
	{0x51C3, 0x6D82},			/* 凃 涂 */
	{0x654D, 0x53D9},			/* 敍 叙 */
	{0x6822, 0x67CF},			/* 栢 柏 */
	{0x5D10, 0x6606},			/* 崐 昆 */
	{0x5CE9, 0x5CE8},			/* 峩 峨 */
	{0x90A8, 0x6751},			/* 邨 村 */
	{0x51A8, 0x5BCC},			/* 冨 富 */
	{0x5BF3, 0x5B9D},			/* 寳 宝 */
	{0x7155, 0x7199},			/* 煕 熙 */
	{0x7188, 0x7199},			/* 熈 熙 */
	{0x7DD6, 0x7EEA},			/* 緖 绪 */
	{0x537D, 0x5373},			/* 卽 即 */
	{0x66FA, 0x66F9},			/* 曺 曹 */
	{0x6C5A, 0x6C61},			/* 汚 污 */
	{0x5DBD, 0x5CB3},			/* 嶽 岳 */
	{0x53E1, 0x777F},			/* 叡 睿 */
	{0x51D6, 0x51C6},			/* 凖 准 */
	{0x65E3, 0x65E2},			/* 旣 既 */
	{0x7690, 0x768B},			/* 皐 皋 */
	{0x5144, 0x5154},			/* 兎 兔 */
	{0x7D89, 0x7EE3},			/* 綉 绣 */
};

/* second (and third) readings of surnames, beside ICU's two */
static const struct
{
	UChar32		ch;
	const char *readings[3];
}			name_surname_readings[] =
{
	{0x66FE, {"zeng", "ceng", NULL}},	/* 曾 */
	{0x5355, {"shan", "dan", "chan"}},	/* 单 */
	{0x89E3, {"xie", "jie", NULL}},		/* 解 */
	{0x533A, {"ou", "qu", NULL}},	/* 区 */
	{0x4EC7, {"qiu", "chou", NULL}},	/* 仇 */
	{0x6734, {"piao", "pu", NULL}},		/* 朴 */
	{0x67E5, {"zha", "cha", NULL}},		/* 查 */
	{0x76D6, {"ge", "gai", NULL}},	/* 盖 */
	{0x7F2A, {"miao", "mou", "miu"}},	/* 缪 */
	{0x7FDF, {"zhai", "di", NULL}},		/* 翟 */
	{0x4E50, {"yue", "le", NULL}},	/* 乐 */
	{0x5458, {"yun", "yuan", NULL}},	/* 员 */
	{0x8983, {"qin", "tan", NULL}},		/* 覃 */
	{0x79D8, {"bi", "mi", NULL}},	/* 秘 */
	{0x79CD, {"chong", "zhong", NULL}},		/* 种 */
	{0x53EC, {"shao", "zhao", NULL}},	/* 召 */
	{0x6298, {"she", "zhe", NULL}},		/* 折 */
	{0x7E41, {"po", "fan", NULL}},	/* 繁 */
	{0x9697, {"wei", "kui", NULL}},		/* 隗 */
	{0x53E5, {"gou", "ju", NULL}},	/* 句 */
	{0x5B93, {"mi", "fu", NULL}},	/* 宓 */
	{0x8398, {"shen", "xin", NULL}},	/* 莘 */
	{0x6D17, {"xian", "xi", NULL}},		/* 洗 */
	{0x85CF, {"zang", "cang", NULL}},	/* 藏 */
	{0x90FD, {"du", "dou", NULL}},	/* 都 */
	{0x67CF, {"bai", "bo", NULL}},	/* 柏 */
	{0x77F3, {"shi", "dan", NULL}},		/* 石 */
	{0x8C0C, {"chen", "shen", NULL}},	/* 谌 */
	{0x5C09, {"wei", "yu", NULL}},	/* 尉 */
	{0x80FD, {"neng", "nai", NULL}},	/* 能 */
	{0x8584, {"bo", "bao", NULL}},	/* 薄 */
	{0x9ED1, {"hei", "he", NULL}},	/* 黑 */
	{0x4E07, {"wan", "mo", NULL}},	/* 万 (万俟) */
	{0x957F, {"zhang", "chang", NULL}},		/* 长 (长孙) */
	{0x7C98, {"nian", "zhan", NULL}},	/* 粘 */
};

/* compound surnames (复姓), simplified */
static const UChar32 name_compound_surnames[][2] =
{
	{0x6B27, 0x9633},			/* 欧阳 */
	{0x53F8, 0x9A6C},			/* 司马 */
	{0x4E0A, 0x5B98},			/* 上官 */
	{0x8BF8, 0x845B},			/* 诸葛 */
	{0x4E1C, 0x65B9},			/* 东方 */
	{0x7687, 0x752B},			/* 皇甫 */
	{0x5C09, 0x8FDF},			/* 尉迟 */
	{0x516C, 0x5B59},			/* 公孙 */
	{0x6155, 0x5BB9},			/* 慕容 */
	{0x957F, 0x5B59},			/* 长孙 */
	{0x5B87, 0x6587},			/* 宇文 */
	{0x53F8, 0x5F92},			/* 司徒 */
	{0x590F, 0x4FAF},			/* 夏侯 */
	{0x4EE4, 0x72D0},			/* 令狐 */
	{0x7AEF, 0x6728},			/* 端木 */
	{0x8F69, 0x8F95},			/* 轩辕 */
	{0x897F, 0x95E8},			/* 西门 */
	{0x5357, 0x5BAB},			/* 南宫 */
	{0x72EC, 0x5B64},			/* 独孤 */
	{0x547C, 0x5EF6},			/* 呼延 */
	{0x4E07, 0x4FDF},			/* 万俟 */
	{0x5355, 0x4E8E},			/* 单于 */
	{0x6FB9, 0x53F0},			/* 澹台 */
	{0x592A, 0x53F2},			/* 太史 */
	{0x7533, 0x5C60},			/* 申屠 */
	{0x95FB, 0x4EBA},			/* 闻人 */
	{0x8D6B, 0x8FDE},			/* 赫连 */
	{0x949F, 0x79BB},			/* 钟离 */
	{0x6DF3, 0x4E8E},			/* 淳于 */
	{0x62D3, 0x8DCB},			/* 拓跋 */
	{0x53F8, 0x7A7A},			/* 司空 */
};

/* ---------------------------------------------------------------------
 * ICU state, per backend
 * --------------------------------------------------------------------- */

typedef struct NameIcu
{
	const UNormalizer2 *nfkc;
	UTransliterator *t2s;		/* Hant-Hans */
	UTransliterator *pinyin;	/* Han-Latin; Latin-ASCII */
	UTransliterator *pinyin_names;	/* Han-Latin/Names; Latin-ASCII */
	UTransliterator *ascii;		/* Latin-ASCII */
	UChar32    *simp;			/* [HAN_BMP_N]: simplified, 0 = not yet */
	char	  **py;				/* [HAN_BMP_N]: pinyin syllable */
	char	  **py_names;		/* [HAN_BMP_N]: its reading as a surname */
} NameIcu;

/* filled field by field: a failed open is retried, nothing opened twice */
static NameIcu name_icu_state;
static bool name_icu_ready = false;

static void
name_icu_check(UErrorCode status, const char *what)
{
	if (U_FAILURE(status))
		ereport(ERROR,
				(errcode(ERRCODE_EXTERNAL_ROUTINE_EXCEPTION),
				 errmsg("ICU %s failed: %s", what, u_errorName(status))));
}

static UTransliterator *
name_open_trans(const char *id)
{
	UChar		uid[64];
	UErrorCode	status = U_ZERO_ERROR;
	UParseError perr;
	UTransliterator *t;

	u_uastrcpy(uid, id);
	t = utrans_openU(uid, -1, UTRANS_FORWARD, NULL, 0, &perr, &status);
	if (U_FAILURE(status) || t == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_EXTERNAL_ROUTINE_EXCEPTION),
				 errmsg("could not open the ICU transform \"%s\": %s", id, u_errorName(status)),
				 errhint("The transforms come with ICU's data (Debian package libicu72 or later).")));
	return t;
}

static NameIcu *
name_icu_get(void)
{
	NameIcu    *s = &name_icu_state;

	if (!name_icu_ready)
	{
		if (s->nfkc == NULL)
		{
			UErrorCode	status = U_ZERO_ERROR;
			const UNormalizer2 *nfkc = unorm2_getNFKCInstance(&status);

			name_icu_check(status, "NFKC normaliser");
			s->nfkc = nfkc;
		}
		if (s->t2s == NULL)
			s->t2s = name_open_trans("Hant-Hans");
		if (s->pinyin == NULL)
			s->pinyin = name_open_trans("Han-Latin; Latin-ASCII");
		if (s->pinyin_names == NULL)
			s->pinyin_names = name_open_trans("Han-Latin/Names; Latin-ASCII");
		if (s->ascii == NULL)
			s->ascii = name_open_trans("Latin-ASCII");
		if (s->simp == NULL)
			s->simp = MemoryContextAllocZero(TopMemoryContext, sizeof(UChar32) * HAN_BMP_N);
		if (s->py == NULL)
			s->py = MemoryContextAllocZero(TopMemoryContext, sizeof(char *) * HAN_BMP_N);
		if (s->py_names == NULL)
			s->py_names = MemoryContextAllocZero(TopMemoryContext, sizeof(char *) * HAN_BMP_N);
		name_icu_ready = true;
	}
	return s;
}

/* Apply a transform to one code point; the result as UTF-16 in buf. */
static int32
name_trans_cp(UTransliterator *t, UChar32 c, UChar *buf, int32 cap)
{
	int32		len = 0,
				limit;
	UErrorCode	status = U_ZERO_ERROR;

	U16_APPEND_UNSAFE(buf, len, c);
	limit = len;
	utrans_transUChars(t, buf, &len, cap, 0, &limit, &status);
	name_icu_check(status, "transform");
	return len;
}

static inline bool
name_is_han(UChar32 c)
{
	return (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) ||
		(c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x3134F);
}

static UChar32
name_variant(UChar32 c)
{
	int			i;

	for (i = 0; i < lengthof(name_variants); i++)
		if (name_variants[i].from == c)
			return name_variants[i].to;
	return c;
}

/* simplified form of one Han character (Hant-Hans, one character out) */
static UChar32
name_simplify_cp(NameIcu *s, UChar32 c)
{
	UChar		buf[16];
	int32		len;
	UChar32		out;
	int32		i = 0;

	if (c >= HAN_BMP_LO && c <= HAN_BMP_HI && s->simp[c - HAN_BMP_LO] != 0)
		return s->simp[c - HAN_BMP_LO];
	len = name_trans_cp(s->t2s, c, buf, lengthof(buf));
	U16_NEXT(buf, i, len, out);
	if (i != len)
		out = c;				/* not one character: keep it */
	if (c >= HAN_BMP_LO && c <= HAN_BMP_HI)
		s->simp[c - HAN_BMP_LO] = out;
	return out;
}

/* pinyin of one character, lower-case ASCII, via transform t (not cached) */
static char *
name_pinyin_cp_with(UTransliterator *t, UChar32 c)
{
	UChar		buf[64];
	int32		len = name_trans_cp(t, c, buf, lengthof(buf));
	char	   *out = palloc(len + 1);
	int			i,
				n = 0;

	for (i = 0; i < len; i++)
	{
		UChar		u = buf[i];

		if (u >= 'A' && u <= 'Z')
			u += 'a' - 'A';
		if (u >= 'a' && u <= 'z')
			out[n++] = (char) u;
	}
	out[n] = '\0';
	return out;
}

/* pinyin of a character through a cache (the default or the surname reading) */
static const char *
name_pinyin_cached(NameIcu *s, UChar32 c, bool surname)
{
	char	  **cache = surname ? s->py_names : s->py;
	char	   *p;

	if (c >= HAN_BMP_LO && c <= HAN_BMP_HI && cache[c - HAN_BMP_LO] != NULL)
		return cache[c - HAN_BMP_LO];
	p = name_pinyin_cp_with(surname ? s->pinyin_names : s->pinyin, c);
	if (c >= HAN_BMP_LO && c <= HAN_BMP_HI)
	{
		cache[c - HAN_BMP_LO] = MemoryContextStrdup(TopMemoryContext, p);
		pfree(p);
		return cache[c - HAN_BMP_LO];
	}
	return p;
}

static inline const char *
name_pinyin_cp(NameIcu *s, UChar32 c)
{
	return name_pinyin_cached(s, c, false);
}

/* ---------------------------------------------------------------------
 * Normalisation
 * --------------------------------------------------------------------- */

typedef struct NameForm
{
	UChar32    *cp;				/* normalised code points */
	int			n;
	int			flags;			/* NF_* */
	bool		has_han;
} NameForm;

static inline bool
name_is_latin(UChar32 c)
{
	UErrorCode	status = U_ZERO_ERROR;

	return uscript_getScript(c, &status) == USCRIPT_LATIN && U_SUCCESS(status);
}

static inline bool
name_is_dot(UChar32 c)
{
	switch (c)
	{
		case 0x00B7:			/* · middle dot */
		case 0x0387:			/* greek ano teleia */
		case 0x16EB:			/* runic single punctuation */
		case 0x2022:			/* • bullet */
		case 0x2027:			/* ‧ hyphenation point */
		case 0x2219:			/* ∙ bullet operator */
		case 0x22C5:			/* ⋅ dot operator */
		case 0x2E31:			/* word separator middle dot */
		case 0x30FB:			/* ・ katakana middle dot (and ･ via NFKC) */
		case 0x318D:			/* hangul letter araea */
		case 0x25CF:			/* ● black circle */
		case 0x00B0:			/* ° degree sign, a common mistyping */
			return true;
	}
	return false;
}

static inline bool
name_is_space(UChar32 c)
{
	return u_isUWhiteSpace(c) || c == 0x200B || c == 0x200C || c == 0x200D ||
		c == 0x2060 || c == 0xFEFF || c == ',' || c == '_';
}

static pg_attribute_noreturn() void
name_too_long(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			 errmsg("name is too long for name screening"),
			 errdetail("Names of up to %d characters are screened.", NAME_MAX_CP),
			 errhint("A longer value is not one person's name; check the column.")));
}

/* Decode server-encoded text into UTF-16 and NFKC it. */
static UChar *
name_to_nfkc(NameIcu *s, const char *str, int len, int32 *ulen, bool *changed)
{
	char	   *utf8 = pg_server_to_any(str, len, PG_UTF8);
	int			blen = (utf8 == str) ? len : (int) strlen(utf8);
	UChar	   *u = palloc(sizeof(UChar) * (blen + 1));
	UChar	   *out;
	int32		n,
				cap;
	UErrorCode	status = U_ZERO_ERROR;

	u_strFromUTF8(u, blen + 1, &n, utf8, blen, &status);
	name_icu_check(status, "UTF-8 decoding");
	/* NFKC may expand a character to 18 (U+FDFA): size it and try again */
	cap = n * 4 + 16;
	out = palloc(sizeof(UChar) * cap);
	*ulen = unorm2_normalize(s->nfkc, u, n, out, cap, &status);
	if (status == U_BUFFER_OVERFLOW_ERROR)
	{
		pfree(out);
		if ((Size) *ulen >= MaxAllocSize / sizeof(UChar))
			name_too_long();
		cap = *ulen;
		out = palloc(sizeof(UChar) * cap);
		status = U_ZERO_ERROR;
		*ulen = unorm2_normalize(s->nfkc, u, n, out, cap, &status);
	}
	name_icu_check(status, "NFKC normalisation");
	*changed = (*ulen != n || memcmp(u, out, sizeof(UChar) * n) != 0);
	return out;
}

static void
name_normalize_form(const char *str, int len, NameForm *f)
{
	NameIcu    *s = name_icu_get();
	int32		ulen,
				i = 0;
	bool		changed;
	UChar	   *u = name_to_nfkc(s, str, len, &ulen, &changed);
	bool		pending_space = false;

	/* room for NAME_MAX_CP code points and one more letter's expansion */
	f->cp = palloc(sizeof(UChar32) * (NAME_MAX_CP + 16));
	f->n = 0;
	f->flags = changed ? NF_FORM : 0;
	f->has_han = false;
	while (i < ulen)
	{
		UChar32		c;
		UChar32		last = f->n > 0 ? f->cp[f->n - 1] : 0;
		UChar32		out[8];
		int			nout = 0,
					k;

		U16_NEXT(u, i, ulen, c);
		if (name_is_dot(c))
		{
			if (c != 0x00B7 || pending_space)
				f->flags |= NF_FORM;
			pending_space = false;
			if (last == ' ')
			{
				f->n--;
				f->flags |= NF_FORM;
				last = f->n > 0 ? f->cp[f->n - 1] : 0;
			}
			if (f->n > 0 && last != 0x00B7)
				f->cp[f->n++] = 0x00B7;
			else
				f->flags |= NF_FORM;
			continue;
		}
		if (name_is_space(c))
		{
			if (c != ' ' || pending_space || f->n == 0)
				f->flags |= NF_FORM;
			pending_space = true;
			continue;
		}
		if (name_is_han(c))
		{
			UChar32		v = name_variant(c);
			UChar32		t = name_simplify_cp(s, v);
			UChar32		w = name_variant(t);

			if (t != v)
				f->flags |= NF_TRAD;
			if (v != c || w != t)
				f->flags |= NF_VARIANT;
			out[nout++] = w;
			f->has_han = true;
		}
		else if (c >= 0x80 && u_isalpha(c) && name_is_latin(c))
		{
			/* a Latin letter with a diacritic (ǚ, é, ß): its ASCII letters */
			char	   *p = name_pinyin_cp_with(s->ascii, c);

			f->flags |= NF_FORM;
			for (k = 0; p[k] != '\0' && nout < lengthof(out); k++)
				out[nout++] = p[k] + 'A' - 'a';
			if (nout == 0)
				continue;
		}
		else
		{
			UChar32		up = u_toupper(c);

			if (up != c)
				f->flags |= NF_FORM;
			out[nout++] = up;
		}
		if (pending_space)
		{
			if (f->n > 0 && last != 0x00B7 && !(name_is_han(last) && name_is_han(out[0])))
				f->cp[f->n++] = ' ';
			else if (f->n > 0)
				f->flags |= NF_FORM;
			pending_space = false;
		}
		if (f->n + nout > NAME_MAX_CP)
			name_too_long();
		for (k = 0; k < nout; k++)
			f->cp[f->n++] = out[k];
	}
	if (pending_space)
		f->flags |= NF_FORM;
	if (f->n > 0 && f->cp[f->n - 1] == 0x00B7)
	{
		f->n--;					/* a trailing dot */
		f->flags |= NF_FORM;
	}
	pfree(u);
}

/* code points to server-encoded text */
static text *
name_form_text(const UChar32 *cp, int n)
{
	StringInfoData buf;
	char	   *conv;
	int			i;
	bool		dot_30fb = (GetDatabaseEncoding() == PG_EUC_CN);

	initStringInfo(&buf);
	for (i = 0; i < n; i++)
	{
		unsigned char b[4];
		int			k = 0;
		UChar32		c = cp[i];

		/* GB 2312 has one middle dot, U+30FB (A1A4), and no U+00B7 */
		if (c == 0x00B7 && dot_30fb)
			c = 0x30FB;
		U8_APPEND_UNSAFE(b, k, c);
		appendBinaryStringInfo(&buf, (char *) b, k);
	}
	conv = pg_any_to_server(buf.data, buf.len, PG_UTF8);
	return cstring_to_text(conv);
}

/* ---------------------------------------------------------------------
 * Pinyin keys
 * --------------------------------------------------------------------- */

typedef struct NameKeys
{
	char	  **keys;
	int			n;
	int			cap;
} NameKeys;

static void
name_keys_add(NameKeys *k, char *key)
{
	int			i;

	if (key[0] == '\0')
		return;
	for (i = 0; i < k->n; i++)
		if (strcmp(k->keys[i], key) == 0)
			return;
	if (k->n == k->cap)
	{
		k->cap = k->cap ? 2 * k->cap : 8;
		k->keys = k->keys ? repalloc(k->keys, sizeof(char *) * k->cap) : palloc(sizeof(char *) * k->cap);
	}
	k->keys[k->n++] = key;
}

/* the readings of a one-character surname: ICU's two and the table's */
static int
name_surname_all_readings(NameIcu *s, UChar32 c, char **out)
{
	int			n = 0,
				i,
				j;
	char	   *cand[5];
	int			nc = 0;

	cand[nc++] = (char *) name_pinyin_cached(s, c, true);
	cand[nc++] = (char *) name_pinyin_cp(s, c);
	for (i = 0; i < lengthof(name_surname_readings); i++)
		if (name_surname_readings[i].ch == c)
			for (j = 0; j < 3 && name_surname_readings[i].readings[j]; j++)
				cand[nc++] = (char *) name_surname_readings[i].readings[j];
	for (i = 0; i < nc; i++)
	{
		bool		dup = false;

		for (j = 0; j < n; j++)
			dup |= strcmp(out[j], cand[i]) == 0;
		if (!dup && cand[i][0] != '\0')
			out[n++] = cand[i];
	}
	return n;
}

/* append the pinyin (or lower-case ASCII letters) of cp[from..to) */
static void
name_append_pinyin(NameIcu *s, StringInfo buf, const UChar32 *cp, int from, int to)
{
	int			i;

	for (i = from; i < to; i++)
	{
		UChar32		c = cp[i];

		if (name_is_han(c))
			appendStringInfoString(buf, name_pinyin_cp(s, c));
		else if (c < 0x80)
		{
			if (c >= 'A' && c <= 'Z')
				appendStringInfoChar(buf, (char) (c + 'a' - 'A'));
			else if (c >= 'a' && c <= 'z')
				appendStringInfoChar(buf, (char) c);
			/* hyphens, apostrophes and other marks go */
		}
		else if (u_isalpha(c))
		{
			/* a Latin letter with a diacritic (ǚ, é): Latin-ASCII */
			char	   *p = name_pinyin_cp_with(s->ascii, c);

			appendStringInfoString(buf, p);
		}
	}
}

/* ü written as v, yu (passports: LYU, NYU) or u: all u */
static char *
name_pinyin_fold(char *p)
{
	char	   *r = p,
			   *w = p;

	while (*r)
	{
		if ((r[0] == 'l' || r[0] == 'n') && r[1] == 'y' && r[2] == 'u')
		{
			*w++ = r[0];
			*w++ = 'u';
			r += 3;
			continue;
		}
		*w++ = (*r == 'v') ? 'u' : *r;
		r++;
	}
	*w = '\0';
	return p;
}

static void
name_pinyin_keys(const NameForm *f, NameKeys *k)
{
	NameIcu    *s = name_icu_get();
	int			i,
				ntok = 0,
				start = 0;
	int			tok_from[NAME_MAX_CP + 1],
				tok_to[NAME_MAX_CP + 1];

	memset(k, 0, sizeof(*k));
	if (f->n == 0)
		return;

	/* parts separated by spaces and dots */
	for (i = 0; i <= f->n; i++)
		if (i == f->n || f->cp[i] == ' ' || f->cp[i] == 0x00B7)
		{
			if (i > start)
			{
				tok_from[ntok] = start;
				tok_to[ntok] = i;
				ntok++;
			}
			start = i + 1;
		}
	if (ntok == 0)
		return;

	if (f->has_han && ntok == 1)
	{
		/* a Han name: surname first (compound surnames recognised) */
		const UChar32 *cp = f->cp + tok_from[0];
		int			len = tok_to[0] - tok_from[0];
		int			slen = 1,
					nr,
					r;
		char	   *readings[8];
		StringInfoData given;

		if (len >= 3)
			for (i = 0; i < lengthof(name_compound_surnames); i++)
				if (cp[0] == name_compound_surnames[i][0] && cp[1] == name_compound_surnames[i][1])
					slen = 2;
		if (len == 1)
		{
			StringInfoData one;

			initStringInfo(&one);
			name_append_pinyin(s, &one, cp, 0, 1);
			name_keys_add(k, name_pinyin_fold(one.data));
			return;
		}
		initStringInfo(&given);
		name_append_pinyin(s, &given, cp, slen, len);
		name_pinyin_fold(given.data);
		if (slen == 1 && name_is_han(cp[0]))
			nr = name_surname_all_readings(s, cp[0], readings);
		else
		{
			StringInfoData sur;

			initStringInfo(&sur);
			name_append_pinyin(s, &sur, cp, 0, slen);
			/* 万俟 reads moqi, 尉迟 yuchi, 单于 chanyu as surnames */
			if (slen == 2 && cp[0] == 0x4E07 && cp[1] == 0x4FDF)
				resetStringInfo(&sur), appendStringInfoString(&sur, "moqi");
			else if (slen == 2 && cp[0] == 0x5C09 && cp[1] == 0x8FDF)
				resetStringInfo(&sur), appendStringInfoString(&sur, "yuchi");
			else if (slen == 2 && cp[0] == 0x5355 && cp[1] == 0x4E8E)
				resetStringInfo(&sur), appendStringInfoString(&sur, "chanyu");
			readings[0] = sur.data;
			nr = 1;
		}
		for (r = 0; r < nr; r++)
			name_keys_add(k, name_pinyin_fold(psprintf("%s %s", readings[r], given.data)));
		return;
	}

	if (f->has_han)
	{
		/* Han parts joined by a dot (阿依古丽·买买提): written order only */
		StringInfoData first,
					rest;

		initStringInfo(&first);
		initStringInfo(&rest);
		name_append_pinyin(s, &first, f->cp, tok_from[0], tok_to[0]);
		for (i = 1; i < ntok; i++)
			name_append_pinyin(s, &rest, f->cp, tok_from[i], tok_to[i]);
		name_keys_add(k, name_pinyin_fold(psprintf("%s %s", first.data, rest.data)));
		return;
	}

	/* Latin letters: the surname first or last */
	{
		StringInfoData a,
					b;
		char	   *first,
				   *last;

		initStringInfo(&a);
		name_append_pinyin(s, &a, f->cp, tok_from[0], tok_to[0]);
		first = name_pinyin_fold(a.data);
		if (ntok == 1)
		{
			name_keys_add(k, first);
			return;
		}
		initStringInfo(&b);
		for (i = 1; i < ntok; i++)
			name_append_pinyin(s, &b, f->cp, tok_from[i], tok_to[i]);
		name_keys_add(k, psprintf("%s %s", first, name_pinyin_fold(b.data)));

		initStringInfo(&a);
		name_append_pinyin(s, &a, f->cp, tok_from[ntok - 1], tok_to[ntok - 1]);
		last = name_pinyin_fold(a.data);
		initStringInfo(&b);
		for (i = 0; i < ntok - 1; i++)
			name_append_pinyin(s, &b, f->cp, tok_from[i], tok_to[i]);
		name_keys_add(k, psprintf("%s %s", last, name_pinyin_fold(b.data)));
	}
}

/* ---------------------------------------------------------------------
 * Hash keys
 * --------------------------------------------------------------------- */

/* FNV-1a over a tag byte and the bytes, then the 64-bit mix */
static int64
name_hash(char tag, const void *data, size_t len)
{
	const unsigned char *p = data;
	uint64		h = UINT64CONST(0xcbf29ce484222325);
	size_t		i;

	h = (h ^ (unsigned char) tag) * UINT64CONST(0x100000001b3);
	for (i = 0; i < len; i++)
		h = (h ^ p[i]) * UINT64CONST(0x100000001b3);
	return (int64) ident_mix64(h);
}

/* the code points as little-endian 32-bit units, for hashing */
static int64
name_hash_cps(const UChar32 *cp, int n, int skip)
{
	unsigned char buf[4 * (NAME_MAX_CP + 1)];
	int			i,
				len = 0;

	for (i = 0; i < n; i++)
	{
		uint32		c = (uint32) cp[i];

		if (i == skip)
			continue;
		buf[len++] = c & 0xff;
		buf[len++] = (c >> 8) & 0xff;
		buf[len++] = (c >> 16) & 0xff;
		buf[len++] = (c >> 24) & 0xff;
	}
	return name_hash('e', buf, len);
}

static int
int64_cmp(const void *a, const void *b)
{
	int64		x = *(const int64 *) a;
	int64		y = *(const int64 *) b;

	return x < y ? -1 : (x > y ? 1 : 0);
}

/* ---------------------------------------------------------------------
 * Matching
 * --------------------------------------------------------------------- */

/* true when a and b are one insertion, deletion or substitution apart */
static bool
name_one_edit(const UChar32 *a, int na, const UChar32 *b, int nb)
{
	int			i = 0,
				j;

	if (na < nb)
	{
		const UChar32 *t = a;
		int			tn = na;

		a = b;
		na = nb;
		b = t;
		nb = tn;
	}
	if (na - nb > 1)
		return false;
	while (i < nb && a[i] == b[i])
		i++;
	if (i == nb)
		return na == nb + 1;	/* equal strings are not one edit apart */
	if (na == nb)
	{
		for (j = i + 1; j < na; j++)
			if (a[j] != b[j])
				return false;
		return true;
	}
	for (j = i; j < nb; j++)
		if (a[j + 1] != b[j])
			return false;
	return true;
}

typedef struct NameScore
{
	int			score;
	const char *reasons[12];
	int			points[12];		/* each reason's share of the score */
	int			nreasons;
} NameScore;

static void
name_reason(NameScore *sc, const char *r, int points)
{
	sc->reasons[sc->nreasons] = r;
	sc->points[sc->nreasons] = points;
	sc->nreasons++;
}

static void
name_score_names(text *ta, text *tb, NameScore *sc)
{
	NameForm	a,
				b;
	NameKeys	ka,
				kb;
	int			i,
				j;
	bool		pinyin = false;

	name_normalize_form(VARDATA_ANY(ta), VARSIZE_ANY_EXHDR(ta), &a);
	name_normalize_form(VARDATA_ANY(tb), VARSIZE_ANY_EXHDR(tb), &b);
	if (a.n == 0 || b.n == 0)
		return;
	if (a.n == b.n && memcmp(a.cp, b.cp, sizeof(UChar32) * a.n) == 0)
	{
		int			fl = a.flags | b.flags;

		if (fl & NF_TRAD)
		{
			name_reason(sc, "traditional", 45);
			sc->score = 45;
		}
		if (fl & NF_VARIANT)
		{
			/* with traditional characters too, the 45 are theirs */
			name_reason(sc, "variant", sc->score == 0 ? 42 : 0);
			if (sc->score == 0)
				sc->score = 42;
		}
		if (sc->score == 0)
		{
			/* the same characters: as given, or in another written form */
			bool		same = VARSIZE_ANY_EXHDR(ta) == VARSIZE_ANY_EXHDR(tb) &&
				memcmp(VARDATA_ANY(ta), VARDATA_ANY(tb), VARSIZE_ANY_EXHDR(ta)) == 0;

			name_reason(sc, same ? "exact" : "written form", 45);
			sc->score = 45;
		}
		return;
	}
	name_pinyin_keys(&a, &ka);
	name_pinyin_keys(&b, &kb);
	for (i = 0; i < ka.n && !pinyin; i++)
		for (j = 0; j < kb.n && !pinyin; j++)
			pinyin = strcmp(ka.keys[i], kb.keys[j]) == 0;
	if (pinyin)
	{
		name_reason(sc, "pinyin", 40);
		sc->score = 40;
		return;
	}
	if (name_one_edit(a.cp, a.n, b.cp, b.n))
	{
		sc->score = (Min(a.n, b.n) >= 3) ? 40 : 20;
		name_reason(sc, "one character different", sc->score);
	}
}

static void
name_score_numbers(int64 body, const CnidMask *mask, NameScore *sc)
{
	CnidMaskAgreement ag;
	int			pts,
				total;

	masked_cnid_agreement(body, mask, &ag);
	if (!ag.matches)
	{
		/* the cap: a line of the points taken off (none below 20) */
		name_reason(sc, "number differs", Min(sc->score, 20) - sc->score);
		sc->score = Min(sc->score, 20);
		return;
	}
	total = sc->score;
	if (ag.region_visible > 0)
	{
		pts = (10 * ag.region_visible) / 6;
		name_reason(sc, "region", pts);
		total += pts;
	}
	if (ag.date_visible > 0)
	{
		pts = (25 * ag.date_visible) / 8;
		name_reason(sc, ag.date_visible == 8 ? "birth date" :
					ag.date_visible >= 4 ? "birth year" : "birth digits", pts);
		total += pts;
	}
	if (ag.sex_visible)
		name_reason(sc, "sex", 0);	/* position 17: counted in the sequence */
	if (ag.seq_visible + (ag.check_visible ? 1 : 0) > 0)
	{
		pts = (20 * (ag.seq_visible + (ag.check_visible ? 1 : 0))) / 4;
		name_reason(sc, "sequence", pts);
		total += pts;
	}
	if (total > 100)
		name_reason(sc, "at most 100", 100 - total);
	sc->score = Min(100, total);
}

/* ---------------------------------------------------------------------
 * SQL functions
 * --------------------------------------------------------------------- */

PG_FUNCTION_INFO_V1(name_normalize);
Datum
name_normalize(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);
	NameForm	f;

	name_normalize_form(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), &f);
	PG_RETURN_TEXT_P(name_form_text(f.cp, f.n));
}

PG_FUNCTION_INFO_V1(name_pinyin);
Datum
name_pinyin(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);
	NameForm	f;
	NameKeys	k;
	Datum	   *d;
	int			i;

	name_normalize_form(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), &f);
	name_pinyin_keys(&f, &k);
	d = palloc(sizeof(Datum) * (k.n + 1));
	for (i = 0; i < k.n; i++)
		d[i] = PointerGetDatum(cstring_to_text(k.keys[i]));
	PG_RETURN_ARRAYTYPE_P(construct_array(d, k.n, TEXTOID, -1, false, TYPALIGN_INT));
}

PG_FUNCTION_INFO_V1(name_keys);
Datum
name_keys(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);
	NameForm	f;
	NameKeys	k;
	int64	   *h;
	Datum	   *d;
	int			n = 0,
				i,
				m;

	name_normalize_form(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), &f);
	if (f.n == 0)
		PG_RETURN_ARRAYTYPE_P(construct_empty_array(INT8OID));
	name_pinyin_keys(&f, &k);
	h = palloc(sizeof(int64) * (f.n + 1 + k.n));
	h[n++] = name_hash_cps(f.cp, f.n, -1);
	if (f.n >= 3)
		for (i = 0; i < f.n; i++)
			h[n++] = name_hash_cps(f.cp, f.n, i);
	for (i = 0; i < k.n; i++)
		h[n++] = name_hash('p', k.keys[i], strlen(k.keys[i]));
	qsort(h, n, sizeof(int64), int64_cmp);
	d = palloc(sizeof(Datum) * n);
	for (i = 0, m = 0; i < n; i++)
		if (i == 0 || h[i] != h[i - 1])
			d[m++] = Int64GetDatum(h[i]);
	PG_RETURN_ARRAYTYPE_P(construct_array(d, m, INT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
}

/* the score of name_match's four arguments (any may be NULL) */
static void
name_score(FunctionCallInfo fcinfo, NameScore *sc)
{
	memset(sc, 0, sizeof(*sc));
	if (!PG_ARGISNULL(0) && !PG_ARGISNULL(1))
		name_score_names(PG_GETARG_TEXT_PP(0), PG_GETARG_TEXT_PP(1), sc);
	if (!PG_ARGISNULL(2) && !PG_ARGISNULL(3))
		name_score_numbers(cnid_datum_body(PG_GETARG_DATUM(2)),
						   (const CnidMask *) PG_GETARG_POINTER(3), sc);
}

/*
 * name_match(candidate text, entry text, candidate_id cnid, entry_id
 * masked_cnid, OUT score integer, OUT reasons text[]): not strict; a NULL
 * name gives no name evidence, a NULL number no number evidence.
 */
PG_FUNCTION_INFO_V1(name_match);
Datum
name_match(PG_FUNCTION_ARGS)
{
	NameScore	sc;
	TupleDesc	tupdesc;
	Datum		values[2];
	bool		nulls[2] = {false, false};
	Datum	   *rd;
	int			i;

	/*
	 * The result's descriptor, built and blessed once per call site (a
	 * screening join calls this once per candidate pair).
	 */
	tupdesc = (TupleDesc) fcinfo->flinfo->fn_extra;
	if (tupdesc == NULL)
	{
		MemoryContext old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);

		if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
			elog(ERROR, "name_match must return a composite");
		tupdesc = BlessTupleDesc(CreateTupleDescCopy(tupdesc));
		MemoryContextSwitchTo(old);
		fcinfo->flinfo->fn_extra = tupdesc;
	}
	name_score(fcinfo, &sc);
	rd = palloc(sizeof(Datum) * (sc.nreasons + 1));
	for (i = 0; i < sc.nreasons; i++)
		rd[i] = PointerGetDatum(cstring_to_text(sc.reasons[i]));
	values[0] = Int32GetDatum(sc.score);
	values[1] = PointerGetDatum(construct_array(rd, sc.nreasons, TEXTOID, -1, false, TYPALIGN_INT));
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}

/*
 * name_match_lines(candidate, entry, candidate_id, entry_id) RETURNS TABLE
 * (reason text, points integer): name_match's reasons, one row each in the
 * same order, with the points each gave; they add up to name_match's
 * score (a cap is a row of negative points).  Materialised in one call.
 */
PG_FUNCTION_INFO_V1(name_match_lines);
Datum
name_match_lines(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	NameScore	sc;
	int			i;

	InitMaterializedSRF(fcinfo, MAT_SRF_USE_EXPECTED_DESC);
	name_score(fcinfo, &sc);
	for (i = 0; i < sc.nreasons; i++)
	{
		Datum		values[2];
		bool		nulls[2] = {false, false};

		values[0] = PointerGetDatum(cstring_to_text(sc.reasons[i]));
		values[1] = Int32GetDatum(sc.points[i]);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

PG_FUNCTION_INFO_V1(name_icu_version);
Datum
name_icu_version(PG_FUNCTION_ARGS)
{
	UVersionInfo v;
	char		buf[U_MAX_VERSION_STRING_LENGTH];

	u_getVersion(v);
	u_versionToString(v, buf);
	PG_RETURN_TEXT_P(cstring_to_text(buf));
}

PG_FUNCTION_INFO_V1(name_match_threshold);
Datum
name_match_threshold(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(NAME_THRESHOLD);
}
