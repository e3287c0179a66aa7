/*
 * listed_hash.c — a per-call-site hash of a list's keys, for lists that
 * listed() would otherwise read once per probe (no usable btree index on
 * the subject column: issue 18, "no cliffs").
 *
 * A call site (one listed() call in one query plan, fn_extra) that probes a
 * plain table without a usable btree builds, at its first probe, a hash of
 * the subject column (and validity ranges, for the dated form) of every row
 * visible to the active snapshot, read by one sequential scan under that
 * snapshot — the rows the EXISTS would see.  Later probes answer from the
 * hash while its key is unchanged:
 *
 *   - the snapshot, whole: xmin, xmax, every xip and subxip, suboverflowed,
 *     and curcid (so the statement's own later writes, made under a later
 *     command id, are seen by the rebuild their new snapshot forces; writes
 *     made meanwhile under this snapshot are invisible to it anyway);
 *   - the caller's stamp (src/listed.c): the list's cache entry (relcache
 *     invalidation: DDL, GRANT, policies, indexes), the local transaction,
 *     rolled-back subtransactions (a row our aborted subtransaction wrote
 *     stops being visible under the same snapshot), the user, row_security
 *     and invalidations that touch privileges;
 *   - the relation's relfilenode (TRUNCATE, VACUUM FULL, CLUSTER).
 *
 * So an answer from the hash is the answer a scan under that snapshot would
 * give.  The caller uses it only where it would have used the btree probe
 * (a plain table this user reads with no row-level security policy
 * applying, no inheritance children), never where a policy applies.
 * Lists that would take more than work_mem are not hashed (the caller
 * probes through SPI, as before).  Under SERIALIZABLE the scan
 * predicate-locks the relation, as the EXISTS's sequential scan would.
 *
 * Lists that listed() reads through SPI (views, partitioned tables, tables
 * under a row-level security policy: issue 18, "no cliffs") are hashed from
 * the query "SELECT key[, validity] FROM list" run through SPI as the
 * caller under the active snapshot (list_hash_probe_spi): the executor
 * applies the view's meaning, its privileges and the policies, so the hash
 * holds the rows the probe query would find, exactly as long as nothing
 * but the key above can change them.  That is so when the rewritten query
 * (views expanded, policies applied) calls only immutable functions and
 * reads only local tables: a STABLE function such as current_setting()
 * may change its answer within a statement (set_config()), a volatile one
 * at every row, a foreign table's rows are not under our snapshot.  Such
 * a list is not hashed (the caller probes through SPI).  A call site
 * builds this hash only after LIST_HASH_SPI_AFTER probes under one key, so
 * a statement of a few calls pays a few index probes, not a read of the
 * whole list.  An immutable expression of the view that raises on some row
 * raises when the hash is built even where the probe would not have read
 * that row: PostgreSQL makes no promise about the rows a plan evaluates
 * either (a sequential scan for the EXISTS reads them all).
 */
#include "postgres.h"

#include "access/heapam.h"
#include "access/xact.h"
#include "catalog/pg_class.h"
#include "catalog/pg_inherits.h"
#include "catalog/pg_proc.h"
#include "executor/spi.h"
#include "nodes/nodeFuncs.h"
#include "optimizer/optimizer.h"
#include "utils/plancache.h"
#include "utils/resowner.h"
#include "access/relscan.h"
#include "access/table.h"
#include "access/tableam.h"
#include "executor/tuptable.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rangetypes.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"
#include "utils/typcache.h"

#include "listed.h"

typedef struct HashRow
{
	uint32		hash;
	int32		next;			/* index of the next row in the bucket, -1 */
	Datum		key;
	int32		lo;				/* validity as closed day interval */
	int32		hi;
} HashRow;

struct ListHash
{
	MemoryContext parent;
	MemoryContext cxt;			/* the rows and the key, rebuilt together */
	bool		built;
	bool		too_big;		/* this key's list exceeded work_mem, or
								 * (SPI) its query is not exact to hash */
	int32		spi_probes;		/* SPI probes under this key (not built) */

	/* the key */
	char		stamp[LIST_HASH_STAMP_LEN];
	RelFileNode node;
	TransactionId xmin;
	TransactionId xmax;
	uint32		xcnt;
	int32		subxcnt;
	bool		suboverflowed;
	CommandId	curcid;
	TransactionId *xip;
	TransactionId *subxip;

