/*
 * blacklist_utils.c — the blacklist index access method: handler, options,
 * validation, cost estimate, metapage, filter layout and hashing, and the
 * probe used by listed() (src/blacklist.h).
 *
 * SQL objects backed here (src/blacklist.sql): blacklist_handler (the
 * handler of ACCESS METHOD blacklist), blacklist_int8_hash and
 * blacklist_text_hash (support function 1 of the int8 and text operator
 * classes; cnid and uscc use their own extended hash), blacklist_probe (a
 * diagnostic: the filter's answer for one key) and blacklist_index_stats.
 * blacklist_int4_hash and blacklist_int2_hash hash integer and smallint
 * search keys of int8_ops (cross-type =) exactly as the same bigint.
 * Setting: integrity.blacklist_max_filter_size, the largest index a build
 * may write (see blacklist_init).
 *
 * What a blacklist index is: a blocked Bloom filter over the values of its
 * one key column (see blacklist_am.h for the layout).  It only
 * over-approximates: every value ever inserted into the table since the
 * index was built has its bits set, whatever became of the inserting
 * transaction, and bits are never cleared.  A "no" therefore holds for
 * every MVCC snapshot, command id, role and row-level-security policy; a
 * "maybe" must be confirmed by the caller.
 *
 * blacklist_may_contain: two paths
 * --------------------------------
 * 1. The shared path: hash the key, pin and share-lock the one filter page
 *    that holds its block, test the cache line, release.  Correct for any
 *    MVCC snapshot: a row visible to the snapshot was written by a
 *    transaction that completed before the snapshot was taken (its index
 *    insert, which set the bits under an exclusive buffer lock, came before
 *    its commit), or by this backend's own transaction before this call.
 *    Either way the bits are in the shared buffer when we look.
 *
 * 2. The backend-private copy of the whole filter, taken after enough
 *    probes, when it provably covers the caller's snapshot: the copy and
 *    the proof of that condition are in blacklist_copy.c.
 *    Both paths test a key with the same bit derivation (blacklist_slot,
 *    blacklist_filter_test in blacklist_am.h).  A caller probing many keys
 *    keeps a handle (src/blacklist.h): the hash's support function resolved
 *    once (the extension's own integer hashes computed inline) and the
 *    copy tested without opening the index (blacklist_copy.c).
 *
 * Non-MVCC snapshots (SnapshotSelf, SnapshotAny, dirty snapshots) and a
 * NULL snapshot always take the shared path, which covers every row whose
 * inserting command has finished.
 */
#include "postgres.h"

#include <math.h>

#include "access/amvalidate.h"
#include "access/htup_details.h"
#include "access/relation.h"
#include "access/table.h"
#include "access/reloptions.h"
#include "access/xlog.h"
#include "catalog/index.h"
#include "catalog/pg_amop.h"
#include "catalog/pg_amproc.h"
#include "catalog/pg_opclass.h"
#include "catalog/pg_type.h"
#include "commands/vacuum.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "optimizer/optimizer.h"
#include "parser/parse_coerce.h"
#include "port/pg_bitutils.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rls.h"
#include "utils/selfuncs.h"
#include "utils/syscache.h"

#include "blacklist.h"
#include "blacklist_am.h"
#include "ident_common.h"

static relopt_kind blacklist_relopt_kind;
static relopt_parse_elt blacklist_relopt_tab[2];

/*
 * integrity.blacklist_max_filter_size (kB): the largest blacklist index, its
 * metapage and filter pages, a build may write.  A role that may create an
 * index (any role with TEMP, on a temporary table) chooses its capacity and
 * bits per key; without a bound one CREATE INDEX could ask for 128 GiB of
 * pages.  The filter's size is a matter of disk, WAL, shared buffers and
 * build time, not of a backend's memory (the build stays within
 * maintenance_work_mem whatever the size), so the bound is a setting of its
 * own, and only a superuser (or a role granted SET on it) may change it.
 * 1 GB holds 710M keys at the default 12 bits per key, 133M at 64.
 */
#define BLACKLIST_MAX_FILTER_SIZE_DEFAULT	(1024 * 1024)	/* kB: 1 GB */
#define BLACKLIST_MAX_FILTER_SIZE_MAX		(1024 * 1024 * 1024)	/* kB: 1 TB */
int			blacklist_max_filter_size = BLACKLIST_MAX_FILTER_SIZE_DEFAULT;

/* ---------- handler ---------- */

