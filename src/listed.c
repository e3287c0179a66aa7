/*
 * listed.c — blacklist screening.
 *
 * A subject (a resident identity number `cnid`, a unified social credit code
 * `uscc`, a bigint staff id or any text key) is "listed" on a list when the
 * list — any table or view the caller can read, whose first column holds the
 * subject — has a row for it, and, for the dated form, when that row's second
 * column (a daterange of validity, NULL bounds open) contains the given date.
 *
 * Backs the SQL functions
 *     listed(subject, list regclass) → boolean
 *     listed(subject, list regclass, at date) → boolean
 *     listed_last_build() → record     (diagnostics of the last in-memory build)
 * and the settings integrity.listed_build_threshold and
 * integrity.listed_max_memory.
 *
 * Contract: the answer is exactly what
 *     EXISTS (SELECT 1 FROM list l WHERE l.first = subject [AND l.second @> at])
 * says in the calling statement.  The list is read under the statement's
 * active snapshot, through SPI as the current user, so privileges (42501) and
 * row-level security apply exactly as they would to the EXISTS.  Only where
 * that makes no difference — a plain permanent table without inheritance
 * children, no row-level security for this user, SELECT granted — are its
 * btree index and heap read directly, which is what the executor would do.
 *
 * How it is fast.  The first calls of a statement probe the list: its btree
 * index directly, or a prepared generic plan "... WHERE first = $1 LIMIT 1".  Once the calls made so far cost more than building an
 * in-memory index would (estimated from the two plans' costs, see
 * build_threshold()), the whole list is read once, under the same snapshot,
 * into a compact in-memory index, and every further call of the statement is
 * answered from memory:
 *
 *   - a register-blocked Bloom filter (one 64-bit word per probe, ~12 bits per
 *     key, a few per cent false positives) sits in front, so most misses touch
 *     only a cache-resident array;
 *   - behind it an open-addressing, linear-probing hash table (load <= 0.7,
 *     table size not a power of two: slots are chosen by multiply-shift).  For
 *     8-byte by-value keys (bigint, cnid) the slots are the keys themselves
 *     (about 13 bytes per entry with the filter); other keys (text, uscc) have
 *     8-byte slots (hash tag + entry number) pointing into an arena;
 *   - for the dated form every distinct key heads a chain of closed integer
 *     day intervals [lo, hi] (open bounds become the extreme dates).
 *
 * Snapshot keying.  State lives in fn_extra, which normally dies with the
 * statement, but plpgsql keeps simple-expression states across statements of
 * a transaction.  So the per-list state is keyed on the active snapshot's
 * full contents (xmin, xmax, the in-progress xid arrays, the command id), the
 * local transaction id, the number of subtransactions rolled back so far (a
 * rollback undoes changes without changing the snapshot), the current user
 * and row_security: when any of these changes the call counter restarts and
 * the in-memory index is thrown away.
 * Two snapshots with identical contents see identical rows, so an index is
 * only ever reused where the EXISTS would see exactly the same list.
 *
 * The prepared plans themselves are kept per backend, per (list, subject
 * type, form), and dropped when the list's relcache entry is invalidated
 * (rename, ALTER, DROP, new policies, ANALYZE).
 */
#include "postgres.h"

#include <limits.h>
#include <sys/mman.h>

#include "access/genam.h"
#include "access/htup_details.h"
#include "access/parallel.h"
#include "access/relation.h"
#include "access/relscan.h"
#include "access/stratnum.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "catalog/pg_am.h"
#include "catalog/pg_inherits.h"
#include "executor/tuptable.h"
#include "utils/acl.h"
#include "catalog/pg_attribute.h"
#include "catalog/pg_class.h"
#include "catalog/pg_operator.h"
#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "lib/ilist.h"
#include "miscadmin.h"
#include "nodes/nodeFuncs.h"
#include "nodes/plannodes.h"
#include "portability/instr_time.h"
#include "rewrite/rewriteHandler.h"
#include "storage/lmgr.h"
#include "storage/proc.h"
#include "tcop/dest.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/date.h"
#include "utils/guc.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/plancache.h"
#include "utils/rangetypes.h"
#include "utils/resowner.h"
#include "utils/rls.h"
#include "utils/snapmgr.h"
#include "utils/syscache.h"
#include "utils/typcache.h"

PG_FUNCTION_INFO_V1(listed);
PG_FUNCTION_INFO_V1(listed_at);
PG_FUNCTION_INFO_V1(listed_last_build);

void		listed_init(void);

/* ------------------------------------------------------------------------
 * Settings
 * ------------------------------------------------------------------------
 */

/* -1: decide from plan costs; 0: build at the first call; N: after N calls */
static int	listed_build_threshold = -1;

/* upper bound of one in-memory index, in kB (beyond it: keep probing) */
static int	listed_max_memory = 1024 * 1024;

static bool gucs_defined = false;

/*
 * Define the settings.  Called from the module's _PG_init when there is one
 * that knows about us, and lazily at the first call otherwise.
 */
void
listed_init(void)
{
	if (gucs_defined)
		return;
	gucs_defined = true;
	DefineCustomIntVariable("integrity.listed_build_threshold",
							"Calls of listed() in one statement after which the list is loaded into memory.",
							"-1 decides from the estimated costs of probing and of loading the list; "
							"0 loads at the first call; a large value keeps probing the list's index.",
							&listed_build_threshold,
							-1, -1, INT_MAX,
							PGC_USERSET, 0,
							NULL, NULL, NULL);
	DefineCustomIntVariable("integrity.listed_max_memory",
							"Largest in-memory index listed() builds for one list.",
							"Larger lists are screened by probing the list's index.",
							&listed_max_memory,
							1024 * 1024, 64, MAX_KILOBYTES,
							PGC_USERSET, GUC_UNIT_KB,
							NULL, NULL, NULL);
}

/* ------------------------------------------------------------------------
 * Cost model for the switch from probing to building (nanoseconds).
 * Calibrated on the bench machine; only the ratio matters.
 * ------------------------------------------------------------------------
 */
#define PROBE_OVERHEAD_NS	7000.0	/* an SPI probe: executor start/end */
#define DIRECT_PROBE_NS		1500.0	/* a direct btree probe */
#define INDEX_PROBE_MAX_COST 50.0	/* plans cheaper than this are index probes */
#define BUILD_OVERHEAD_NS	200000.0	/* allocate, start the scan */
#define COST_UNIT_NS		3000.0	/* one planner cost unit, cached data */
#define BUILD_ROW_NS		120.0	/* reading (SPI), hashing, inserting one row */
#define DIRECT_BUILD_ROW_NS	50.0	/* the same from a direct heap scan */

/* ------------------------------------------------------------------------
 * Data structures
 * ------------------------------------------------------------------------
 */

typedef enum KeyKind
{
	KEY_INT8,					/* 8-byte by-value, equality = bit equality */
	KEY_FIXED,					/* fixed-length by reference, memcmp equality */
	KEY_TEXT,					/* text/varchar, deterministic collation */
	KEY_GENERIC					/* hash/eq support of the type + collation */
} KeyKind;

/* Backend-wide: prepared plans and validated metadata of one list. */
typedef struct ListPlans
{
	struct ListPlans *next;
	Oid			relid;
	Oid			subjtype;
	bool		dated;
	bool		valid;			/* cleared by relcache invalidation */
	SPIPlanPtr	probe;
	SPIPlanPtr	build;
	KeyKind		kind;
	Oid			keycoll;
	bool		can_build;		/* false if the type has no hash support */
	TypeCacheEntry *tce;		/* KEY_GENERIC */
	int16		typlen;
	AttrNumber	keyattno;		/* attnums of the two columns in the list */
	AttrNumber	rangeattno;
	/* direct access (plain tables with a suitable btree index) */
	bool		is_table;		/* a plain heap table */
	Oid			indexoid;		/* btree index on the key, or InvalidOid */
	bool		indcheckxmin;	/* built over broken HOT chains: ... */
	TransactionId indxmin;		/* ... usable only by snapshots newer than this */
	RegProcedure eqproc;		/* the equality operator's function */
	Oid			indcoll;
} ListPlans;

