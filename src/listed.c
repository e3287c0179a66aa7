/*
 * listed.c — blacklist screening.
 *
 * A subject (a resident identity number `cnid`, a unified social credit code
 * `uscc`, a bigint staff id or any text key) is "listed" on a list when the
 * list — any table or view the caller can read, one of whose columns holds
 * the subject (which one: the list reader, src/listed.h) — has a row for it,
 * and, for the dated form, when that row's validity column (a daterange,
 * NULL bounds open) contains the given date.
 *
 * Backs the SQL functions
 *     listed(subject, list regclass) → boolean
 *     listed(subject, list regclass, at date) → boolean
 *     listed_explain(list regclass) → record   (how calls are answered)
 *     listed_shape(list regclass) → record     (the columns it uses)
 *     listed_last_build() → record             (1.0 API, deprecated: NULLs)
 * (the view listed_lists is SQL over the catalogs and listed_shape,
 * src/listed.sql).
 *
 * Contract: the answer is exactly what
 *     EXISTS (SELECT 1 FROM list l WHERE l.subject = subject [AND l.validity @> at])
 * says at that point of the calling statement: under the caller's active
 * snapshot and command id (so the statement's own earlier writes, seen from
 * triggers and volatile functions, count), as the current user (privileges,
 * row-level security, settings and functions a view or policy reads).
 *
 * Exact by construction.  Nothing is remembered between calls that could
 * answer "listed": every call decides from
 *
 *   1. the list's blacklist index (src/blacklist.h), when the list is a plain
 *      table that has one on its subject column and no row-level security
 *      policy applies to the caller — or the blacklist indexes of the
 *      tables a list reads: a simple view's one table, a partitioned list's
 *      every leaf partition (find_view_filters, find_base_filters; not where
 *      a policy applies to whoever the table is read as, the view's owner
 *      or the caller, nor where that role may not read it): its filter only over-approximates the
 *      keys ever inserted, so its "no" holds for every snapshot, command id
 *      and role, and is the answer.  This is the only way a call may answer
 *      "not listed" without reading the list, and the filter is persistent,
 *      shared and maintained by PostgreSQL (the access method's business, not
 *      ours).  Under SERIALIZABLE such a "no" reads nothing the conflict
 *      detection could see, so the list is predicate-locked whole, as a
 *      sequential scan for the EXISTS would.  Where a policy applies, the
 *      filter is not used at all: it knows the keys of hidden rows too, and
 *      a "no" for an absent key against a probe for a hidden one would tell
 *      them apart (by time, by listed_explain's counters, by an error with
 *      row_security off); every call then takes the same SPI probe;
 *   2. otherwise (a "maybe", or no filter) an exact probe under the active
 *      snapshot: for a plain table that this user reads without row-level
 *      security and without inheritance children, the list's btree index on
 *      the key and the heap's visibility rules — what the executor's index
 *      scan for the EXISTS does — or, without a usable btree, the call
 *      site's hash of the list read under the same snapshot (below); in
 *      every other case (views, row-level security, partitioned, foreign and
 *      Citus tables, lists too big to hash) a prepared plan
 *      "SELECT 1 FROM list WHERE subject = $1 [...] LIMIT 1" run
 *      through SPI as the caller, so the executor (and postgres_fdw, and
 *      Citus) decide what is visible — never node-local storage; after
 *      LIST_HASH_SPI_AFTER such probes, the call site's hash of the list
 *      read through SPI as the caller under the same snapshot, where the
 *      list's rewritten query may be hashed (src/listed_hash.c).
 *
 * What is cached, and why it cannot go stale:
 *
 *   - per backend, per (list, subject type, form): the list's shape (key and
 *     validity columns, equality operator), which of its indexes serve as
 *     filter and probe, whether it is a Citus table, and the SPI plan, in a
 *     memory context of their own.  At most LISTED_CACHE_SLOTS lists are kept
 *     (least recently used goes first); an entry is marked stale by relcache
 *     invalidation of its list (DROP, ALTER, GRANT, policies, CREATE/DROP
 *     INDEX) and freed at the next call or at the end of the transaction;
 *   - per list entry and user: how that user's calls were answered
 *     (listed_explain's counters; a user sees only its own);
 *   - per call site, for a plain table without a usable btree that the
 *     user reads without a policy (or, read through SPI, for a list probed
 *     through SPI): a hash of the list's keys read under the active
 *     snapshot, kept while the full snapshot, this stamp, the entry
 *     and the relfilenode are unchanged (src/listed_hash.c): the answer of
 *     a scan under the same snapshot, so it is the btree probe's stand-in;
 *   - per call site (fn_extra): which of these paths this user may take, with
 *     the stamp under which that was decided — local transaction, rolled-back
 *     subtransactions (they release locks), the current user and security
 *     context (a referential integrity check lets a table owner bypass
 *     FORCE ROW LEVEL SECURITY), row_security,
 *     and a counter of invalidations that touch privileges (the list's
 *     relcache, roles, role membership, schemas).  The decision is made again
 *     whenever the stamp differs.  It never holds an answer (the hash above
 *     holds the list, not answers, and only for its snapshot);
 *   - per call site and decision, when the filter may answer: a handle on
 *     the blacklist index (src/blacklist.h), the key hash's support
 *     function resolved once and the backend's private copy of the filter,
 *     which answers "no" without opening the index while a generation
 *     counter of the copies is unchanged (any copy freed, retaken or found
 *     stale bumps it: REINDEX, TRUNCATE, DROP, any relcache invalidation of
 *     the index) and the copy covers the active snapshot (checked on every
 *     call, as before).  It is dropped with every new decision (role,
 *     transaction, rolled-back subtransaction, invalidation of the list)
 *     and holds no relation, index scan, lock or pin between calls: a
 *     PL/pgSQL block may TRUNCATE, REINDEX or DROP the list or its index
 *     right after a loop of calls (sql/listed_handle.sql).
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/htup_details.h"
#include "access/parallel.h"
#include "access/relation.h"
#include "access/relscan.h"
#include "access/stratnum.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/transam.h"
#include "access/xact.h"
#include "access/xlog.h"
#include "catalog/namespace.h"
#include "catalog/indexing.h"
#include "catalog/pg_am.h"
#include "catalog/pg_attribute.h"
#include "catalog/pg_class.h"
#include "catalog/pg_extension.h"
#include "catalog/pg_index.h"
#include "catalog/pg_inherits.h"
#include "catalog/pg_namespace.h"
#include "catalog/pg_operator.h"
#include "catalog/pg_type.h"
#include "commands/defrem.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "executor/tuptable.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "nodes/nodeFuncs.h"
#include "optimizer/optimizer.h"
#include "parser/parsetree.h"
#include "rewrite/rewriteHandler.h"
#include "storage/lmgr.h"
#include "storage/predicate.h"
#include "storage/proc.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/fmgroids.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rangetypes.h"
#include "utils/rel.h"
#include "utils/rls.h"
#include "utils/snapmgr.h"
#include "utils/syscache.h"
#include "utils/typcache.h"

#include "blacklist.h"
#include "listed.h"

PG_FUNCTION_INFO_V1(listed);
PG_FUNCTION_INFO_V1(listed_at);
PG_FUNCTION_INFO_V1(listed_explain);
PG_FUNCTION_INFO_V1(listed_last_build);
PG_FUNCTION_INFO_V1(listed_shape);
PG_FUNCTION_INFO_V1(listed_declare);
PG_FUNCTION_INFO_V1(list_declarations_check);

void		listed_init(void);

/* ------------------------------------------------------------------------
 * The per-backend cache of lists
 * ------------------------------------------------------------------------
 */

#define LISTED_CACHE_SLOTS 64

/* a blacklist index of a table that a view or a partitioned list reads */
typedef struct FilterRef
{
	Oid			heap;
	Oid			index;
	bool		checkxmin;
	TransactionId xmin;
} FilterRef;

typedef struct ListEntry
{
	uint64		serial;			/* changes whenever the slot is (re)filled;
								 * 0 = free */
	Oid			relid;
	Oid			subjtype;
	bool		dated;
	bool		valid;			/* cleared by relcache invalidation */
	int			in_use;			/* SPI executions of its plan under way */
	uint64		last_used;
	MemoryContext cxt;			/* everything below that is allocated */

	char		relkind;
	bool		citus;			/* in pg_dist_partition: read through SPI */
	char		citus_method;	/* its partmethod ('n': a reference table) */
	AttrNumber	keyattno;
	AttrNumber	rangeattno;
	Oid			keycoll;
	Oid			eq_opr;
	RegProcedure eqproc;
	/* a btree index on the key (plain tables), or InvalidOid */
	Oid			btree;
	Oid			btree_coll;
	bool		btree_checkxmin;
	TransactionId btree_xmin;
	/* a blacklist index on the key (plain tables), or InvalidOid */
	Oid			filter;
	bool		filter_checkxmin;
	TransactionId filter_xmin;

	char	   *probe_sql;		/* the SPI probe, prepared at first use */
	SPIPlanPtr	probe;
	char	   *hash_sql;		/* the list's keys, for the SPI list hash */

	/*
	 * Views over one table and partitioned lists: the blacklist indexes of
	 * the tables they read (a view's table, or every leaf partition), when
	 * filter_bases says they cover every row the list can show; else
	 * bases_why says why not.  base_rel is the table whose row-level
	 * security and privileges decide whether the filters may answer, read
	 * as base_user (a view's owner, or InvalidOid: the caller).
	 */
	bool		filter_bases;
	int			nbases;
	FilterRef  *bases;
	Oid			base_rel;
	Oid			base_user;
	const char *bases_why;
	char	   *bases_advice;	/* the CREATE INDEX that gives them filters */
	/* other relations whose invalidation makes the entry stale */
	int			ndeps;
	Oid		   *deps;

	/* how the calls in this backend were answered, per user (diagnostics) */
	struct ListCounters *counters;
} ListEntry;

/*
 * How one user's calls on a list were answered in this backend.  Kept per
 * user so that listed_explain shows a role its own calls only: another
 * role's hits are answers it may not see.
 */
typedef struct ListCounters
{
	Oid			userid;
	uint64		calls;
	uint64		filtered;		/* "not listed" from the filter */
	uint64		probed;			/* btree probes */
	uint64		spi;			/* SPI probes */
	uint64		hits;			/* "listed" answers */
	struct ListCounters *next;
} ListCounters;

static ListEntry *cache = NULL; /* LISTED_CACHE_SLOTS entries */
static MemoryContext cache_cxt = NULL;
static uint64 next_serial = 1;
static uint64 use_tick = 0;

/* invalidations that may change what a user may read, and how */
static uint64 inval_gen = 1;

/* subtransactions rolled back in this backend (they release their locks) */
static uint64 subxact_aborts = 0;

static bool callbacks_registered = false;

static void
free_entry(ListEntry *e)
{
	if (e->probe)
		SPI_freeplan(e->probe);
	e->probe = NULL;
	if (e->cxt)
		MemoryContextDelete(e->cxt);
	e->cxt = NULL;
	e->serial = 0;
	e->valid = false;
	e->in_use = 0;
}

