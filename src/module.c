/*
 * module.c — temporary: PG_MODULE_MAGIC for the `ident` branch, which lacks
 * src/iscore.c.  Drop this file when merging (iscore.c carries the magic).
 */
#include "postgres.h"
#include "fmgr.h"

PG_MODULE_MAGIC;