static ListPlans *all_plans = NULL;
static bool relcache_cb_registered = false;

/*
 * Subtransactions aborted in this backend.  A rolled-back subtransaction
 * takes its changes with it without changing the snapshot's contents or the
 * command id, so the statement key includes this counter.
 */
static uint64 subxact_aborts = 0;
static bool subxact_cb_registered = false;

/* A closed interval of days; chained per key. */
typedef struct DayRange
{
	int32		lo;
	int32		hi;
	int32		next;			/* index of next range of the key, -1 ends */
} DayRange;

typedef struct Slot
{
	uint32		tag;			/* high bits of the hash */
	uint32		ent;			/* entry number + 1; 0 = empty */
} Slot;

/* An in-memory index of one list under one snapshot. */
typedef struct MemIndex
{
	KeyKind		kind;
	bool		dated;
	uint64		rows;			/* rows read */
	uint64		keys;			/* distinct keys */
	Size		bytes;			/* memory of the structures below */

	uint64	   *bloom;
	uint32		bloom_words;

	uint32		nslots;
	/* KEY_INT8 */
	int64	   *ikeys;			/* 0 = empty */
	bool		has_zero;
	int32		zero_head;
	int32	   *slot_head;		/* dated: per slot (KEY_INT8) */
	/* other kinds */
	Slot	   *slots;
	Datum	   *ents;			/* entry -> key (arena pointer / datum) */
	int32	   *ent_head;		/* dated: per entry */

	DayRange   *ranges;
} MemIndex;

/* The snapshot (and context) a statement sees. */
typedef struct StmtKey
{
	LocalTransactionId lxid;
	uint64		subaborts;		/* subtransactions aborted so far */
	Oid			userid;
	bool		rowsec;
	TransactionId xmin;
	TransactionId xmax;
	CommandId	curcid;
	uint32		xcnt;
	int32		subxcnt;
	bool		suboverflowed;
	bool		recovery;
	TransactionId *xip;
	TransactionId *subxip;
	uint32		xip_cap;
	int32		subxip_cap;
} StmtKey;

/* Per call site and list. */
typedef struct ListState
{
	Oid			relid;
	ListPlans  *plans;
	bool		have_key;
	StmtKey		key;
	uint64		calls;
	uint64		threshold;
	bool		no_build;		/* a build was refused in this statement */
	bool		direct;			/* read the heap/index directly this statement */
	bool		use_index;		/* ... and probe its btree index */
	MemIndex   *index;
	MemoryContext idxcxt;		/* holds index; NULL between transactions */
} ListState;

/* Per call site (fn_extra). */
typedef struct CallSite
{
	Oid			subjtype;
	bool		dated;
	int16		typlen;
	bool		typbyval;
	int			nlists;
	int			maxlists;
	ListState **lists;
	ListState  *last;
	MemoryContext mcxt;
	dlist_node	node;			/* in live_sites while mcxt lives */
	MemoryContextCallback on_reset;
} CallSite;

/*
 * Every call site whose memory context is alive.  Expression states may
 * outlive the transaction that built an index (a DO block or procedure that
 * commits keeps its first transaction's states until it ends): at the end
 * of every transaction the indexes are freed.  A site leaves the list when
 * its context is reset or deleted.
 */
static dlist_head live_sites = DLIST_STATIC_INIT(live_sites);
static bool xact_cb_registered = false;

/* Diagnostics of the last build in this backend. */
static struct
{
	Oid			relid;
	uint64		rows;
	uint64		keys;
	Size		bytes;
	double		build_ms;
	uint64		calls_before;
	uint64		threshold;
	bool		valid;
}			last_build;

/* ------------------------------------------------------------------------
 * Hashing
 * ------------------------------------------------------------------------
 */

static inline uint64
mix64(uint64 x)
{
	x ^= x >> 33;
	x *= UINT64CONST(0xff51afd7ed558ccd);
	x ^= x >> 33;
	x *= UINT64CONST(0xc4ceb9fe1a85ec53);
	x ^= x >> 33;
	return x;
}

static inline uint32
reduce32(uint32 h, uint32 n)
{
	return (uint32) (((uint64) h * (uint64) n) >> 32);
}

static inline uint64
bloom_mask(uint64 h)
{
	uint64		g = h * UINT64CONST(0x9e3779b97f4a7c15);

	return (UINT64CONST(1) << (g >> 58)) |
		(UINT64CONST(1) << ((g >> 52) & 63)) |
		(UINT64CONST(1) << ((g >> 46) & 63)) |
		(UINT64CONST(1) << ((g >> 40) & 63)) |
		(UINT64CONST(1) << ((g >> 34) & 63));
}

static inline bool
bloom_maybe(const MemIndex *ix, uint64 h)
{
	uint64		m = bloom_mask(h);

	return (ix->bloom[reduce32((uint32) h, ix->bloom_words)] & m) == m;
}

static inline void
bloom_add(MemIndex *ix, uint64 h)
{
	ix->bloom[reduce32((uint32) h, ix->bloom_words)] |= bloom_mask(h);
}

/* ------------------------------------------------------------------------
 * Plans (backend-wide)
 * ------------------------------------------------------------------------
 */

static void
listed_relcache_cb(Datum arg, Oid relid)
{
	ListPlans  *p;

	for (p = all_plans; p; p = p->next)
		if (relid == InvalidOid || p->relid == relid)
			p->valid = false;
}

static char *
qualified_operator(Oid opno)
{
	HeapTuple	tp = SearchSysCache1(OPEROID, ObjectIdGetDatum(opno));
	Form_pg_operator op;
	char	   *res;

	if (!HeapTupleIsValid(tp))
		elog(ERROR, "cache lookup failed for operator %u", opno);
	op = (Form_pg_operator) GETSTRUCT(tp);
	res = psprintf("OPERATOR(%s.%s)",
				   quote_identifier(get_namespace_name(op->oprnamespace)),
				   NameStr(op->oprname));
	ReleaseSysCache(tp);
	return res;
}

/*
 * A valid, complete btree index whose first column is the list's key, under
 * the key column's collation, whose operator family has the subject type's
 * equality: probing it is what the planner's index scan for the EXISTS does.
 */
static Oid
find_key_index(ListPlans *p, Oid eq_opr)
{
	Relation	heap = table_open(p->relid, AccessShareLock);
	List	   *indexes = RelationGetIndexList(heap);
	ListCell   *lc;
	Oid			found = InvalidOid;

	foreach(lc, indexes)
	{
		Relation	idx = index_open(lfirst_oid(lc), AccessShareLock);
		Form_pg_index ix = idx->rd_index;

		if (idx->rd_rel->relam == BTREE_AM_OID &&
			ix->indisvalid && ix->indislive && ix->indisready &&
			ix->indnkeyatts >= 1 &&
			ix->indkey.values[0] == p->keyattno &&
			heap_attisnull(idx->rd_indextuple, Anum_pg_index_indpred, NULL) &&
			idx->rd_indcollation[0] == p->keycoll &&
			get_op_opfamily_strategy(eq_opr, idx->rd_opfamily[0]) == BTEqualStrategyNumber)
		{
			found = RelationGetRelid(idx);
			p->indcoll = idx->rd_indcollation[0];
			p->indcheckxmin = ix->indcheckxmin;
			p->indxmin = HeapTupleHeaderGetXmin(idx->rd_indextuple->t_data);
		}
		index_close(idx, AccessShareLock);
		if (OidIsValid(found))
			break;
	}
	list_free(indexes);
	table_close(heap, NoLock);
	return found;
}

/*
 * Check the list's shape and prepare its plans.  Raises 42804 when the
 * columns do not fit the subject type.  The caller has locked the list and
 * set p->valid: an invalidation arriving meanwhile clears it again.
 */