/* free stale entries nobody is executing */
static void
sweep_entries(void)
{
	int			i;

	for (i = 0; i < LISTED_CACHE_SLOTS; i++)
		if (cache[i].serial != 0 && !cache[i].valid && cache[i].in_use == 0)
			free_entry(&cache[i]);
}

/* Does the entry read through relation `relid` (a view's table, a partition)? */
static bool
entry_depends_on(ListEntry *e, Oid relid)
{
	int			i;

	for (i = 0; i < e->ndeps; i++)
		if (e->deps[i] == relid)
			return true;
	return false;
}

static void
listed_relcache_cb(Datum arg, Oid relid)
{
	int			i;

	if (cache == NULL)
		return;
	for (i = 0; i < LISTED_CACHE_SLOTS; i++)
		if (cache[i].serial != 0 && (relid == InvalidOid || cache[i].relid == relid ||
									 entry_depends_on(&cache[i], relid)))
		{
			cache[i].valid = false;
			inval_gen++;
		}
}

static void
listed_syscache_cb(Datum arg, int cacheid, uint32 hashvalue)
{
	inval_gen++;
}

static void
listed_subxact_cb(SubXactEvent event, SubTransactionId mySubid,
				  SubTransactionId parentSubid, void *arg)
{
	if (event == SUBXACT_EVENT_ABORT_SUB)
		subxact_aborts++;
}

/* Transaction end: nothing executes our plans any more; free stale ones. */
static void
listed_xact_cb(XactEvent event, void *arg)
{
	int			i;

	if (cache == NULL)
		return;
	switch (event)
	{
		case XACT_EVENT_COMMIT:
		case XACT_EVENT_ABORT:
		case XACT_EVENT_PREPARE:
		case XACT_EVENT_PARALLEL_COMMIT:
		case XACT_EVENT_PARALLEL_ABORT:
			for (i = 0; i < LISTED_CACHE_SLOTS; i++)
				cache[i].in_use = 0;
			sweep_entries();
			break;
		default:
			break;
	}
}

/*
 * Register the callbacks.  Called from the module's _PG_init, and lazily at
 * the first call otherwise.
 */
void
listed_init(void)
{
	if (callbacks_registered)
		return;
	callbacks_registered = true;
	CacheRegisterRelcacheCallback(listed_relcache_cb, (Datum) 0);
	CacheRegisterSyscacheCallback(AUTHOID, listed_syscache_cb, (Datum) 0);
	CacheRegisterSyscacheCallback(AUTHMEMROLEMEM, listed_syscache_cb, (Datum) 0);
	CacheRegisterSyscacheCallback(NAMESPACEOID, listed_syscache_cb, (Datum) 0);
	RegisterSubXactCallback(listed_subxact_cb, NULL);
	RegisterXactCallback(listed_xact_cb, NULL);
}

/* The counters of `userid` on the entry, created at its first call. */
static ListCounters *
entry_counters(ListEntry *e, Oid userid)
{
	ListCounters *c;

	for (c = e->counters; c != NULL; c = c->next)
		if (c->userid == userid)
			return c;
	c = MemoryContextAllocZero(e->cxt, sizeof(ListCounters));
	c->userid = userid;
	c->next = e->counters;
	e->counters = c;
	return c;
}

/* ------------------------------------------------------------------------
 * The list reader (src/listed.h): which columns hold subject and validity
 * ------------------------------------------------------------------------
 */

typedef struct ShapeColumn
{
	AttrNumber	attnum;
	char	   *name;
	Oid			type;			/* declared */
	Oid			base;			/* base type, varchar as text */
	Oid			coll;
	bool		blacklist_lead; /* key column of a blacklist index */
	bool		index_lead;		/* leading column of a btree or hash index */
} ShapeColumn;

/* the extension's schema, or InvalidOid (while it is being created) */
static Oid
extension_namespace(void)
{
	Relation	rel = table_open(ExtensionRelationId, AccessShareLock);
	ScanKeyData key;
	SysScanDesc scan;
	HeapTuple	tup;
	Oid			nsp = InvalidOid;

	ScanKeyInit(&key, Anum_pg_extension_extname, BTEqualStrategyNumber,
				F_NAMEEQ, CStringGetDatum("integrity"));
	scan = systable_beginscan(rel, ExtensionNameIndexId, true, NULL, 1, &key);
	if (HeapTupleIsValid(tup = systable_getnext(scan)))
		nsp = ((Form_pg_extension) GETSTRUCT(tup))->extnamespace;
	systable_endscan(scan);
	table_close(rel, AccessShareLock);
	return nsp;
}

/* the OID of the extension's type `name` (cnid, uscc), or InvalidOid */
static Oid
extension_type(const char *name)
{
	Oid			nsp = extension_namespace();

	if (!OidIsValid(nsp))
		return InvalidOid;
	return GetSysCacheOid2(TYPENAMENSP, Anum_pg_type_oid,
						   CStringGetDatum(name), ObjectIdGetDatum(nsp));
}

/* the extension's table list_declarations, or InvalidOid */
static Oid
declarations_table(void)
{
	Oid			nsp = extension_namespace();

	return OidIsValid(nsp) ? get_relname_relid("list_declarations", nsp) : InvalidOid;
}

/*
 * The declaration of list `relid` (listed_declare): its subject column and
 * validity column (NULL if not declared); false if there is none.  Read
 * under a new catalog snapshot (the latest committed state, as catalogs
 * are read): listed_declare sends a relcache invalidation of the list,
 * which makes every session read again.
 */
static bool
read_declaration(Oid relid, char **subject, char **validity)
{
	Oid			tab = declarations_table();
	Relation	rel;
	Snapshot	snap;
	TableScanDesc scan;
	TupleTableSlot *slot;
	ScanKeyData key;
	bool		found = false;

	*subject = *validity = NULL;
	if (!OidIsValid(tab))
		return false;
	rel = table_open(tab, AccessShareLock);

	/*
	 * A fresh catalog snapshot: the relcache invalidation that made us read
	 * again does not renew the one this statement may hold, which could
	 * predate the declaration (the entry would then keep the old columns).
	 */
	InvalidateCatalogSnapshot();
	snap = RegisterSnapshot(GetCatalogSnapshot(tab));
	ScanKeyInit(&key, 1, BTEqualStrategyNumber, F_OIDEQ, ObjectIdGetDatum(relid));
	scan = table_beginscan(rel, snap, 1, &key);
	slot = table_slot_create(rel, NULL);
	if (table_scan_getnextslot(scan, ForwardScanDirection, slot))
	{
		bool		isnull;
		Datum		d = slot_getattr(slot, 2, &isnull);

		if (!isnull)
		{
			*subject = pstrdup(NameStr(*DatumGetName(d)));
			d = slot_getattr(slot, 3, &isnull);
			if (!isnull)
				*validity = pstrdup(NameStr(*DatumGetName(d)));
			found = true;
		}
	}
	ExecDropSingleTupleTableSlot(slot);
	table_endscan(scan);
	UnregisterSnapshot(snap);
	table_close(rel, AccessShareLock);
	return found;
}

/* Can a relation of this kind be a list? */
static bool
can_be_list(char relkind)
{
	return relkind == RELKIND_RELATION || relkind == RELKIND_VIEW ||
		relkind == RELKIND_MATVIEW || relkind == RELKIND_FOREIGN_TABLE ||
		relkind == RELKIND_PARTITIONED_TABLE;
}

static void raise_not_a_list(const char *relname) pg_attribute_noreturn();

static void
raise_not_a_list(const char *relname)
{
	ereport(ERROR,
			(errcode(ERRCODE_WRONG_OBJECT_TYPE),
			 errmsg("\"%s\" cannot be used as a list", relname),
			 errdetail("A list must be a table, view, materialized view or foreign table.")));
}

/* the column named `name` among cols, or NULL */
static ShapeColumn *
column_named(ShapeColumn *cols, int ncols, const char *name)
{
	int			i;

	for (i = 0; i < ncols; i++)
		if (strcmp(cols[i].name, name) == 0)
			return &cols[i];
	return NULL;
}

/* Mark the leading columns of the list's valid indexes (read from pg_index). */
static void
mark_index_leads(Oid relid, ShapeColumn *cols, int ncols)
{
	Oid			blam = get_am_oid(BLACKLIST_AM_NAME, true);
	Relation	pgindex = table_open(IndexRelationId, AccessShareLock);
	ScanKeyData key;
	SysScanDesc scan;
	HeapTuple	tup;

	ScanKeyInit(&key, Anum_pg_index_indrelid, BTEqualStrategyNumber, F_OIDEQ,
				ObjectIdGetDatum(relid));
	scan = systable_beginscan(pgindex, IndexIndrelidIndexId, true, NULL, 1, &key);
	while (HeapTupleIsValid(tup = systable_getnext(scan)))
	{
		Form_pg_index ix = (Form_pg_index) GETSTRUCT(tup);
		HeapTuple	ct;
		Oid			am;
		int			i;

		if (!ix->indisvalid || !ix->indislive || ix->indnkeyatts < 1 ||
			ix->indkey.values[0] == 0)
			continue;
		ct = SearchSysCache1(RELOID, ObjectIdGetDatum(ix->indexrelid));
		if (!HeapTupleIsValid(ct))
			continue;
		am = ((Form_pg_class) GETSTRUCT(ct))->relam;
		ReleaseSysCache(ct);
		for (i = 0; i < ncols; i++)
			if (cols[i].attnum == ix->indkey.values[0])
			{
				if (OidIsValid(blam) && am == blam)
					cols[i].blacklist_lead = true;
				else if (am == BTREE_AM_OID || am == HASH_AM_OID)
					cols[i].index_lead = true;
			}
	}
	systable_endscan(scan);
	table_close(pgindex, AccessShareLock);
}

/* "a", "b" and "c" */
static char *
column_names(ShapeColumn **cands, int n)
{
	StringInfoData s;
	int			i;

	initStringInfo(&s);
	for (i = 0; i < n; i++)
		appendStringInfo(&s, "%s\"%s\"",
						 i == 0 ? "" : (i == n - 1 ? " and " : ", "),
						 cands[i]->name);
	return s.data;
}

static void
raise_ambiguous(const char *relname, const char *what, ShapeColumn **cands, int n,
		  const char *hint)
{
	ereport(ERROR,
			(errcode(ERRCODE_AMBIGUOUS_COLUMN),
			 errmsg("list \"%s\" has several candidate %s columns", relname, what),
			 errdetail("The candidates are %s.", column_names(cands, n)),
			 errhint("%s", hint)));
}


/*
 * The subject column among cols for the types in `types` (ntypes of them),
 * by the rules of src/listed.h, or NULL if no column has such a type.
 * Rule 4 (the only column of the type) does not hold for text: an untyped
 * literal resolves to listed(text, ...), and the only text column of a
 * list of identifiers is a name or a reason, so listed('1101…', 'bans')
 * would answer "not listed" from that column where the caller meant the
 * identifier; a text subject column must come first or lead an index.
 * Several candidates raise, or with missing_ok set *ambiguous.
 */
