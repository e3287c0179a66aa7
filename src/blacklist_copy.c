/*
 * blacklist_copy.c — the backend-private copy of a blacklist index's filter,
 * and the proof of when it may answer for a snapshot.
 *
 * SQL objects: none of its own.  Used by blacklist_may_contain_hash
 * (blacklist_utils.c: listed(), blacklist_probe and the bitmap scan) and by
 * blacklist_aminsert (blacklist_insert.c); blacklist_index_stats shows
 * whether a copy is held (its private_copy column).
 *
 * Why a copy: the shared path pins and share-locks one filter page per
 * probe.  After enough probes of one index (BLACKLIST_COPY_AFTER_CALLS, plus
 * BLACKLIST_COPY_PER_PAGE per filter page) a backend copies the whole
 * filter into private memory and tests keys there, while the copy provably
 * holds the bits of every row the caller's snapshot can see.  All copies of
 * a backend together take at most BLACKLIST_COPY_MAX_BYTES; beyond that the
 * shared path answers.
 *
 * What a "no" must cover
 * ----------------------
 * blacklist_may_contain answers "no" only if no row holding the key can be
 * visible to the snapshot S, nor has been written by this backend's
 * transaction before the call.  The bits of a row are set (in a shared
 * filter page, under its exclusive buffer lock) by blacklist_aminsert,
 * after the row's heap insert and before its transaction commits or aborts;
 * bits are never cleared.
 *
 * The copy C.  Just before copying, the backend takes an MVCC snapshot of
 * its own with GetSnapshotData and keeps C.xmax and C.xip, its running
 * top-level xids less this backend's own top-level xid (if it has one).
 * Then it reads every filter page under a share lock.  A top-level xid T
 * with T < C.xmax and T not in C.xip, other than our own, had left the proc
 * array when the snapshot was taken (xids are entered there when assigned,
 * under XidGenLock, before any larger xid can complete and raise xmax), so
 * all its index inserts came before the pages were read: their bits are in
 * the copy.  Rows this backend writes after the copy go through
 * blacklist_aminsert, which also sets their bits in the copy
 * (blacklist_copy_note_insert): this backend's own rows, of any of its
 * transactions and command ids, are always in the copy.
 *
 * What S can see.  A row written by another transaction, whose xmin is the
 * xid s of a top-level transaction T (s = T) or of one of its
 * subtransactions, is visible to S only if XidInMVCCSnapshot(s, S) is false
 * and s committed; then T < S.xmax and T is not in S.xip:
 *   - s < S.xmin: T <= s < S.xmin, and every member of S.xip is >= S.xmin;
 *   - S.suboverflowed: XidInMVCCSnapshot maps s to T through pg_subtrans
 *     and tests T against S.xip itself;
 *   - S not suboverflowed: s is in neither S.xip nor S.subxip.  Had T been
 *     running when S was taken, s (assigned before S, as s < S.xmax) would
 *     be in T's cache of subxids (no cache had overflowed, or S would be
 *     suboverflowed; only an aborted subxid leaves the cache, and s
 *     committed), hence in S.subxip.  So T was not running: T is not in
 *     S.xip, and T <= s < S.xmax.
 * This holds for every snapshot PostgreSQL builds, also one imported with
 * SET TRANSACTION SNAPSHOT or restored in a parallel worker (the exporter
 * adds its own xid to xip and its committed children to subxip, so the
 * exported snapshot is as consistent as one taken in place).
 *
 * The proof.  C covers S when
 *     S.xmax <= C.xmax, and every member of C.xip below S.xmax is in S.xip.
 * Then a row of another transaction visible to S has T < S.xmax <= C.xmax,
 * T not in S.xip, so T not in C.xip: T completed before the copy, or is
 * this backend's own (earlier) transaction; either way its bits are in the
 * copy.  The condition reads only S.xmax and the set S.xip: S.xmin,
 * S.subxip, S.suboverflowed and S.curcid change nothing (this backend's own
 * rows are in the copy whatever their command id).  Snapshots taken during
 * recovery (hot standby keeps every running xid in subxip, xip is empty)
 * and non-MVCC snapshots never use the copy; a copy is never taken during
 * recovery.
 *
 * The verdict is remembered for the last snapshot checked and reused only
 * for a snapshot with the same xmax and the same xip array (compared whole,
 * in order: a different order only costs a fresh check).  Keys of fewer
 * fields are wrong: two snapshots of one backend with the same xmin, xmax
 * and xip count do have the same running set, but an imported snapshot
 * carries another backend's: with the same three numbers it can see a
 * transaction as completed that the copy saw running (specs/
 * blacklist_copy.spec, the last permutation; test/listed_stress.sh).
 *
 * PostgreSQL 15's snapXactCompletionCount is not usable here: every copied
 * snapshot (the active and registered ones a caller holds) has it reset to
 * 0 by CopySnapshot.
 *
 * Handles (src/blacklist.h).  A caller that probes one index many times
 * (a listed() call site) keeps a pointer to the copy and tests keys without
 * opening the index.  It may do so only while blacklist_copy_gen is the
 * value it saw: every free of a copy (relcache invalidation, a new
 * relfilenode, a copy an insert finds out of step with the metapage),
 * every fresh copy and every stale metapage bumps it, so a handle never reads a copy that was freed,
 * retaken or belongs to another build, and the proof's condition is
 * checked for its snapshot on every test as on the index's own path.
 *
 * Memory.  A copy of a megabyte or more sits on 2 MB-aligned transparent
 * huge pages (madvise): probes touch random cache lines of it, and with
 * 4 kB pages almost each was also a TLB miss.
 *
 * Lifetime.  A copy is dropped at any relcache invalidation of its index
 * (REINDEX, TRUNCATE, DROP, ANALYZE and VACUUM updating its statistics),
 * and is checked against the relfilenode and the layout stamp of the build
 * it was taken from.  Taking a copy checks for interrupts page by page and
 * frees what it allocated if reading a page fails.
 */
