/*
 * blacklist_insert.c — aminsert of the blacklist index: every row inserted
 * into the table (INSERT, COPY, a non-HOT UPDATE, CREATE INDEX CONCURRENTLY's
 * validation) sets its key's bits in the one filter page that holds the
 * key's block.
 *
 * SQL objects: none of its own; reached through ACCESS METHOD blacklist.
 *
 * Cost: the bits are first tested under a share lock; if they are all set
 * already (a repeated key) nothing is written.  Otherwise the page is
 * locked exclusively and changed through generic WAL (crash safe,
 * replicated); the filter page's entry counter counts the keys that set at
 * least one new bit.  The metapage is never touched on insert, so inserts
 * of different keys contend only when their keys share a filter page.
 * The bits also go into this backend's private copy of the filter, if it
 * holds one (see blacklist_copy.c), so its own rows stay covered.  A
 * filter that outgrows its capacity keeps working; its false-positive rate
 * rises (blacklist_index_stats) until REINDEX resizes it.  The key is hashed
 * in a memory context of its own, reset after every key (as contrib/bloom
 * does): a CREATE INDEX CONCURRENTLY validation inserts every row of the
 * table without a per-row reset of its own.
 */
#include "postgres.h"

#include "access/generic_xlog.h"
#include "nodes/execnodes.h"
#include "storage/bufmgr.h"
#include "utils/memutils.h"

#include "blacklist_am.h"

/* where keys are hashed; empty between calls */
static MemoryContext blacklist_insert_cxt = NULL;

bool
blacklist_aminsert(Relation index, Datum *values, bool *isnull,
				   ItemPointer ht_ctid, Relation heapRel,
				   IndexUniqueCheck checkUnique, bool indexUnchanged,
				   IndexInfo *indexInfo)
{
	const BlacklistMeta *meta;
	BlacklistSlot slot;
	uint64		hash;
	bool		retried = false;

	if (isnull[0])
		return false;
	if (blacklist_insert_cxt == NULL)
		blacklist_insert_cxt = AllocSetContextCreate(TopMemoryContext, "blacklist insert key",
													 ALLOCSET_SMALL_SIZES);
	hash = blacklist_key_hash_in(index, values[0], blacklist_insert_cxt);

	for (;;)
	{
		Buffer		buf;
		Page		page;
		GenericXLogState *state;
		int			off;

		meta = blacklist_get_meta(index);
		blacklist_slot(meta, hash, &slot);
		off = (int) (slot.block % meta->blocks_per_page);
		buf = ReadBuffer(index, (BlockNumber) (1 + slot.block / meta->blocks_per_page));

		LockBuffer(buf, BUFFER_LOCK_SHARE);
		page = BufferGetPage(buf);
		if (BlacklistPageGetHead(page)->stamp != meta->stamp)
		{
			UnlockReleaseBuffer(buf);
			if (retried)
				ereport(ERROR,
						(errcode(ERRCODE_INDEX_CORRUPTED),
						 errmsg("blacklist index \"%s\" has a filter page of another build",
								RelationGetRelationName(index)),
						 errhint("REINDEX it.")));
			pfree(index->rd_amcache);
			index->rd_amcache = NULL;
			retried = true;
			continue;
		}
		if (blacklist_block_test(BlacklistPageBlock(page, off), &slot, meta->nprobes))
		{
			UnlockReleaseBuffer(buf);	/* bits are never cleared: done */
			break;
		}
		LockBuffer(buf, BUFFER_LOCK_UNLOCK);

		LockBuffer(buf, BUFFER_LOCK_EXCLUSIVE);
		state = GenericXLogStart(index);
		page = GenericXLogRegisterBuffer(state, buf, 0);
		if (blacklist_block_set(BlacklistPageBlock(page, off), &slot, meta->nprobes))
		{
			BlacklistPageGetHead(page)->entries++;
			GenericXLogFinish(state);
		}
		else
			GenericXLogAbort(state);	/* another backend set them meanwhile */
		UnlockReleaseBuffer(buf);
		break;
	}

	blacklist_copy_note_insert(index, &slot);
	return false;
}