static ShapeColumn *
pick_subject(const char *relname, ShapeColumn *cols, int ncols,
			 const Oid *types, int ntypes, bool missing_ok, bool *ambiguous)
{
	ShapeColumn **cands = palloc(sizeof(ShapeColumn *) * Max(ncols, 1));
	int			step;

	for (step = 1; step <= 4; step++)
	{
		int			n = 0;
		int			i,
					t;

		for (i = 0; i < ncols; i++)
		{
			bool		fits = false;

			for (t = 0; t < ntypes; t++)
				fits |= cols[i].base == types[t];
			if (!fits)
				continue;
			if ((step == 1 && cols[i].blacklist_lead) ||
				(step == 2 && i == 0) ||
				(step == 3 && cols[i].index_lead) ||
				(step == 4 && cols[i].base != TEXTOID))
				cands[n++] = &cols[i];
		}
		if (n == 1)
			return cands[0];
		if (n > 1 && missing_ok)
		{
			*ambiguous = true;
			return NULL;
		}
		if (n > 1)
			raise_ambiguous(relname, "subject", cands, n,
					  "Name the subject column with listed_declare(list, subject column).");
	}
	return NULL;
}

static bool
has_type(ShapeColumn *cols, int ncols, Oid base)
{
	int			i;

	for (i = 0; i < ncols; i++)
		if (cols[i].base == base)
			return true;
	return false;
}

bool
listed_read_shape(Oid relid, Oid subjtype, bool dated, bool missing_ok,
				  ListShape *shape)
{
	HeapTuple	ct = SearchSysCache1(RELOID, ObjectIdGetDatum(relid));
	Form_pg_class rel;
	ShapeColumn *cols;
	ShapeColumn *key = NULL;
	ShapeColumn *range = NULL;
	char	   *decl_subject;
	char	   *decl_validity;
	bool		ambiguous = false;
	int			ncols = 0;
	int			natts;
	AttrNumber	attnum;
	TypeCacheEntry *tce;

	memset(shape, 0, sizeof(ListShape));
	if (!HeapTupleIsValid(ct))
	{
		if (missing_ok)
			return false;
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("list relation with OID %u does not exist", relid)));
	}
	rel = (Form_pg_class) GETSTRUCT(ct);
	shape->relkind = rel->relkind;
	shape->relname = pstrdup(NameStr(rel->relname));
	shape->qualname = quote_qualified_identifier(get_namespace_name(rel->relnamespace),
												 shape->relname);
	natts = rel->relnatts;
	ReleaseSysCache(ct);
	if (!can_be_list(shape->relkind))
	{
		if (missing_ok)
			return false;
		raise_not_a_list(shape->relname);
	}

	cols = palloc0(sizeof(ShapeColumn) * Max(natts, 1));
	for (attnum = 1; attnum <= natts; attnum++)
	{
		HeapTuple	tp = SearchSysCache2(ATTNUM, ObjectIdGetDatum(relid),
										 Int16GetDatum(attnum));
		Form_pg_attribute att;

		if (!HeapTupleIsValid(tp))
			continue;
		att = (Form_pg_attribute) GETSTRUCT(tp);
		if (!att->attisdropped)
		{
			cols[ncols].attnum = att->attnum;
			cols[ncols].name = pstrdup(NameStr(att->attname));
			cols[ncols].type = att->atttypid;
			cols[ncols].base = getBaseType(att->atttypid);
			if (cols[ncols].base == VARCHAROID)
				cols[ncols].base = TEXTOID;
			cols[ncols].coll = att->attcollation;
			ncols++;
		}
		ReleaseSysCache(tp);
	}
	mark_index_leads(relid, cols, ncols);

	if (read_declaration(relid, &decl_subject, &decl_validity))
	{
		/* declared (listed_declare): these columns, whatever the rules say */
		shape->declared = true;
		key = column_named(cols, ncols, decl_subject);
		if (decl_validity && dated)
			range = column_named(cols, ncols, decl_validity);
		if (key == NULL || (decl_validity && dated && range == NULL))
		{
			if (missing_ok)
				return false;
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_COLUMN),
					 errmsg("list \"%s\" declares column \"%s\", which it does not have",
							shape->relname, key == NULL ? decl_subject : decl_validity),
					 errhint("Declare the list's columns again with listed_declare(), or remove the declaration with listed_declare(list, NULL).")));
		}
		if (OidIsValid(subjtype) &&
			key->base != (subjtype == VARCHAROID ? TEXTOID : subjtype))
		{
			if (missing_ok)
				return false;
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("list \"%s\" does not hold subjects of type %s",
							shape->relname, format_type_be(subjtype)),
					 errdetail("Its declared subject column \"%s\" is of type %s.",
							   key->name, format_type_be(key->type)),
					 errhint("Screen a subject of the list's type.")));
		}
	}
	else if (OidIsValid(subjtype))
	{
		Oid			t = subjtype == VARCHAROID ? TEXTOID : subjtype;

		key = pick_subject(shape->relname, cols, ncols, &t, 1, missing_ok, &ambiguous);
		if (key == NULL)
		{
			if (missing_ok)
				return false;
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("list \"%s\" does not hold subjects of type %s",
							shape->relname, format_type_be(subjtype)),
					 t == TEXTOID && has_type(cols, ncols, t) ?
					 errdetail("Its text columns are neither its first column nor the key of an index; a text subject column must be one of them.") :
					 errdetail("None of its columns is of type %s.", format_type_be(subjtype)),
					 errhint("Screen a subject of the list's type, or list the subjects through a view that casts them.")));
		}
	}
	else
	{
		Oid			idents[2];
		Oid			int8 = INT8OID;
		Oid			text = TEXTOID;

		idents[0] = extension_type("cnid");
		idents[1] = extension_type("uscc");
		key = pick_subject(shape->relname, cols, ncols, idents, 2, missing_ok, &ambiguous);
		if (key == NULL && !ambiguous)
			key = pick_subject(shape->relname, cols, ncols, &int8, 1, missing_ok, &ambiguous);
		if (key == NULL && !ambiguous)
			key = pick_subject(shape->relname, cols, ncols, &text, 1, missing_ok, &ambiguous);
		if (key == NULL)
		{
			if (missing_ok)
				return false;
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("list \"%s\" has no subject column", shape->relname),
					 errdetail("No column is of a type listed() screens (cnid, uscc, bigint, text).")));
		}
	}

	if (dated && range == NULL)
	{
		ShapeColumn **cands = palloc(sizeof(ShapeColumn *) * ncols);
		int			n = 0;
		int			i;

		for (i = 0; i < ncols; i++)
			if (cols[i].base == DATERANGEOID)
			{
				cands[n++] = &cols[i];
				if (i > 0 && &cols[i - 1] == key)
					range = &cols[i];
			}
		if (n == 1)
			range = cands[0];
		else if (n == 0)
		{
			if (missing_ok)
				return false;
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("list \"%s\" has no validity column", shape->relname),
					 errdetail("The dated form needs a column of type daterange.")));
		}
		else if (range == NULL)
		{
			if (missing_ok)
				return false;
			raise_ambiguous(shape->relname, "validity", cands, n,
					  "Name the validity column with listed_declare(list, subject column, validity column).");
		}
	}

	shape->subjtype = key->base;
	shape->keyattno = key->attnum;
	shape->keyname = key->name;
	shape->keytype = key->type;
	shape->keycoll = key->coll;
	if (range)
	{
		shape->rangeattno = range->attnum;
		shape->rangename = range->name;
	}
	tce = lookup_type_cache(shape->subjtype, TYPECACHE_EQ_OPR);
	if (!OidIsValid(tce->eq_opr))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_FUNCTION),
				 errmsg("type %s has no equality operator", format_type_be(shape->subjtype))));
	shape->eq_opr = tce->eq_opr;
	return true;
}

/*
 * May the current user declare columns of relation `relid`, and are they
 * columns a list can be read by?  Raises otherwise.  subject NULL: only the
 * ownership (a declaration removed).  Shared by listed_declare and the
 * trigger of list_declarations, which every write goes through (pg_restore's
 * COPY too).
 */
static void
check_declaration(Oid relid, const char *subject, const char *validity)
{
	char		relkind;
	int			pass;

	/*
	 * As DDL on the list would: a declaration waits for the transactions
	 * that read the list (their listed() calls keep the shape they read,
	 * since a lock they already hold reads no invalidation), and the calls
	 * after it read the new shape.  The owner is checked before the lock
	 * too (as RangeVarCallbackOwnsTable does): anyone may write the table,
	 * and a lock request queued on a relation one does not own would block
	 * its readers behind it.  Checked again once locked.
	 */
	for (pass = 0; pass < 2; pass++)
	{
		if (pass == 1)
			LockRelationOid(relid, AccessExclusiveLock);
		relkind = get_rel_relkind(relid);
		if (relkind == '\0')
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_TABLE),
					 errmsg("list relation with OID %u does not exist", relid)));
		if (!can_be_list(relkind))
			raise_not_a_list(get_rel_name(relid));
		if (!pg_class_ownercheck(relid, GetUserId()))
			aclcheck_error(ACLCHECK_NOT_OWNER, get_relkind_objtype(relkind), get_rel_name(relid));
	}
	if (subject == NULL && validity != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("a validity column needs a subject column"),
				 errhint("Call listed_declare(list, subject column, validity column).")));
	if (subject)
	{
		AttrNumber	a = get_attnum(relid, subject);
		Oid			base;

		if (a <= 0)
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_COLUMN),
					 errmsg("column \"%s\" of list \"%s\" does not exist",
							subject, get_rel_name(relid))));
		base = getBaseType(get_atttype(relid, a));
		if (base == VARCHAROID)
			base = TEXTOID;
		if (base != extension_type("cnid") && base != extension_type("uscc") &&
			base != INT8OID && base != TEXTOID)
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("column \"%s\" of list \"%s\" is of type %s, which listed() does not screen",
							subject, get_rel_name(relid),
							format_type_be(get_atttype(relid, a))),
					 errdetail("A subject column is of type cnid, uscc, bigint, text or varchar, or a domain over one.")));
	}
	if (validity)
	{
		AttrNumber	a = get_attnum(relid, validity);

		if (a <= 0)
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_COLUMN),
					 errmsg("column \"%s\" of list \"%s\" does not exist",
							validity, get_rel_name(relid))));
		if (getBaseType(get_atttype(relid, a)) != DATERANGEOID)
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("column \"%s\" of list \"%s\" is of type %s, not daterange",
							validity, get_rel_name(relid),
							format_type_be(get_atttype(relid, a))),
					 errdetail("A validity column is of type daterange, or a domain over it.")));
	}
}

/*
 * listed_declare(list regclass, subject name, validity name DEFAULT NULL)
 *
 * Name the list's subject column (and validity column) for listed(),
 * listed_entries(), listed_explain() and listed_lists, instead of the list
 * reader's rules; subject NULL removes the declaration.  Only the list's
 * owner may declare (check_declaration, here and again in the table's
 * trigger).  Also removes the declarations of lists dropped since (their
 * OIDs may be reused).
 */