PG_FUNCTION_INFO_V1(blacklist_handler);
Datum
blacklist_handler(PG_FUNCTION_ARGS)
{
	IndexAmRoutine *amroutine = makeNode(IndexAmRoutine);

	amroutine->amstrategies = BLACKLIST_NSTRATEGIES;
	amroutine->amsupport = BLACKLIST_NPROC;
	amroutine->amoptsprocnum = 0;
	amroutine->amcanorder = false;
	amroutine->amcanorderbyop = false;
	amroutine->amcanbackward = false;
	amroutine->amcanunique = false;
	amroutine->amcanmulticol = false;	/* only the key column is filtered */
	amroutine->amoptionalkey = false;
	amroutine->amsearcharray = false;
	amroutine->amsearchnulls = false;
	amroutine->amstorage = false;
	amroutine->amclusterable = false;
	amroutine->ampredlocks = false;
	amroutine->amcanparallel = false;
	amroutine->amcaninclude = false;
	amroutine->amusemaintenanceworkmem = false;
	amroutine->amparallelvacuumoptions = VACUUM_OPTION_NO_PARALLEL;
	amroutine->amkeytype = InvalidOid;

	amroutine->ambuild = blacklist_ambuild;
	amroutine->ambuildempty = blacklist_ambuildempty;
	amroutine->aminsert = blacklist_aminsert;
	amroutine->ambulkdelete = blacklist_bulkdelete;
	amroutine->amvacuumcleanup = blacklist_vacuumcleanup;
	amroutine->amcanreturn = NULL;
	amroutine->amcostestimate = blacklist_costestimate;
	amroutine->amoptions = blacklist_amoptions;
	amroutine->amproperty = NULL;
	amroutine->ambuildphasename = NULL;
	amroutine->amvalidate = blacklist_amvalidate;
	amroutine->amadjustmembers = NULL;
	amroutine->ambeginscan = blacklist_beginscan;
	amroutine->amrescan = blacklist_rescan;
	amroutine->amgettuple = NULL;	/* bitmap scans only */
	amroutine->amgetbitmap = blacklist_getbitmap;
	amroutine->amendscan = blacklist_endscan;
	amroutine->ammarkpos = NULL;
	amroutine->amrestrpos = NULL;
	amroutine->amestimateparallelscan = NULL;
	amroutine->aminitparallelscan = NULL;
	amroutine->amparallelrescan = NULL;

	PG_RETURN_POINTER(amroutine);
}

/* ---------- options ---------- */

/* called from _PG_init: the reloptions, the size bound, and the private
 * copies' invalidation hook */
void
blacklist_init(void)
{
	blacklist_relopt_kind = add_reloption_kind();
	add_int_reloption(blacklist_relopt_kind, "bits_per_key",
					  "Filter bits per expected key of a blacklist index",
					  BLACKLIST_DEFAULT_BITS_PER_KEY,
					  BLACKLIST_MIN_BITS_PER_KEY, BLACKLIST_MAX_BITS_PER_KEY,
					  AccessExclusiveLock);
	add_int_reloption(blacklist_relopt_kind, "capacity",
					  "Keys a blacklist index is sized for (0: the table's row count at build)",
					  0, 0, PG_INT32_MAX, AccessExclusiveLock);
	blacklist_relopt_tab[0].optname = "bits_per_key";
	blacklist_relopt_tab[0].opttype = RELOPT_TYPE_INT;
	blacklist_relopt_tab[0].offset = offsetof(BlacklistOptions, bits_per_key);
	blacklist_relopt_tab[1].optname = "capacity";
	blacklist_relopt_tab[1].opttype = RELOPT_TYPE_INT;
	blacklist_relopt_tab[1].offset = offsetof(BlacklistOptions, capacity);

	DefineCustomIntVariable("integrity.blacklist_max_filter_size",
							"Largest blacklist index (metapage and filter pages) a build may write.",
							"CREATE INDEX and REINDEX refuse a filter that would take more.",
							&blacklist_max_filter_size,
							BLACKLIST_MAX_FILTER_SIZE_DEFAULT,
							1024, BLACKLIST_MAX_FILTER_SIZE_MAX,
							PGC_SUSET, GUC_UNIT_KB,
							NULL, NULL, NULL);

	blacklist_copy_init();
}

bytea *
blacklist_amoptions(Datum reloptions, bool validate)
{
	return (bytea *) build_reloptions(reloptions, validate,
									  blacklist_relopt_kind,
									  sizeof(BlacklistOptions),
									  blacklist_relopt_tab,
									  lengthof(blacklist_relopt_tab));
}

BlacklistOptions *
blacklist_make_default_options(void)
{
	BlacklistOptions *opts = palloc0(sizeof(BlacklistOptions));

	SET_VARSIZE(opts, sizeof(BlacklistOptions));
	opts->bits_per_key = BLACKLIST_DEFAULT_BITS_PER_KEY;
	opts->capacity = 0;
	return opts;
}

/* ---------- validation ---------- */