#include "postgres.h"

#include <sys/mman.h>

#include "access/transam.h"
#include "access/xact.h"
#include "miscadmin.h"
#include "storage/bufmgr.h"
#include "storage/procarray.h"
#include "utils/hsearch.h"
#include "utils/inval.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"

#include "blacklist_am.h"

/* a backend copies a filter after this many probes + BLACKLIST_COPY_PER_PAGE per page */
#define BLACKLIST_COPY_AFTER_CALLS	256
#define BLACKLIST_COPY_PER_PAGE		8
/* all private copies of one backend together */
#define BLACKLIST_COPY_MAX_BYTES	((Size) 512 * 1024 * 1024)

typedef struct BlacklistCopy
{
	Oid			indexoid;		/* hash key */
	RelFileNode node;			/* the relfilenode the copy was taken from */
	uint64		stamp;			/* and its build */
	uint64		nblocks;
	uint64		shared_calls;	/* probes answered by the shared path */
	uint8	   *filter;			/* nblocks * 64 bytes, or NULL */
	void	   *filter_chunk;	/* the allocation holding it (pfree this) */
	Size		bytes;
	/* the snapshot taken just before copying (see the file header) */
	TransactionId xmax;
	uint32		xcnt;			/* running xids, less our own transaction */
	TransactionId *xip;
	/* the last snapshot checked against this copy, whole, and the verdict */
	bool		checked;
	bool		checked_covers;
	TransactionId checked_xmax;
	uint32		checked_xcnt;
	uint32		checked_room;	/* allocated length of checked_xip */
	TransactionId *checked_xip;
} BlacklistCopy;

static HTAB *blacklist_copies = NULL;
static MemoryContext blacklist_copy_cxt = NULL;
static Size blacklist_copy_bytes = 0;
static BlacklistCopy *blacklist_last_copy = NULL;

/*
 * Bumped whenever a copy is freed, taken or found stale: a handle
 * (src/blacklist.h) uses the copy it saw only while this is unchanged.
 */
static uint64 blacklist_copy_gen = 1;

void
blacklist_copy_forget_handles(void)
{
	blacklist_copy_gen++;
}

static void
blacklist_copy_free(BlacklistCopy *c)
{
	blacklist_copy_gen++;
	if (c->filter)
	{
		pfree(c->filter_chunk);
		blacklist_copy_bytes -= c->bytes;
	}
	if (c->xip)
		pfree(c->xip);
	if (c->checked_xip)
		pfree(c->checked_xip);
	c->filter = NULL;
	c->filter_chunk = NULL;
	c->xip = NULL;
	c->xcnt = 0;
	c->bytes = 0;
	c->checked = false;
	c->checked_xip = NULL;
	c->checked_room = 0;
}

