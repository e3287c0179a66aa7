/*
 * blacklist_scan.c — scans of the blacklist index (bitmap scans only):
 * ambeginscan, amrescan, amgetbitmap, amendscan.
 *
 * SQL objects: none of its own; reached through ACCESS METHOD blacklist
 * when the planner picks it for `WHERE key = value` (it rarely does: see
 * blacklist_costestimate).
 *
 * The filter holds no row addresses, so it can only say "no row" or "any
 * row": when some key is certainly absent the bitmap stays empty; otherwise
 * every heap page goes into the bitmap as lossy and the bitmap heap scan
 * rechecks the condition on every row.  Either way the result is exact.
 * There is no amgettuple.
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/relation.h"
#include "access/relscan.h"
#include "nodes/tidbitmap.h"
#include "storage/bufmgr.h"

#include "blacklist.h"
#include "blacklist_am.h"

IndexScanDesc
blacklist_beginscan(Relation r, int nkeys, int norderbys)
{
	return RelationGetIndexScan(r, nkeys, norderbys);
}

void
blacklist_rescan(IndexScanDesc scan, ScanKey scankey, int nscankeys,
				 ScanKey orderbys, int norderbys)
{
	if (scankey && scan->numberOfKeys > 0)
		memmove(scan->keyData, scankey, scan->numberOfKeys * sizeof(ScanKeyData));
}

int64
blacklist_getbitmap(IndexScanDesc scan, TIDBitmap *tbm)
{
	Relation	heap;
	BlockNumber nblocks;
	BlockNumber b;
	uint64		hash;
	int			i;

	for (i = 0; i < scan->numberOfKeys; i++)
	{
		ScanKey		key = &scan->keyData[i];

		if (key->sk_flags & SK_ISNULL)
			return 0;			/* = NULL matches nothing */
		if (!blacklist_key_hash_typed(scan->indexRelation, key->sk_subtype,
									  key->sk_argument, &hash))
			elog(ERROR, "blacklist index \"%s\": no hash support function for type %u",
				 RelationGetRelationName(scan->indexRelation), key->sk_subtype);
		if (!blacklist_may_contain_hash(scan->indexRelation, hash, scan->xs_snapshot))
			return 0;
	}

	/* the executor already holds a lock on the table */
	heap = relation_open(scan->indexRelation->rd_index->indrelid, NoLock);
	nblocks = RelationGetNumberOfBlocks(heap);
	relation_close(heap, NoLock);
	for (b = 0; b < nblocks; b++)
		tbm_add_page(tbm, b);
	return (int64) nblocks;
}

void
blacklist_endscan(IndexScanDesc scan)
{
	/* nothing of our own to free */
}