	/* the rows */
	FmgrInfo	hashfn;
	FmgrInfo	eqfn;
	Oid			coll;
	int16		typlen;
	bool		typbyval;
	int32		nrows;
	int32		cap;
	HashRow    *rows;
	int32	   *buckets;
	uint32		mask;
};

ListHash *
list_hash_new(MemoryContext parent)
{
	ListHash   *h = MemoryContextAllocZero(parent, sizeof(ListHash));

	h->parent = parent;
	return h;
}

static bool
key_current(ListHash *h, const char *stamp, Relation heap, Snapshot snap)
{
	RelFileNode node;

	if (heap)
		node = heap->rd_node;
	else
		memset(&node, 0, sizeof(node));
	return h->built &&
		memcmp(h->stamp, stamp, LIST_HASH_STAMP_LEN) == 0 &&
		RelFileNodeEquals(h->node, node) &&
		h->xmin == snap->xmin && h->xmax == snap->xmax &&
		h->xcnt == snap->xcnt && h->subxcnt == snap->subxcnt &&
		h->suboverflowed == snap->suboverflowed &&
		h->curcid == snap->curcid &&
		(snap->xcnt == 0 ||
		 memcmp(h->xip, snap->xip, sizeof(TransactionId) * snap->xcnt) == 0) &&
		(snap->subxcnt <= 0 ||
		 memcmp(h->subxip, snap->subxip, sizeof(TransactionId) * snap->subxcnt) == 0);
}

static void
remember_key(ListHash *h, const char *stamp, Relation heap, Snapshot snap)
{
	memcpy(h->stamp, stamp, LIST_HASH_STAMP_LEN);
	if (heap)
		h->node = heap->rd_node;
	else
		memset(&h->node, 0, sizeof(h->node));
	h->xmin = snap->xmin;
	h->xmax = snap->xmax;
	h->xcnt = snap->xcnt;
	h->subxcnt = snap->subxcnt;
	h->suboverflowed = snap->suboverflowed;
	h->curcid = snap->curcid;
	h->xip = NULL;
	h->subxip = NULL;
	if (snap->xcnt > 0)
	{
		h->xip = MemoryContextAlloc(h->cxt, sizeof(TransactionId) * snap->xcnt);
		memcpy(h->xip, snap->xip, sizeof(TransactionId) * snap->xcnt);
	}
	if (snap->subxcnt > 0)
	{
		h->subxip = MemoryContextAlloc(h->cxt, sizeof(TransactionId) * snap->subxcnt);
		memcpy(h->subxip, snap->subxip, sizeof(TransactionId) * snap->subxcnt);
	}
	h->built = true;
}

/* Add a row; false if the arrays cannot grow (palloc's 1 GB limit). */
static bool
add_row(ListHash *h, uint32 hash, Datum key, int32 lo, int32 hi)
{
	HashRow    *r;

	if (h->nrows == h->cap)
	{
		int32		i;

		/*
		 * With a work_mem above 1 GB the bound alone would let the row array
		 * outgrow a palloc (at some 34 million rows) and the call fail with
		 * "invalid memory alloc request size": such a list is too big to
		 * hash, as one beyond work_mem is.
		 */
		if ((Size) h->cap * 2 * sizeof(HashRow) > MaxAllocSize ||
			(Size) h->cap * 4 * sizeof(int32) > MaxAllocSize)
			return false;
		h->cap *= 2;
		h->rows = repalloc(h->rows, sizeof(HashRow) * h->cap);
		pfree(h->buckets);
		h->buckets = palloc(sizeof(int32) * h->cap * 2);
		h->mask = h->cap * 2 - 1;
		memset(h->buckets, 0xff, sizeof(int32) * h->cap * 2);
		for (i = 0; i < h->nrows; i++)
		{
			uint32		b = h->rows[i].hash & h->mask;

			h->rows[i].next = h->buckets[b];
			h->buckets[b] = i;
		}
	}
	r = &h->rows[h->nrows];
	r->hash = hash;
	/* a key stored out of line is fetched now, under the scan's snapshot */
	if (h->typlen == -1)
		r->key = PointerGetDatum(PG_DETOAST_DATUM_COPY(key));
	else
		r->key = datumCopy(key, h->typbyval, h->typlen);
	r->lo = lo;
	r->hi = hi;
	r->next = h->buckets[hash & h->mask];
	h->buckets[hash & h->mask] = h->nrows;
	h->nrows++;
	return true;
}

