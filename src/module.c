/*
 * module.c — the library's entry point: the module magic block and
 * _PG_init, which registers the settings of every concept that has any
 * (integrity.scheme, see scheme.c; integrity.listed_build_threshold and
 * integrity.listed_max_memory, see listed.c) and then reserves the prefix
 * "integrity.", so that a misspelt setting (integrity.schemee) is refused
 * instead of silently kept as a placeholder.
 */
#include "postgres.h"
#include "fmgr.h"
#include "utils/guc.h"

#include "scheme.h"

PG_MODULE_MAGIC;

void		_PG_init(void);
extern void listed_init(void);

void
_PG_init(void)
{
	scheme_init();
	listed_init();
	MarkGUCPrefixReserved("integrity");
}