Datum
listed_declare(PG_FUNCTION_ARGS)
{
	Oid			relid;
	char	   *subject = PG_ARGISNULL(1) ? NULL : pstrdup(NameStr(*PG_GETARG_NAME(1)));
	char	   *validity = PG_ARGISNULL(2) ? NULL : pstrdup(NameStr(*PG_GETARG_NAME(2)));
	Oid			tab = declarations_table();
	Datum		values[3];
	char		nulls[3] = {' ', ' ', ' '};
	Oid			argtypes[3] = {OIDOID, NAMEOID, NAMEOID};
	char	   *qualtab;
	char	   *sql;
	int			rc;

	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("the list must not be NULL")));
	relid = PG_GETARG_OID(0);
	if (!OidIsValid(tab))
		elog(ERROR, "the table list_declarations of the extension integrity is missing");
	check_declaration(relid, subject, validity);

	values[0] = ObjectIdGetDatum(relid);
	values[1] = subject ? DirectFunctionCall1(namein, CStringGetDatum(subject)) : (Datum) 0;
	values[2] = validity ? DirectFunctionCall1(namein, CStringGetDatum(validity)) : (Datum) 0;
	nulls[1] = subject ? ' ' : 'n';
	nulls[2] = validity ? ' ' : 'n';
	qualtab = quote_qualified_identifier(get_namespace_name(get_rel_namespace(tab)),
										 get_rel_name(tab));
	sql = subject ?
		psprintf("INSERT INTO %s VALUES ($1, $2, $3) ON CONFLICT (list) DO UPDATE "
				 "SET subject_column = EXCLUDED.subject_column, validity_column = EXCLUDED.validity_column",
				 qualtab) :
		psprintf("DELETE FROM %s WHERE list OPERATOR(pg_catalog.=) $1", qualtab);

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	rc = SPI_execute_with_args(sql, subject ? 3 : 1, argtypes, values, nulls, false, 0);
	if (rc != SPI_OK_INSERT && rc != SPI_OK_DELETE)
		elog(ERROR, "writing list_declarations failed: %s", SPI_result_code_string(rc));
	rc = SPI_execute(psprintf("DELETE FROM %s d WHERE NOT EXISTS (SELECT FROM pg_catalog.pg_class c "
							  "WHERE c.oid OPERATOR(pg_catalog.=) d.list::pg_catalog.oid)", qualtab),
					 false, 0);
	if (rc != SPI_OK_DELETE)
		elog(ERROR, "writing list_declarations failed: %s", SPI_result_code_string(rc));
	SPI_finish();
	PG_RETURN_VOID();
}

/*
 * list_declarations_check() — BEFORE INSERT OR UPDATE OR DELETE FOR EACH
 * ROW on list_declarations: every row written is checked as listed_declare
 * checks it (the list's owner, columns a list can be read by), a row
 * removed only by the list's owner (or when the list is gone), and every
 * session reads the lists concerned again (relcache invalidation).
 */
Datum
list_declarations_check(PG_FUNCTION_ARGS)
{
	TriggerData *td = (TriggerData *) fcinfo->context;
	TupleDesc	desc;
	HeapTuple	oldtup = NULL;
	HeapTuple	newtup = NULL;

	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_BEFORE(td->tg_event) ||
		!TRIGGER_FIRED_FOR_ROW(td->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("list_declarations_check() must be called as a BEFORE ROW trigger")));
	/* anyone may attach it to a table of theirs: read no other table's rows */
	if (RelationGetRelid(td->tg_relation) != declarations_table())
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("list_declarations_check() must be a trigger of the table list_declarations")));
	desc = RelationGetDescr(td->tg_relation);
	if (TRIGGER_FIRED_BY_UPDATE(td->tg_event))
	{
		oldtup = td->tg_trigtuple;
		newtup = td->tg_newtuple;
	}
	else if (TRIGGER_FIRED_BY_DELETE(td->tg_event))
		oldtup = td->tg_trigtuple;
	else
		newtup = td->tg_trigtuple;

	if (oldtup)
	{
		bool		isnull;
		Oid			relid = DatumGetObjectId(heap_getattr(oldtup, 1, desc, &isnull));

		if (!isnull && OidIsValid(relid) &&
			SearchSysCacheExists1(RELOID, ObjectIdGetDatum(relid)))
		{
			check_declaration(relid, NULL, NULL);
			CacheInvalidateRelcacheByRelid(relid);
		}
	}
	if (newtup)
	{
		bool		isnull;
		bool		vnull;
		Oid			relid = DatumGetObjectId(heap_getattr(newtup, 1, desc, &isnull));
		Datum		subj = heap_getattr(newtup, 2, desc, &isnull);
		Datum		valid = heap_getattr(newtup, 3, desc, &vnull);

		check_declaration(relid, isnull ? NULL : NameStr(*DatumGetName(subj)),
						  vnull ? NULL : NameStr(*DatumGetName(valid)));
		CacheInvalidateRelcacheByRelid(relid);
	}
	return PointerGetDatum(newtup ? newtup : oldtup);
}

/* ------------------------------------------------------------------------
 * Reading a list's shape
 * ------------------------------------------------------------------------
 */

char *
listed_qualified_operator(Oid opno)
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
 * How Citus distributes the relation: its pg_dist_partition.partmethod
 * ('n' a reference table, 'h' 'r' 'a' distributed), or '\0' if it is not a
 * Citus table (or Citus is not installed).
 */
static char
citus_partmethod(Oid relid)
{
	Oid			catalog = get_relname_relid("pg_dist_partition", PG_CATALOG_NAMESPACE);
	Oid			argtypes[1] = {OIDOID};
	Datum		values[1];
	int			rc;
	char		res = '\0';

	if (!OidIsValid(catalog))
		return res;
	values[0] = ObjectIdGetDatum(relid);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	rc = SPI_execute_with_args("SELECT partmethod::pg_catalog.text FROM pg_catalog.pg_dist_partition WHERE logicalrelid = $1",
							   1, argtypes, values, NULL, true, 1);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "reading pg_dist_partition failed: %s", SPI_result_code_string(rc));
	if (SPI_processed > 0)
	{
		char	   *m = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);

		res = (m && m[0]) ? m[0] : '?';
	}
	SPI_finish();
	return res;
}

/* Is the relation a Citus table?  Read from Citus's catalog, if present. */
bool
listed_is_citus_table(Oid relid)
{
	return citus_partmethod(relid) != '\0';
}


/* Is the index valid, without predicate, and led by column attno? */
static bool
index_on_column(Relation idx, AttrNumber attno)
{
	Form_pg_index ix = idx->rd_index;

	return ix->indisvalid && ix->indislive && ix->indisready &&
		ix->indnkeyatts >= 1 && ix->indkey.values[0] == attno &&
		heap_attisnull(idx->rd_indextuple, Anum_pg_index_indpred, NULL);
}

/*
 * Can this blacklist index (on the key column, valid, without predicate)
 * answer "no" for the equality eq_opr of a column of collation keycoll?
 * The filter hashes bytes (its collation is deterministic): it covers the
 * EXISTS's equality whenever the key column's collation is deterministic
 * too, whichever that is, and its operator family has that equality as its
 * strategy 1 (the blacklist `=`; an operator class made otherwise is not
 * used).
 */
static bool
filter_fits(Relation idx, Oid eq_opr, Oid keycoll)
{
	return blacklist_index_is(idx) &&
		get_op_opfamily_strategy(eq_opr, idx->rd_opfamily[0]) == 1 &&
		(!OidIsValid(keycoll) || get_collation_isdeterministic(keycoll));
}

/*
 * The list's indexes that listed() can use: a valid btree whose first column
 * is the key under the key's collation and the subject type's equality (the
 * index scan the planner would choose for the EXISTS), and a valid blacklist
 * index on the key with no predicate (a partial index does not cover every
 * row) when the key's collation is deterministic.  Both are plain indexes of
 * a plain table.
 */
static bool find_filter(ListEntry *e, Oid heaprel, AttrNumber attno, FilterRef *f);

static void
find_indexes(ListEntry *e)
{
	Relation	heap = table_open(e->relid, AccessShareLock);
	List	   *indexes = RelationGetIndexList(heap);
	ListCell   *lc;
	FilterRef	f;

	foreach(lc, indexes)
	{
		Relation	idx = index_open(lfirst_oid(lc), AccessShareLock);
		Form_pg_index ix = idx->rd_index;

		if (!OidIsValid(e->btree) && index_on_column(idx, e->keyattno) &&
			idx->rd_indcollation[0] == e->keycoll &&
			idx->rd_rel->relam == BTREE_AM_OID &&
			get_op_opfamily_strategy(e->eq_opr, idx->rd_opfamily[0]) == BTEqualStrategyNumber)
		{
			e->btree = RelationGetRelid(idx);
			e->btree_coll = idx->rd_indcollation[0];
			e->btree_checkxmin = ix->indcheckxmin;
			e->btree_xmin = HeapTupleHeaderGetXmin(idx->rd_indextuple->t_data);
		}
		index_close(idx, AccessShareLock);
	}
	list_free(indexes);
	table_close(heap, NoLock);
	if (find_filter(e, e->relid, e->keyattno, &f))
	{
		e->filter = f.index;
		e->filter_checkxmin = f.checkxmin;
		e->filter_xmin = f.xmin;
	}
}

/*
 * The blacklist index of table `heap` on its column `attno` that answers
 * for the entry's equality and collation, as find_indexes picks one.
 */
static bool
find_filter(ListEntry *e, Oid heaprel, AttrNumber attno, FilterRef *f)
{
	Relation	heap = table_open(heaprel, AccessShareLock);
	List	   *indexes = RelationGetIndexList(heap);
	ListCell   *lc;
	bool		found = false;

	foreach(lc, indexes)
	{
		Relation	idx = index_open(lfirst_oid(lc), AccessShareLock);
		Form_pg_index ix = idx->rd_index;

		if (!found && index_on_column(idx, attno) &&
			filter_fits(idx, e->eq_opr, e->keycoll))
		{
			f->heap = heaprel;
			f->index = RelationGetRelid(idx);
			f->checkxmin = ix->indcheckxmin;
			f->xmin = HeapTupleHeaderGetXmin(idx->rd_indextuple->t_data);
			found = true;
		}
		index_close(idx, AccessShareLock);
	}
	list_free(indexes);
	table_close(heap, NoLock);
	return found;
}

/* Note a relation whose invalidation makes the entry stale (in e->cxt). */
static void
add_dep(ListEntry *e, Oid relid)
{
	MemoryContext old = MemoryContextSwitchTo(e->cxt);

	if (e->deps == NULL)
		e->deps = palloc(sizeof(Oid) * 8);
	else if ((e->ndeps & 7) == 0)
		e->deps = repalloc(e->deps, sizeof(Oid) * (e->ndeps + 8));
	e->deps[e->ndeps++] = relid;
	MemoryContextSwitchTo(old);
}