/* Empty rows and buckets for a build, in h->cxt (the current context). */
static void
start_build(ListHash *h, const ListHashSpec *spec)
{
	TypeCacheEntry *tce = lookup_type_cache(spec->subjtype, TYPECACHE_HASH_PROC);

	fmgr_info(tce->hash_proc, &h->hashfn);
	fmgr_info(spec->eqproc, &h->eqfn);
	h->coll = spec->keycoll;
	get_typlenbyval(spec->subjtype, &h->typlen, &h->typbyval);
	h->cap = 1024;
	h->nrows = 0;
	h->rows = palloc(sizeof(HashRow) * h->cap);
	h->buckets = palloc(sizeof(int32) * h->cap * 2);
	h->mask = h->cap * 2 - 1;
	memset(h->buckets, 0xff, sizeof(int32) * h->cap * 2);
}

/*
 * Add one row of the list (its key, and its validity if rngtce is given);
 * false if the hash is now too big.  In h->cxt (the current context).
 */
static bool
add_list_row(ListHash *h, TypeCacheEntry *rngtce, Datum key, bool keynull,
			 Datum rd, bool rdnull)
{
	int32		lo = PG_INT32_MIN,
				hi = PG_INT32_MAX;

	if (keynull)
		return true;			/* a NULL key is never listed */
	if (rngtce && (rdnull || !list_range_days(rngtce, rd, &lo, &hi)))
		return true;			/* never contains a date */
	if (!add_row(h, DatumGetUInt32(FunctionCall1Coll(&h->hashfn, h->coll, key)),
				 key, lo, hi))
		return false;

	/*
	 * Every row: one key stored out of line can take far more than the rest
	 * of the list (the context has no children, so this is cheap).
	 */
	return MemoryContextMemAllocated(h->cxt, false) <= (Size) work_mem * 1024;
}

/* Read the list under the snapshot; false if it exceeds work_mem. */
static bool
build(ListHash *h, const ListHashSpec *spec, Relation heap, Snapshot snap)
{
	TypeCacheEntry *rngtce = NULL;
	TupleTableSlot *slot;
	TableScanDesc scan;
	MemoryContext old;
	bool		ok = true;

	old = MemoryContextSwitchTo(h->cxt);
	start_build(h, spec);
	if (spec->rangeattno != InvalidAttrNumber)
		rngtce = lookup_type_cache(DATERANGEOID, TYPECACHE_RANGE_INFO);

	slot = table_slot_create(heap, NULL);
	scan = table_beginscan(heap, snap, 0, NULL);
	while (table_scan_getnextslot(scan, ForwardScanDirection, slot))
	{
		bool		keynull,
					rdnull = true;
		Datum		key = slot_getattr(slot, spec->keyattno, &keynull);
		Datum		rd = (Datum) 0;

		CHECK_FOR_INTERRUPTS();
		if (rngtce && !keynull)
			rd = slot_getattr(slot, spec->rangeattno, &rdnull);
		if (!add_list_row(h, rngtce, key, keynull, rd, rdnull))
		{
			ok = false;
			break;
		}
	}
	table_endscan(scan);
	ExecDropSingleTupleTableSlot(slot);
	MemoryContextSwitchTo(old);
	return ok;
}

static void lookup(ListHash *h, const ListHashSpec *spec, Datum subj,
				   DateADT at, bool *found);

bool
list_hash_probe(ListHash *h, const ListHashSpec *spec, const char *stamp,
				Relation heap, Snapshot snap, Datum subj, DateADT at,
				bool *found)
{
	if (!key_current(h, stamp, heap, snap))
	{
		if (h->cxt)
			MemoryContextDelete(h->cxt);
		h->cxt = AllocSetContextCreate(h->parent, "listed() list hash",
									   ALLOCSET_DEFAULT_SIZES);
		h->built = false;
		h->too_big = !build(h, spec, heap, snap);
		if (h->too_big)
		{
			/* keep only the key: this list goes through SPI for it */
			MemoryContextReset(h->cxt);
			h->rows = NULL;
			h->buckets = NULL;
		}
		remember_key(h, stamp, heap, snap);
	}
	if (h->too_big)
		return false;
	lookup(h, spec, subj, at, found);
	return true;
}

