/*
 * screening.c — hits with their entries: the list rows behind a hit.
 *
 * listed() (listed.c) answers "is the subject on the list"; a report then
 * needs the entries themselves (the list, the reason, the validity, who
 * reported it).  listed_entries() returns them, under the same rules:
 *
 *     listed_entries(subject, list regclass) → SETOF jsonb
 *         = SELECT to_jsonb(l.*) FROM list l WHERE l.<subject column> = subject
 *     listed_entries(subject, list regclass, at date) → SETOF jsonb
 *         ... AND l.<validity column> @> at
 *
 * for subjects of the types listed() takes (cnid, uscc, text, bigint).  The
 * subject and validity columns are found by the list reader listed() uses
 * (src/listed.h), with its errors.
 * The query runs through SPI as the current user, read-only, under the
 * calling statement's active snapshot and command: a row the statement
 * cannot see is never returned, a row it can see is never missed, SELECT
 * privilege on the list, USAGE on its schema (the query names the list
 * schema-qualified) and row-level security apply exactly as they do to the
 * EXISTS.  So every subject listed() calls listed has at least one entry
 * here, and every other subject none.
 *
 * Each call parses and runs one query: meant for the few hits, after
 * listed() has found them, not for screening whole tables.
 *
 * SQL objects backed here (src/screening.sql): listed_entries(cnid|uscc|
 * text|bigint, regclass [, date]).
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "catalog/pg_operator.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "storage/lmgr.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"
#include "utils/typcache.h"

#include "listed.h"

/*
 * The query that returns the entries of subjects of type subjtype on list
 * relid, with the columns the list reader (src/listed.h) finds, as
 * listed() does.
 */
static char *
entries_query(Oid relid, Oid subjtype, bool dated)
{
	ListShape	s;
	StringInfoData sql;

	/*
	 * Lock the list before reading its shape, as listed() and the EXISTS
	 * do: DDL committed while we wait for the lock (a column dropped or
	 * renamed) is then what we read, and the query built here names the
	 * columns the executor will find.
	 */
	LockRelationOid(relid, AccessShareLock);
	(void) listed_read_shape(relid, subjtype, dated, false, &s);

	initStringInfo(&sql);
	appendStringInfo(&sql, "SELECT pg_catalog.to_jsonb(l.*) FROM %s l WHERE l.%s %s $1",
					 s.qualname, quote_identifier(s.keyname),
					 listed_qualified_operator(s.eq_opr));
	if (dated)
		appendStringInfo(&sql, " AND l.%s OPERATOR(pg_catalog.@>) $2",
						 quote_identifier(s.rangename));
	return sql.data;
}

static Datum
entries(FunctionCallInfo fcinfo, bool dated)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	Oid			subjtype = get_fn_expr_argtype(fcinfo->flinfo, 0);
	Oid			relid = PG_GETARG_OID(1);
	Oid			argtypes[2];
	Datum		values[2];
	char		nulls[2] = {' ', ' '};
	MemoryContext oldcxt;
	TupleDesc	tupdesc;
	Tuplestorestate *store;
	char	   *sql;
	int			rc;
	uint64		i;

	if (rsinfo == NULL || !IsA(rsinfo, ReturnSetInfo) ||
		(rsinfo->allowedModes & SFRM_Materialize) == 0)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("set-valued function called in context that cannot accept a set")));
	if (!OidIsValid(subjtype))
		elog(ERROR, "could not determine the subject type");

	oldcxt = MemoryContextSwitchTo(rsinfo->econtext->ecxt_per_query_memory);
	tupdesc = CreateTemplateTupleDesc(1);
	TupleDescInitEntry(tupdesc, (AttrNumber) 1, "entry", JSONBOID, -1, 0);
	store = tuplestore_begin_heap(true, false, work_mem);
	rsinfo->returnMode = SFRM_Materialize;
	rsinfo->setResult = store;
	rsinfo->setDesc = tupdesc;
	MemoryContextSwitchTo(oldcxt);

	sql = entries_query(relid, subjtype, dated);
	argtypes[0] = subjtype;
	argtypes[1] = DATEOID;
	values[0] = PG_GETARG_DATUM(0);
	values[1] = dated ? PG_GETARG_DATUM(2) : (Datum) 0;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	/* read-only: the active snapshot of the calling statement, no new one */
	rc = SPI_execute_with_args(sql, dated ? 2 : 1, argtypes, values, nulls, true, 0);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "could not run \"%s\": %s", sql, SPI_result_code_string(rc));
	for (i = 0; i < SPI_processed; i++)
	{
		bool		isnull;
		Datum		d = SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1, &isnull);

		tuplestore_putvalues(store, tupdesc, &d, &isnull);
	}
	SPI_finish();
	return (Datum) 0;
}

PG_FUNCTION_INFO_V1(listed_entries);
Datum
listed_entries(PG_FUNCTION_ARGS)
{
	return entries(fcinfo, false);
}

PG_FUNCTION_INFO_V1(listed_entries_at);
Datum
listed_entries_at(PG_FUNCTION_ARGS)
{
	return entries(fcinfo, true);
}
