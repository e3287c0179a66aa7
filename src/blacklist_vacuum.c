/*
 * blacklist_vacuum.c — VACUUM of a blacklist index: ambulkdelete and
 * amvacuumcleanup.
 *
 * SQL objects: none of its own; reached through ACCESS METHOD blacklist.
 *
 * A Bloom filter cannot forget a key (a bit may be shared by many keys),
 * and the index holds no row addresses, so VACUUM removes nothing: it never
 * calls the dead-tuple callback and never clears a bit.  That is what keeps
 * a "no" from the filter true for every snapshot, including snapshots
 * older than the deletion.  Deleted keys only cost false positives; REINDEX
 * rebuilds the filter from the live rows.  VACUUM reports the index's pages
 * and the number of keys it has taken (an estimate, flagged as such),
 * reading the filter pages through VACUUM's buffer access strategy with its
 * cost-based delay and an interrupt check on every page.
 *
 * CREATE INDEX CONCURRENTLY: its validation phase asks ambulkdelete for the
 * row addresses already indexed; since the filter has none, every row of
 * the table is inserted again, which sets no new bits but is correct.
 */
#include "postgres.h"

#include "access/genam.h"
#include "storage/bufmgr.h"

#include "blacklist.h"
#include "blacklist_am.h"

static IndexBulkDeleteResult *
blacklist_vacuum_stats(IndexVacuumInfo *info, IndexBulkDeleteResult *stats)
{
	int64		capacity,
				inserted;
	double		fpr;

	if (stats == NULL)
		stats = palloc0(sizeof(IndexBulkDeleteResult));
	blacklist_stats(info->index, info->strategy, &capacity, &inserted, &fpr);
	stats->num_pages = RelationGetNumberOfBlocks(info->index);
	stats->num_index_tuples = (double) inserted;
	stats->estimated_count = true;
	return stats;
}

IndexBulkDeleteResult *
blacklist_bulkdelete(IndexVacuumInfo *info, IndexBulkDeleteResult *stats,
					 IndexBulkDeleteCallback callback, void *callback_state)
{
	/* never calls callback: nothing is removed (see the file header) */
	return blacklist_vacuum_stats(info, stats);
}

IndexBulkDeleteResult *
blacklist_vacuumcleanup(IndexVacuumInfo *info, IndexBulkDeleteResult *stats)
{
	if (info->analyze_only)
		return stats;
	return blacklist_vacuum_stats(info, stats);
}