/* Is the subject in the built hash (valid at `at`, if dated)? */
static void
lookup(ListHash *h, const ListHashSpec *spec, Datum subj, DateADT at, bool *found)
{
	uint32		hash;
	int32		i;

	hash = DatumGetUInt32(FunctionCall1Coll(&h->hashfn, h->coll, subj));
	*found = false;
	for (i = h->buckets[hash & h->mask]; i >= 0; i = h->rows[i].next)
	{
		HashRow    *r = &h->rows[i];

		if (r->hash == hash &&
			(spec->rangeattno == InvalidAttrNumber || (r->lo <= at && at <= r->hi)) &&
			DatumGetBool(FunctionCall2Coll(&h->eqfn, h->coll, r->key, subj)))
		{
			*found = true;
			break;
		}
	}
}

/* May the list be hashed: does the subject type have a hash function? */
bool
list_hash_possible(Oid subjtype)
{
	TypeCacheEntry *tce = lookup_type_cache(subjtype, TYPECACHE_HASH_PROC);

	return OidIsValid(tce->hash_proc);
}

/* ------------------------------------------------------------------------
 * The hash of a list read through SPI (views, partitioned tables, policies)
 * ------------------------------------------------------------------------
 */

/* Does the expression call anything but immutable functions? */
static bool
not_immutable_checker(Oid func_id, void *context)
{
	return func_volatile(func_id) != PROVOLATILE_IMMUTABLE;
}

/*
 * Could the rows of this rewritten query change under one snapshot, one
 * role and one command id?  (The walker's answer true: then not hashed.)
 */
static bool
inexact_walker(Node *node, void *context)
{
	if (node == NULL)
		return false;
	if (IsA(node, Query))
		return query_tree_walker((Query *) node, inexact_walker, context,
								 QTW_EXAMINE_RTES_BEFORE);
	if (IsA(node, RangeTblEntry))
	{
		RangeTblEntry *rte = (RangeTblEntry *) node;

		if (rte->tablesample)
			return true;
		if (rte->rtekind == RTE_RELATION)
		{
			List	   *rels;
			ListCell   *lc;
			bool		res = false;

			/*
			 * a foreign table or partition, a Citus table: its rows are not
			 * under our snapshot
			 */
			rels = rte->inh ? find_all_inheritors(rte->relid, AccessShareLock, NULL) :
				list_make1_oid(rte->relid);
			foreach(lc, rels)
				if (get_rel_relkind(lfirst_oid(lc)) == RELKIND_FOREIGN_TABLE ||
					listed_is_citus_table(lfirst_oid(lc)))
					res = true;
			list_free(rels);
			return res;
		}
		return false;			/* its contents are walked by the caller */
	}
	if (IsA(node, SQLValueFunction))
	{
		/*
		 * The dates and times are the transaction's, the roles are in the
		 * caller's stamp; current_schema follows search_path, a setting.
		 */
		return ((SQLValueFunction *) node)->op == SVFOP_CURRENT_SCHEMA;
	}
	if (IsA(node, NextValueExpr))
		return true;
	if (check_functions_in_node(node, not_immutable_checker, NULL))
		return true;
	return expression_tree_walker(node, inexact_walker, context);
}

/*
 * Open the SPI cursor of the list query, or return NULL if its rewritten
 * form could change under the key (then it is not hashed).
 */
static Portal
open_list_cursor(const ListHashSpec *spec)
{
	SPIPlanPtr	plan = SPI_prepare_cursor(spec->sql, 0, NULL, CURSOR_OPT_NO_SCROLL);
	ListCell   *lc;

	if (plan == NULL)
		elog(ERROR, "could not prepare \"%s\": %s", spec->sql,
			 SPI_result_code_string(SPI_result));
	foreach(lc, SPI_plan_get_plan_sources(plan))
	{
		CachedPlanSource *ps = (CachedPlanSource *) lfirst(lc);

		if (inexact_walker((Node *) ps->query_list, NULL))
			return NULL;
	}
	return SPI_cursor_open(NULL, plan, NULL, NULL, true);
}

/*
 * May the list's query be hashed for the current user (listed_explain)?
 * The same check as at a build, without reading the list.  A query that
 * cannot even be prepared (row_security off under a policy: the probe
 * raises that error too) is not hashed; the error is left to the call.
 */