bool
blacklist_amvalidate(Oid opclassoid)
{
	bool		result = true;
	HeapTuple	classtup;
	Form_pg_opclass classform;
	Oid			opfamilyoid;
	Oid			opcintype;
	char	   *opclassname;
	CatCList   *proclist,
			   *oprlist;
	bool		has_hash = false;
	int			i;

	classtup = SearchSysCache1(CLAOID, ObjectIdGetDatum(opclassoid));
	if (!HeapTupleIsValid(classtup))
		elog(ERROR, "cache lookup failed for operator class %u", opclassoid);
	classform = (Form_pg_opclass) GETSTRUCT(classtup);
	opfamilyoid = classform->opcfamily;
	opcintype = classform->opcintype;
	opclassname = NameStr(classform->opcname);

	proclist = SearchSysCacheList1(AMPROCNUM, ObjectIdGetDatum(opfamilyoid));
	oprlist = SearchSysCacheList1(AMOPSTRATEGY, ObjectIdGetDatum(opfamilyoid));

	for (i = 0; i < proclist->n_members; i++)
	{
		Form_pg_amproc procform = (Form_pg_amproc) GETSTRUCT(&proclist->members[i]->tuple);

		if (procform->amprocnum != BLACKLIST_HASH_PROC ||
			!check_amproc_signature(procform->amproc, INT8OID, false, 2, 2,
									procform->amproclefttype, INT8OID))
		{
			ereport(INFO,
					(errcode(ERRCODE_INVALID_OBJECT_DEFINITION),
					 errmsg("blacklist operator class \"%s\" has an invalid support function %d",
							opclassname, procform->amprocnum),
					 errdetail("The only support function is number 1, the seeded 64-bit hash: (type, bigint) returns bigint.")));
			result = false;
			continue;
		}
		if (procform->amproclefttype == opcintype)
			has_hash = true;
	}
	for (i = 0; i < oprlist->n_members; i++)
	{
		Form_pg_amop oprform = (Form_pg_amop) GETSTRUCT(&oprlist->members[i]->tuple);

		if (oprform->amopstrategy != BLACKLIST_EQUAL_STRATEGY ||
			oprform->amoppurpose != AMOP_SEARCH ||
			!check_amop_signature(oprform->amopopr, BOOLOID,
								  oprform->amoplefttype, oprform->amoprighttype))
		{
			ereport(INFO,
					(errcode(ERRCODE_INVALID_OBJECT_DEFINITION),
					 errmsg("blacklist operator class \"%s\" has an invalid operator %u at strategy %d",
							opclassname, oprform->amopopr, oprform->amopstrategy),
					 errdetail("Only the equality operator, at strategy 1 and for search, is supported.")));
			result = false;
		}
	}
	if (!has_hash)
	{
		ereport(INFO,
				(errcode(ERRCODE_INVALID_OBJECT_DEFINITION),
				 errmsg("blacklist operator class \"%s\" lacks support function 1",
						opclassname),
				 errdetail("Support function 1 is the seeded 64-bit hash of the key type: (type, bigint) returns bigint.")));
		result = false;
	}

	ReleaseCatCacheList(proclist);
	ReleaseCatCacheList(oprlist);
	ReleaseSysCache(classtup);
	return result;
}

/*
 * The key column must be a plain column with a deterministic collation
 * (the filter hashes bytes: two strings equal under a nondeterministic
 * collation could hash apart).  Called at build.
 */
void
blacklist_check_key_column(Relation index)
{
	Oid			coll = index->rd_indcollation[0];

	if (index->rd_index->indkey.values[0] == 0)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("a blacklist index must be on a plain column, not an expression")));
	if (!heap_attisnull(index->rd_indextuple, Anum_pg_index_indpred, NULL))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("a blacklist index cannot be partial"),
				 errdetail("A \"no\" from the filter must hold for every row of the table.")));
	if (OidIsValid(coll) && !get_collation_isdeterministic(coll))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("a blacklist index needs a deterministic collation"),
				 errhint("Index the column with COLLATE \"C\" or another deterministic collation.")));
}

/* ---------- cost estimate ---------- */

/*
 * The index itself costs one page, but when the filter says "maybe" the scan
 * hands every heap page to the bitmap heap scan as lossy, so its true cost
 * is the recheck of the whole table.  Charging that keeps the planner on a
 * btree (or a sequential scan) whenever there is one; the index is for
 * listed(), not for the planner.
 */
void
blacklist_costestimate(PlannerInfo *root, IndexPath *path, double loop_count,
					   Cost *indexStartupCost, Cost *indexTotalCost,
					   Selectivity *indexSelectivity, double *indexCorrelation,
					   double *indexPages)
{
	IndexOptInfo *index = path->indexinfo;
	GenericCosts costs;

	MemSet(&costs, 0, sizeof(costs));
	costs.numIndexTuples = 1;
	genericcostestimate(root, path, loop_count, &costs);

	*indexStartupCost = costs.indexStartupCost;
	*indexTotalCost = costs.indexTotalCost +
		index->rel->pages * seq_page_cost +
		index->rel->tuples * cpu_operator_cost;
	*indexSelectivity = costs.indexSelectivity;
	*indexCorrelation = 0;
	*indexPages = costs.numIndexPages;
}

/* ---------- layout and hashing ---------- */

/* `bytes` as pg_size_pretty writes it */
static char *
blacklist_size_pretty(int64 bytes)
{
	return text_to_cstring(DatumGetTextPP(DirectFunctionCall1(pg_size_pretty,
															  Int64GetDatum(bytes))));
}

/*
 * The layout of a filter sized for `capacity` keys at `bits_per_key`; an
 * error (54000) if the index `relname` would take more than
 * integrity.blacklist_max_filter_size.
 */
