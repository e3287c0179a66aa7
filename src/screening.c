/*
 * screening.c — hits with their entries: the list rows behind a hit.
 *
 * listed() (listed.c) answers "is the subject on the list"; a report then
 * needs the entries themselves (the list, the reason, the validity, who
 * reported it).  listed_entries() returns them, under the same rules:
 *
 *     listed_entries(subject, list regclass) → SETOF jsonb
 *         = SELECT to_jsonb(l.*) FROM list l WHERE l.<first column> = subject
 *     listed_entries(subject, list regclass, at date) → SETOF jsonb
 *         ... AND l.<second column> @> at
 *
 * for subjects of the types listed() takes (cnid, uscc, text, bigint).  The
 * list's first column holds the subject (its type, or a domain over it; a
 * varchar column for text subjects) and, for the dated form, the second a
 * daterange of validity; otherwise SQLSTATE 42804, as listed() says it.
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

/* "OPERATOR(schema.=)" for an operator OID */
static char *
qualified_operator_text(Oid opr)
{
	HeapTuple	tp = SearchSysCache1(OPEROID, ObjectIdGetDatum(opr));
	Form_pg_operator op;
	char	   *r;

	if (!HeapTupleIsValid(tp))
		elog(ERROR, "cache lookup failed for operator %u", opr);
	op = (Form_pg_operator) GETSTRUCT(tp);
	r = psprintf("OPERATOR(%s.%s)",
				 quote_identifier(get_namespace_name(op->oprnamespace)),
				 NameStr(op->oprname));
	ReleaseSysCache(tp);
	return r;
}

/*
 * The query that returns the entries of subjects of type subjtype on list
 * relid, after the checks listed() makes on the list's shape.
 */
static char *
entries_query(Oid relid, Oid subjtype, bool dated)
{
	char		relkind;
	char	   *relname;
	char	   *cols[2];
	Oid			types[2];
	int			ncols = 0;
	int			need = dated ? 2 : 1;
	AttrNumber	attnum;
	Oid			keybase;
	TypeCacheEntry *tce;
	StringInfoData sql;

	/*
	 * Lock the list before reading its shape, as listed() and the EXISTS
	 * do: DDL committed while we wait for the lock (a column dropped or
	 * renamed) is then what we read, and the query built here names the
	 * columns the executor will find.
	 */
	LockRelationOid(relid, AccessShareLock);
	relkind = get_rel_relkind(relid);
	if (relkind == '\0')
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("list relation with OID %u does not exist", relid)));
	relname = get_rel_name(relid);
	if (relkind != RELKIND_RELATION && relkind != RELKIND_VIEW &&
		relkind != RELKIND_MATVIEW && relkind != RELKIND_FOREIGN_TABLE &&
		relkind != RELKIND_PARTITIONED_TABLE)
		ereport(ERROR,
				(errcode(ERRCODE_WRONG_OBJECT_TYPE),
				 errmsg("\"%s\" cannot be used as a list", relname),
				 errdetail("A list must be a table, view, materialized view or foreign table.")));

	for (attnum = 1; ncols < need; attnum++)
	{
		HeapTuple	tp = SearchSysCache2(ATTNUM, ObjectIdGetDatum(relid),
										 Int16GetDatum(attnum));
		Form_pg_attribute att;

		if (!HeapTupleIsValid(tp))
			break;
		att = (Form_pg_attribute) GETSTRUCT(tp);
		if (!att->attisdropped)
		{
			cols[ncols] = pstrdup(NameStr(att->attname));
			types[ncols] = att->atttypid;
			ncols++;
		}
		ReleaseSysCache(tp);
	}
	if (ncols < need)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("list \"%s\" has too few columns", relname),
				 errdetail(dated ?
						   "The dated form needs the subject in the first column and a daterange of validity in the second." :
						   "The subject must be in the first column.")));
	keybase = getBaseType(types[0]);
	if (!(keybase == subjtype || (subjtype == TEXTOID && keybase == VARCHAROID)))
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("list \"%s\" does not hold subjects of type %s",
						relname, format_type_be(subjtype)),
				 errdetail("Its first column \"%s\" is of type %s.",
						   cols[0], format_type_be(types[0])),
				 errhint("Screen a subject of the list's type, or list the subjects through a view that casts them.")));
	if (dated && getBaseType(types[1]) != DATERANGEOID)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("list \"%s\" has no validity column", relname),
				 errdetail("Its second column \"%s\" is of type %s, the dated form needs daterange.",
						   cols[1], format_type_be(types[1]))));

	tce = lookup_type_cache(subjtype, TYPECACHE_EQ_OPR);
	if (!OidIsValid(tce->eq_opr))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_FUNCTION),
				 errmsg("type %s has no equality operator", format_type_be(subjtype))));

	initStringInfo(&sql);
	appendStringInfo(&sql, "SELECT pg_catalog.to_jsonb(l.*) FROM %s l WHERE l.%s %s $1",
					 quote_qualified_identifier(get_namespace_name(get_rel_namespace(relid)),
												relname),
					 quote_identifier(cols[0]), qualified_operator_text(tce->eq_opr));
	if (dated)
		appendStringInfo(&sql, " AND l.%s OPERATOR(pg_catalog.@>) $2",
						 quote_identifier(cols[1]));
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
