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
 */
#include "postgres.h"

#include "access/heapam.h"
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
	bool		too_big;		/* this key's list exceeded work_mem */

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
	return h->built &&
		memcmp(h->stamp, stamp, LIST_HASH_STAMP_LEN) == 0 &&
		RelFileNodeEquals(h->node, heap->rd_node) &&
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
	h->node = heap->rd_node;
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

/* Read the list under the snapshot; false if it exceeds work_mem. */
static bool
build(ListHash *h, const ListHashSpec *spec, Relation heap, Snapshot snap)
{
	TypeCacheEntry *tce = lookup_type_cache(spec->subjtype, TYPECACHE_HASH_PROC);
	TypeCacheEntry *rngtce = NULL;
	TupleTableSlot *slot;
	TableScanDesc scan;
	MemoryContext old;
	Size		limit = (Size) work_mem * 1024;
	bool		ok = true;

	old = MemoryContextSwitchTo(h->cxt);
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
	if (spec->rangeattno != InvalidAttrNumber)
		rngtce = lookup_type_cache(DATERANGEOID, TYPECACHE_RANGE_INFO);

	slot = table_slot_create(heap, NULL);
	scan = table_beginscan(heap, snap, 0, NULL);
	while (table_scan_getnextslot(scan, ForwardScanDirection, slot))
	{
		bool		isnull;
		Datum		key = slot_getattr(slot, spec->keyattno, &isnull);
		int32		lo = PG_INT32_MIN,
					hi = PG_INT32_MAX;

		CHECK_FOR_INTERRUPTS();
		if (isnull)
			continue;			/* a NULL key is never listed */
		if (rngtce)
		{
			Datum		rd = slot_getattr(slot, spec->rangeattno, &isnull);

			if (isnull || !list_range_days(rngtce, rd, &lo, &hi))
				continue;		/* never contains a date */
		}
		if (!add_row(h, DatumGetUInt32(FunctionCall1Coll(&h->hashfn, h->coll, key)),
					 key, lo, hi))
		{
			ok = false;
			break;
		}
		/*
		 * Every row: one key stored out of line can take far more than the
		 * rest of the list (the context has no children, so this is cheap).
		 */
		if (MemoryContextMemAllocated(h->cxt, false) > limit)
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

bool
list_hash_probe(ListHash *h, const ListHashSpec *spec, const char *stamp,
				Relation heap, Snapshot snap, Datum subj, DateADT at,
				bool *found)
{
	uint32		hash;
	int32		i;

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
	return true;
}

/* May the list be hashed: does the subject type have a hash function? */
bool
list_hash_possible(Oid subjtype)
{
	TypeCacheEntry *tce = lookup_type_cache(subjtype, TYPECACHE_HASH_PROC);

	return OidIsValid(tce->hash_proc);
}