void
blacklist_layout(int64 capacity, int bits_per_key, const char *relname,
				 BlacklistMeta *meta)
{
	uint64		bits;
	uint64		nblocks;
	uint64		npages;
	int			k;

	if (capacity < BLACKLIST_MIN_CAPACITY)
		capacity = BLACKLIST_MIN_CAPACITY;
	bits = (uint64) capacity * (uint64) bits_per_key;
	nblocks = (bits + BLACKLIST_BLOCK_BITS - 1) / BLACKLIST_BLOCK_BITS;
	npages = (nblocks + BLACKLIST_BLOCKS_PER_PAGE - 1) / BLACKLIST_BLOCKS_PER_PAGE;
	/* use every block of the last page */
	nblocks = npages * BLACKLIST_BLOCKS_PER_PAGE;
	if (npages + 1 > (uint64) blacklist_max_filter_size / (BLCKSZ / 1024))
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("blacklist index \"%s\" would be larger than integrity.blacklist_max_filter_size",
						relname),
				 errdetail("A filter for %lld keys at %d bits per key takes %s; the limit is %s.",
						   (long long) capacity, bits_per_key,
						   blacklist_size_pretty((int64) (npages + 1) * BLCKSZ),
						   blacklist_size_pretty((int64) blacklist_max_filter_size * 1024)),
				 errhint("Lower the index's capacity or bits_per_key, or ask a superuser to raise integrity.blacklist_max_filter_size.")));

	/* optimal k = bits per key * ln 2, capped */
	k = (int) rint(bits_per_key * 0.6931471805599453);
	k = Max(1, Min(k, BLACKLIST_MAX_PROBES));

	memset(meta, 0, sizeof(*meta));
	meta->magic = BLACKLIST_MAGIC;
	meta->version = BLACKLIST_VERSION;
	meta->bits_per_key = bits_per_key;
	meta->nprobes = k;
	meta->blocks_per_page = BLACKLIST_BLOCKS_PER_PAGE;
	meta->npages = (uint32) npages;
	meta->nblocks = nblocks;
	meta->capacity = capacity;
	meta->built_entries = 0;
	meta->stamp = 0;
}

/* the key's 64-bit hash: support function 1 with seed 0 */
uint64
blacklist_key_hash(Relation index, Datum key)
{
	FmgrInfo   *proc = index_getprocinfo(index, 1, BLACKLIST_HASH_PROC);

	return (uint64) DatumGetInt64(FunctionCall2Coll(proc, index->rd_indcollation[0],
													key, Int64GetDatum(0)));
}

/*
 * The 64-bit hash of a key of type `keytype`: the index's own support
 * function if the type is (binary coercible to) the key column's, else the
 * support function the operator family registers for that type (the
 * cross-type members, e.g. integer and smallint keys of int8_ops, hash
 * equal values alike).  False if the family has none.
 */
bool
blacklist_key_hash_typed(Relation index, Oid keytype, Datum key, uint64 *hash)
{
	Oid			proc;

	if (!OidIsValid(keytype) || keytype == index->rd_opcintype[0] ||
		IsBinaryCoercible(keytype, index->rd_opcintype[0]))
	{
		*hash = blacklist_key_hash(index, key);
		return true;
	}
	proc = get_opfamily_proc(index->rd_opfamily[0], keytype, keytype, BLACKLIST_HASH_PROC);
	if (!OidIsValid(proc))
		return false;
	*hash = (uint64) DatumGetInt64(OidFunctionCall2Coll(proc, index->rd_indcollation[0],
														key, Int64GetDatum(0)));
	return true;
}

void
blacklist_slot(const BlacklistMeta *meta, uint64 hash, BlacklistSlot *slot)
{
	BlacklistBits b;
	int			i;

	slot->block = blacklist_block_of(meta, hash);
	blacklist_bits_start(&b, hash);
	for (i = 0; i < (int) meta->nprobes; i++)
		slot->bit[i] = (uint16) blacklist_bits_next(&b);
}

/*
 * A key's bits as a mask of eight 64-bit words; bit b of a block is bit
 * b % 64 of its word b / 64 (native byte order: index pages are not
 * portable between byte orders anyway; the hash values are).  Word-wise
 * and branch-free: the build and inserts set bits of unpredictable keys.
 */
static inline void
blacklist_mask(const BlacklistSlot *slot, int nprobes, uint64 *mask)
{
	int			i;

	memset(mask, 0, sizeof(uint64) * (BLACKLIST_BLOCK_BYTES / 8));
	for (i = 0; i < nprobes; i++)
		mask[slot->bit[i] >> 6] |= UINT64CONST(1) << (slot->bit[i] & 63);
}

bool
blacklist_block_test(const uint8 *block, const BlacklistSlot *slot, int nprobes)
{
	uint64		mask[BLACKLIST_BLOCK_BYTES / 8];
	uint64		miss = 0;
	int			j;

	blacklist_mask(slot, nprobes, mask);
	for (j = 0; j < BLACKLIST_BLOCK_BYTES / 8; j++)
	{
		uint64		w;

		memcpy(&w, block + j * 8, 8);
		miss |= mask[j] & ~w;
	}
	return miss == 0;
}

/* sets the key's bits; true if any was not set before */
bool
blacklist_block_set(uint8 *block, const BlacklistSlot *slot, int nprobes)
{
	uint64		mask[BLACKLIST_BLOCK_BYTES / 8];
	uint64		miss = 0;
	int			j;

	blacklist_mask(slot, nprobes, mask);
	for (j = 0; j < BLACKLIST_BLOCK_BYTES / 8; j++)
	{
		uint64		w;

		memcpy(&w, block + j * 8, 8);
		miss |= mask[j] & ~w;
		w |= mask[j];
		memcpy(block + j * 8, &w, 8);
	}
	return miss != 0;
}