/*
 * The filters of the rows of table `base` (column `attno`), which the list
 * reads whole: its own blacklist index, or, partitioned, one of every leaf
 * partition's (the subject need not be the partition key, so no partition
 * can be left out).  Sets e->filter_bases, or e->bases_why.
 */
static void
find_base_filters(ListEntry *e, Oid base, AttrNumber attno, bool inh)
{
	char		relkind = get_rel_relkind(base);
	char	   *colname = get_attname(base, attno, false);
	List	   *rels;
	ListCell   *lc;
	MemoryContext old;

	add_dep(e, base);
	if (listed_is_citus_table(base))
	{
		e->bases_why = "its table is a Citus table";
		return;
	}
	if (relkind == RELKIND_RELATION && (!inh || !has_subclass(base)))
		rels = list_make1_oid(base);
	else if (relkind == RELKIND_PARTITIONED_TABLE)
		rels = find_all_inheritors(base, AccessShareLock, NULL);
	else
	{
		e->bases_why = relkind == RELKIND_RELATION ?
			"its table has inheritance children" :
			"it reads no plain or partitioned table";
		return;
	}
	old = MemoryContextSwitchTo(e->cxt);
	e->bases = palloc0(sizeof(FilterRef) * list_length(rels));
	MemoryContextSwitchTo(old);
	foreach(lc, rels)
	{
		Oid			rel = lfirst_oid(lc);
		char		kind = get_rel_relkind(rel);
		AttrNumber	a;

		if (rel != base)
			add_dep(e, rel);
		if (kind == RELKIND_PARTITIONED_TABLE)
			continue;
		if (kind != RELKIND_RELATION)
		{
			e->bases_why = MemoryContextStrdup(e->cxt,
											   psprintf("partition %s is not a plain table",
														get_rel_name(rel)));
			return;
		}
		a = get_attnum(rel, colname);
		if (a == InvalidAttrNumber || !find_filter(e, rel, a, &e->bases[e->nbases]))
		{
			/* one index on the table (partitioned: on every partition) */
			if (!OidIsValid(e->keycoll) || get_collation_isdeterministic(e->keycoll))
				e->bases_advice =
					MemoryContextStrdup(e->cxt,
										psprintf("CREATE INDEX ON %s USING %s (%s); -- %s then answers \"not listed\" from %s",
												 quote_qualified_identifier(get_namespace_name(get_rel_namespace(base)),
																			get_rel_name(base)),
												 BLACKLIST_AM_NAME, quote_identifier(colname),
												 e->relkind == RELKIND_VIEW ? "the view" : "the list",
												 relkind == RELKIND_PARTITIONED_TABLE ?
												 "the filters of its partitions" : "the table's filter"));
			e->bases_why = MemoryContextStrdup(e->cxt,
											   psprintf(rel == base ?
														"%s has no blacklist index on %s" :
														"partition %s has no blacklist index on %s",
														get_rel_name(rel),
														quote_identifier(colname)));
			return;
		}
		e->nbases++;
	}
	e->filter_bases = true;
}

/*
 * A view whose rows are rows of one table, its subject column a column of
 * that table: "not in the table's filter" implies "not in the view".  A
 * simple view: one table in FROM, no aggregates, grouping, DISTINCT, set
 * operations, LIMIT, WITH, set-returning or volatile functions (its WHERE
 * only leaves rows out); the subject column a plain Var of the table (an
 * expression, a cast, could make unequal keys equal).  Whether the filters
 * may answer for a given caller (the table's row-level security and
 * privileges, for the view's owner unless security_invoker) is decided per
 * call (decide_access).
 */
static void
find_view_filters(ListEntry *e)
{
	Relation	rel = relation_open(e->relid, AccessShareLock);
	Query	   *q = get_view_query(rel);
	TargetEntry *tle;
	RangeTblEntry *rte;
	RangeTblRef *rtr;
	Var		   *var;

	e->base_user = RelationHasSecurityInvoker(rel) ? InvalidOid : rel->rd_rel->relowner;
	e->bases_why = "not a simple view of one table";
	if (q->commandType != CMD_SELECT || q->hasAggs || q->hasWindowFuncs ||
		q->hasTargetSRFs || q->hasRecursive || q->hasModifyingCTE ||
		q->setOperations || q->distinctClause || q->limitCount ||
		q->limitOffset || q->cteList || q->groupClause || q->groupingSets ||
		q->havingQual || list_length(q->jointree->fromlist) != 1 ||
		!IsA(linitial(q->jointree->fromlist), RangeTblRef) ||
		contain_volatile_functions((Node *) q))
		goto done;
	rtr = linitial_node(RangeTblRef, q->jointree->fromlist);
	rte = rt_fetch(rtr->rtindex, q->rtable);
	if (rte->rtekind != RTE_RELATION || rte->tablesample ||
		(rte->relkind != RELKIND_RELATION && rte->relkind != RELKIND_PARTITIONED_TABLE))
		goto done;
	tle = get_tle_by_resno(q->targetList, e->keyattno);
	if (tle == NULL || !IsA(tle->expr, Var))
	{
		e->bases_why = "its subject column is an expression, not a column of its table";
		goto done;
	}
	var = (Var *) tle->expr;
	if (var->varno != rtr->rtindex || var->varlevelsup != 0 || var->varattno <= 0)
	{
		e->bases_why = "its subject column is not a column of its table";
		goto done;
	}
	e->bases_why = NULL;
	e->base_rel = rte->relid;
	find_base_filters(e, rte->relid, var->varattno, rte->inh);
done:
	relation_close(rel, NoLock);
}

/*
 * Fill an entry from the catalogs (the list reader, src/listed.h).  Raises
 * 42804 when the columns do not fit the subject type.  The caller has
 * locked the list.
 */
static void
fill_entry(ListEntry *e)
{
	ListShape	s;
	StringInfoData sql;
	MemoryContext old;

	(void) listed_read_shape(e->relid, e->subjtype, e->dated, false, &s);
	e->relkind = s.relkind;
	e->eq_opr = s.eq_opr;
	e->eqproc = get_opcode(s.eq_opr);
	e->keycoll = s.keycoll;
	e->keyattno = s.keyattno;
	e->rangeattno = s.rangeattno;

	/* the probe through the executor, prepared when first needed */
	initStringInfo(&sql);
	appendStringInfo(&sql, "SELECT 1 FROM %s l WHERE l.%s %s $1",
					 s.qualname, quote_identifier(s.keyname),
					 listed_qualified_operator(s.eq_opr));
	if (e->dated)
		appendStringInfo(&sql, " AND l.%s OPERATOR(pg_catalog.@>) $2",
						 quote_identifier(s.rangename));
	appendStringInfoString(&sql, " LIMIT 1");

	old = MemoryContextSwitchTo(e->cxt);
	e->probe_sql = pstrdup(sql.data);
	e->hash_sql = e->dated ?
		psprintf("SELECT l.%s, l.%s FROM %s l", quote_identifier(s.keyname),
				 quote_identifier(s.rangename), s.qualname) :
		psprintf("SELECT l.%s FROM %s l", quote_identifier(s.keyname), s.qualname);
	MemoryContextSwitchTo(old);
	pfree(sql.data);

	if (s.relkind == RELKIND_RELATION || s.relkind == RELKIND_PARTITIONED_TABLE ||
		s.relkind == RELKIND_FOREIGN_TABLE)
		e->citus_method = citus_partmethod(e->relid);
	e->citus = e->citus_method != '\0';
	if (s.relkind == RELKIND_RELATION && !e->citus)
		find_indexes(e);
	else if (s.relkind == RELKIND_VIEW)
		find_view_filters(e);
	else if (s.relkind == RELKIND_PARTITIONED_TABLE && !e->citus)
	{
		e->base_rel = e->relid;
		find_base_filters(e, e->relid, e->keyattno, true);
	}
}

/*
 * The entry of a list, filled for the current catalogs.  The caller holds a
 * lock on the list (taking it read the invalidations of other sessions' DDL).
 */
static ListEntry *
get_entry(Oid relid, Oid subjtype, bool dated)
{
	ListEntry  *e = NULL;
	ListEntry  *victim = NULL;
	int			i;

	listed_init();
	if (cache == NULL)
	{
		cache_cxt = AllocSetContextCreate(CacheMemoryContext, "listed() lists",
										  ALLOCSET_SMALL_SIZES);
		cache = MemoryContextAllocZero(cache_cxt, sizeof(ListEntry) * LISTED_CACHE_SLOTS);
	}
	sweep_entries();
	for (i = 0; i < LISTED_CACHE_SLOTS; i++)
	{
		ListEntry  *c = &cache[i];

		if (c->serial != 0 && c->relid == relid && c->subjtype == subjtype &&
			c->dated == dated && c->valid)
		{
			e = c;
			break;
		}
		if (c->in_use == 0 &&
			(victim == NULL || c->serial == 0 ||
			 (victim->serial != 0 && c->last_used < victim->last_used)))
			victim = c;
	}
	if (e == NULL)
	{
		if (victim == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("listed() is reading too many lists at once"),
					 errdetail("At most %d lists may be read by nested listed() calls.",
							   LISTED_CACHE_SLOTS)));
		if (victim->serial != 0)
			free_entry(victim);
		e = victim;
		memset(e, 0, sizeof(ListEntry));
		e->relid = relid;
		e->subjtype = subjtype;
		e->dated = dated;
		e->cxt = AllocSetContextCreate(cache_cxt, "listed() list",
									   ALLOCSET_SMALL_SIZES);
		e->serial = next_serial++;
		/*
		 * Valid before reading the catalogs: an invalidation read meanwhile
		 * clears the flag, and the next call fills the entry again.
		 */
		e->valid = true;
		PG_TRY();
		{
			fill_entry(e);
		}
		PG_CATCH();
		{
			free_entry(e);
			PG_RE_THROW();
		}
		PG_END_TRY();
	}
	e->last_used = ++use_tick;
	return e;
}

/* ------------------------------------------------------------------------
 * Checks made once per stamp
 * ------------------------------------------------------------------------
 */

/*
 * Can a parallel worker read the list?  Not a temporary table (local
 * buffers of the leader), nor a foreign or Citus table (their connections
 * belong to the leader's transaction).  Views are looked into.  Returns a
 * description of the obstacle, or NULL.
 */
static const char *worker_obstacle(Oid relid);

static bool
obstacle_walker(Node *node, void *ctx)
{
	if (node == NULL)
		return false;
	if (IsA(node, RangeTblEntry))
	{
		RangeTblEntry *rte = (RangeTblEntry *) node;
		Oid		   *self = (Oid *) ((void **) ctx)[0];

		if (rte->rtekind == RTE_RELATION && rte->relid != *self)
		{
			const char *o = worker_obstacle(rte->relid);

			if (o)
			{
				((void **) ctx)[1] = (void *) o;
				return true;
			}
		}
		return false;
	}
	if (IsA(node, Query))
		return query_tree_walker((Query *) node, obstacle_walker, ctx,
								 QTW_EXAMINE_RTES_BEFORE);
	return expression_tree_walker(node, obstacle_walker, ctx);
}