static void
prepare_plans(ListPlans *p)
{
	char		relkind = get_rel_relkind(p->relid);
	char	   *relname;
	char	   *qualname;
	Form_pg_attribute cols[2];
	HeapTuple	tups[2];
	int			ncols = 0;
	int			need = p->dated ? 2 : 1;
	AttrNumber	attnum;
	Oid			keybase;
	TypeCacheEntry *tce;
	char	   *eqop;
	char	   *k,
			   *r = NULL;
	StringInfoData probe_sql,
				build_sql;
	Oid			argtypes[2];
	SPIPlanPtr	probe,
				build;
	int			i;

	if (relkind == '\0')
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("list relation with OID %u does not exist", p->relid)));
	relname = get_rel_name(p->relid);
	if (relkind != RELKIND_RELATION && relkind != RELKIND_VIEW &&
		relkind != RELKIND_MATVIEW && relkind != RELKIND_FOREIGN_TABLE &&
		relkind != RELKIND_PARTITIONED_TABLE)
		ereport(ERROR,
				(errcode(ERRCODE_WRONG_OBJECT_TYPE),
				 errmsg("\"%s\" cannot be used as a list", relname),
				 errdetail("A list must be a table, view, materialized view or foreign table.")));

	for (attnum = 1; ncols < need; attnum++)
	{
		HeapTuple	tp = SearchSysCache2(ATTNUM, ObjectIdGetDatum(p->relid),
										 Int16GetDatum(attnum));

		if (!HeapTupleIsValid(tp))
			break;
		if (((Form_pg_attribute) GETSTRUCT(tp))->attisdropped)
		{
			ReleaseSysCache(tp);
			continue;
		}
		tups[ncols] = tp;
		cols[ncols] = (Form_pg_attribute) GETSTRUCT(tp);
		ncols++;
	}
	if (ncols < need)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("list \"%s\" has too few columns", relname),
				 errdetail(p->dated ?
						   "The dated form needs the subject in the first column and a daterange of validity in the second." :
						   "The subject must be in the first column.")));

	keybase = getBaseType(cols[0]->atttypid);
	if (!(keybase == p->subjtype ||
		  (p->subjtype == TEXTOID && keybase == VARCHAROID)))
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("list \"%s\" does not hold subjects of type %s",
						relname, format_type_be(p->subjtype)),
				 errdetail("Its first column \"%s\" is of type %s.",
						   NameStr(cols[0]->attname),
						   format_type_be(cols[0]->atttypid)),
				 errhint("Screen a subject of the list's type, or list the subjects through a view that casts them.")));
	if (p->dated && getBaseType(cols[1]->atttypid) != DATERANGEOID)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("list \"%s\" has no validity column", relname),
				 errdetail("Its second column \"%s\" is of type %s, the dated form needs daterange.",
						   NameStr(cols[1]->attname),
						   format_type_be(cols[1]->atttypid))));

	/* how keys compare */
	tce = lookup_type_cache(p->subjtype,
							TYPECACHE_EQ_OPR | TYPECACHE_EQ_OPR_FINFO |
							TYPECACHE_HASH_EXTENDED_PROC_FINFO);
	if (!OidIsValid(tce->eq_opr))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_FUNCTION),
				 errmsg("type %s has no equality operator", format_type_be(p->subjtype))));
	p->keycoll = cols[0]->attcollation;
	p->typlen = tce->typlen;
	p->tce = tce;
	p->can_build = true;
	if (tce->typbyval && tce->typlen == 8)
		p->kind = KEY_INT8;
	else if (tce->typlen > 0)
		p->kind = KEY_FIXED;
	else if (p->subjtype == TEXTOID &&
			 (!OidIsValid(p->keycoll) || get_collation_isdeterministic(p->keycoll)))
		p->kind = KEY_TEXT;
	else
	{
		p->kind = KEY_GENERIC;
		p->can_build = OidIsValid(tce->hash_extended_proc_finfo.fn_oid);
	}

	p->keyattno = cols[0]->attnum;
	p->rangeattno = p->dated ? cols[1]->attnum : InvalidAttrNumber;
	p->eqproc = get_opcode(tce->eq_opr);
	p->is_table = (relkind == RELKIND_RELATION);
	p->indexoid = p->is_table ? find_key_index(p, tce->eq_opr) : InvalidOid;

	/* the two queries */
	eqop = qualified_operator(tce->eq_opr);
	qualname = quote_qualified_identifier(get_namespace_name(get_rel_namespace(p->relid)),
										  relname);
	k = pstrdup(quote_identifier(NameStr(cols[0]->attname)));
	if (p->dated)
		r = pstrdup(quote_identifier(NameStr(cols[1]->attname)));
	for (i = 0; i < ncols; i++)
		ReleaseSysCache(tups[i]);

	initStringInfo(&probe_sql);
	initStringInfo(&build_sql);
	if (!p->dated)
	{
		appendStringInfo(&probe_sql,
						 "SELECT 1 FROM %s l WHERE l.%s %s $1 LIMIT 1",
						 qualname, k, eqop);
		/* NULL keys are skipped by the receiver (cheaper than a qual) */
		appendStringInfo(&build_sql, "SELECT l.%s FROM %s l", k, qualname);
	}
	else
	{
		appendStringInfo(&probe_sql,
						 "SELECT 1 FROM %s l WHERE l.%s %s $1 AND l.%s OPERATOR(pg_catalog.@>) $2 LIMIT 1",
						 qualname, k, eqop, r);
		appendStringInfo(&build_sql, "SELECT l.%s, l.%s FROM %s l", k, r, qualname);
	}

	argtypes[0] = p->subjtype;
	argtypes[1] = DATEOID;
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	probe = SPI_prepare_cursor(probe_sql.data, p->dated ? 2 : 1, argtypes,
							   CURSOR_OPT_GENERIC_PLAN);
	if (probe == NULL)
		elog(ERROR, "could not prepare \"%s\": %s", probe_sql.data,
			 SPI_result_code_string(SPI_result));
	build = SPI_prepare(build_sql.data, 0, NULL);
	if (build == NULL)
		elog(ERROR, "could not prepare \"%s\": %s", build_sql.data,
			 SPI_result_code_string(SPI_result));
	SPI_keepplan(probe);
	SPI_keepplan(build);
	SPI_finish();

	if (p->probe)
		SPI_freeplan(p->probe);
	if (p->build)
		SPI_freeplan(p->build);
	p->probe = probe;
	p->build = build;
}

/*
 * The plans and metadata of a list, valid for the current catalogs.  The
 * caller must hold a lock on the list (lock_list): taking it reads the
 * invalidations that other sessions' DDL sent, so that an entry marked
 * valid really is.
 */
static ListPlans *
get_plans(Oid relid, Oid subjtype, bool dated)
{
	ListPlans  *p;

	if (!relcache_cb_registered)
	{
		CacheRegisterRelcacheCallback(listed_relcache_cb, (Datum) 0);
		relcache_cb_registered = true;
	}
	for (p = all_plans; p; p = p->next)
		if (p->relid == relid && p->subjtype == subjtype && p->dated == dated)
			break;
	if (p == NULL)
	{
		p = MemoryContextAllocZero(TopMemoryContext, sizeof(ListPlans));
		p->relid = relid;
		p->subjtype = subjtype;
		p->dated = dated;
		p->next = all_plans;
		all_plans = p;
	}
	/*
	 * Mark the entry valid before reading the catalogs: an invalidation read
	 * while preparing (SPI_prepare locks the list and its dependencies)
	 * clears the flag again, and the entry is prepared once more.
	 */
	while (!p->valid)
	{
		p->valid = true;
		PG_TRY();
		{
			prepare_plans(p);
		}
		PG_CATCH();
		{
			p->valid = false;
			PG_RE_THROW();
		}
		PG_END_TRY();
	}
	return p;
}