static void
blacklist_copy_relcache_callback(Datum arg, Oid relid)
{
	HASH_SEQ_STATUS status;
	BlacklistCopy *c;

	if (blacklist_copies == NULL)
		return;
	blacklist_last_copy = NULL;
	if (OidIsValid(relid))
	{
		c = hash_search(blacklist_copies, &relid, HASH_FIND, NULL);
		if (c)
		{
			blacklist_copy_free(c);
			hash_search(blacklist_copies, &relid, HASH_REMOVE, NULL);
		}
		return;
	}
	hash_seq_init(&status, blacklist_copies);
	while ((c = hash_seq_search(&status)) != NULL)
	{
		blacklist_copy_free(c);
		hash_search(blacklist_copies, &c->indexoid, HASH_REMOVE, NULL);
	}
}

/* called from blacklist_init (_PG_init): copies die with their index's relcache entry */
void
blacklist_copy_init(void)
{
	CacheRegisterRelcacheCallback(blacklist_copy_relcache_callback, (Datum) 0);
}

static BlacklistCopy *
blacklist_copy_lookup(Relation index, bool create)
{
	Oid			oid = RelationGetRelid(index);
	BlacklistCopy *c;
	bool		found;

	if (blacklist_last_copy && blacklist_last_copy->indexoid == oid)
		c = blacklist_last_copy;
	else
	{
		if (blacklist_copies == NULL)
		{
			HASHCTL		ctl;

			if (!create)
				return NULL;
			blacklist_copy_cxt = AllocSetContextCreate(TopMemoryContext,
													   "blacklist filter copies",
													   ALLOCSET_DEFAULT_SIZES);
			ctl.keysize = sizeof(Oid);
			ctl.entrysize = sizeof(BlacklistCopy);
			ctl.hcxt = blacklist_copy_cxt;
			blacklist_copies = hash_create("blacklist filter copies", 16, &ctl,
										   HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
		}
		c = hash_search(blacklist_copies, &oid, create ? HASH_ENTER : HASH_FIND, &found);
		if (c == NULL)
			return NULL;
		if (create && !found)
		{
			c->node = index->rd_node;
			c->stamp = 0;
			c->nblocks = 0;
			c->shared_calls = 0;
			c->filter = NULL;
			c->filter_chunk = NULL;
			c->bytes = 0;
			c->xip = NULL;
			c->xcnt = 0;
			c->checked = false;
			c->checked_xip = NULL;
			c->checked_room = 0;
		}
		blacklist_last_copy = c;
	}
	if (!RelFileNodeEquals(c->node, index->rd_node))
	{
		blacklist_copy_free(c);
		c->node = index->rd_node;
		c->shared_calls = 0;
	}
	return c;
}

/* may the copy (if any) answer for snapshots of this kind at all? */
static inline bool
blacklist_copy_usable_snapshot(Snapshot snapshot)
{
	return snapshot != NULL && snapshot->snapshot_type == SNAPSHOT_MVCC &&
		!snapshot->takenDuringRecovery;
}

/*
 * The proof's condition (file header): S.xmax <= C.xmax, and every member
 * of C.xip below S.xmax is in S.xip.
 */
static bool
blacklist_copy_condition(const BlacklistCopy *c, Snapshot snapshot)
{
	uint32		i,
				j;

	if (TransactionIdFollows(snapshot->xmax, c->xmax))
		return false;
	for (i = 0; i < c->xcnt; i++)
	{
		TransactionId x = c->xip[i];
		bool		running = false;

		if (!TransactionIdPrecedes(x, snapshot->xmax))
			continue;
		for (j = 0; j < snapshot->xcnt; j++)
		{
			if (TransactionIdEquals(snapshot->xip[j], x))
			{
				running = true;
				break;
			}
		}
		if (!running)
			return false;
	}
	return true;
}

/*
 * Does the copy cover every row `snapshot` can see?  The verdict of the
 * last snapshot checked is reused for one with the same xmax and xip
 * array, the only fields the condition reads.
 */
static bool
blacklist_copy_covers(BlacklistCopy *c, Snapshot snapshot)
{
	Size		xipbytes;

	if (c->filter == NULL || !blacklist_copy_usable_snapshot(snapshot))
		return false;
	xipbytes = sizeof(TransactionId) * (Size) snapshot->xcnt;
	if (c->checked && c->checked_xmax == snapshot->xmax &&
		c->checked_xcnt == snapshot->xcnt &&
		(xipbytes == 0 || memcmp(c->checked_xip, snapshot->xip, xipbytes) == 0))
		return c->checked_covers;

	if (snapshot->xcnt > c->checked_room)
	{
		uint32		room = Max(snapshot->xcnt, 2 * c->checked_room);

		/* forget the old array first: an allocation failure leaves none */
		if (c->checked_xip)
			pfree(c->checked_xip);
		c->checked = false;
		c->checked_xip = NULL;
		c->checked_room = 0;
		c->checked_xip = MemoryContextAlloc(blacklist_copy_cxt, sizeof(TransactionId) * room);
		c->checked_room = room;
	}
	c->checked_covers = blacklist_copy_condition(c, snapshot);
	c->checked_xmax = snapshot->xmax;
	c->checked_xcnt = snapshot->xcnt;
	if (xipbytes > 0)
		memcpy(c->checked_xip, snapshot->xip, xipbytes);
	c->checked = true;
	return c->checked_covers;
}

/*
 * The memory of a copy of `bytes`: *chunk is what to pfree.  A copy of a
 * megabyte or more is placed on 2 MB boundaries and the kernel asked for
 * transparent huge pages there (madvise; a no-op where THP is off or not
 * supported): a probe of a large filter touches a random cache line, and
 * with 4 kB pages nearly every one is also a TLB miss (issue 22).  The
 * alignment slack (under 2 MB of address space) is never touched.
 */
#define BLACKLIST_HUGE_PAGE		((Size) 2 * 1024 * 1024)

static uint8 *
blacklist_copy_alloc(Size bytes, void **chunk)
{
#if defined(MADV_HUGEPAGE)
	if (bytes >= BLACKLIST_HUGE_PAGE / 2)
	{
		Size		len = TYPEALIGN(BLACKLIST_HUGE_PAGE, bytes);
		uint8	   *raw = MemoryContextAllocHuge(blacklist_copy_cxt,
												 len + BLACKLIST_HUGE_PAGE);
		uint8	   *aligned = (uint8 *) TYPEALIGN(BLACKLIST_HUGE_PAGE, raw);

		(void) madvise(aligned, len, MADV_HUGEPAGE);
		*chunk = raw;
		return aligned;
	}
#endif
	*chunk = MemoryContextAllocHuge(blacklist_copy_cxt, bytes);
	return (uint8 *) *chunk;
}

/* take a fresh copy; false if the memory bound forbids it or a build intervened */
static bool
blacklist_copy_take(Relation index, BlacklistCopy *c, const BlacklistMeta *meta)
{
	static SnapshotData snap = {SNAPSHOT_MVCC};
	Size		bytes = (Size) meta->nblocks * BLACKLIST_BLOCK_BYTES;
	Size		page_bytes = (Size) meta->blocks_per_page * BLACKLIST_BLOCK_BYTES;
	TransactionId own = GetTopTransactionIdIfAny();
	uint8	   *filter;
	void	   *chunk;
	TransactionId *xip;
	uint32		xcnt = 0;
	uint32		i;
	bool		same_build = true;

	blacklist_copy_free(c);
	if (blacklist_copy_bytes + bytes > BLACKLIST_COPY_MAX_BYTES)
		return false;

	/* the snapshot first, then the pages (see the file header) */
	GetSnapshotData(&snap);
	if (snap.takenDuringRecovery)
		return false;
	/* the large allocation first: if it fails, nothing is left allocated */
	filter = blacklist_copy_alloc(bytes, &chunk);
	xip = MemoryContextAllocExtended(blacklist_copy_cxt,
									 sizeof(TransactionId) * Max(snap.xcnt, 1),
									 MCXT_ALLOC_NO_OOM);
	if (xip == NULL)
	{
		pfree(chunk);
		ereport(ERROR,
				(errcode(ERRCODE_OUT_OF_MEMORY),
				 errmsg("out of memory")));
	}
	for (i = 0; i < snap.xcnt; i++)
		if (!TransactionIdEquals(snap.xip[i], own))
			xip[xcnt++] = snap.xip[i];

	PG_TRY();
	{
		BlockNumber p;

		for (p = 0; p < meta->npages && same_build; p++)
		{
			Buffer		buf;
			Page		page;

			CHECK_FOR_INTERRUPTS();
			buf = ReadBuffer(index, p + 1);
			LockBuffer(buf, BUFFER_LOCK_SHARE);
			page = BufferGetPage(buf);
			if (BlacklistPageGetHead(page)->stamp != meta->stamp)
				same_build = false;
			else
				memcpy(filter + (Size) p * page_bytes, BlacklistPageBlock(page, 0), page_bytes);
			UnlockReleaseBuffer(buf);
		}
	}
	PG_CATCH();
	{
		/* an interrupt or a failed read: the copy's memory goes back now */
		pfree(chunk);
		pfree(xip);
		PG_RE_THROW();
	}
	PG_END_TRY();

	if (!same_build)
	{
		pfree(chunk);
		pfree(xip);
		return false;
	}
	c->filter = filter;
	c->filter_chunk = chunk;
	c->bytes = bytes;
	c->stamp = meta->stamp;
	c->nblocks = meta->nblocks;
	c->xmax = snap.xmax;
	c->xcnt = xcnt;
	c->xip = xip;
	c->checked = false;
	c->shared_calls = 0;
	blacklist_copy_bytes += bytes;
	blacklist_copy_gen++;
	return true;
}

/*
 * The private filter that may answer for `snapshot` now, or NULL: then the
 * caller tests the shared pages.  Counts the calls it declines and takes a
 * fresh copy when enough have been.
 */
const uint8 *
blacklist_copy_filter(Relation index, const BlacklistMeta *meta, Snapshot snapshot)
{
	return blacklist_copy_filter_n(index, meta, snapshot, 1);
}

/* the same for `ncalls` probes at once (a batch of the screening scan) */
const uint8 *
blacklist_copy_filter_n(Relation index, const BlacklistMeta *meta, Snapshot snapshot,
						uint64 ncalls)
{
	BlacklistCopy *c = blacklist_copy_lookup(index, true);

	if (c->filter && c->stamp == meta->stamp && blacklist_copy_covers(c, snapshot))
		return c->filter;

	c->shared_calls += ncalls;
	if (c->shared_calls >= BLACKLIST_COPY_AFTER_CALLS +
		(uint64) BLACKLIST_COPY_PER_PAGE * meta->npages &&
		blacklist_copy_usable_snapshot(snapshot))
	{
		c->shared_calls = 0;
		if (blacklist_copy_take(index, c, meta) && blacklist_copy_covers(c, snapshot))
			return c->filter;
	}
	return NULL;
}

/* called by blacklist_aminsert: keep this backend's copy covering its own rows */
void
blacklist_copy_note_insert(Relation index, const BlacklistSlot *slot)
{
	BlacklistCopy *c;
	const BlacklistMeta *meta;

	if (blacklist_copies == NULL)
		return;
	c = blacklist_copy_lookup(index, false);
	if (c == NULL || c->filter == NULL)
		return;
	meta = blacklist_get_meta(index);
	if (c->stamp != meta->stamp || c->nblocks != meta->nblocks)
	{
		blacklist_copy_free(c);
		return;
	}
	blacklist_block_set(c->filter + slot->block * BLACKLIST_BLOCK_BYTES, slot, meta->nprobes);
}

/* does this backend hold a private copy of the index's filter? */
bool
blacklist_has_copy(Relation index)
{
	BlacklistCopy *c = blacklist_copy_lookup(index, false);

	return c != NULL && c->filter != NULL;
}

/* ---------- handles (src/blacklist.h) ---------- */

/*
 * The private copy's answer through a handle, without the index: only for
 * the copy the handle saw in this generation (none was freed, taken or
 * found stale since: the copy is still the one of the index's current
 * relfilenode and build), and only if it covers `snapshot`.
 */
BlacklistAnswer
blacklist_handle_test(BlacklistHandle *h, uint64 hash, Snapshot snapshot)
{
	if (h->gen != blacklist_copy_gen || h->copy == NULL ||
		!blacklist_copy_covers((BlacklistCopy *) h->copy, snapshot))
		return BLACKLIST_ASK_INDEX;
	return blacklist_filter_test(h->filter, h->nblocks, h->nprobes, hash) ?
		BLACKLIST_MAYBE : BLACKLIST_NO;
}

/* look for the index's copy again (after a probe through the index) */
void
blacklist_handle_refresh(BlacklistHandle *h, Relation index)
{
	const BlacklistMeta *meta = blacklist_get_meta(index);
	BlacklistCopy *c = NULL;

	Assert(RelationGetRelid(index) == h->indexoid);
	h->copy = NULL;
	h->filter = NULL;
	if (blacklist_copies != NULL)
		c = blacklist_copy_lookup(index, false);
	if (c != NULL && c->filter != NULL && c->stamp == meta->stamp &&
		c->nblocks == meta->nblocks)
	{
		h->copy = c;
		h->filter = c->filter;
		h->nblocks = c->nblocks;
		h->nprobes = (int) meta->nprobes;
	}
	/* after the lookup, which may have freed a copy of an older relfilenode */
	h->gen = blacklist_copy_gen;
}