static const char *
worker_obstacle(Oid relid)
{
	char		relkind = get_rel_relkind(relid);

	check_stack_depth();
	if (relkind == RELKIND_FOREIGN_TABLE)
		return "Foreign tables are read through the connections of the session's own transaction.";
	if (relkind != RELKIND_VIEW)
	{
		if (get_rel_persistence(relid) == RELPERSISTENCE_TEMP)
			return "Temporary tables are visible only to the session that created them.";
		if (relkind == RELKIND_RELATION && listed_is_citus_table(relid))
			return "Citus tables are read through the distributed executor of the session.";
		return NULL;
	}
	else
	{
		/* a view: what it reads (its rule also names itself, as OLD/NEW) */
		Relation	rel = relation_open(relid, AccessShareLock);
		Query	   *q = copyObject(get_view_query(rel));
		void	   *ctx[2];

		relation_close(rel, NoLock);
		ctx[0] = &relid;
		ctx[1] = NULL;
		(void) obstacle_walker((Node *) q, ctx);
		return (const char *) ctx[1];
	}
}

/*
 * listed() is PARALLEL SAFE, but a parallel worker cannot read some lists:
 * say so, instead of a wrong answer or PostgreSQL's error from deep inside.
 */
static void
check_worker_can_read(Oid relid)
{
	const char *o;

	if (!IsParallelWorker())
		return;
	o = worker_obstacle(relid);
	if (o)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("listed() cannot read the list \"%s\" in a parallel worker",
						get_rel_name(relid)),
				 errdetail("%s", o),
				 errhint("SET max_parallel_workers_per_gather = 0 for this statement, or use a permanent local table as the list.")));
}

/*
 * The EXISTS names the list, which needs USAGE on its schema (42501
 * otherwise).  A list given by OID skips that lookup: check here.  Also
 * used by blacklist_probe and blacklist_index_stats (src/blacklist.h).
 */
void
listed_check_schema_usage(Oid relid)
{
	Oid			nsp = get_rel_namespace(relid);

	if (OidIsValid(nsp) &&
		pg_namespace_aclcheck(nsp, GetUserId(), ACL_USAGE) != ACLCHECK_OK)
		aclcheck_error(ACLCHECK_NO_PRIV, OBJECT_SCHEMA, get_namespace_name(nsp));
}

/* May this transaction use an index built over broken HOT chains? */
static bool
index_usable(Oid index, bool checkxmin, TransactionId xmin)
{
	if (!OidIsValid(index))
		return false;
	return !checkxmin || TransactionIdPrecedes(xmin, TransactionXmin);
}

/* How calls on a list are answered, for one user in one stamp. */
typedef struct Access
{
	Oid			filter;			/* blacklist index answering "no", or Invalid */
	Oid			btree;			/* btree probed directly, or Invalid: SPI */
	bool		hashable;		/* without btree: the list's hash, not SPI */
	bool		hash_spi;		/* ... read through SPI (list_hash_probe_spi) */
	int			nbases;			/* filters of the tables a view or a */
	const FilterRef *bases;		/* partitioned list reads (entry's), or 0 */
	const char *why;			/* why SPI, or why no filter (diagnostics;
								 * in the decider's memory context) */
} Access;

/*
 * May `user` read what the EXISTS reads: the list, or its key (and
 * validity) column?
 */
static bool
list_readable(ListEntry *e, Oid user)
{
	return pg_class_aclcheck(e->relid, user, ACL_SELECT) == ACLCHECK_OK ||
		(pg_attribute_aclcheck(e->relid, e->keyattno, user, ACL_SELECT) == ACLCHECK_OK &&
		 (!e->dated ||
		  pg_attribute_aclcheck(e->relid, e->rangeattno, user, ACL_SELECT) == ACLCHECK_OK));
}

/*
 * Citus tables are read through SPI, by Citus's executor (Citus cannot be
 * installed where this extension is built and tested, so its placements'
 * blacklist indexes are not used: doc/reference/screening.md).
 */
static const char *
citus_why(ListEntry *e)
{
	return e->citus_method == 'n' ?
		"a Citus reference table: read through SPI (Citus's executor reads one placement of it per call), no filter" :
		"a Citus distributed table: read through SPI (Citus's executor queries its shards per call), no filter";
}

/*
 * Lists read through SPI as the caller: from the call site's hash of the
 * list read through SPI (src/listed_hash.c, which decides whether the
 * list's query may be hashed), else one SPI probe per call.
 */
static void
spi_hashable(ListEntry *e, Access *a)
{
	a->hashable = list_hash_possible(e->subjtype);
	a->hash_spi = a->hashable;
}

/*
 * Views and partitioned lists: "not listed" from the filters of the tables
 * they read (find_view_filters, find_base_filters), when every one is
 * usable in this transaction and neither a row-level security policy nor
 * a missing privilege of whoever the table is read as (the view's owner,
 * or the caller) stands between the list and that table: then the EXISTS
 * would read that table's rows as they are, or raise.  A "maybe", and
 * every call otherwise, is answered through SPI as the caller (the view's
 * meaning, security_barrier, privileges and policies hold), from the list
 * hash when its query may be hashed.
 */
static void
decide_through_bases(ListEntry *e, Access *a, const char *what)
{
	Oid			user = GetUserId();
	Oid			as = OidIsValid(e->base_user) ? e->base_user : user;
	int			i;

	if (!list_readable(e, user))
	{
		a->why = "no SELECT privilege: read through SPI (which raises the error)";
		return;
	}
	spi_hashable(e, a);
	if (!e->filter_bases)
	{
		a->why = psprintf("%s: read through SPI, no filter (%s)", what,
						  e->bases_why ? e->bases_why : "no blacklist index");
		return;
	}
	LockRelationOid(e->base_rel, AccessShareLock);
	if (check_enable_rls(e->base_rel, e->base_user, true) == RLS_ENABLED)
	{
		a->why = psprintf("%s: read through SPI, no filter (row-level security of %s applies)",
						  what, get_rel_name(e->base_rel));
		return;
	}
	if (e->base_rel != e->relid &&
		pg_class_aclcheck(e->base_rel, as, ACL_SELECT) != ACLCHECK_OK)
	{
		a->why = psprintf("%s: read through SPI, no filter (%s may not read all of %s)",
						  what, GetUserNameFromId(as, false), get_rel_name(e->base_rel));
		return;
	}
	for (i = 0; i < e->nbases; i++)
		if (!index_usable(e->bases[i].index, e->bases[i].checkxmin, e->bases[i].xmin))
		{
			a->why = psprintf("%s: read through SPI, no filter (the blacklist index %s is newer than this transaction's snapshot)",
							  what, get_rel_name(e->bases[i].index));
			return;
		}
	for (i = 0; i < e->nbases; i++)
	{
		LockRelationOid(e->bases[i].heap, AccessShareLock);
		LockRelationOid(e->bases[i].index, AccessShareLock);
	}
	a->nbases = e->nbases;
	a->bases = e->bases;
	if (e->relkind == RELKIND_VIEW)
		a->why = psprintf("a view of %s: \"not listed\" from its blacklist filter%s, \"maybe\" confirmed through the view (SPI)",
						  get_rel_name(e->base_rel),
						  e->nbases == 1 ? "" : psprintf("s (%d partitions)", e->nbases));
	else
		a->why = psprintf("a partitioned table: \"not listed\" from the blacklist filters of its %d partitions, \"maybe\" confirmed through SPI",
						  e->nbases);
}

/*
 * Do the filters of the tables a view or partitioned list reads say the
 * subject may be in the list?  (Each says "no" for keys its table never had.)
 */
static bool
bases_may_contain(const Access *a, Datum subj, Snapshot snap)
{
	int			i;

	for (i = 0; i < a->nbases; i++)
	{
		Relation	idx = index_open(a->bases[i].index, NoLock);
		bool		maybe = blacklist_may_contain(idx, subj, snap);

		index_close(idx, NoLock);
		if (maybe)
			return true;
	}
	return false;
}

static void
decide_access(ListEntry *e, Access *a)
{
	Oid			user = GetUserId();

	a->filter = InvalidOid;
	a->btree = InvalidOid;
	a->hashable = false;
	a->hash_spi = false;
	a->nbases = 0;
	a->bases = NULL;
	a->why = NULL;

	switch (e->relkind)
	{
		case RELKIND_VIEW:
			decide_through_bases(e, a, "a view");
			return;
		case RELKIND_MATVIEW:
			a->why = "a materialized view: read through SPI, no filter";
			spi_hashable(e, a);
			return;
		case RELKIND_PARTITIONED_TABLE:
			if (e->citus)
			{
				a->why = citus_why(e);
				return;
			}
			decide_through_bases(e, a, "a partitioned table");
			return;
		case RELKIND_FOREIGN_TABLE:
			a->why = "a foreign table: read through SPI, no filter";
			return;
		default:
			break;
	}
	if (e->citus)
	{
		a->why = citus_why(e);
		return;
	}
	if (has_subclass(e->relid))
	{
		a->why = "has inheritance children: read through SPI, no filter";
		if (list_readable(e, user))
			spi_hashable(e, a);
		return;
	}

	/*
	 * Without SELECT every call must raise 42501, as the EXISTS would: SPI,
	 * and no filter that could answer first.
	 */
	if (!list_readable(e, user))
	{
		a->why = "no SELECT privilege: read through SPI (which raises the error)";
		return;
	}

	/*
	 * Row-level security applies to this user (check_enable_rls, also with
	 * row_security off: then the probe raises, as the EXISTS would): no
	 * filter, no btree probe.  The filter knows the keys of the rows a
	 * policy hides too, so with it an absent key and a hidden key would
	 * take different paths: a "no" at once against a probe under the
	 * policy, told apart by the time taken, listed_explain's counters, and
	 * with row_security off by an error for the hidden key only.  Every
	 * call runs the same SPI probe, whatever rows the policy hides.
	 */
	if (check_enable_rls(e->relid, InvalidOid, true) == RLS_ENABLED)
	{
		a->why = "row-level security applies: read through SPI under the policy, no filter";
		spi_hashable(e, a);
		return;
	}

	/* a filter's "no" holds for every role whom no policy restricts */
	if (index_usable(e->filter, e->filter_checkxmin, e->filter_xmin))
	{
		LockRelationOid(e->filter, AccessShareLock);
		a->filter = e->filter;
	}
	else if (OidIsValid(e->filter))
		a->why = "its blacklist index is newer than this transaction's snapshot: not used yet";

	if (index_usable(e->btree, e->btree_checkxmin, e->btree_xmin))
	{
		LockRelationOid(e->btree, AccessShareLock);
		a->btree = e->btree;
	}
	else
	{
		/*
		 * No btree: the probes this user would take through the btree are
		 * answered from a hash of the list per call site and snapshot
		 * (src/listed_hash.c), exact for the same reasons.
		 */
		a->hashable = list_hash_possible(e->subjtype);
		if (!a->why)
			a->why = a->hashable ?
				(OidIsValid(e->btree) ?
				 "its btree index is newer than this transaction's snapshot: a hash of the list per statement" :
				 "no btree index on the subject column: a hash of the list per statement") :
				(OidIsValid(e->btree) ?
				 "its btree index is newer than this transaction's snapshot: probes through SPI" :
				 "no btree index on the subject column: probes through SPI");
	}
}

