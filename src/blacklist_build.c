/*
 * blacklist_build.c — building a blacklist index: ambuild (CREATE INDEX,
 * REINDEX, TRUNCATE) and ambuildempty (the init fork of an unlogged index).
 *
 * SQL objects: none of its own; reached through ACCESS METHOD blacklist
 * (blacklist_handler, src/blacklist_utils.c).
 *
 * The build scans the table once, keeping the 64-bit hash of every non-NULL
 * key (8 bytes per row, transiently), then sizes the filter for that many
 * keys (or the `capacity` reloption if given; at least
 * BLACKLIST_MIN_CAPACITY) at `bits_per_key` bits per key, sets the bits in
 * memory and writes the metapage and the filter pages, each as a full page
 * image through generic WAL.  Rows of every kind the scan returns are
 * indexed (also recently dead ones): the filter may only over-approximate.
 */
#include "postgres.h"

#include "access/generic_xlog.h"
#include "access/tableam.h"
#include "access/xloginsert.h"
#include "catalog/index.h"
#include "miscadmin.h"
#include "storage/bufmgr.h"
#include "storage/smgr.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

#include "blacklist_am.h"

/* keys ahead whose filter block the build prefetches */
#define BLACKLIST_PREFETCH_DISTANCE 16

typedef struct BlacklistBuildState
{
	uint64	   *hashes;
	int64		n;
	int64		size;
} BlacklistBuildState;

static void
blacklist_build_callback(Relation index, ItemPointer tid, Datum *values,
						 bool *isnull, bool tupleIsAlive, void *state)
{
	BlacklistBuildState *bs = (BlacklistBuildState *) state;

	if (isnull[0])
		return;					/* NULL keys are not indexed: no = matches them */
	if (bs->n == bs->size)
	{
		bs->size *= 2;
		bs->hashes = repalloc_huge(bs->hashes, (Size) bs->size * sizeof(uint64));
	}
	bs->hashes[bs->n++] = blacklist_key_hash(index, values[0]);
}

/* a value that tells one build's pages from another's */
static uint64
blacklist_new_stamp(Relation index)
{
	uint64		s = (uint64) GetCurrentTimestamp();

	s ^= (uint64) index->rd_node.relNode << 32;
	s ^= (uint64) MyProcPid << 16;
	return s == 0 ? 1 : s;
}

/* options of the index, or the defaults */
static BlacklistOptions *
blacklist_options(Relation index)
{
	return index->rd_options ? (BlacklistOptions *) index->rd_options
		: blacklist_make_default_options();
}

/* fill `page` as filter page `p` (0-based) of the filter in `filter` */
static void
blacklist_fill_filter_page(Page page, const BlacklistMeta *meta, const uint8 *filter,
						   BlockNumber p, int64 entries)
{
	blacklist_init_filter_page(page, meta);
	BlacklistPageGetHead(page)->entries = entries;
	if (filter)
		memcpy(BlacklistPageBlock(page, 0),
			   filter + (Size) p * meta->blocks_per_page * BLACKLIST_BLOCK_BYTES,
			   (Size) meta->blocks_per_page * BLACKLIST_BLOCK_BYTES);
}

/* append one page to the main fork, WAL-logged as a full image */
static void
blacklist_append_page(Relation index, BlockNumber expected, Page src)
{
	Buffer		buf = ReadBufferExtended(index, MAIN_FORKNUM, P_NEW, RBM_NORMAL, NULL);
	GenericXLogState *state;
	Page		page;

	LockBuffer(buf, BUFFER_LOCK_EXCLUSIVE);
	if (BufferGetBlockNumber(buf) != expected)
		elog(ERROR, "blacklist index \"%s\": unexpected block %u while building (expected %u)",
			 RelationGetRelationName(index), BufferGetBlockNumber(buf), expected);
	state = GenericXLogStart(index);
	page = GenericXLogRegisterBuffer(state, buf, GENERIC_XLOG_FULL_IMAGE);
	memcpy(page, src, BLCKSZ);
	GenericXLogFinish(state);
	UnlockReleaseBuffer(buf);
}

