/*
 * blacklist_am.h — private declarations shared by the files of the
 * blacklist index access method (blacklist_utils.c, blacklist_copy.c,
 * blacklist_build.c, blacklist_insert.c, blacklist_scan.c,
 * blacklist_vacuum.c).  The public
 * contract with listed() is src/blacklist.h.
 *
 * On-disk layout (version 1)
 * --------------------------
 * Block 0 is the metapage: a BlacklistMeta right after the page header.
 * Blocks 1 .. npages are filter pages.  A filter page has a standard page
 * header, then a BlacklistPageHead (a stamp of the layout it belongs to and
 * the number of keys that changed bits on it), padded to BLACKLIST_BLOCK_OFF
 * (64) bytes, then blocks_per_page filter blocks of 64 bytes each (one cache
 * line, 512 bits).  pd_lower covers the filter blocks, so a full-page image
 * holds every byte that can change; the rest of the page, if any (pages of
 * 16 blocks), is the unused hole (zero: generic WAL's redo zeroes it).
 *
 * The filter is a blocked Bloom filter over nblocks blocks: a key's 64-bit
 * hash (the opclass support function 1, seed 0) picks one block with the
 * multiply-shift range reduction of its high 32 bits, and a second mix of
 * the hash gives nprobes bit positions of 9 bits each inside that block.
 * Bits are only ever set, never cleared (see blacklist_vacuum.c).
 */
#ifndef INTEGRITY_BLACKLIST_AM_H
#define INTEGRITY_BLACKLIST_AM_H

#include "postgres.h"

#include "blacklist.h"
#include "ident_common.h"

#include "access/amapi.h"
#include "access/generic_xlog.h"
#include "access/itup.h"
#include "nodes/pathnodes.h"
#include "storage/bufmgr.h"
#include "utils/rel.h"
#include "utils/snapshot.h"

#define BLACKLIST_MAGIC			0x424C4B31	/* "BLK1" */
#define BLACKLIST_VERSION		1

#define BLACKLIST_METAPAGE_BLKNO	0
#define BLACKLIST_BLOCK_BYTES	64
#define BLACKLIST_BLOCK_BITS	(BLACKLIST_BLOCK_BYTES * 8)
#define BLACKLIST_BLOCK_OFF		64	/* first filter block in a page */
/*
 * Filter blocks per page: at most BLACKLIST_MAX_BLOCKS_PER_PAGE (a full
 * page); a build uses BLACKLIST_BLOCKS_PER_PAGE and records it in the
 * metapage (indexes built by 1.1 have 16, and keep them until REINDEX).
 * An insert logs only the block it changed, whatever the page holds
 * (blacklist_insert.c), so a build fills its pages: 1.5 bytes per key at
 * 12 bits per key, one eighth of 16-block pages in shared buffers, caches
 * and TLB, which inserts and probes of large lists feel.  The price: the
 * first change of a page after a checkpoint logs it whole as a full-page
 * image (full_page_writes), 8 kB where a 16-block page took 1 kB.
 */
#define BLACKLIST_MAX_BLOCKS_PER_PAGE \
	((BLCKSZ - BLACKLIST_BLOCK_OFF) / BLACKLIST_BLOCK_BYTES)
#define BLACKLIST_BLOCKS_PER_PAGE	BLACKLIST_MAX_BLOCKS_PER_PAGE
#define BLACKLIST_FILTER_END(bpp) \
	(BLACKLIST_BLOCK_OFF + (bpp) * BLACKLIST_BLOCK_BYTES)

/* support function numbers and strategies */
#define BLACKLIST_HASH_PROC		1
#define BLACKLIST_NPROC			1
#define BLACKLIST_EQUAL_STRATEGY	1
#define BLACKLIST_NSTRATEGIES	1

/* sizing */
#define BLACKLIST_DEFAULT_BITS_PER_KEY	12
#define BLACKLIST_MIN_BITS_PER_KEY	4
#define BLACKLIST_MAX_BITS_PER_KEY	64
#define BLACKLIST_MIN_CAPACITY		1024
#define BLACKLIST_MAX_PROBES		16