/* ------------------------------------------------------------------------
 * Probes
 * ------------------------------------------------------------------------
 */

/* Convert a daterange to a closed day interval; false if it is empty. */
bool
list_range_days(TypeCacheEntry *rngtce, Datum d, int32 *lo, int32 *hi)
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
	*lo = (int32) l;
	*hi = (int32) h;
	return true;
}

/*
 * One key through an open btree scan of the list (src/listed.h): is there a
 * row for `subj` visible to the scan's snapshot (whose validity contains
 * `at`, when `rangeattno` is set)?
 */
bool
listed_btree_lookup(IndexScanDesc scan, TupleTableSlot *slot, Oid coll,
					RegProcedure eqproc, Datum subj, AttrNumber rangeattno,
					DateADT at)
{
	ScanKeyData skey;
	TypeCacheEntry *rngtce = NULL;

	if (rangeattno != InvalidAttrNumber)
		rngtce = lookup_type_cache(DATERANGEOID, TYPECACHE_RANGE_INFO);
	ScanKeyEntryInitialize(&skey, 0, 1, BTEqualStrategyNumber, InvalidOid,
						   coll, eqproc, subj);
	index_rescan(scan, &skey, 1, NULL, 0);
	while (index_getnext_slot(scan, ForwardScanDirection, slot))
	{
		bool		isnull;
		Datum		rd;
		int32		lo,
					hi;

		if (rangeattno == InvalidAttrNumber)
			return true;
		rd = slot_getattr(slot, rangeattno, &isnull);
		if (!isnull && list_range_days(rngtce, rd, &lo, &hi) && lo <= at && at <= hi)
			return true;
	}
	return false;
}

/* One probe of the list's btree index under the snapshot (locks held). */
static bool
probe_btree(ListEntry *e, Oid btree, Datum subj, DateADT at, Snapshot snap)
{
	Relation	heap = table_open(e->relid, NoLock);
	Relation	idx = index_open(btree, NoLock);
	TupleTableSlot *slot = table_slot_create(heap, NULL);
	IndexScanDesc scan = index_beginscan(heap, idx, snap, 1, 0);
	bool		found;

	found = listed_btree_lookup(scan, slot, e->btree_coll, e->eqproc, subj,
								e->dated ? e->rangeattno : InvalidAttrNumber, at);
	index_endscan(scan);
	ExecDropSingleTupleTableSlot(slot);
	index_close(idx, NoLock);
	table_close(heap, NoLock);
	return found;
}

/* One probe through the executor, as the current user. */
static bool
probe_spi(ListEntry *e, Datum subj, DateADT at, bool read_only)
{
	Datum		values[2];
	char		nulls[2] = {' ', ' '};
	int			rc;
	bool		found;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (e->probe == NULL)
	{
		Oid			argtypes[2];
		SPIPlanPtr	plan;

		argtypes[0] = e->subjtype;
		argtypes[1] = DATEOID;
		plan = SPI_prepare_cursor(e->probe_sql, e->dated ? 2 : 1, argtypes,
								  CURSOR_OPT_GENERIC_PLAN);
		if (plan == NULL)
			elog(ERROR, "could not prepare \"%s\": %s", e->probe_sql,
				 SPI_result_code_string(SPI_result));
		SPI_keepplan(plan);
		e->probe = plan;
	}
	values[0] = subj;
	values[1] = DateADTGetDatum(at);
	e->in_use++;
	PG_TRY();
	{
		rc = SPI_execute_plan(e->probe, values, nulls, read_only, 1);
	}
	PG_FINALLY();
	{
		e->in_use--;
	}
	PG_END_TRY();
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "probing the list failed: %s", SPI_result_code_string(rc));
	found = SPI_processed > 0;
	SPI_finish();
	return found;
}

/* ------------------------------------------------------------------------
 * Call sites
 * ------------------------------------------------------------------------
 */

typedef struct Stamp
{
	LocalTransactionId lxid;
	uint64		subaborts;
	uint64		gen;
	Oid			userid;
	int			seccxt;			/* SECURITY_NOFORCE_RLS: check_enable_rls */
	bool		rowsec;
} Stamp;

typedef struct CallSite
{
	Oid			subjtype;
	bool		dated;
	Oid			relid;			/* the list decided for, or Invalid */
	ListEntry  *ent;
	uint64		serial;			/* ent->serial when decided */
	Stamp		stamp;
	Access		access;
	ListCounters *counters;		/* of ent, for stamp.userid */
	ListHash   *hash;			/* the list's keys, when access.hashable */
	/* the filter's handle (src/blacklist.h), for this decision only */
	bool		filter_ready;
	BlacklistHandle filter;
} CallSite;

static inline void
stamp_now(Stamp *s)
{
	/* padding too: probe_hash hands the stamp on as bytes, compared whole */
	memset(s, 0, sizeof(Stamp));
	s->lxid = MyProc->lxid;
	s->subaborts = subxact_aborts;
	s->gen = inval_gen;
	GetUserIdAndSecContext(&s->userid, &s->seccxt);
	s->rowsec = row_security;
}

static inline bool
stamp_current(const Stamp *s)
{
	Oid			userid;
	int			seccxt;

	GetUserIdAndSecContext(&userid, &seccxt);
	return s->lxid == MyProc->lxid &&
		s->subaborts == subxact_aborts &&
		s->gen == inval_gen &&
		s->userid == userid &&
		s->seccxt == seccxt &&
		s->rowsec == row_security;
}

/*
 * Lock the list as the query would, check what the EXISTS checks before it
 * runs, and decide the path.  Locks taken here read pending invalidations;
 * if one of them concerns the list, decide again.
 */
static void
decide(CallSite *site, Oid relid)
{
	for (;;)
	{
		ListEntry  *e;

		site->relid = InvalidOid;
		LockRelationOid(relid, AccessShareLock);
		listed_check_schema_usage(relid);
		/* an unlogged list on a hot standby: PostgreSQL's error, not 58P01 */
		blacklist_check_recovery_access(relid);
		check_worker_can_read(relid);
		e = get_entry(relid, site->subjtype, site->dated);
		decide_access(e, &site->access);
		if (!e->valid)
			continue;

		/*
		 * Under SERIALIZABLE the EXISTS would leave a predicate lock on what
		 * it read (the btree page where the key would be), so that a
		 * concurrent insert of the key is a read/write conflict.  A "no"
		 * from the filter reads nothing of the list: lock the whole list
		 * instead, as a sequential scan would.
		 */
		if ((OidIsValid(site->access.filter) || site->access.bases) &&
			IsolationIsSerializable() && ActiveSnapshotSet())
		{
			int			i;

			for (i = 0; i < Max(site->access.nbases, 1); i++)
			{
				Relation	heap = table_open(site->access.bases ?
											  site->access.bases[i].heap : relid,
											  NoLock);

				PredicateLockRelation(heap, GetActiveSnapshot());
				table_close(heap, NoLock);
			}
		}
		stamp_now(&site->stamp);
		site->counters = entry_counters(e, site->stamp.userid);
		site->ent = e;
		site->serial = e->serial;
		site->relid = relid;
		return;
	}
}

/*
 * Answer from the call site's hash of the list (src/listed_hash.c); false
 * if the list is too big to hash.  The stamp given to the hash is the
 * decision's: the entry and everything stamp_current compares.
 */
static bool
probe_hash(CallSite *site, Datum subj, DateADT at, Snapshot snap, bool *found)
{
	ListEntry  *e = site->ent;
	ListHashSpec spec;
	char		stamp[LIST_HASH_STAMP_LEN];
	Relation	heap;
	bool		ok;

	StaticAssertStmt(sizeof(uint64) + sizeof(Stamp) <= LIST_HASH_STAMP_LEN,
					 "LIST_HASH_STAMP_LEN too small");
	memset(stamp, 0, sizeof(stamp));
	memcpy(stamp, &site->serial, sizeof(uint64));
	memcpy(stamp + sizeof(uint64), &site->stamp, sizeof(Stamp));
	if (site->hash == NULL)
		site->hash = list_hash_new(GetMemoryChunkContext(site));
	spec.subjtype = e->subjtype;
	spec.keycoll = e->keycoll;
	spec.eqproc = e->eqproc;
	spec.keyattno = e->keyattno;
	spec.rangeattno = e->dated ? e->rangeattno : InvalidAttrNumber;
	spec.sql = NULL;
	if (site->access.hash_spi)
	{
		/* views, partitioned lists, policies: the list's query as the caller */
		spec.keyattno = 1;
		spec.rangeattno = e->dated ? 2 : InvalidAttrNumber;
		spec.sql = e->hash_sql;
		return list_hash_probe_spi(site->hash, &spec, stamp, snap, subj, at, found);
	}
	heap = table_open(e->relid, NoLock);
	ok = list_hash_probe(site->hash, &spec, stamp, heap, snap, subj, at, found);
	table_close(heap, NoLock);
	return ok;
}

/* ------------------------------------------------------------------------
 * For the screening scan (src/listed_scan.c, declared in src/listed.h)
 * ------------------------------------------------------------------------
 */

uint64
listed_scan_epoch(void)
{
	return inval_gen + subxact_aborts;
}

bool
listed_scan_access(Oid relid, Oid subjtype, bool dated, ListedScanAccess *out)
{
	ListEntry  *e;
	Access		a;
	Oid			nsp;
	ListShape	shape;

	memset(out, 0, sizeof(ListedScanAccess));
	LockRelationOid(relid, AccessShareLock);
	if (get_rel_relkind(relid) != RELKIND_RELATION)
	{
		out->why = "the list is not a plain table";
		return false;
	}
	nsp = get_rel_namespace(relid);
	if (!OidIsValid(nsp) ||
		pg_namespace_aclcheck(nsp, GetUserId(), ACL_USAGE) != ACLCHECK_OK)
	{
		out->why = "no USAGE on the list's schema";
		return false;
	}
	if (RecoveryInProgress())
	{
		out->why = "recovery is in progress";
		return false;
	}
	if (IsParallelWorker() && worker_obstacle(relid) != NULL)
	{
		out->why = "a parallel worker cannot read the list";
		return false;
	}
	/* a list listed() would refuse raises there, for the rows that reach it */
	if (!listed_read_shape(relid, subjtype, dated, true, &shape))
	{
		out->why = "the list has no column listed() would use";
		return false;
	}
	do
	{
		e = get_entry(relid, subjtype, dated);
		decide_access(e, &a);
	} while (!e->valid);
	out->why = a.why;
	if (!OidIsValid(a.filter) || !OidIsValid(a.btree))
		return false;
	out->filter = a.filter;
	out->btree = a.btree;
	out->btree_coll = e->btree_coll;
	out->eqproc = e->eqproc;
	out->rangeattno = e->dated ? e->rangeattno : InvalidAttrNumber;
	return true;
}