/*
 * The expected false-positive rate of a blocked filter holding `entries`
 * keys: the keys per block are Poisson(entries / nblocks); a block holding
 * j keys has about 1 - (1 - 1/512)^(j k) of its bits set.
 */
double
blacklist_fpr_estimate(const BlacklistMeta *meta, int64 entries)
{
	double		lambda = (double) entries / (double) meta->nblocks;
	double		k = meta->nprobes;
	double		sd = sqrt(lambda);
	double		lo = floor(Max(0.0, lambda - 12 * sd - 30));
	double		hi = ceil(lambda + 12 * sd + 30);
	double		sum = 0;
	double		j;

	if (entries <= 0)
		return 0.0;
	for (j = lo; j <= hi; j += 1)
	{
		double		logp = -lambda + j * log(lambda) - lgamma(j + 1);
		double		fill = 1.0 - pow(1.0 - 1.0 / BLACKLIST_BLOCK_BITS, j * k);

		sum += exp(logp) * pow(fill, k);
	}
	return Min(sum, 1.0);
}

/* ---------- pages ---------- */

void
blacklist_init_metapage(Page page, const BlacklistMeta *meta)
{
	PageInit(page, BLCKSZ, 0);
	memcpy(BlacklistPageGetMeta(page), meta, sizeof(BlacklistMeta));
	((PageHeader) page)->pd_lower = ((char *) BlacklistPageGetMeta(page) + sizeof(BlacklistMeta)) - (char *) page;
}

void
blacklist_init_filter_page(Page page, const BlacklistMeta *meta)
{
	BlacklistPageHead *head;

	PageInit(page, BLCKSZ, 0);
	head = BlacklistPageGetHead(page);
	head->stamp = meta->stamp;
	head->entries = 0;
	((PageHeader) page)->pd_lower = BLACKLIST_FILTER_END(meta->blocks_per_page);
}

/*
 * The metapage, cached in rd_amcache (freed by the relcache at any
 * invalidation of the index; a build or truncation that keeps the
 * relfilenode is caught by the stamp on every filter page).
 */
const BlacklistMeta *
blacklist_get_meta(Relation index)
{
	Buffer		buf;
	Page		page;
	BlacklistMeta *meta;

	if (index->rd_amcache != NULL)
		return (const BlacklistMeta *) index->rd_amcache;

	buf = ReadBuffer(index, BLACKLIST_METAPAGE_BLKNO);
	LockBuffer(buf, BUFFER_LOCK_SHARE);
	page = BufferGetPage(buf);
	meta = MemoryContextAlloc(index->rd_indexcxt, sizeof(BlacklistMeta));
	memcpy(meta, BlacklistPageGetMeta(page), sizeof(BlacklistMeta));
	UnlockReleaseBuffer(buf);

	if (meta->magic != BLACKLIST_MAGIC || meta->version != BLACKLIST_VERSION ||
		meta->nblocks == 0 ||
		meta->blocks_per_page == 0 ||
		meta->blocks_per_page > BLACKLIST_MAX_BLOCKS_PER_PAGE ||
		meta->nblocks != (uint64) meta->npages * meta->blocks_per_page)
		ereport(ERROR,
				(errcode(ERRCODE_INDEX_CORRUPTED),
				 errmsg("index \"%s\" is not a valid blacklist index",
						RelationGetRelationName(index)),
				 errhint("REINDEX it.")));
	index->rd_amcache = meta;
	return meta;
}

static void
blacklist_stale_meta(Relation index, bool retried)
{
	if (retried)
		ereport(ERROR,
				(errcode(ERRCODE_INDEX_CORRUPTED),
				 errmsg("blacklist index \"%s\" has a filter page of another build",
						RelationGetRelationName(index)),
				 errhint("REINDEX it.")));
	if (index->rd_amcache)
		pfree(index->rd_amcache);
	index->rd_amcache = NULL;
	/* a build that kept the relfilenode: handles look for their copy again */
	blacklist_copy_forget_handles();
}

/* the shared path: one filter page through shared buffers */
static bool
blacklist_shared_test(Relation index, uint64 hash)
{
	bool		retried = false;

	for (;;)
	{
		const BlacklistMeta *meta = blacklist_get_meta(index);
		BlacklistSlot slot;
		Buffer		buf;
		Page		page;
		bool		result;
		uint64		stamp;

		blacklist_slot(meta, hash, &slot);
		buf = ReadBuffer(index, (BlockNumber) (1 + slot.block / meta->blocks_per_page));
		LockBuffer(buf, BUFFER_LOCK_SHARE);
		page = BufferGetPage(buf);
		stamp = BlacklistPageGetHead(page)->stamp;
		result = blacklist_block_test(BlacklistPageBlock(page, slot.block % meta->blocks_per_page),
									  &slot, meta->nprobes);
		UnlockReleaseBuffer(buf);
		if (stamp == meta->stamp)
			return result;
		blacklist_stale_meta(index, retried);
		retried = true;
	}
}