/* reloptions (WITH (bits_per_key = n, capacity = n)) */
typedef struct BlacklistOptions
{
	int32		vl_len_;		/* varlena header (do not touch directly!) */
	int			bits_per_key;	/* filter bits per expected key */
	int			capacity;		/* expected keys; 0 = the table's row count */
} BlacklistOptions;

/* the metapage contents */
typedef struct BlacklistMeta
{
	uint32		magic;
	uint32		version;
	uint32		bits_per_key;
	uint32		nprobes;		/* bits set per key, all in one block */
	uint32		blocks_per_page;
	uint32		npages;			/* filter pages (blocks 1 .. npages) */
	uint64		nblocks;		/* 64-byte filter blocks */
	int64		capacity;		/* keys the filter was sized for */
	int64		built_entries;	/* keys the build inserted */
	uint64		stamp;			/* identifies this build's layout */
} BlacklistMeta;

/* the head of every filter page, after the page header */
typedef struct BlacklistPageHead
{
	uint64		stamp;			/* = BlacklistMeta.stamp of its build */
	int64		entries;		/* keys that set at least one bit here */
} BlacklistPageHead;

#define BlacklistPageGetMeta(page) ((BlacklistMeta *) PageGetContents(page))
#define BlacklistPageGetHead(page) ((BlacklistPageHead *) PageGetContents(page))
#define BlacklistPageBlock(page, i) \
	((uint8 *) (page) + BLACKLIST_BLOCK_OFF + (Size) (i) * BLACKLIST_BLOCK_BYTES)

/* where a key goes */
typedef struct BlacklistSlot
{
	uint64		block;			/* filter block number */
	uint16		bit[BLACKLIST_MAX_PROBES];	/* bit numbers inside it */
} BlacklistSlot;

/*
 * Where a key goes.  Block: multiply-shift range reduction of the hash's
 * high 32 bits.  Bits: 9-bit fields of a second mix of the hash (7 per
 * 64-bit word; probes 8 to 14 come from another mix of the hash with a
 * different constant, and so on).  Inline here: the build, inserts, the
 * shared and the private probes (blacklist_utils.c, blacklist_copy.c) must
 * derive the same bits.
 */
typedef struct BlacklistBits
{
	uint64		hash;
	uint64		u;				/* the current mix, consumed 9 bits a time */
	uint64		round;
	int			left;			/* 9-bit draws left in u */
} BlacklistBits;

static inline void
blacklist_bits_start(BlacklistBits *b, uint64 hash)
{
	b->hash = hash;
	b->u = ident_mix64(hash ^ UINT64CONST(0x2545f4914f6cdd1d));
	b->round = 0;
	b->left = 7;
}

static inline uint32
blacklist_bits_next(BlacklistBits *b)
{
	uint32		bit;

	if (b->left == 0)
	{
		/* a fresh mix of the key's hash (u has one bit left) */
		b->round++;
		b->u = ident_mix64(b->hash ^ UINT64CONST(0x2545f4914f6cdd1d) ^
						   (b->round * UINT64CONST(0x9e3779b97f4a7c15)));
		b->left = 7;
	}
	bit = (uint32) (b->u & (BLACKLIST_BLOCK_BITS - 1));
	b->u >>= 9;
	b->left--;
	return bit;
}

static inline uint64
blacklist_block_of_n(uint64 nblocks, uint64 hash)
{
	return ((hash >> 32) * nblocks) >> 32;
}

static inline uint64
blacklist_block_of(const BlacklistMeta *meta, uint64 hash)
{
	return blacklist_block_of_n(meta->nblocks, hash);
}

/*
 * blacklist_slot and blacklist_block_test fused for a lookup of `hash` in
 * a whole filter of `nblocks` blocks (a private copy): the block, then each
 * bit as blacklist_slot derives it, tested without a branch on its value.
 * Stopping at the first clear bit (about the second, for an absent key)
 * costs a mispredicted branch on a bit nobody can predict, while the bits'
 * loads all hit the one cache line the first brought in: testing them all
 * is faster (issue 22).
 */
