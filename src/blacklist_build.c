/*
 * blacklist_build.c — building a blacklist index: ambuild (CREATE INDEX,
 * REINDEX, TRUNCATE) and ambuildempty (the init fork of an unlogged index).
 *
 * SQL objects: none of its own; reached through ACCESS METHOD blacklist
 * (blacklist_handler, src/blacklist_utils.c).
 *
 * The build scans the table once and keeps the 64-bit hash of every
 * non-NULL key, then sizes the filter for that many keys (or the `capacity`
 * reloption if given; at least BLACKLIST_MIN_CAPACITY) at `bits_per_key`
 * bits per key, refusing a filter larger than
 * integrity.blacklist_max_filter_size (blacklist_layout), and writes the
 * metapage and the filter pages one by one, each as a full page image
 * through generic WAL.  Rows of every kind the scan returns are indexed
 * (also recently dead ones): the filter may only over-approximate.
 *
 * Memory stays within maintenance_work_mem whatever the table and the
 * filter size: the hashes of at most half of it are kept in memory (8 bytes
 * a key), earlier ones go to a temporary file in scan order; the filter is
 * assembled in windows of consecutive pages that fit the rest, each window
 * set from all the hashes (the file replayed, then those in memory) and
 * written out before the next one.  A table whose keys fit in memory and a
 * filter that fits the window are one pass, as fast as a build holding
 * everything.  Hashing runs in a memory context reset after every key (as
 * contrib/bloom does), so a support function's allocations do not pile up.
 * Every loop over keys or pages checks for interrupts: a cancelled build
 * stops at once and its files go with the aborted transaction.
 */
#include "postgres.h"

#include "access/generic_xlog.h"
#include "access/tableam.h"
#include "access/xloginsert.h"
#include "catalog/index.h"
#include "miscadmin.h"
#include "storage/buffile.h"
#include "storage/bufmgr.h"
#include "storage/smgr.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

#include "blacklist_am.h"

/* keys ahead whose filter block the build prefetches */
#define BLACKLIST_PREFETCH_DISTANCE 16
/* hashes read back from the temporary file at a time */
#define BLACKLIST_READ_BATCH	8192
/* build memory other than hashes and window (file buffer, page counters' slack) */
#define BLACKLIST_BUILD_RESERVE	((Size) 64 * 1024)

typedef struct BlacklistBuildState
{
	MemoryContext cxt;			/* everything the build keeps */
	MemoryContext keycxt;		/* reset after every key */
	uint64	   *hashes;			/* hashes not yet spilled, in scan order */
	int64		nmem;			/* used slots of hashes[] */
	int64		size;			/* allocated slots of hashes[] */
	int64		maxsize;		/* the most slots hashes[] may have */
	BufFile    *spill;			/* the earlier hashes, or NULL */
	int64		nspilled;
	int64		n;				/* every key: nspilled + nmem */
} BlacklistBuildState;

/*
 * The key's filter hash, computed in `keycxt`, which is reset afterwards: a
 * support function may allocate (detoasting, a user's operator class), and
 * the build and inserts hash keys one after the other.
 */
uint64
blacklist_key_hash_in(Relation index, Datum key, MemoryContext keycxt)
{
	MemoryContext old = MemoryContextSwitchTo(keycxt);
	uint64		hash = blacklist_key_hash(index, key);

	MemoryContextSwitchTo(old);
	MemoryContextReset(keycxt);
	return hash;
}