bool
blacklist_index_is(Relation index)
{
	return index != NULL &&
		index->rd_rel->relkind == RELKIND_INDEX &&
		index->rd_indam != NULL &&
		index->rd_indam->ambuild == blacklist_ambuild;
}

bool
blacklist_may_contain(Relation index, Datum key, Snapshot snapshot)
{
	return blacklist_may_contain_hash(index, blacklist_key_hash(index, key), snapshot);
}

/*
 * blacklist_may_contain for a key already hashed (blacklist_key_hash_typed):
 * the backend's private copy when it covers the snapshot
 * (blacklist_copy.c), else the shared page.
 */
bool
blacklist_may_contain_hash(Relation index, uint64 hash, Snapshot snapshot)
{
	const BlacklistMeta *meta = blacklist_get_meta(index);
	const uint8 *filter = blacklist_copy_filter(index, meta, snapshot);

	if (filter)
		return blacklist_hash_test(meta, hash, filter);
	return blacklist_shared_test(index, hash);
}

/*
 * blacklist_may_contain_hash for a batch of hashes (the screening scan,
 * src/listed_scan.c): the private copy is asked once for the whole batch
 * (and counts it as that many probes), the blocks of the keys are
 * prefetched BLACKLIST_BATCH_PREFETCH keys ahead of the test, and each test
 * reads every bit of the key without a branch per bit (no early exit, no
 * mask on the stack).
 */
#define BLACKLIST_BATCH_PREFETCH 16

void
blacklist_may_contain_batch(Relation index, const uint64 *hash, int n,
							Snapshot snapshot, bool *maybe)
{
	const BlacklistMeta *meta = blacklist_get_meta(index);
	const uint8 *filter;
	int			i;

	if (n <= 0)
		return;
	filter = blacklist_copy_filter_n(index, meta, snapshot, (uint64) n);
	if (filter == NULL)
	{
		for (i = 0; i < n; i++)
			maybe[i] = blacklist_shared_test(index, hash[i]);
		return;
	}
	/* a window of prefetches ahead of the test (as many as the core keeps in flight) */
	for (i = 0; i < Min(n, BLACKLIST_BATCH_PREFETCH); i++)
		__builtin_prefetch(filter + blacklist_block_of(meta, hash[i]) * BLACKLIST_BLOCK_BYTES);
	for (i = 0; i < n; i++)
	{
		if (i + BLACKLIST_BATCH_PREFETCH < n)
			__builtin_prefetch(filter + blacklist_block_of(meta, hash[i + BLACKLIST_BATCH_PREFETCH]) *
							   BLACKLIST_BLOCK_BYTES);
		maybe[i] = blacklist_hash_test(meta, hash[i], filter);
	}
}

/* ---------- statistics ---------- */

/*
 * Sum of the filter pages' entry counts, and the measured FPR.  Every page
 * checks for interrupts; for VACUUM (`vacuum`) through its cost-based delay,
 * reading through its buffer access strategy.
 */
static void
blacklist_scan_stats(Relation index, const BlacklistMeta *meta,
					 bool vacuum, BufferAccessStrategy strategy,
					 int64 *entries, double *measured_fpr, double *fill)
{
	int64		n = 0;
	double		fpr = 0;
	uint64		bits = 0;
	BlockNumber p;

	for (p = 0; p < meta->npages; p++)
	{
		Buffer		buf;
		Page		page;
		int			i;

		if (vacuum)
			vacuum_delay_point();	/* checks for interrupts too */
		else
			CHECK_FOR_INTERRUPTS();
		buf = ReadBufferExtended(index, MAIN_FORKNUM, p + 1, RBM_NORMAL, strategy);
		LockBuffer(buf, BUFFER_LOCK_SHARE);
		page = BufferGetPage(buf);
		n += BlacklistPageGetHead(page)->entries;
		if (measured_fpr)
		{
			for (i = 0; i < (int) meta->blocks_per_page; i++)
			{
				uint64		c = pg_popcount((const char *) BlacklistPageBlock(page, i),
											BLACKLIST_BLOCK_BYTES);

				bits += c;
				fpr += pow((double) c / BLACKLIST_BLOCK_BITS, meta->nprobes);
			}
		}
		UnlockReleaseBuffer(buf);
	}
	*entries = n;
	if (measured_fpr)
	{
		*measured_fpr = fpr / (double) meta->nblocks;
		*fill = (double) bits / ((double) meta->nblocks * BLACKLIST_BLOCK_BITS);
	}
}

void
blacklist_stats(Relation index, BufferAccessStrategy strategy,
				int64 *capacity, int64 *inserted, double *fpr)
{
	const BlacklistMeta *meta = blacklist_get_meta(index);
	int64		n;

	blacklist_scan_stats(index, meta, true, strategy, &n, NULL, NULL);
	*capacity = meta->capacity;
	*inserted = n;
	*fpr = blacklist_fpr_estimate(meta, n);
}

/* ---------- SQL-callable functions ---------- */

/* the integer hash of int8_ops and cnid_ops: portable, no fmgr */
#define blacklist_int64_hash(v, seed) ident_hash64((v), (seed))

/*
 * Support function 1 of int8_ops: the same integer mix as cnid's extended
 * hash (ident_mix64 of the value XOR the spread seed): portable.
 */
