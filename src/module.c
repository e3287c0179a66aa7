/*
 * module.c — the library's entry point: the module magic block and
 * _PG_init, which registers the cache callbacks of listed() (listed.c)
 * and the reloptions of the blacklist index access method with its cache
 * invalidation hook (blacklist_utils.c).  No setting is registered.  The
 * prefix "integrity." is not reserved: the scheme default
 * integrity.scheme is read with current_setting(..., true), so it stays a
 * free-form placeholder setting and is not registered here.
 */
#include "postgres.h"
#include "fmgr.h"

PG_MODULE_MAGIC;

void		_PG_init(void);
extern void listed_init(void);
extern void blacklist_init(void);

void
_PG_init(void)
{
	listed_init();
	blacklist_init();
}
