/*
 * scheme.h — the one reader of a scheme (评分方案), shared by the domain's
 * CHECK, grade(), current_scheme(), the GUC integrity.scheme, assess and
 * integrity_index (src/scheme.c).
 */
#ifndef INTEGRITY_SCHEME_H
#define INTEGRITY_SCHEME_H

#include "postgres.h"
#include "fmgr.h"

#define SCHEME_NFIELDS 9
#define SCHEME_WEIGHT_ONE 10000		/* weights are kept in 1/10000 */

/* a validated scheme, read once per distinct value and call site */
typedef struct Scheme
{
	int64		bonus_cap;		/* hundredths */
	int64		full_marks;		/* hundredths */
	int32		weight[3];		/* self, inspection, third party; 1/10000 */
	bool		exclude;		/* red-line rule 'exclude' (else 'zero') */
	int32		cap_dscale;		/* display scale of bonus_cap as given */
	/* numerics as given (display scales kept), in fn_mcxt */
	Datum		bonus_cap_num;
	Datum		scale_num;		/* full_marks + bonus_cap */
	Datum		rule_num;		/* 0 ('zero') or 1 ('exclude') */
	Datum		green_num;
	Datum		blue_num;
	Datum		yellow_num;
	/* a caller's data derived from this scheme, freed with it (or NULL) */
	MemoryContext cxt;
	void	   *extra;
} Scheme;

/*
 * The scheme of a composite Datum (type scheme or scheme_fields), validated
 * with the domain's messages and SQLSTATEs.  Cached in fcinfo->flinfo->fn_extra
 * keyed on the value's bytes, so a call site that sees the same scheme row
 * after row (a literal, scheme(), a column of few values) reads it once.  A
 * function that uses this must not use fn_extra for anything else.
 */
extern const Scheme *scheme_get(FunctionCallInfo fcinfo, Datum rules);

/* registers integrity.scheme (called from _PG_init) */
extern void scheme_init(void);

#endif