PG_FUNCTION_INFO_V1(blacklist_int8_hash);
Datum
blacklist_int8_hash(PG_FUNCTION_ARGS)
{
	uint64		v = (uint64) PG_GETARG_INT64(0);

	PG_RETURN_INT64((int64) blacklist_int64_hash(v, PG_GETARG_INT64(1)));
}

/* integer and smallint keys of int8_ops: the hash of the same bigint */
PG_FUNCTION_INFO_V1(blacklist_int4_hash);
Datum
blacklist_int4_hash(PG_FUNCTION_ARGS)
{
	uint64		v = (uint64) (int64) PG_GETARG_INT32(0);

	PG_RETURN_INT64((int64) blacklist_int64_hash(v, PG_GETARG_INT64(1)));
}

PG_FUNCTION_INFO_V1(blacklist_int2_hash);
Datum
blacklist_int2_hash(PG_FUNCTION_ARGS)
{
	uint64		v = (uint64) (int64) PG_GETARG_INT16(0);

	PG_RETURN_INT64((int64) blacklist_int64_hash(v, PG_GETARG_INT64(1)));
}

/* ---------- handles (src/blacklist.h) ---------- */

/* how a handle hashes keys */
#define BLACKLIST_HASH_FMGR		0	/* through the support function's FmgrInfo */
#define BLACKLIST_HASH_INT64	1	/* blacklist_int64_hash(value, 0) */

/*
 * Support function 1 of cnid_ops (src/cnid.c): the same integer mix as
 * blacklist_int8_hash, on the by-value 64-bit body.
 */
extern PGDLLEXPORT Datum cnid_hash_extended(PG_FUNCTION_ARGS);

void
blacklist_handle_init(BlacklistHandle *h, Relation index, MemoryContext mcxt)
{
	FmgrInfo   *proc = index_getprocinfo(index, 1, BLACKLIST_HASH_PROC);

	memset(h, 0, sizeof(BlacklistHandle));
	h->indexoid = RelationGetRelid(index);
	fmgr_info_copy(&h->hashproc, proc, mcxt);
	h->collation = index->rd_indcollation[0];
	/*
	 * Our own integer hashes, called with seed 0 on a by-value int64 key
	 * (cnid, bigint and domains over them: the key column's own type):
	 * the same function without the call.
	 */
	h->hashkind = BLACKLIST_HASH_FMGR;
	if (proc->fn_addr == cnid_hash_extended || proc->fn_addr == blacklist_int8_hash)
	{
		/* the inline hash stands in only where it gives the same values */
		Datum		probe = Int64GetDatum(INT64CONST(0x0123456789abcdef));

		if ((uint64) DatumGetInt64(FunctionCall2Coll(proc, h->collation, probe,
													 Int64GetDatum(0))) ==
			blacklist_int64_hash((uint64) DatumGetInt64(probe), 0))
			h->hashkind = BLACKLIST_HASH_INT64;
	}
	blacklist_handle_refresh(h, index);
}

uint64
blacklist_handle_hash(const BlacklistHandle *h, Datum key)
{
	if (h->hashkind == BLACKLIST_HASH_INT64)
		return blacklist_int64_hash((uint64) DatumGetInt64(key), 0);
	return (uint64) DatumGetInt64(FunctionCall2Coll((FmgrInfo *) &h->hashproc,
													h->collation, key,
													Int64GetDatum(0)));
}

/*
 * Support function 1 of text_ops: a portable 64-bit hash of the bytes.  The
 * bytes are read eight at a time as a little-endian integer assembled byte
 * by byte (never by a word load), each word folded in with ident_mix64, so
 * the value depends neither on the machine's byte order nor on PostgreSQL's
 * hash_bytes.
 */
PG_FUNCTION_INFO_V1(blacklist_text_hash);
Datum
blacklist_text_hash(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);
	const uint8 *p = (const uint8 *) VARDATA_ANY(t);
	Size		len = VARSIZE_ANY_EXHDR(t);
	uint64		h = ident_seed(PG_GETARG_INT64(1)) ^ ((uint64) len * UINT64CONST(0x9e3779b97f4a7c15));
	Size		i = 0;

	while (i < len)
	{
		uint64		w = 0;
		int			n = (len - i >= 8) ? 8 : (int) (len - i);
		int			b;

		for (b = n - 1; b >= 0; b--)
			w = (w << 8) | p[i + b];
		h = ident_mix64(h ^ w) + UINT64CONST(0x632be59bd9b4e019);
		i += n;
	}
	PG_FREE_IF_COPY(t, 0);
	PG_RETURN_INT64((int64) ident_mix64(h ^ len));
}