static void
blacklist_build_callback(Relation index, ItemPointer tid, Datum *values,
						 bool *isnull, bool tupleIsAlive, void *state)
{
	BlacklistBuildState *bs = (BlacklistBuildState *) state;
	uint64		hash;

	if (isnull[0])
		return;					/* NULL keys are not indexed: no = matches them */
	hash = blacklist_key_hash_in(index, values[0], bs->keycxt);
	if (bs->nmem == bs->size)
	{
		if (bs->size < bs->maxsize)
		{
			bs->size = Min(bs->size * 2, bs->maxsize);
			bs->hashes = repalloc_huge(bs->hashes, (Size) bs->size * sizeof(uint64));
		}
		else
		{
			/* memory is full: the hashes so far go to the temporary file */
			if (bs->spill == NULL)
			{
				MemoryContext old = MemoryContextSwitchTo(bs->cxt);

				bs->spill = BufFileCreateTemp(false);
				MemoryContextSwitchTo(old);
			}
			BufFileWrite(bs->spill, bs->hashes, (Size) bs->nmem * sizeof(uint64));
			bs->nspilled += bs->nmem;
			bs->nmem = 0;
		}
	}
	bs->hashes[bs->nmem++] = hash;
	bs->n++;
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

/* fill `page` as a filter page whose blocks are `blocks` (NULL: all clear) */
static void
blacklist_fill_filter_page(Page page, const BlacklistMeta *meta, const uint8 *blocks,
						   int64 entries)
{
	blacklist_init_filter_page(page, meta);
	BlacklistPageGetHead(page)->entries = entries;
	if (blocks)
		memcpy(BlacklistPageBlock(page, 0), blocks,
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

/* a window of the filter: pages first .. first + npages - 1 (0-based) */
typedef struct BlacklistWindow
{
	uint8	   *blocks;			/* their filter blocks */
	int64	   *entries;		/* per page: keys that set a new bit */
	uint64		first_block;
	uint64		nblocks;
} BlacklistWindow;

/* set the bits of the keys in `hashes` whose block lies in the window */
static void
blacklist_window_set(const BlacklistMeta *meta, BlacklistWindow *w,
					 const uint64 *hashes, int64 n)
{
	bool		whole = (w->first_block == 0 && w->nblocks == meta->nblocks);
	int64		i;

	for (i = 0; i < n; i++)
	{
		BlacklistSlot slot;
		uint64		b;

		if ((i & 4095) == 0)
			CHECK_FOR_INTERRUPTS();
#ifdef __GNUC__
		/* the filter outgrows the caches: fetch a later key's block now */
		if (whole && i + BLACKLIST_PREFETCH_DISTANCE < n)
			__builtin_prefetch(w->blocks + (((hashes[i + BLACKLIST_PREFETCH_DISTANCE] >> 32) *
											 meta->nblocks) >> 32) * BLACKLIST_BLOCK_BYTES, 1);
#endif
		blacklist_slot(meta, hashes[i], &slot);
		b = slot.block - w->first_block;	/* wraps for blocks before it */
		if (b >= w->nblocks)
			continue;
		if (blacklist_block_set(w->blocks + b * BLACKLIST_BLOCK_BYTES, &slot, meta->nprobes))
			w->entries[b / meta->blocks_per_page]++;
	}
}

/*
 * Write filter pages 1 .. npages, window by window, from the hashes of `bs`
 * within `budget` bytes of memory; returns the number of windows.
 */
static int
blacklist_write_filter(Relation index, const BlacklistMeta *meta,
					   BlacklistBuildState *bs, Size budget)
{
	Size		page_bytes = (Size) meta->blocks_per_page * BLACKLIST_BLOCK_BYTES;
	Size		used = (Size) bs->size * sizeof(uint64) + BLACKLIST_BUILD_RESERVE +
		(bs->spill ? BLACKLIST_READ_BATCH * sizeof(uint64) : 0);
	uint64		window_pages = 1;
	uint64		p0;
	uint64		*readbuf = NULL;
	BlacklistWindow w = {0};
	PGAlignedBlock buf;
	int			passes = 0;

	if (budget > used)
		window_pages = Max(1, (budget - used) / (page_bytes + sizeof(int64)));
	window_pages = Min(window_pages, (uint64) meta->npages);
	if (bs->n > 0)
	{
		/* an empty table needs no window: its pages are all clear */
		w.blocks = palloc_extended(window_pages * page_bytes, MCXT_ALLOC_HUGE);
		w.entries = palloc_extended(window_pages * sizeof(int64), MCXT_ALLOC_HUGE);
		if (bs->spill)
			readbuf = palloc(BLACKLIST_READ_BATCH * sizeof(uint64));
	}

	for (p0 = 0; p0 < meta->npages; p0 += window_pages)
	{
		uint64		np = Min(window_pages, meta->npages - p0);
		uint64		p;

		if (w.blocks)
		{
			w.first_block = p0 * meta->blocks_per_page;
			w.nblocks = np * meta->blocks_per_page;
			memset(w.blocks, 0, np * page_bytes);
			memset(w.entries, 0, np * sizeof(int64));
			if (bs->spill)
			{
				size_t		got;

				if (BufFileSeek(bs->spill, 0, 0, SEEK_SET) != 0)
					ereport(ERROR,
							(errcode_for_file_access(),
							 errmsg("could not rewind the temporary file of the build of blacklist index \"%s\": %m",
									RelationGetRelationName(index))));
				while ((got = BufFileRead(bs->spill, readbuf,
										  BLACKLIST_READ_BATCH * sizeof(uint64))) > 0)
					blacklist_window_set(meta, &w, readbuf, (int64) (got / sizeof(uint64)));
			}
			blacklist_window_set(meta, &w, bs->hashes, bs->nmem);
			passes++;
		}
		for (p = 0; p < np; p++)
		{
			CHECK_FOR_INTERRUPTS();
			blacklist_fill_filter_page(buf.data, meta,
									   w.blocks ? w.blocks + p * page_bytes : NULL,
									   w.blocks ? w.entries[p] : 0);
			blacklist_append_page(index, (BlockNumber) (p0 + p + 1), buf.data);
		}
	}
	return passes;
}

IndexBuildResult *
blacklist_ambuild(Relation heap, Relation index, IndexInfo *indexInfo)
{
	IndexBuildResult *result;
	BlacklistOptions *opts = blacklist_options(index);
	BlacklistBuildState bs = {0};
	BlacklistMeta meta;
	Size		budget = (Size) maintenance_work_mem * 1024;
	Size		peak;
	double		reltuples;
	PGAlignedBlock buf;
	MemoryContext old;
	int			passes;

	if (RelationGetNumberOfBlocks(index) != 0)
		elog(ERROR, "index \"%s\" already contains data", RelationGetRelationName(index));
	blacklist_check_key_column(index);
	/* a filter of a given capacity is refused before the scan if too large */
	if (opts->capacity > 0)
		blacklist_layout(opts->capacity, opts->bits_per_key,
						 RelationGetRelationName(index), &meta);

	bs.cxt = AllocSetContextCreate(CurrentMemoryContext, "blacklist build",
								   ALLOCSET_DEFAULT_SIZES);
	bs.keycxt = AllocSetContextCreate(bs.cxt, "blacklist build key",
									  ALLOCSET_SMALL_SIZES);
	old = MemoryContextSwitchTo(bs.cxt);

	/* room for the rows the statistics expect (within half the budget) */
	bs.maxsize = (int64) Max(budget / 2 / sizeof(uint64), 1024);
	bs.size = 1024;
	if (heap->rd_rel->reltuples > bs.size)
		bs.size = (int64) Min(heap->rd_rel->reltuples * 1.1, (double) bs.maxsize);
	bs.hashes = palloc_extended((Size) bs.size * sizeof(uint64), MCXT_ALLOC_HUGE);
	reltuples = table_index_build_scan(heap, index, indexInfo, true, true,
									   blacklist_build_callback, &bs, NULL);

	if (opts->capacity == 0)
		blacklist_layout(bs.n, opts->bits_per_key, RelationGetRelationName(index), &meta);
	meta.stamp = blacklist_new_stamp(index);
	meta.built_entries = bs.n;

	blacklist_init_metapage(buf.data, &meta);
	blacklist_append_page(index, BLACKLIST_METAPAGE_BLKNO, buf.data);
	passes = blacklist_write_filter(index, &meta, &bs, budget);
	peak = MemoryContextMemAllocated(bs.cxt, true);
	ereport(DEBUG1,
			(errmsg_internal("blacklist index \"%s\": %lld keys (%lld through a temporary file), %u filter pages, passes over the keys: %d, build memory: %zu bytes of maintenance_work_mem %zu",
							 RelationGetRelationName(index), (long long) bs.n,
							 (long long) bs.nspilled, meta.npages, passes, peak, budget)));

	if (bs.spill)
		BufFileClose(bs.spill);
	MemoryContextSwitchTo(old);
	MemoryContextDelete(bs.cxt);

	/* a cached metapage of an earlier build (same relfilenode) is stale */
	if (index->rd_amcache)
		pfree(index->rd_amcache);
	index->rd_amcache = NULL;

	result = palloc(sizeof(IndexBuildResult));
	result->heap_tuples = reltuples;
	result->index_tuples = (double) bs.n;
	return result;
}

/* the init fork of an unlogged index: an empty filter of its capacity */
void
blacklist_ambuildempty(Relation index)
{
	BlacklistOptions *opts = blacklist_options(index);
	BlacklistMeta meta;
	PGAlignedBlock buf;
	BlockNumber p;

	blacklist_layout(opts->capacity, opts->bits_per_key, RelationGetRelationName(index), &meta);
	meta.stamp = blacklist_new_stamp(index);

	blacklist_init_metapage(buf.data, &meta);
	PageSetChecksumInplace(buf.data, BLACKLIST_METAPAGE_BLKNO);
	smgrextend(RelationGetSmgr(index), INIT_FORKNUM, BLACKLIST_METAPAGE_BLKNO, buf.data, true);
	log_newpage(&(RelationGetSmgr(index))->smgr_rnode.node, INIT_FORKNUM,
				BLACKLIST_METAPAGE_BLKNO, buf.data, true);
	for (p = 0; p < meta.npages; p++)
	{
		CHECK_FOR_INTERRUPTS();
		blacklist_fill_filter_page(buf.data, &meta, NULL, 0);
		PageSetChecksumInplace(buf.data, p + 1);
		smgrextend(RelationGetSmgr(index), INIT_FORKNUM, p + 1, buf.data, true);
		log_newpage(&(RelationGetSmgr(index))->smgr_rnode.node, INIT_FORKNUM,
					p + 1, buf.data, true);
	}
	smgrimmedsync(RelationGetSmgr(index), INIT_FORKNUM);
}