/* Total cost of a prepared one-statement plan, or -1. */
static double
plan_cost(SPIPlanPtr plan)
{
	CachedPlan *cp = SPI_plan_get_cached_plan(plan);
	double		cost = -1;

	if (cp == NULL)
		return -1;
	if (list_length(cp->stmt_list) == 1)
	{
		PlannedStmt *ps = linitial_node(PlannedStmt, cp->stmt_list);

		if (ps->planTree)
			cost = ps->planTree->total_cost;
	}
	ReleaseCachedPlan(cp, CurrentResourceOwner);
	return cost;
}

static double
plan_rows(SPIPlanPtr plan)
{
	CachedPlan *cp = SPI_plan_get_cached_plan(plan);
	double		rows = -1;

	if (cp == NULL)
		return -1;
	if (list_length(cp->stmt_list) == 1)
	{
		PlannedStmt *ps = linitial_node(PlannedStmt, cp->stmt_list);

		if (ps->planTree)
			rows = ps->planTree->plan_rows;
	}
	ReleaseCachedPlan(cp, CurrentResourceOwner);
	return rows;
}

/*
 * May this transaction probe the list's btree index?  An index built over
 * broken HOT chains (indcheckxmin) holds only the newest key of each chain:
 * like the planner, use it only once the pg_index row is older than every
 * snapshot of the transaction.
 */
static bool
index_usable(ListPlans *p)
{
	if (!OidIsValid(p->indexoid))
		return false;
	return !p->indcheckxmin || TransactionIdPrecedes(p->indxmin, TransactionXmin);
}

/*
 * Calls after which building pays: calls × probe cost > build cost.
 */
static uint64
build_threshold(ListPlans *p, bool direct, bool use_index)
{
	double		pc,
				bc,
				rows,
				probe_ns,
				build_ns,
				t;

	if (listed_build_threshold >= 0)
		return (uint64) listed_build_threshold;
	/* SPI_plan_get_cached_plan needs a connection */
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	pc = plan_cost(p->probe);
	bc = plan_cost(p->build);
	rows = plan_rows(p->build);
	SPI_finish();
	if (pc < 0 || bc < 0 || rows < 0)
		return 1000;
	if (use_index)
		probe_ns = DIRECT_PROBE_NS;
	else if (pc < INDEX_PROBE_MAX_COST)
		probe_ns = PROBE_OVERHEAD_NS;
	else
		probe_ns = PROBE_OVERHEAD_NS + pc * COST_UNIT_NS;
	if (direct)
		build_ns = BUILD_OVERHEAD_NS + rows * DIRECT_BUILD_ROW_NS;
	else
		build_ns = BUILD_OVERHEAD_NS + Max(bc * COST_UNIT_NS, rows * BUILD_ROW_NS);
	t = build_ns / probe_ns;
	if (t < 1)
		t = 1;
	if (t > 1e15)
		t = 1e15;
	return (uint64) t;
}

/* ------------------------------------------------------------------------
 * Statement keys
 * ------------------------------------------------------------------------
 */

static void
listed_subxact_cb(SubXactEvent event, SubTransactionId mySubid,
				  SubTransactionId parentSubid, void *arg)
{
	if (event == SUBXACT_EVENT_ABORT_SUB)
		subxact_aborts++;
}

static inline bool
key_matches(const StmtKey *k, Snapshot s)
{
	return k->xmin == s->xmin &&
		k->xmax == s->xmax &&
		k->curcid == s->curcid &&
		k->xcnt == s->xcnt &&
		k->subxcnt == s->subxcnt &&
		k->suboverflowed == s->suboverflowed &&
		k->recovery == s->takenDuringRecovery &&
		k->lxid == MyProc->lxid &&
		k->subaborts == subxact_aborts &&
		k->userid == GetUserId() &&
		k->rowsec == row_security &&
		(s->xcnt == 0 ||
		 memcmp(k->xip, s->xip, s->xcnt * sizeof(TransactionId)) == 0) &&
		(s->subxcnt <= 0 ||
		 memcmp(k->subxip, s->subxip, s->subxcnt * sizeof(TransactionId)) == 0);
}

static void
key_set(StmtKey *k, Snapshot s, MemoryContext cxt)
{
	k->lxid = MyProc->lxid;
	k->subaborts = subxact_aborts;
	k->userid = GetUserId();
	k->rowsec = row_security;
	k->xmin = s->xmin;
	k->xmax = s->xmax;
	k->curcid = s->curcid;
	k->xcnt = s->xcnt;
	k->subxcnt = s->subxcnt;
	k->suboverflowed = s->suboverflowed;
	k->recovery = s->takenDuringRecovery;
	if (s->xcnt > k->xip_cap)
	{
		if (k->xip)
			pfree(k->xip);
		k->xip = MemoryContextAlloc(cxt, s->xcnt * sizeof(TransactionId));
		k->xip_cap = s->xcnt;
	}
	if (s->xcnt > 0)
		memcpy(k->xip, s->xip, s->xcnt * sizeof(TransactionId));
	if (s->subxcnt > k->subxip_cap)
	{
		if (k->subxip)
			pfree(k->subxip);
		k->subxip = MemoryContextAlloc(cxt, s->subxcnt * sizeof(TransactionId));
		k->subxip_cap = s->subxcnt;
	}
	if (s->subxcnt > 0)
		memcpy(k->subxip, s->subxip, s->subxcnt * sizeof(TransactionId));
}

/* ------------------------------------------------------------------------
 * Probing the list through SPI
 * ------------------------------------------------------------------------
 */

static bool
probe_list(ListPlans *p, Datum subj, DateADT at, bool read_only)
{
	Datum		values[2];
	char		nulls[2] = {' ', ' '};
	int			rc;
	bool		found;

	values[0] = subj;
	values[1] = DateADTGetDatum(at);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	rc = SPI_execute_plan(p->probe, values, nulls, read_only, 1);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "probing the list failed: %s", SPI_result_code_string(rc));
	found = SPI_processed > 0;
	SPI_finish();
	return found;
}

/*
 * May this statement read the list directly (heap and btree) instead of
 * through SPI?  Only where that is the same as the query: a plain table
 * without inheritance children, no row-level security for this user, and
 * SELECT on the columns read.  Otherwise SPI raises the errors and applies
 * the policies.
 */
static bool
direct_allowed(ListPlans *p)
{
	Oid			user = GetUserId();

	/* temp tables live in local buffers: leave them to the executor */
	if (!p->is_table || has_subclass(p->relid) ||
		get_rel_persistence(p->relid) == RELPERSISTENCE_TEMP)
		return false;
	if (check_enable_rls(p->relid, InvalidOid, true) == RLS_ENABLED)
		return false;
	if (pg_class_aclcheck(p->relid, user, ACL_SELECT) == ACLCHECK_OK)
		return true;
	return pg_attribute_aclcheck(p->relid, p->keyattno, user, ACL_SELECT) == ACLCHECK_OK &&
		(!p->dated ||
		 pg_attribute_aclcheck(p->relid, p->rangeattno, user, ACL_SELECT) == ACLCHECK_OK);
}

static bool range_to_days(TypeCacheEntry *rngtce, Datum d, int32 *lo, int32 *hi);

/* One probe of the list's btree index under the statement's snapshot. */
static bool
probe_direct(ListPlans *p, Datum subj, DateADT at, Snapshot snap)
{
	Relation	heap = table_open(p->relid, AccessShareLock);
	Relation	idx = index_open(p->indexoid, AccessShareLock);
	TupleTableSlot *slot = table_slot_create(heap, NULL);
	IndexScanDesc scan = index_beginscan(heap, idx, snap, 1, 0);
	ScanKeyData skey;
	bool		found = false;
	TypeCacheEntry *rngtce = NULL;

	if (p->dated)
		rngtce = lookup_type_cache(DATERANGEOID, TYPECACHE_RANGE_INFO);
	ScanKeyEntryInitialize(&skey, 0, 1, BTEqualStrategyNumber, InvalidOid,
						   p->indcoll, p->eqproc, subj);
	index_rescan(scan, &skey, 1, NULL, 0);
	while (index_getnext_slot(scan, ForwardScanDirection, slot))
	{
		bool		isnull;
		Datum		rd;
		int32		lo,
					hi;

		if (!p->dated)
		{
			found = true;
			break;
		}
		rd = slot_getattr(slot, p->rangeattno, &isnull);
		if (!isnull && range_to_days(rngtce, rd, &lo, &hi) && lo <= at && at <= hi)
		{
			found = true;
			break;
		}
	}
	index_endscan(scan);
	ExecDropSingleTupleTableSlot(slot);
	index_close(idx, NoLock);
	table_close(heap, NoLock);
	return found;
}

