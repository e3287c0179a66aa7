/*
 * module.c — TEMPORARY: PG_MODULE_MAGIC for the portrait branch only.
 * src/iscore.c carries the real one; drop this file when merging.
 */
#include "postgres.h"
#include "fmgr.h"

PG_MODULE_MAGIC;