/* open a blacklist index and its table for a diagnostic function */
static Relation
blacklist_open_for_sql(Oid indexoid, Relation *heap)
{
	Oid			heapoid = IndexGetRelation(indexoid, true);
	Relation	index;
	AclResult	aclresult;

	if (!OidIsValid(heapoid))
	{
		char	   *name = get_rel_name(indexoid);

		/* as listed() says of a missing list: 42P01, not 42809 */
		if (name == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_TABLE),
					 errmsg("relation with OID %u does not exist", indexoid)));
		ereport(ERROR,
				(errcode(ERRCODE_WRONG_OBJECT_TYPE),
				 errmsg("\"%s\" is not an index", name)));
	}
	*heap = table_open(heapoid, AccessShareLock);
	listed_check_schema_usage(heapoid);
	aclresult = pg_class_aclcheck(heapoid, GetUserId(), ACL_SELECT);
	if (aclresult != ACLCHECK_OK)
		aclcheck_error(aclresult, get_relkind_objtype((*heap)->rd_rel->relkind),
					   RelationGetRelationName(*heap));
	/*
	 * The filter knows the keys of every row, also of rows a row-level
	 * security policy hides from this user: a "maybe" would tell them apart
	 * from absent keys.  listed() confirms under the policy; the diagnostic
	 * refuses.
	 */
	if (check_enable_rls(heapoid, InvalidOid, true) == RLS_ENABLED)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("row-level security is enabled on \"%s\" for this user",
						RelationGetRelationName(*heap)),
				 errdetail("The filter of a blacklist index covers every row, also those a policy hides."),
				 errhint("Use listed(), which answers under the policy.")));
	index = index_open(indexoid, AccessShareLock);
	if (index->rd_rel->relkind == RELKIND_PARTITIONED_INDEX &&
		index->rd_indam != NULL && index->rd_indam->ambuild == blacklist_ambuild)
		ereport(ERROR,
				(errcode(ERRCODE_WRONG_OBJECT_TYPE),
				 errmsg("\"%s\" is a partitioned blacklist index", RelationGetRelationName(index)),
				 errdetail("A partitioned index has no filter of its own."),
				 errhint("Probe the blacklist index of each partition.")));
	if (!blacklist_index_is(index))
		ereport(ERROR,
				(errcode(ERRCODE_WRONG_OBJECT_TYPE),
				 errmsg("\"%s\" is not a blacklist index", RelationGetRelationName(index))));
	blacklist_check_recovery_access(indexoid);
	return index;
}

void
blacklist_check_recovery_access(Oid relid)
{
	HeapTuple	tp;
	char		relpersistence;

	if (!RecoveryInProgress())
		return;
	tp = SearchSysCache1(RELOID, ObjectIdGetDatum(relid));
	if (!HeapTupleIsValid(tp))
		return;					/* the caller reports a missing relation */
	relpersistence = ((Form_pg_class) GETSTRUCT(tp))->relpersistence;
	ReleaseSysCache(tp);
	/* the words and code of get_relation_info (plancat.c) */
	if (relpersistence != RELPERSISTENCE_PERMANENT)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("cannot access temporary or unlogged relations during recovery")));
}

/*
 * blacklist_probe(index regclass, key anyelement) → boolean: the filter's
 * answer for `key` under the statement's snapshot (false = certainly not in
 * the table; true = maybe).  A diagnostic and a test hook.
 */
PG_FUNCTION_INFO_V1(blacklist_probe);
Datum
blacklist_probe(PG_FUNCTION_ARGS)
{
	Oid			indexoid = PG_GETARG_OID(0);
	Oid			keytype = get_fn_expr_argtype(fcinfo->flinfo, 1);
	Relation	heap;
	Relation	index = blacklist_open_for_sql(indexoid, &heap);
	bool		result;
	uint64		hash;

	if (!blacklist_key_hash_typed(index, keytype, PG_GETARG_DATUM(1), &hash))
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("blacklist index \"%s\" holds keys of type %s, not %s",
						RelationGetRelationName(index),
						format_type_be(index->rd_opcintype[0]),
						format_type_be(keytype))));
	result = blacklist_may_contain_hash(index, hash,
										ActiveSnapshotSet() ? GetActiveSnapshot() : NULL);
	index_close(index, NoLock);
	table_close(heap, NoLock);
	PG_RETURN_BOOL(result);
}

/* blacklist_index_stats(regclass): the filter's size, fill and error rate */
PG_FUNCTION_INFO_V1(blacklist_index_stats);
Datum
blacklist_index_stats(PG_FUNCTION_ARGS)
{
	Relation	heap;
	Relation	index = blacklist_open_for_sql(PG_GETARG_OID(0), &heap);
	const BlacklistMeta *meta = blacklist_get_meta(index);
	TupleDesc	tupdesc;
	Datum		values[10];
	bool		nulls[10] = {0};
	int64		entries;
	double		measured,
				fill;

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	blacklist_scan_stats(index, meta, false, NULL, &entries, &measured, &fill);

	values[0] = Int64GetDatum(meta->capacity);
	values[1] = Int64GetDatum(entries);
	values[2] = Int32GetDatum((int32) meta->bits_per_key);
	values[3] = Int32GetDatum((int32) meta->nprobes);
	values[4] = Int64GetDatum((int64) meta->npages + 1);
	values[5] = Int64GetDatum((int64) (meta->npages + 1) * BLCKSZ);
	values[6] = Float8GetDatum(fill);
	values[7] = Float8GetDatum(blacklist_fpr_estimate(meta, entries));
	values[8] = Float8GetDatum(measured);
	values[9] = BoolGetDatum(blacklist_has_copy(index));

	index_close(index, NoLock);
	table_close(heap, NoLock);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}