IndexBuildResult *
blacklist_ambuild(Relation heap, Relation index, IndexInfo *indexInfo)
{
	IndexBuildResult *result;
	BlacklistOptions *opts = blacklist_options(index);
	BlacklistBuildState bs;
	BlacklistMeta meta;
	double		reltuples;
	uint8	   *filter;
	int64	   *page_entries;
	PGAlignedBlock buf;
	int64		i;
	BlockNumber p;

	if (RelationGetNumberOfBlocks(index) != 0)
		elog(ERROR, "index \"%s\" already contains data", RelationGetRelationName(index));
	blacklist_check_key_column(index);

	/* room for the rows the statistics expect, so the array rarely grows */
	bs.size = 1024;
	if (heap->rd_rel->reltuples > bs.size)
		bs.size = (int64) Min(heap->rd_rel->reltuples * 1.1, (double) (MaxAllocHugeSize / sizeof(uint64)));
	bs.n = 0;
	bs.hashes = palloc_extended((Size) bs.size * sizeof(uint64), MCXT_ALLOC_HUGE);
	reltuples = table_index_build_scan(heap, index, indexInfo, true, true,
									   blacklist_build_callback, &bs, NULL);

	blacklist_layout(opts->capacity > 0 ? opts->capacity : bs.n, opts->bits_per_key, &meta);
	meta.stamp = blacklist_new_stamp(index);
	meta.built_entries = bs.n;

	filter = palloc_extended((Size) meta.nblocks * BLACKLIST_BLOCK_BYTES,
							 MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
	page_entries = palloc_extended((Size) meta.npages * sizeof(int64),
								   MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
	for (i = 0; i < bs.n; i++)
	{
		BlacklistSlot slot;

#ifdef __GNUC__
		/* the filter outgrows the caches: fetch a later key's block now */
		if (i + BLACKLIST_PREFETCH_DISTANCE < bs.n)
			__builtin_prefetch(filter + (((bs.hashes[i + BLACKLIST_PREFETCH_DISTANCE] >> 32) *
										  meta.nblocks) >> 32) * BLACKLIST_BLOCK_BYTES, 1);
#endif
		blacklist_slot(&meta, bs.hashes[i], &slot);
		if (blacklist_block_set(filter + slot.block * BLACKLIST_BLOCK_BYTES, &slot, meta.nprobes))
			page_entries[slot.block / meta.blocks_per_page]++;
	}
	pfree(bs.hashes);

	blacklist_init_metapage(buf.data, &meta);
	blacklist_append_page(index, BLACKLIST_METAPAGE_BLKNO, buf.data);
	for (p = 0; p < meta.npages; p++)
	{
		CHECK_FOR_INTERRUPTS();
		blacklist_fill_filter_page(buf.data, &meta, filter, p, page_entries[p]);
		blacklist_append_page(index, p + 1, buf.data);
	}
	pfree(filter);
	pfree(page_entries);

	/* a cached metapage of an earlier build (same relfilenode) is stale */
	if (index->rd_amcache)
		pfree(index->rd_amcache);
	index->rd_amcache = NULL;

	result = palloc(sizeof(IndexBuildResult));
	result->heap_tuples = reltuples;
	result->index_tuples = (double) bs.n;
	return result;
}

/* the init fork of an unlogged index: an empty filter of the minimal size */
void
blacklist_ambuildempty(Relation index)
{
	BlacklistOptions *opts = blacklist_options(index);
	BlacklistMeta meta;
	PGAlignedBlock buf;
	BlockNumber p;

	blacklist_layout(opts->capacity, opts->bits_per_key, &meta);
	meta.stamp = blacklist_new_stamp(index);

	blacklist_init_metapage(buf.data, &meta);
	PageSetChecksumInplace(buf.data, BLACKLIST_METAPAGE_BLKNO);
	smgrextend(RelationGetSmgr(index), INIT_FORKNUM, BLACKLIST_METAPAGE_BLKNO, buf.data, true);
	log_newpage(&(RelationGetSmgr(index))->smgr_rnode.node, INIT_FORKNUM,
				BLACKLIST_METAPAGE_BLKNO, buf.data, true);
	for (p = 0; p < meta.npages; p++)
	{
		blacklist_fill_filter_page(buf.data, &meta, NULL, p, 0);
		PageSetChecksumInplace(buf.data, p + 1);
		smgrextend(RelationGetSmgr(index), INIT_FORKNUM, p + 1, buf.data, true);
		log_newpage(&(RelationGetSmgr(index))->smgr_rnode.node, INIT_FORKNUM,
					p + 1, buf.data, true);
	}
	smgrimmedsync(RelationGetSmgr(index), INIT_FORKNUM);
}