void
listed_scan_count(Oid relid, Oid subjtype, bool dated, uint64 calls,
				  uint64 filtered, uint64 probed, uint64 hits)
{
	int			i;

	if (cache == NULL)
		return;
	for (i = 0; i < LISTED_CACHE_SLOTS; i++)
	{
		ListEntry  *e = &cache[i];

		if (e->serial != 0 && e->valid && e->relid == relid &&
			e->subjtype == subjtype && e->dated == dated)
		{
			ListCounters *c = entry_counters(e, GetUserId());

			c->calls += calls;
			c->filtered += filtered;
			c->probed += probed;
			c->hits += hits;
			return;
		}
	}
}

static Datum
listed_common(FunctionCallInfo fcinfo, bool dated)
{
	Datum		subj = PG_GETARG_DATUM(0);
	Oid			relid = PG_GETARG_OID(1);
	DateADT		at = dated ? PG_GETARG_DATEADT(2) : 0;
	CallSite   *site = (CallSite *) fcinfo->flinfo->fn_extra;
	ListCounters *n;
	Snapshot	snap;
	bool		found;

	if (site == NULL)
	{
		Oid		   *argtypes;
		int			nargs;

		site = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(CallSite));
		(void) get_func_signature(fcinfo->flinfo->fn_oid, &argtypes, &nargs);
		if (nargs < 2)
			elog(ERROR, "listed() declared with %d arguments", nargs);
		site->subjtype = argtypes[0];
		site->dated = dated;
		fcinfo->flinfo->fn_extra = site;
	}

	/*
	 * site->ent is unset until a decision succeeds; a list given as OID 0
	 * (regclass '-') matches the zeroed site->relid, so test it first.
	 */
	if (site->ent == NULL || site->relid != relid ||
		site->ent->serial != site->serial ||
		!site->ent->valid || !stamp_current(&site->stamp))
	{
		site->filter_ready = false;
		decide(site, relid);
	}
	n = site->counters;
	n->calls++;

	if (!ActiveSnapshotSet())
	{
		/* no statement snapshot: the executor takes a fresh one */
		n->spi++;
		found = probe_spi(site->ent, subj, at, false);
		if (found)
			n->hits++;
		PG_RETURN_BOOL(found);
	}
	snap = GetActiveSnapshot();

	if (OidIsValid(site->access.filter))
	{
		BlacklistAnswer answer = BLACKLIST_ASK_INDEX;
		uint64		hash = 0;

		/*
		 * The filter's handle: the key's hash without looking up the
		 * support function, and the private copy's answer without opening
		 * the index (src/blacklist.h).  It lives as long as this decision
		 * (made again at every stamp change: role, transaction, rolled-back
		 * subtransaction, invalidation of the list) and holds nothing open:
		 * DDL on the list between calls finds no reference left behind.
		 */
		if (site->filter_ready)
		{
			hash = blacklist_handle_hash(&site->filter, subj);
			answer = blacklist_handle_test(&site->filter, hash, snap);
		}
		if (answer == BLACKLIST_ASK_INDEX)
		{
			Relation	idx = index_open(site->access.filter, NoLock);

			if (!site->filter_ready)
			{
				blacklist_handle_init(&site->filter, idx, fcinfo->flinfo->fn_mcxt);
				site->filter_ready = true;
				hash = blacklist_handle_hash(&site->filter, subj);
			}
			answer = blacklist_may_contain_hash(idx, hash, snap) ?
				BLACKLIST_MAYBE : BLACKLIST_NO;
			blacklist_handle_refresh(&site->filter, idx);
			index_close(idx, NoLock);
		}
		if (answer == BLACKLIST_NO)
		{
			n->filtered++;
			PG_RETURN_BOOL(false);
		}
	}
	else if (site->access.bases && !bases_may_contain(&site->access, subj, snap))
	{
		n->filtered++;
		PG_RETURN_BOOL(false);
	}
	if (OidIsValid(site->access.btree))
	{
		n->probed++;
		found = probe_btree(site->ent, site->access.btree, subj, at, snap);
	}
	else if (site->access.hashable && snap->snapshot_type == SNAPSHOT_MVCC &&
			 probe_hash(site, subj, at, snap, &found))
		n->probed++;
	else
	{
		n->spi++;
		found = probe_spi(site->ent, subj, at, true);
	}
	if (found)
		n->hits++;
	PG_RETURN_BOOL(found);
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

/* ------------------------------------------------------------------------
 * Diagnostics
 * ------------------------------------------------------------------------
 */

/*
 * listed_explain(list regclass) → (filter regclass,
 *     probe_index regclass, confirm text, note text, calls bigint,
 *     filtered bigint, probed bigint, spi bigint, hits bigint, advice text)
 *
 * How a call on the list by the current user is answered now (the same
 * decision a call makes), and how this user's calls in this backend so far
 * were answered (counters since the list's entry was last filled; parallel
 * workers count in their own processes).  Needs what the EXISTS needs:
 * USAGE on the list's schema and SELECT on the list (or its subject
 * column); another user's calls are not shown (their hits are answers this
 * user may not see).
 */
Datum
listed_explain(PG_FUNCTION_ARGS)
{
	Oid			relid = PG_GETARG_OID(0);
	Oid			user = GetUserId();
	TupleDesc	tupdesc;
	Datum		values[10];
	bool		nulls[10];
	ListShape	shape;
	Oid			keytype;
	ListEntry  *e;
	Access		a;
	uint64		sums[5] = {0, 0, 0, 0, 0};
	int			i;
	char	   *advice = NULL;

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	tupdesc = BlessTupleDesc(tupdesc);

	LockRelationOid(relid, AccessShareLock);
	if (get_rel_relkind(relid) == '\0')
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("list relation with OID %u does not exist", relid)));
	listed_check_schema_usage(relid);
	/* the subject column by the list reader's rules, for any subject type */
	(void) listed_read_shape(relid, InvalidOid, false, false, &shape);
	keytype = shape.subjtype;

	do
	{
		e = get_entry(relid, keytype, false);
		if (!list_readable(e, user))
			aclcheck_error(ACLCHECK_NO_PRIV, get_relkind_objtype(e->relkind),
						   get_rel_name(relid));
		decide_access(e, &a);
	} while (!e->valid);

	for (i = 0; i < LISTED_CACHE_SLOTS; i++)
		if (cache[i].serial != 0 && cache[i].relid == relid && cache[i].valid)
		{
			ListCounters *c;

			for (c = cache[i].counters; c != NULL; c = c->next)
				if (c->userid == user)
				{
					sums[0] += c->calls;
					sums[1] += c->filtered;
					sums[2] += c->probed;
					sums[3] += c->spi;
					sums[4] += c->hits;
				}
		}

	memset(nulls, 0, sizeof(nulls));
	values[0] = ObjectIdGetDatum(a.bases ? a.bases[0].index : a.filter);
	nulls[0] = !OidIsValid(a.filter) && a.nbases == 0;
	values[1] = ObjectIdGetDatum(a.btree);
	nulls[1] = !OidIsValid(a.btree);
	if (shape.declared)
		a.why = a.why ? psprintf("%s; columns declared (listed_declare)", a.why) :
			"columns declared (listed_declare)";
	if (a.hash_spi && !list_hash_spi_exact(e->hash_sql))
	{
		/* a STABLE or volatile function, a foreign table: never hashed */
		a.hashable = a.hash_spi = false;
		a.why = psprintf("%s; not hashed (its query calls a function that is not immutable, reads a foreign or Citus table, or raises)",
						 a.why);
	}
	values[2] = CStringGetTextDatum(OidIsValid(a.btree) ? "btree probe" :
									a.hash_spi ? "SPI, then a list hash" :
									a.hashable ? "list hash" : "SPI");
	values[3] = a.why ? CStringGetTextDatum(a.why) : (Datum) 0;
	nulls[3] = a.why == NULL;
	for (i = 0; i < 5; i++)
		values[4 + i] = Int64GetDatum((int64) sums[i]);

	/*
	 * Advice is a statement that runs as it is (test/listed.sql executes
	 * each): the filter only for a column whose collation the filter can
	 * serve (find_indexes), the btree for the filter's positives.
	 */
	if (e->relkind == RELKIND_RELATION && !e->citus)
	{
		const char *col = quote_identifier(shape.keyname);

		if (!OidIsValid(e->filter) &&
			(!OidIsValid(e->keycoll) || get_collation_isdeterministic(e->keycoll)))
			advice = psprintf("CREATE INDEX ON %s USING %s (%s); -- most calls are then "
							  "answered from the filter, without reading the list",
							  shape.qualname, BLACKLIST_AM_NAME, col);
		else if (!OidIsValid(e->btree))
			advice = psprintf("CREATE INDEX ON %s (%s); -- the filter's positives are then "
							  "confirmed by a btree probe instead of a scan of the list",
							  shape.qualname, col);
	}
	else if (!e->filter_bases && e->bases_advice)
		advice = e->bases_advice;
	values[9] = advice ? CStringGetTextDatum(advice) : (Datum) 0;
	nulls[9] = advice == NULL;
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}

/*
 * listed_shape(list regclass) → (subject_column name, subject_type regtype,
 *                                validity_column name)
 * The columns listed(), listed_entries() and listed_explain() use on the
 * list, by the list reader's rules (src/listed.h) for a subject of the
 * identifier types first, then bigint, then text; NULLs where there is none
 * or the rules find several (listed_explain raises the error that says
 * which).  Reads the catalogs only: for the view listed_lists too.
 */
Datum
listed_shape(PG_FUNCTION_ARGS)
{
	Oid			relid = PG_GETARG_OID(0);
	TupleDesc	tupdesc;
	Datum		values[3];
	bool		nulls[3] = {true, true, true};
	ListShape	s;

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	tupdesc = BlessTupleDesc(tupdesc);
	if (listed_read_shape(relid, InvalidOid, false, true, &s))
	{
		values[0] = CStringGetDatum(s.keyname);
		nulls[0] = false;
		values[1] = ObjectIdGetDatum(s.keytype);
		nulls[1] = false;
		if (listed_read_shape(relid, s.subjtype, true, true, &s))
		{
			values[2] = CStringGetDatum(s.rangename);
			nulls[2] = false;
		}
	}
	if (!nulls[0])
		values[0] = DirectFunctionCall1(namein, values[0]);
	if (!nulls[2])
		values[2] = DirectFunctionCall1(namein, values[2]);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}

/*
 * listed_last_build() → (list regclass, rows bigint, keys bigint, bytes bigint,
 *                        build_ms float8, calls_before bigint, threshold bigint)
 * 1.0 API.  Since 1.1 listed() builds no in-memory index, so there is never
 * a last build: a row of NULLs.  Use listed_explain() instead.
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
	{
		values[i] = (Datum) 0;
		nulls[i] = true;
	}
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}
