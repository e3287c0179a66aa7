/*
 * module.c — TEMPORARY (branch `listed` only): the module magic block and
 * _PG_init, which belong to src/iscore.c on main.  At merge, drop this file
 * and call listed_init() from iscore.c's _PG_init.
 */
#include "postgres.h"
#include "fmgr.h"

PG_MODULE_MAGIC;

void		_PG_init(void);
extern void listed_init(void);

void
_PG_init(void)
{
	listed_init();
}