/* ------------------------------------------------------------------------
 * Building the in-memory index
 * ------------------------------------------------------------------------
 */

#define PREFETCH_AHEAD 16
#ifndef BLOOM_BITS
#define BLOOM_BITS 12
#endif

typedef struct BuildState
{
	DestReceiver pub;
	ListPlans  *p;
	MemoryContext cxt;
	TypeCacheEntry *rngtce;
	Size		limit;			/* bytes */
	Size		used;			/* bytes so far (estimate) */
	Size		keybytes;		/* bytes of key copies (arena, datums) */
	bool		overflow;
	uint64		est_rows;		/* first capacity of the arrays */
	AttrNumber	keyatt;			/* where the two columns are in the slot */
	AttrNumber	rangeatt;
	uint64		n;
	uint64		cap;
	int64	   *ikeys;			/* KEY_INT8 */
	Datum	   *dkeys;			/* others: arena pointer / datum */
	uint64	   *hashes;			/* others */
	int32	   *lo;
	int32	   *hi;
	char	   *arena;
	Size		arena_left;
} BuildState;

static inline void *
arena_alloc(BuildState *bs, Size sz)
{
	void	   *r;

	sz = MAXALIGN(sz);
	if (sz > bs->arena_left)
	{
		Size		chunk = Max(sz, 256 * 1024);

		bs->arena = MemoryContextAlloc(bs->cxt, chunk);
		bs->arena_left = chunk;
		bs->used += chunk;
		bs->keybytes += chunk;
	}
	r = bs->arena;
	bs->arena += sz;
	bs->arena_left -= sz;
	return r;
}

static void *
grow(MemoryContext cxt, void *ptr, Size elsize, uint64 newcap)
{
	if (ptr == NULL)
		return MemoryContextAllocHuge(cxt, elsize * newcap);
	return repalloc_huge(ptr, elsize * newcap);
}

/*
 * Allocate a large, zeroed array for the index proper.  Arrays of a megabyte
 * or more are aligned to 2 MB and advised into transparent huge pages: the
 * lookups are random, and without huge pages most of them would also miss
 * the TLB.  Freed with the context.
 */
#define HUGE_ALIGN	((Size) 2 * 1024 * 1024)

static void *
alloc_big(MemoryContext cxt, Size size, Size *accounted)
{
	char	   *raw;
	char	   *p;

	*accounted += size;
	if (size < HUGE_ALIGN / 2)
	{
		p = MemoryContextAllocHuge(cxt, Max(size, 1));
		memset(p, 0, size);
		return p;
	}
	raw = MemoryContextAllocHuge(cxt, size + HUGE_ALIGN);
	p = (char *) TYPEALIGN(HUGE_ALIGN, raw);
#ifdef MADV_HUGEPAGE
	(void) madvise(p, TYPEALIGN(HUGE_ALIGN, size), MADV_HUGEPAGE);
#endif
	memset(p, 0, size);
	return p;
}

static inline uint64
hash_bytes64(const char *data, int len)
{
	return hash_bytes_extended((const unsigned char *) data, len, 0);
}

/* hash of a subject for the non-INT8 kinds */
static inline uint64
subject_hash(ListPlans *p, Datum d)
{
	switch (p->kind)
	{
		case KEY_FIXED:
			return hash_bytes64(DatumGetPointer(d), p->typlen);
		case KEY_TEXT:
			{
				text	   *t = (text *) DatumGetPointer(d);

				return hash_bytes64(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));
			}
		case KEY_GENERIC:
		default:
			return mix64(DatumGetUInt64(FunctionCall2Coll(&p->tce->hash_extended_proc_finfo,
														  p->keycoll, d,
														  UInt64GetDatum(0))));
	}
}

/* Convert a daterange to a closed day interval; false if it is empty. */
static bool
range_to_days(TypeCacheEntry *rngtce, Datum d, int32 *lo, int32 *hi)
{
	RangeType  *r = DatumGetRangeTypeP(d);
	RangeBound	lower,
				upper;
	bool		empty;
	int64		l,
				h;

	range_deserialize(rngtce, r, &lower, &upper, &empty);
	if (empty)
		return false;
	if (lower.infinite)
		l = PG_INT32_MIN;
	else
		l = (int64) DatumGetDateADT(lower.val) + (lower.inclusive ? 0 : 1);
	if (upper.infinite)
		h = PG_INT32_MAX;
	else
		h = (int64) DatumGetDateADT(upper.val) - (upper.inclusive ? 0 : 1);
	if (l > h)
		return false;
	/* l >= INT32_MIN and h <= INT32_MAX by construction */
	*lo = (int32) l;
	*hi = (int32) h;
	return true;
}

static bool
build_receive(TupleTableSlot *slot, DestReceiver *self)
{
	BuildState *bs = (BuildState *) self;
	ListPlans  *p = bs->p;
	Datum		key;
	bool		isnull;
	int32		lo = 0,
				hi = 0;
	Size		per;

	key = slot_getattr(slot, bs->keyatt, &isnull);
	if (isnull)
		return true;
	if (p->dated)
	{
		Datum		rd = slot_getattr(slot, bs->rangeatt, &isnull);

		if (isnull || !range_to_days(bs->rngtce, rd, &lo, &hi))
			return true;
	}

	if (bs->n == bs->cap)
	{
		uint64		ncap = bs->cap ? bs->cap * 2 : Max(bs->est_rows, 1024);

		per = (p->kind == KEY_INT8 ? sizeof(int64) : sizeof(Datum) + sizeof(uint64)) +
			(p->dated ? 2 * sizeof(int32) : 0);
		bs->used += (ncap - bs->cap) * per;
		/* the final structures take about as much again */
		if (bs->used * 2 > bs->limit)
		{
			bs->overflow = true;
			return false;
		}
		if (p->kind == KEY_INT8)
			bs->ikeys = grow(bs->cxt, bs->ikeys, sizeof(int64), ncap);
		else
		{
			bs->dkeys = grow(bs->cxt, bs->dkeys, sizeof(Datum), ncap);
			bs->hashes = grow(bs->cxt, bs->hashes, sizeof(uint64), ncap);
		}
		if (p->dated)
		{
			bs->lo = grow(bs->cxt, bs->lo, sizeof(int32), ncap);
			bs->hi = grow(bs->cxt, bs->hi, sizeof(int32), ncap);
		}
		bs->cap = ncap;
	}

	switch (p->kind)
	{
		case KEY_INT8:
			bs->ikeys[bs->n] = DatumGetInt64(key);
			break;
		case KEY_FIXED:
			{
				char	   *c = arena_alloc(bs, p->typlen);

				memcpy(c, DatumGetPointer(key), p->typlen);
				bs->dkeys[bs->n] = PointerGetDatum(c);
				bs->hashes[bs->n] = hash_bytes64(c, p->typlen);
				break;
			}
		case KEY_TEXT:
			{
				struct varlena *v = (struct varlena *) DatumGetPointer(key);
				struct varlena *dv = pg_detoast_datum_packed(v);
				Size		len = VARSIZE_ANY_EXHDR(dv);
				text	   *c = arena_alloc(bs, VARHDRSZ + len);

				SET_VARSIZE(c, VARHDRSZ + len);
				memcpy(VARDATA(c), VARDATA_ANY(dv), len);
				if (dv != v)
					pfree(dv);
				bs->dkeys[bs->n] = PointerGetDatum(c);
				bs->hashes[bs->n] = hash_bytes64(VARDATA(c), len);
				break;
			}
		case KEY_GENERIC:
			{
				MemoryContext old = MemoryContextSwitchTo(bs->cxt);
				Datum		c;

				if (!p->tce->typbyval && p->tce->typlen == -1)
					c = PointerGetDatum(PG_DETOAST_DATUM_COPY(key));
				else
					c = datumCopy(key, p->tce->typbyval, p->tce->typlen);
				MemoryContextSwitchTo(old);
				{
					Size		sz = p->tce->typlen > 0 ? p->tce->typlen :
						VARSIZE_ANY(DatumGetPointer(c)) + 16;

					bs->used += sz;
					bs->keybytes += sz;
				}
				bs->dkeys[bs->n] = c;
				bs->hashes[bs->n] = subject_hash(p, c);
				break;
			}
	}
	if (p->dated)
	{
		bs->lo[bs->n] = lo;
		bs->hi[bs->n] = hi;
	}
	bs->n++;
	if (bs->used * 2 > bs->limit)
	{
		bs->overflow = true;
		return false;
	}
	return true;
}

