/*
 * blacklist_insert.c — aminsert of the blacklist index: every row inserted
 * into the table (INSERT, COPY, a non-HOT UPDATE, CREATE INDEX CONCURRENTLY's
 * validation) sets its key's bits in the one filter page that holds the
 * key's block.
 *
 * SQL objects: none of its own; reached through ACCESS METHOD blacklist.
 *
 * Cost: the bits are first tested under a share lock; if they are all set
 * already (a repeated key) nothing is written and nothing is logged.  (The
 * share lock is what makes skipping safe: the insert that set those bits
 * held the exclusive lock until its WAL record was in, so that record
 * precedes this transaction's commit record in the WAL; crash recovery and
 * a standby replay it first.)  Otherwise the page is locked exclusively,
 * the bits and the filter page's entry counter (the keys that set at least
 * one new bit) are changed, and the change is logged as a generic WAL
 * record (RM_GENERIC_ID, replayed by PostgreSQL's own generic_redo: crash
 * safe, replicated, no shared_preload_libraries) built here: see
 * blacklist_log_block.  The metapage is never touched on insert, so inserts
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

#include "access/xloginsert.h"
#include "miscadmin.h"
#include "nodes/execnodes.h"
#include "storage/bufmgr.h"
#include "utils/memutils.h"

#include "blacklist_am.h"

/* where keys are hashed; empty between calls */
static MemoryContext blacklist_insert_cxt = NULL;

/*
 * The generic WAL record of one insert's change to a filter page.
 *
 * GenericXLogStart/RegisterBuffer/Finish would allocate a 64 kB state,
 * copy the 8 kB page, compare its filter part byte by byte with the
 * original to find what changed, and zero the page's hole again: most of an
 * insert's cost.  Here the change is known: one 64-byte filter block and
 * the page's entry counter.  So the record is written directly in the
 * format generic_xlog.c defines for RM_GENERIC_ID (a page delta made of
 * fragments: offset and length as OffsetNumber, then the bytes; part of
 * PostgreSQL 15's WAL format, fixed within a major version and unchanged
 * since 9.6), and generic_redo replays it exactly as one from
 * GenericXLogFinish: it applies the fragments, zeroes the hole between
 * pd_lower and pd_upper (none on a full filter page; on the 16-block pages
 * of 1.1's builds, zero already: nothing writes there) and sets the page
 * LSN.  The whole block is logged, not only the words that changed, so the
 * record also carries bits set before (set on the replayed page too).
 * XLogInsert adds a full-page image when the page's first change after a
 * checkpoint needs one, as for any record.  Called inside the critical
 * section, with the buffer locked exclusively, changed and marked dirty.
 * test/blacklist_crash.sh runs with wal_consistency_checking = 'generic':
 * recovery and a replica compare each replayed page with the primary's.
 */
#define BLACKLIST_FRAGMENT_HEAD	(2 * sizeof(OffsetNumber))

static char *
blacklist_fragment(char *p, const Page page, const void *at, Size len)
{
	OffsetNumber off = (OffsetNumber) ((const char *) at - (const char *) page);
	OffsetNumber n = (OffsetNumber) len;

	memcpy(p, &off, sizeof(off));
	memcpy(p + sizeof(off), &n, sizeof(n));
	memcpy(p + BLACKLIST_FRAGMENT_HEAD, at, len);
	return p + BLACKLIST_FRAGMENT_HEAD + len;
}

static void
blacklist_log_block(Buffer buf, Page page, const uint8 *block)
{
	char		delta[2 * BLACKLIST_FRAGMENT_HEAD + sizeof(int64) + BLACKLIST_BLOCK_BYTES];
	char	   *p = delta;
	XLogRecPtr	lsn;

	p = blacklist_fragment(p, page, &BlacklistPageGetHead(page)->entries, sizeof(int64));
	p = blacklist_fragment(p, page, block, BLACKLIST_BLOCK_BYTES);

	XLogBeginInsert();
	XLogRegisterBuffer(0, buf, REGBUF_STANDARD);
	XLogRegisterBufData(0, delta, p - delta);
	lsn = XLogInsert(RM_GENERIC_ID, 0);
	PageSetLSN(page, lsn);
}

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
		uint8	   *block;
		int			off;

		meta = blacklist_get_meta(index);
		blacklist_slot(meta, hash, &slot);
		off = (int) (slot.block % meta->blocks_per_page);
		buf = ReadBuffer(index, (BlockNumber) (1 + slot.block / meta->blocks_per_page));
		page = BufferGetPage(buf);
#ifdef __GNUC__
		/* the page's head and the key's block: two cache misses at once */
		__builtin_prefetch(BlacklistPageGetHead(page), 1);
		__builtin_prefetch(BlacklistPageBlock(page, off), 1);
#endif

		LockBuffer(buf, BUFFER_LOCK_SHARE);
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
		block = BlacklistPageBlock(page, off);
		if (blacklist_block_test(block, &slot, meta->nprobes))
		{
			UnlockReleaseBuffer(buf);	/* bits are never cleared: done */
			break;
		}
		LockBuffer(buf, BUFFER_LOCK_UNLOCK);

		LockBuffer(buf, BUFFER_LOCK_EXCLUSIVE);
		if (!blacklist_block_test(block, &slot, meta->nprobes))
		{
			START_CRIT_SECTION();
			blacklist_block_set(block, &slot, meta->nprobes);
			BlacklistPageGetHead(page)->entries++;
			MarkBufferDirty(buf);
			if (RelationNeedsWAL(index))
				blacklist_log_block(buf, page, block);
			END_CRIT_SECTION();
		}
		/* else another backend set them meanwhile */
		UnlockReleaseBuffer(buf);
		break;
	}

	blacklist_copy_note_insert(index, &slot);
	return false;
}