bool
list_hash_spi_exact(const char *sql)
{
	MemoryContext cxt = CurrentMemoryContext;
	ResourceOwner owner = CurrentResourceOwner;
	bool		exact = true;

	BeginInternalSubTransaction(NULL);
	MemoryContextSwitchTo(cxt);
	PG_TRY();
	{
		SPIPlanPtr	plan;
		ListCell   *lc;

		if (SPI_connect() != SPI_OK_CONNECT)
			elog(ERROR, "SPI_connect failed");
		plan = SPI_prepare_cursor(sql, 0, NULL, CURSOR_OPT_NO_SCROLL);
		if (plan == NULL)
			elog(ERROR, "could not prepare \"%s\": %s", sql,
				 SPI_result_code_string(SPI_result));
		foreach(lc, SPI_plan_get_plan_sources(plan))
			if (inexact_walker((Node *) ((CachedPlanSource *) lfirst(lc))->query_list, NULL))
				exact = false;
		SPI_finish();
		ReleaseCurrentSubTransaction();
	}
	PG_CATCH();
	{
		MemoryContextSwitchTo(cxt);
		FlushErrorState();
		RollbackAndReleaseCurrentSubTransaction();
		exact = false;
	}
	PG_END_TRY();
	MemoryContextSwitchTo(cxt);
	CurrentResourceOwner = owner;
	return exact;
}

/*
 * Read the list through SPI as the caller, under the active snapshot;
 * false if it exceeds work_mem or may not be hashed.
 */
static bool
build_spi(ListHash *h, const ListHashSpec *spec)
{
	TypeCacheEntry *rngtce = NULL;
	MemoryContext old = CurrentMemoryContext;
	Portal		portal;
	bool		ok = true;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	portal = open_list_cursor(spec);
	if (portal == NULL)
		ok = false;
	if (spec->rangeattno != InvalidAttrNumber)
		rngtce = lookup_type_cache(DATERANGEOID, TYPECACHE_RANGE_INFO);
	if (ok)
	{
		MemoryContextSwitchTo(h->cxt);
		start_build(h, spec);
		MemoryContextSwitchTo(old);
	}
	while (ok)
	{
		uint64		i;

		SPI_cursor_fetch(portal, true, 1024);
		if (SPI_processed == 0)
			break;
		for (i = 0; i < SPI_processed && ok; i++)
		{
			HeapTuple	tup = SPI_tuptable->vals[i];
			TupleDesc	desc = SPI_tuptable->tupdesc;
			bool		keynull,
						rdnull = true;
			Datum		key = SPI_getbinval(tup, desc, 1, &keynull);
			Datum		rd = (Datum) 0;
			MemoryContext spi = MemoryContextSwitchTo(h->cxt);

			CHECK_FOR_INTERRUPTS();
			if (rngtce && !keynull)
				rd = SPI_getbinval(tup, desc, 2, &rdnull);
			ok = add_list_row(h, rngtce, key, keynull, rd, rdnull);
			MemoryContextSwitchTo(spi);
		}
		SPI_freetuptable(SPI_tuptable);
	}
	if (portal)
		SPI_cursor_close(portal);
	SPI_finish();
	MemoryContextSwitchTo(old);
	return ok;
}

bool
list_hash_probe_spi(ListHash *h, const ListHashSpec *spec, const char *stamp,
					Snapshot snap, Datum subj, DateADT at, bool *found)
{
	if (!key_current(h, stamp, NULL, snap))
	{
		/* a new key: count its SPI probes before reading the whole list */
		if (h->cxt)
			MemoryContextDelete(h->cxt);
		h->cxt = AllocSetContextCreate(h->parent, "listed() list hash",
									   ALLOCSET_DEFAULT_SIZES);
		h->built = false;
		h->too_big = false;
		h->rows = NULL;
		h->buckets = NULL;
		h->spi_probes = 0;
		remember_key(h, stamp, NULL, snap);
	}
	if (h->too_big)
		return false;
	if (h->rows == NULL)
	{
		if (++h->spi_probes <= LIST_HASH_SPI_AFTER)
			return false;
		/*
		 * Not current until the list is read whole: an error while reading
		 * it must not leave half a hash under the current key (a caught
		 * error rolls back a subtransaction, which changes the stamp, but
		 * the hash does not rely on that).
		 */
		h->built = false;
		if (build_spi(h, spec))
			h->built = true;
		else
		{
			/* keep only the key: this list goes through SPI for it */
			MemoryContextReset(h->cxt);
			remember_key(h, stamp, NULL, snap);
			h->too_big = true;
			h->rows = NULL;
			h->buckets = NULL;
			return false;
		}
	}
	lookup(h, spec, subj, at, found);
	return true;
}