static void
build_startup(DestReceiver *self, int operation, TupleDesc typeinfo)
{
}

static void
build_shutdown(DestReceiver *self)
{
}

static void
build_destroy(DestReceiver *self)
{
}

static inline bool
keys_equal(ListPlans *p, Datum a, Datum b)
{
	switch (p->kind)
	{
		case KEY_FIXED:
			return memcmp(DatumGetPointer(a), DatumGetPointer(b), p->typlen) == 0;
		case KEY_TEXT:
			{
				text	   *x = (text *) DatumGetPointer(a);
				text	   *y = (text *) DatumGetPointer(b);
				Size		lx = VARSIZE_ANY_EXHDR(x);

				return lx == VARSIZE_ANY_EXHDR(y) &&
					memcmp(VARDATA_ANY(x), VARDATA_ANY(y), lx) == 0;
			}
		case KEY_GENERIC:
			return DatumGetBool(FunctionCall2Coll(&p->tce->eq_opr_finfo,
												  p->keycoll, a, b));
		default:
			return a == b;
	}
}

/*
 * Read the whole list under the active snapshot into a MemIndex allocated in
 * cxt.  Returns NULL (after resetting cxt) when the list is larger than
 * integrity.listed_max_memory allows.
 */
static MemIndex *
build_index(ListPlans *p, MemoryContext cxt, bool direct, Snapshot snap)
{
	BuildState	bs;
	SPIExecuteOptions opts;
	MemIndex   *ix;
	uint64		n,
				i;
	int			rc;
	uint64		nslots64;

	memset(&bs, 0, sizeof(bs));
	bs.pub.receiveSlot = build_receive;
	bs.pub.rStartup = build_startup;
	bs.pub.rShutdown = build_shutdown;
	bs.pub.rDestroy = build_destroy;
	bs.pub.mydest = DestNone;
	bs.p = p;
	bs.cxt = cxt;
	bs.limit = (Size) listed_max_memory * 1024;
	if (p->dated)
		bs.rngtce = lookup_type_cache(DATERANGEOID, TYPECACHE_RANGE_INFO);

	if (direct)
	{
		/* a plain table this user may read whole: scan the heap */
		Relation	heap = table_open(p->relid, AccessShareLock);
		TupleTableSlot *slot = table_slot_create(heap, NULL);
		TableScanDesc scan = table_beginscan(heap, snap, 0, NULL);

		bs.keyatt = p->keyattno;
		bs.rangeatt = p->rangeattno;
		if (heap->rd_rel->reltuples > 0)
			bs.est_rows = (uint64) Min(heap->rd_rel->reltuples * 1.05 + 1024, 2e9);
		while (table_scan_getnextslot(scan, ForwardScanDirection, slot))
		{
			CHECK_FOR_INTERRUPTS();
			if (!build_receive(slot, (DestReceiver *) &bs))
				break;
		}
		table_endscan(scan);
		ExecDropSingleTupleTableSlot(slot);
		table_close(heap, NoLock);
	}
	else
	{
		memset(&opts, 0, sizeof(opts));
		opts.read_only = true;
		opts.dest = (DestReceiver *) &bs;
		bs.keyatt = 1;
		bs.rangeatt = 2;

		if (SPI_connect() != SPI_OK_CONNECT)
			elog(ERROR, "SPI_connect failed");
		{
			double		est = plan_rows(p->build);

			if (est > 0)
				bs.est_rows = (uint64) Min(est * 1.05 + 1024, 2e9);
		}
		rc = SPI_execute_plan_extended(p->build, &opts);
		if (rc < 0)
			elog(ERROR, "reading the list failed: %s", SPI_result_code_string(rc));
		SPI_finish();
	}

	n = bs.n;
	nslots64 = n + n * 3 / 7 + 16;	/* load <= 0.7 */
	if (bs.overflow || nslots64 >= (uint64) PG_INT32_MAX)
	{
		MemoryContextReset(cxt);
		return NULL;
	}

	ix = MemoryContextAllocZero(cxt, sizeof(MemIndex));
	ix->kind = p->kind;
	ix->dated = p->dated;
	ix->rows = n;
	ix->nslots = (uint32) nslots64;
	ix->bloom_words = (uint32) Max(1, (n * BLOOM_BITS + 63) / 64);
	ix->bloom = alloc_big(cxt, sizeof(uint64) * ix->bloom_words, &ix->bytes);
	ix->zero_head = -1;
	if (p->dated)
		ix->ranges = alloc_big(cxt, sizeof(DayRange) * n, &ix->bytes);

	if (p->kind == KEY_INT8)
	{
		ix->ikeys = alloc_big(cxt, sizeof(int64) * ix->nslots, &ix->bytes);
		if (p->dated)
			ix->slot_head = alloc_big(cxt, sizeof(int32) * ix->nslots, &ix->bytes);
		for (i = 0; i < n; i++)
		{
			int64		key = bs.ikeys[i];
			uint64		h = mix64((uint64) key);
			int32	   *headp;

			/* the slots are random: ask for a later one now */
			if (i + PREFETCH_AHEAD < n)
			{
				uint64		hp = mix64((uint64) bs.ikeys[i + PREFETCH_AHEAD]);

				__builtin_prefetch(&ix->ikeys[reduce32((uint32) (hp >> 32), ix->nslots)], 1);
				__builtin_prefetch(&ix->bloom[reduce32((uint32) hp, ix->bloom_words)], 1);
			}

			if (key == 0)
			{
				if (!ix->has_zero)
				{
					ix->has_zero = true;
					ix->keys++;
					bloom_add(ix, h);
				}
				headp = &ix->zero_head;
			}
			else
			{
				uint32		s = reduce32((uint32) (h >> 32), ix->nslots);

				for (;;)
				{
					int64		cur = ix->ikeys[s];

					if (cur == key)
						break;
					if (cur == 0)
					{
						ix->ikeys[s] = key;
						ix->keys++;
						bloom_add(ix, h);
						if (p->dated)
							ix->slot_head[s] = -1;
						break;
					}
					if (++s == ix->nslots)
						s = 0;
				}
				headp = p->dated ? &ix->slot_head[s] : NULL;
			}
			if (p->dated)
			{
				ix->ranges[i].lo = bs.lo[i];
				ix->ranges[i].hi = bs.hi[i];
				ix->ranges[i].next = *headp;
				*headp = (int32) i;
			}
		}
		if (bs.ikeys)
			pfree(bs.ikeys);
	}
	else
	{
		uint64		nent = 0;

		ix->slots = alloc_big(cxt, sizeof(Slot) * ix->nslots, &ix->bytes);
		ix->ents = alloc_big(cxt, sizeof(Datum) * n, &ix->bytes);
		if (p->dated)
			ix->ent_head = alloc_big(cxt, sizeof(int32) * n, &ix->bytes);
		for (i = 0; i < n; i++)
		{
			uint64		h = bs.hashes[i];
			uint32		tag = (uint32) (h >> 32);
			uint32		s = reduce32(tag, ix->nslots);
			uint32		e;

			if (i + PREFETCH_AHEAD < n)
			{
				uint64		hp = bs.hashes[i + PREFETCH_AHEAD];

				__builtin_prefetch(&ix->slots[reduce32((uint32) (hp >> 32), ix->nslots)], 1);
				__builtin_prefetch(&ix->bloom[reduce32((uint32) hp, ix->bloom_words)], 1);
			}

			for (;;)
			{
				Slot	   *sl = &ix->slots[s];

				if (sl->ent == 0)
				{
					e = (uint32) nent++;
					sl->tag = tag;
					sl->ent = e + 1;
					ix->ents[e] = bs.dkeys[i];
					if (p->dated)
						ix->ent_head[e] = -1;
					bloom_add(ix, h);
					break;
				}
				if (sl->tag == tag && keys_equal(p, ix->ents[sl->ent - 1], bs.dkeys[i]))
				{
					e = sl->ent - 1;
					break;
				}
				if (++s == ix->nslots)
					s = 0;
			}
			if (p->dated)
			{
				ix->ranges[i].lo = bs.lo[i];
				ix->ranges[i].hi = bs.hi[i];
				ix->ranges[i].next = ix->ent_head[e];
				ix->ent_head[e] = (int32) i;
			}
		}
		ix->keys = nent;
		if (bs.dkeys)
			pfree(bs.dkeys);
		if (bs.hashes)
			pfree(bs.hashes);
		ix->bytes += bs.keybytes;
	}
	/* an empty list (no row with a key) never allocated the arrays */
	if (bs.lo)
		pfree(bs.lo);
	if (bs.hi)
		pfree(bs.hi);
	return ix;
}

