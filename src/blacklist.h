/*
 * blacklist.h — the interface between the blacklist index access method
 * (src/blacklist*.c, SQL: CREATE INDEX ... USING blacklist (subject)) and its
 * user, listed() (src/listed.c).
 *
 * A blacklist index is a filter that only over-approximates: for the key
 * column (the index's first column) it remembers a superset of every value
 * ever inserted into the table since the index was built, whatever became of
 * the inserting transaction.  So a "no" from it holds for every snapshot,
 * command id, role and row-level-security policy; a "maybe" must be confirmed
 * exactly by the caller.
 */
#ifndef INTEGRITY_BLACKLIST_H
#define INTEGRITY_BLACKLIST_H

#include "postgres.h"
#include "fmgr.h"
#include "storage/bufmgr.h"
#include "utils/rel.h"
#include "utils/snapshot.h"

#define BLACKLIST_AM_NAME "blacklist"

/* true if the open index relation is a blacklist index of this extension */
extern bool blacklist_index_is(Relation index);

/*
 * false only if no row holding `key` in the indexed column can be visible to
 * `snapshot`, nor have been written by this backend's transaction before this
 * call; true otherwise ("maybe").  `key` is a Datum of the indexed column's
 * type.  The caller holds at least AccessShareLock on the index and its
 * table.  May keep a backend-private copy of the filter while it provably
 * covers every such row (see src/blacklist_copy.c for the proof).  For a
 * snapshot that is not MVCC the answer covers every row whose inserting
 * command has finished.
 */
extern bool blacklist_may_contain(Relation index, Datum key, Snapshot snapshot);

/*
 * The same for a key of another type of the index's operator family (e.g. an
 * integer key of a bigint index) or a key hashed once and probed in several
 * calls: blacklist_key_hash_typed computes the filter hash of `key` of type
 * `keytype` (InvalidOid or a type binary coercible to the key column's: the
 * column's own hash) and returns false if the family has no hash for that
 * type (then the index cannot answer for such keys);
 * blacklist_may_contain_hash is blacklist_may_contain for that hash.
 */
extern bool blacklist_key_hash_typed(Relation index, Oid keytype, Datum key,
									 uint64 *hash);
extern bool blacklist_may_contain_hash(Relation index, uint64 hash,
									   Snapshot snapshot);

/*
 * blacklist_may_contain_hash for `n` hashes at once: maybe[i] is its answer
 * for hash[i] (the screening scan, src/listed_scan.c).
 */
extern void blacklist_may_contain_batch(Relation index, const uint64 *hash, int n,
										Snapshot snapshot, bool *maybe);

/*
 * Repeated probes of one index from one place (a listed() call site): a
 * handle that hashes keys with the index's support function resolved once
 * (for the extension's own integer hashes, cnid and bigint, without fmgr)
 * and tests them in the backend-private copy of the filter without opening
 * the index, while that copy is the one this backend held when the handle
 * last looked (a generation counter, bumped whenever any copy is freed,
 * retaken or found stale: relcache invalidation of its index, REINDEX,
 * TRUNCATE, a rebuild) and it covers the snapshot (the proof of
 * src/blacklist_copy.c, checked on every test).
 *
 * blacklist_handle_init fills a handle from the open index (the FmgrInfo in
 * `mcxt`); blacklist_handle_test answers BLACKLIST_NO or BLACKLIST_MAYBE as
 * blacklist_may_contain_hash would, or BLACKLIST_ASK_INDEX: then the caller
 * opens the index, calls blacklist_may_contain_hash and then
 * blacklist_handle_refresh, which looks for the copy again.  The handle
 * holds no relation, lock, pin or resource-owner entry: the caller keeps
 * its lock on the index and must drop the handle (or init it again)
 * whenever it may be another index, or another role's decision.
 */
typedef enum BlacklistAnswer
{
	BLACKLIST_NO,
	BLACKLIST_MAYBE,
	BLACKLIST_ASK_INDEX
} BlacklistAnswer;

typedef struct BlacklistHandle
{
	Oid			indexoid;
	int			hashkind;		/* BLACKLIST_HASH_* (blacklist_utils.c) */
	FmgrInfo	hashproc;		/* support function 1, for the fmgr kind */
	Oid			collation;
	uint64		gen;			/* copies' generation when last looked */
	void	   *copy;			/* the copy seen then, or NULL */
	const uint8 *filter;
	uint64		nblocks;
	int			nprobes;
} BlacklistHandle;

extern void blacklist_handle_init(BlacklistHandle *h, Relation index,
								  MemoryContext mcxt);
extern uint64 blacklist_handle_hash(const BlacklistHandle *h, Datum key);
extern BlacklistAnswer blacklist_handle_test(BlacklistHandle *h, uint64 hash,
											 Snapshot snapshot);
extern void blacklist_handle_refresh(BlacklistHandle *h, Relation index);

/*
 * listed() and the index's diagnostic functions, given a relation by OID,
 * check what naming it would: USAGE on its schema (42501 otherwise).
 * Defined in src/listed.c.
 */
extern void listed_check_schema_usage(Oid relid);

/*
 * VACUUM's report: entries the filter was sized for and has taken, and the
 * estimated false-positive rate at the current fill, read through VACUUM's
 * buffer access `strategy` with its cost-based delay.
 */
extern void blacklist_stats(Relation index, BufferAccessStrategy strategy,
							int64 *capacity, int64 *inserted, double *fpr);

/*
 * During recovery an unlogged (or temporary) relation has no data to read:
 * raise PostgreSQL's own error for it (0A000, as the planner does) if
 * recovery is in progress and relation `relid` is not permanent (nothing if
 * it does not exist: the caller says so).
 */
extern void blacklist_check_recovery_access(Oid relid);

#endif							/* INTEGRITY_BLACKLIST_H */