static inline bool
blacklist_filter_test(const uint8 *filter, uint64 nblocks, int nprobes, uint64 hash)
{
	const uint8 *block = filter + blacklist_block_of_n(nblocks, hash) * BLACKLIST_BLOCK_BYTES;
	BlacklistBits b;
	uint64		miss = 0;
	int			i;

	blacklist_bits_start(&b, hash);
	for (i = 0; i < nprobes; i++)
	{
		uint32		bit = blacklist_bits_next(&b);
		uint64		w;

		memcpy(&w, block + (bit >> 6) * 8, 8);
		miss |= ~w & (UINT64CONST(1) << (bit & 63));
	}
	return miss == 0;
}

static inline bool
blacklist_hash_test(const BlacklistMeta *meta, uint64 hash, const uint8 *filter)
{
	return blacklist_filter_test(filter, meta->nblocks, (int) meta->nprobes, hash);
}

/* blacklist_utils.c */
extern void blacklist_init(void);
extern BlacklistOptions *blacklist_make_default_options(void);
extern int	blacklist_max_filter_size;
extern void blacklist_layout(int64 capacity, int bits_per_key, const char *relname,
							 BlacklistMeta *meta);
extern uint64 blacklist_key_hash(Relation index, Datum key);
extern void blacklist_slot(const BlacklistMeta *meta, uint64 hash, BlacklistSlot *slot);
extern bool blacklist_block_test(const uint8 *block, const BlacklistSlot *slot, int nprobes);
extern bool blacklist_block_set(uint8 *block, const BlacklistSlot *slot, int nprobes);
extern const BlacklistMeta *blacklist_get_meta(Relation index);
extern void blacklist_init_metapage(Page page, const BlacklistMeta *meta);
extern void blacklist_init_filter_page(Page page, const BlacklistMeta *meta);
extern void blacklist_check_key_column(Relation index);
extern double blacklist_fpr_estimate(const BlacklistMeta *meta, int64 entries);
extern bool blacklist_amvalidate(Oid opclassoid);
extern bytea *blacklist_amoptions(Datum reloptions, bool validate);
extern void blacklist_costestimate(PlannerInfo *root, IndexPath *path, double loop_count,
						   Cost *indexStartupCost, Cost *indexTotalCost,
						   Selectivity *indexSelectivity, double *indexCorrelation,
						   double *indexPages);

/* blacklist_copy.c: the backend-private copy of a filter */
extern void blacklist_copy_init(void);
extern const uint8 *blacklist_copy_filter(Relation index, const BlacklistMeta *meta,
										  Snapshot snapshot);
extern const uint8 *blacklist_copy_filter_n(Relation index, const BlacklistMeta *meta,
											Snapshot snapshot, uint64 ncalls);
extern void blacklist_copy_note_insert(Relation index, const BlacklistSlot *slot);
extern bool blacklist_has_copy(Relation index);
extern void blacklist_copy_forget_handles(void);

/* blacklist_build.c */
extern IndexBuildResult *blacklist_ambuild(Relation heap, Relation index, struct IndexInfo *indexInfo);
extern void blacklist_ambuildempty(Relation index);
extern uint64 blacklist_key_hash_in(Relation index, Datum key, MemoryContext keycxt);

/* blacklist_insert.c */
extern bool blacklist_aminsert(Relation index, Datum *values, bool *isnull,
					 ItemPointer ht_ctid, Relation heapRel,
					 IndexUniqueCheck checkUnique, bool indexUnchanged,
					 struct IndexInfo *indexInfo);

/* blacklist_scan.c */
extern IndexScanDesc blacklist_beginscan(Relation r, int nkeys, int norderbys);
extern void blacklist_rescan(IndexScanDesc scan, ScanKey scankey, int nscankeys,
					 ScanKey orderbys, int norderbys);
extern int64 blacklist_getbitmap(IndexScanDesc scan, TIDBitmap *tbm);
extern void blacklist_endscan(IndexScanDesc scan);

/* blacklist_vacuum.c */
extern IndexBulkDeleteResult *blacklist_bulkdelete(IndexVacuumInfo *info, IndexBulkDeleteResult *stats,
										   IndexBulkDeleteCallback callback, void *callback_state);
extern IndexBulkDeleteResult *blacklist_vacuumcleanup(IndexVacuumInfo *info, IndexBulkDeleteResult *stats);

#endif							/* INTEGRITY_BLACKLIST_AM_H */