static inline bool
chain_contains(const MemIndex *ix, int32 r, DateADT at)
{
	while (r >= 0)
	{
		const DayRange *dr = &ix->ranges[r];

		if (dr->lo <= at && at <= dr->hi)
			return true;
		r = dr->next;
	}
	return false;
}

static bool
index_lookup(const MemIndex *ix, ListPlans *p, Datum subj, DateADT at)
{
	if (ix->kind == KEY_INT8)
	{
		int64		key = DatumGetInt64(subj);
		uint64		h = mix64((uint64) key);
		uint32		s = reduce32((uint32) (h >> 32), ix->nslots);

		/*
		 * Both loads miss the cache for a large list: start the slot's now,
		 * so that a key passing the filter does not wait twice.
		 */
		__builtin_prefetch(&ix->ikeys[s]);
		if (!bloom_maybe(ix, h))
			return false;
		if (key == 0)
			return ix->has_zero && (!ix->dated || chain_contains(ix, ix->zero_head, at));
		for (;;)
		{
			int64		cur = ix->ikeys[s];

			if (cur == key)
				return !ix->dated || chain_contains(ix, ix->slot_head[s], at);
			if (cur == 0)
				return false;
			if (++s == ix->nslots)
				s = 0;
		}
	}
	else
	{
		Datum		d = subj;
		uint64		h;
		uint32		tag,
					s;
		bool		res = false;

		if (ix->kind == KEY_TEXT)
			d = PointerGetDatum(pg_detoast_datum_packed((struct varlena *) DatumGetPointer(subj)));
		h = subject_hash(p, d);
		if (!bloom_maybe(ix, h))
			return false;
		tag = (uint32) (h >> 32);
		s = reduce32(tag, ix->nslots);
		for (;;)
		{
			const Slot *sl = &ix->slots[s];

			if (sl->ent == 0)
				break;
			if (sl->tag == tag && keys_equal(p, ix->ents[sl->ent - 1], d))
			{
				res = !ix->dated || chain_contains(ix, ix->ent_head[sl->ent - 1], at);
				break;
			}
			if (++s == ix->nslots)
				s = 0;
		}
		return res;
	}
}

/* ------------------------------------------------------------------------
 * Call sites
 * ------------------------------------------------------------------------
 */

static void
site_context_gone(void *arg)
{
	CallSite   *site = (CallSite *) arg;

	/* the index contexts were children of the site's: already gone */
	dlist_delete(&site->node);
}

/* Transaction end: free every index (their snapshots are gone). */
static void
listed_xact_cb(XactEvent event, void *arg)
{
	dlist_iter	it;

	switch (event)
	{
		case XACT_EVENT_COMMIT:
		case XACT_EVENT_PARALLEL_COMMIT:
		case XACT_EVENT_ABORT:
		case XACT_EVENT_PARALLEL_ABORT:
		case XACT_EVENT_PREPARE:
			break;
		default:
			return;
	}
	dlist_foreach(it, &live_sites)
	{
		CallSite   *site = dlist_container(CallSite, node, it.cur);
		int			i;

		for (i = 0; i < site->nlists; i++)
		{
			ListState  *ls = site->lists[i];

			ls->index = NULL;
			ls->have_key = false;
			if (ls->idxcxt)
			{
				MemoryContextDelete(ls->idxcxt);
				ls->idxcxt = NULL;
			}
		}
	}
}

static CallSite *
init_site(FunctionCallInfo fcinfo, bool dated)
{
	FmgrInfo   *fl = fcinfo->flinfo;
	CallSite   *site;
	Oid			rettype;
	Oid		   *argtypes;
	int			nargs;

	listed_init();
	if (!subxact_cb_registered)
	{
		RegisterSubXactCallback(listed_subxact_cb, NULL);
		subxact_cb_registered = true;
	}
	if (!xact_cb_registered)
	{
		RegisterXactCallback(listed_xact_cb, NULL);
		xact_cb_registered = true;
	}
	site = MemoryContextAllocZero(fl->fn_mcxt, sizeof(CallSite));
	site->mcxt = fl->fn_mcxt;
	/* the declared subject type of this function */
	rettype = get_func_signature(fl->fn_oid, &argtypes, &nargs);
	(void) rettype;
	if (nargs < 2)
		elog(ERROR, "listed() declared with %d arguments", nargs);
	site->subjtype = argtypes[0];
	site->dated = dated;
	get_typlenbyval(site->subjtype, &site->typlen, &site->typbyval);
	site->maxlists = 4;
	site->lists = MemoryContextAllocZero(site->mcxt, sizeof(ListState *) * site->maxlists);
	site->on_reset.func = site_context_gone;
	site->on_reset.arg = site;
	MemoryContextRegisterResetCallback(site->mcxt, &site->on_reset);
	dlist_push_head(&live_sites, &site->node);
	fl->fn_extra = site;
	return site;
}

static ListState *
find_list(CallSite *site, Oid relid)
{
	int			i;
	ListState  *ls;

	for (i = 0; i < site->nlists; i++)
		if (site->lists[i]->relid == relid)
			return site->lists[i];
	if (site->nlists == site->maxlists)
	{
		site->maxlists *= 2;
		site->lists = repalloc(site->lists, sizeof(ListState *) * site->maxlists);
	}
	ls = MemoryContextAllocZero(site->mcxt, sizeof(ListState));
	ls->relid = relid;
	site->lists[site->nlists++] = ls;
	return ls;
}

/*
 * Does reading the list read a temporary table?  Temporary tables live in
 * the local buffers of the session that created them, which a parallel
 * worker cannot reach.  A temporary view may read only permanent tables;
 * look inside it (its rule's range table also names the view itself, as
 * OLD and NEW: skip those).
 */
static bool reads_temp_storage(Oid relid);

static bool
temp_storage_walker(Node *node, Oid *self)
{
	if (node == NULL)
		return false;
	if (IsA(node, RangeTblEntry))
	{
		RangeTblEntry *rte = (RangeTblEntry *) node;

		return rte->rtekind == RTE_RELATION && rte->relid != *self &&
			reads_temp_storage(rte->relid);
	}
	if (IsA(node, Query))
		return query_tree_walker((Query *) node, temp_storage_walker, self,
								 QTW_EXAMINE_RTES_BEFORE);
	return expression_tree_walker(node, temp_storage_walker, self);
}

static bool
reads_temp_storage(Oid relid)
{
	Relation	rel;
	Query	   *q;
	bool		res;

	check_stack_depth();
	if (get_rel_persistence(relid) != RELPERSISTENCE_TEMP)
		return false;
	if (get_rel_relkind(relid) != RELKIND_VIEW)
		return true;
	rel = relation_open(relid, AccessShareLock);
	q = copyObject(get_view_query(rel));
	relation_close(rel, NoLock);
	res = temp_storage_walker((Node *) q, &relid);
	return res;
}

/*
 * listed() is PARALLEL SAFE, but a parallel worker cannot read a temporary
 * list: say so, instead of PostgreSQL's error from deep inside the read.
 */
static void
check_worker_can_read(Oid relid)
{
	if (IsParallelWorker() && reads_temp_storage(relid))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("listed() cannot read the temporary list \"%s\" in a parallel worker",
						get_rel_name(relid)),
				 errdetail("Temporary tables are visible only to the session that created them."),
				 errhint("SET max_parallel_workers_per_gather = 0 for this statement, or use a permanent table as the list.")));
}

/*
 * The EXISTS names the list, which needs USAGE on its schema (42501
 * otherwise).  A list given by OID skips that lookup, and the prepared
 * plans were parsed once, maybe by another user: check here.
 */
static void
check_schema_usage(Oid relid)
{
	Oid			nsp = get_rel_namespace(relid);

	if (OidIsValid(nsp) &&
		pg_namespace_aclcheck(nsp, GetUserId(), ACL_USAGE) != ACLCHECK_OK)
		aclcheck_error(ACLCHECK_NO_PRIV, OBJECT_SCHEMA, get_namespace_name(nsp));
}

/*
 * Lock the list as the query would (AccessShareLock, held to the end of the
 * transaction).  The first lock of a transaction also reads pending
 * invalidations, which clear ListPlans.valid after other sessions' DDL.
 */
static void
lock_list(Oid relid)
{
	LockRelationOid(relid, AccessShareLock);
}

static void
new_statement(CallSite *site, ListState *ls, Snapshot snap)
{
	lock_list(ls->relid);
	check_schema_usage(ls->relid);
	check_worker_can_read(ls->relid);
	ls->index = NULL;
	if (ls->idxcxt)
		MemoryContextReset(ls->idxcxt);
	ls->calls = 0;
	ls->no_build = false;
	ls->have_key = false;
	ls->plans = get_plans(ls->relid, site->subjtype, site->dated);
	ls->direct = direct_allowed(ls->plans);
	ls->use_index = ls->direct && index_usable(ls->plans);
	ls->threshold = build_threshold(ls->plans, ls->direct, ls->use_index);
	key_set(&ls->key, snap, site->mcxt);
	ls->have_key = true;
}

static void
do_build(CallSite *site, ListState *ls, Snapshot snap)
{
	instr_time	t0,
				t1;
	MemIndex   *ix;

	if (ls->idxcxt == NULL)
		ls->idxcxt = AllocSetContextCreate(site->mcxt, "listed() in-memory index",
										   ALLOCSET_DEFAULT_SIZES);
	else
		MemoryContextReset(ls->idxcxt); /* whatever an interrupted build left */

	INSTR_TIME_SET_CURRENT(t0);
	ix = build_index(ls->plans, ls->idxcxt, ls->direct, snap);
	INSTR_TIME_SET_CURRENT(t1);
	INSTR_TIME_SUBTRACT(t1, t0);
	if (ix == NULL)
	{
		ls->no_build = true;
		elog(DEBUG1, "listed(): list %u exceeds integrity.listed_max_memory; probing its index",
			 ls->relid);
		return;
	}
	ls->index = ix;
	last_build.valid = true;
	last_build.relid = ls->relid;
	last_build.rows = ix->rows;
	last_build.keys = ix->keys;
	last_build.bytes = ix->bytes;
	last_build.build_ms = INSTR_TIME_GET_MILLISEC(t1);
	last_build.calls_before = ls->calls;
	last_build.threshold = ls->threshold;
	elog(DEBUG1, "listed(): loaded list %u after %llu calls: %llu rows, %llu keys, %zu bytes (%.1f per row), %.1f ns per row",
		 ls->relid, (unsigned long long) ls->calls,
		 (unsigned long long) ix->rows, (unsigned long long) ix->keys,
		 ix->bytes, ix->rows ? (double) ix->bytes / ix->rows : 0.0,
		 ix->rows ? last_build.build_ms * 1e6 / ix->rows : 0.0);
}

static Datum
listed_common(FunctionCallInfo fcinfo, bool dated)
{
	Datum		subj = PG_GETARG_DATUM(0);
	Oid			relid = PG_GETARG_OID(1);
	DateADT		at = dated ? PG_GETARG_DATEADT(2) : 0;
	CallSite   *site = (CallSite *) fcinfo->flinfo->fn_extra;
	ListState  *ls;
	Snapshot	snap;

	if (site == NULL)
		site = init_site(fcinfo, dated);
	ls = site->last;
	if (ls == NULL || ls->relid != relid)
		site->last = ls = find_list(site, relid);

	if (!ActiveSnapshotSet())
	{
		/* no statement snapshot to cache under: probe with a fresh one */
		ListPlans  *p;

		lock_list(relid);
		check_schema_usage(relid);
		check_worker_can_read(relid);
		p = get_plans(relid, site->subjtype, dated);

		PG_RETURN_BOOL(probe_list(p, subj, at, false));
	}
	snap = GetActiveSnapshot();
	if (!ls->have_key || !key_matches(&ls->key, snap))
		new_statement(site, ls, snap);
	else if (!ls->plans->valid)
	{
		/* the list changed shape under us: start over */
		new_statement(site, ls, snap);
	}

	if (ls->index)
		PG_RETURN_BOOL(index_lookup(ls->index, ls->plans, subj, at));

	if (!ls->no_build && ls->plans->can_build && ls->calls >= ls->threshold)
	{
		do_build(site, ls, snap);
		if (ls->index)
			PG_RETURN_BOOL(index_lookup(ls->index, ls->plans, subj, at));
	}
	ls->calls++;
	if (ls->use_index)
		PG_RETURN_BOOL(probe_direct(ls->plans, subj, at, snap));
	PG_RETURN_BOOL(probe_list(ls->plans, subj, at, true));
}

Datum
listed(PG_FUNCTION_ARGS)
{
	return listed_common(fcinfo, false);
}

Datum
listed_at(PG_FUNCTION_ARGS)
{
	return listed_common(fcinfo, true);
}

/*
 * listed_last_build() → (list regclass, rows bigint, keys bigint, bytes bigint,
 *                        build_ms float8, calls_before bigint, threshold bigint)
 * Diagnostics of the last in-memory index built in this backend (NULLs when
 * there was none).
 */
Datum
listed_last_build(PG_FUNCTION_ARGS)
{
	TupleDesc	tupdesc;
	Datum		values[7];
	bool		nulls[7];
	int			i;

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	tupdesc = BlessTupleDesc(tupdesc);
	for (i = 0; i < 7; i++)
		nulls[i] = !last_build.valid;
	if (last_build.valid)
	{
		values[0] = ObjectIdGetDatum(last_build.relid);
		values[1] = Int64GetDatum((int64) last_build.rows);
		values[2] = Int64GetDatum((int64) last_build.keys);
		values[3] = Int64GetDatum((int64) last_build.bytes);
		values[4] = Float8GetDatum(last_build.build_ms);
		values[5] = Int64GetDatum((int64) last_build.calls_before);
		values[6] = Int64GetDatum((int64) Min(last_build.threshold, (uint64) PG_INT64_MAX));
	}
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}
