/*
 * listed_scan.c — the screening scan: a custom scan node that reads a plain
 * table and evaluates a restriction
 *     listed(expr, 'list'::regclass [, at])   or   NOT listed(...)
 * for a page of rows at a time, instead of one listed() call per row.
 *
 * SQL objects: the planner support function listed_support (attached to
 * every listed() overload, src/listed.sql; it gives the planner the
 * restriction's selectivity and, being called at planning time, loads this
 * library, whose _PG_init installs the planner hook: no
 * shared_preload_libraries), and the setting integrity.screening_scan
 * (default on; off: no node is planned, and a node in a cached plan
 * evaluates listed() per row).
 *
 * Planning.  set_rel_pathlist_hook adds a CustomScan path (and a partial
 * one for a Gather, parallel-aware over a parallel heap scan) for a plain
 * heap table without TABLESAMPLE or lateral references whose restrictions
 * include listed()/NOT listed() with a constant list and a subject (and
 * date) expression without subqueries, and no restriction with a volatile
 * function; neither may the subject nor a restriction evaluated before
 * the screened one raise for a row's values (a function that is not
 * leakproof applied to the columns, e.g. a division): the node evaluates
 * them a page ahead, a scan under a LIMIT stops at the row it needs.  The restrictions a sequential scan evaluates before it
 * (order_qual_clauses: security level, then cost; row-level security on
 * the scanned table among them) are evaluated before it, in the node; the
 * others after it, as the scan's quals: a condition is evaluated for the
 * rows it would be evaluated for without the node.
 *
 * Execution, page by page (heap page mode: the visible tuples of the page,
 * read under the scan's MVCC snapshot): for every visible row, the
 * earlier quals, then the subject (and date) expression and its filter
 * hash; the filter blocks of the whole page are prefetched and tested
 * (blacklist_may_contain_batch).  For listed(), the candidates of many
 * pages are copied into a batch (the rest of each page skipped), sorted by
 * subject and confirmed by btree probes in that order through one index
 * scan of the list per batch, opened and closed with it; the batch's rows
 * are then returned in the order they were read (see "The batch" below;
 * only when the decision changes at a page boundary may a row screened per
 * row come back before the batch's: SQL promises no order of a scan).
 * For NOT listed(), whose rows are nearly all returned, the candidates are
 * confirmed page by page, through one index scan per page, and the page's
 * rows returned in order.  No relation of the list is kept open between
 * batches or pages, so nothing the node leaves behind stops a TRUNCATE of
 * the list once the statement is done, or in a function the statement
 * calls.
 *
 * How it stays exact: it answers exactly as listed() would, by the same
 * decisions (the big comment atop src/listed.c):
 *   - the path is decided at the first page of each execution, as the
 *     executing user (a cached plan run by another role decides for that
 *     role), by listed_scan_access, which makes listed()'s own decision
 *     (src/listed.c: lock, schema USAGE, privileges, row-level security,
 *     relkind, inheritance, Citus, usable indexes).  Only a plain table
 *     answered by a blacklist filter with a btree to confirm is screened;
 *     every other case (views, row-level security on the list, partitioned,
 *     foreign or Citus lists, lists without those indexes, a snapshot that
 *     is not MVCC, the setting off) evaluates the original restriction per
 *     row, so listed() answers and raises as it would without the node.
 *     The decision is made again at the next page whenever anything that
 *     could change it happened (listed_scan_epoch, another user,
 *     row_security: what listed()'s call-site stamp compares), after the
 *     batch's candidates are confirmed under the decision that found them;
 *   - EvalPlanQual (a row re-read by UPDATE or DELETE) re-checks every
 *     condition, listed() per row;
 *   - "not listed" comes only from the filter's "no", given by
 *     blacklist_may_contain_batch under the executor's snapshot: the
 *     backend-private copy only while it covers that snapshot (the proof in
 *     src/blacklist_copy.c), else the shared pages;
 *   - "listed" comes only from a btree probe under the executor's snapshot
 *     (listed_btree_lookup, the probe listed() makes, with the validity
 *     check of the dated form; undated, probe_index_only: the visibility
 *     map's shortcut exactly where an index-only scan takes it);
 *   - under SERIALIZABLE the list is predicate-locked whole when the filter
 *     is used, as listed() does;
 *   - NULL subject or date: the row is not returned (listed() is STRICT).
 *
 * EXPLAIN shows the restriction; EXPLAIN ANALYZE also how it was answered
 * and the counters: rows screened, rows filtered out by the filter,
 * candidates, confirmed (summed over parallel workers).
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/stratnum.h"
#include "access/heapam.h"
#include "access/relscan.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/visibilitymap.h"
#include "access/xact.h"
#include "catalog/pg_am.h"
#include "catalog/pg_class.h"
#include "catalog/pg_proc.h"
#include "catalog/pg_type.h"
#include "commands/explain.h"
#include "executor/executor.h"
#include "executor/nodeCustom.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "nodes/extensible.h"
#include "nodes/makefuncs.h"
#include "nodes/nodeFuncs.h"
#include "nodes/supportnodes.h"
#include "optimizer/clauses.h"
#include "optimizer/cost.h"
#include "optimizer/optimizer.h"
#include "optimizer/pathnode.h"
#include "optimizer/paths.h"
#include "optimizer/restrictinfo.h"
#include "parser/parsetree.h"
#include "port/atomics.h"
#include "storage/bufmgr.h"
#include "storage/predicate.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/rls.h"
#include "utils/ruleutils.h"
#include "utils/selfuncs.h"
#include "utils/sortsupport.h"
#include "utils/datum.h"
#include "utils/syscache.h"

#include "blacklist.h"
#include "listed.h"

PG_FUNCTION_INFO_V1(listed_support);

void		listed_scan_init(void);

static bool screening_scan = true;
static set_rel_pathlist_hook_type prev_set_rel_pathlist = NULL;

/* ------------------------------------------------------------------------
 * Recognising the restriction
 * ------------------------------------------------------------------------
 */

/* A restriction the node can take: (NOT) listed(subject, list [, at]). */
typedef struct Screened
{
	RestrictInfo *rinfo;
	FuncExpr   *call;
	bool		negate;
	bool		dated;
	Oid			subjtype;		/* listed()'s declared subject type */
	Oid			list;
} Screened;

/* Is funcid one of listed()'s overloads?  *dated for the dated form. */
static bool
is_listed_function(Oid funcid, bool *dated)
{
	FmgrInfo	fi;

	if (get_func_rettype(funcid) != BOOLOID)
		return false;
	fmgr_info(funcid, &fi);
	*dated = fi.fn_addr == listed_at;
	return fi.fn_addr == listed || fi.fn_addr == listed_at;
}

static bool
screened_clause(Node *clause, Screened *s)
{
	FuncExpr   *f;
	Const	   *c;
	Oid		   *argtypes;
	int			nargs;

	memset(s, 0, sizeof(Screened));
	if (is_notclause(clause))
	{
		s->negate = true;
		clause = (Node *) get_notclausearg((Expr *) clause);
	}
	if (!IsA(clause, FuncExpr))
		return false;
	f = (FuncExpr *) clause;
	if (list_length(f->args) < 2 || list_length(f->args) > 3 ||
		!IsA(lsecond(f->args), Const) ||
		!is_listed_function(f->funcid, &s->dated) ||
		list_length(f->args) != (s->dated ? 3 : 2))
		return false;
	c = (Const *) lsecond(f->args);
	if (c->constisnull || c->consttype != REGCLASSOID)
		return false;
	if (contain_volatile_functions((Node *) f->args) ||
		contain_subplans((Node *) f->args))
		return false;
	(void) get_func_signature(f->funcid, &argtypes, &nargs);
	s->subjtype = argtypes[0];
	s->list = DatumGetObjectId(c->constvalue);
	s->call = f;
	return true;
}

/* ------------------------------------------------------------------------
 * Selectivity (listed_support)
 * ------------------------------------------------------------------------
 */

#define LISTED_DEFAULT_SELECTIVITY 0.01

/*
 * The share of probe rows that are listed, estimated as PostgreSQL
 * estimates the semi-join of the EXISTS: the list's rows over the distinct
 * values of the subject, at most 1; a small default when either is
 * unknown.
 */
static Selectivity
listed_selectivity(PlannerInfo *root, List *args)
{
	Node	   *list = list_length(args) >= 2 ? lsecond(args) : NULL;
	double		listrows = -1;
	double		nd;
	bool		isdefault;
	VariableStatData vardata;
	HeapTuple	tp;

	if (list == NULL || !IsA(list, Const) || ((Const *) list)->constisnull ||
		((Const *) list)->consttype != REGCLASSOID)
		return LISTED_DEFAULT_SELECTIVITY;
	tp = SearchSysCache1(RELOID, ((Const *) list)->constvalue);
	if (HeapTupleIsValid(tp))
	{
		Form_pg_class c = (Form_pg_class) GETSTRUCT(tp);

		if (c->relkind == RELKIND_RELATION && c->reltuples >= 0)
			listrows = c->reltuples;
		ReleaseSysCache(tp);
	}
	if (listrows < 0)
		return LISTED_DEFAULT_SELECTIVITY;
	examine_variable(root, linitial(args), 0, &vardata);
	nd = get_variable_numdistinct(&vardata, &isdefault);
	ReleaseVariableStats(vardata);
	if (isdefault || nd <= 0)
		return LISTED_DEFAULT_SELECTIVITY;
	return Max(Min(listrows / nd, 1.0), 1.0e-6);
}

/* listed_support(internal) → internal: the planner support of listed() */
Datum
listed_support(PG_FUNCTION_ARGS)
{
	Node	   *rawreq = (Node *) PG_GETARG_POINTER(0);

	if (IsA(rawreq, SupportRequestSelectivity))
	{
		SupportRequestSelectivity *req = (SupportRequestSelectivity *) rawreq;

		if (req->is_join)
			PG_RETURN_POINTER(NULL);
		req->selectivity = listed_selectivity(req->root, req->args);
		PG_RETURN_POINTER(req);
	}
	PG_RETURN_POINTER(NULL);
}

/* ------------------------------------------------------------------------
 * Paths and plans
 * ------------------------------------------------------------------------
 */

static Plan *screening_plan(PlannerInfo *root, RelOptInfo *rel, CustomPath *best_path,
							List *tlist, List *clauses, List *custom_plans);
static Node *screening_create_state(CustomScan *cscan);

static const CustomPathMethods screening_path_methods = {
	.CustomName = "Screening Scan",
	.PlanCustomPath = screening_plan,
};

static const CustomScanMethods screening_scan_methods = {
	.CustomName = "Screening Scan",
	.CreateCustomScanState = screening_create_state,
};

/* Gather's divisor of a partial path's rows (costsize.c's, not exported) */
static double
parallel_divisor(int workers)
{
	double		d = workers;

	if (parallel_leader_participation)
	{
		double		leader = 1.0 - 0.3 * workers;

		if (leader > 0)
			d += leader;
	}
	return d;
}

static void
add_screening_path(PlannerInfo *root, RelOptInfo *rel, Screened *s, int workers)
{
	CustomPath *cp = makeNode(CustomPath);
	QualCost	qual;
	double		pages = rel->pages;
	double		tuples = rel->tuples;
	Cost		cpu;

	cp->path.pathtype = T_CustomScan;
	cp->path.parent = rel;
	cp->path.pathtarget = rel->reltarget;
	cp->path.param_info = NULL;
	cp->path.parallel_aware = workers > 0;
	cp->path.parallel_safe = rel->consider_parallel;
	cp->path.parallel_workers = workers;
	cp->path.pathkeys = NIL;

	/*
	 * A sequential scan's cost, with the screened restriction at half a
	 * cpu_operator_cost a row instead of listed()'s per-call cost.
	 */
	cost_qual_eval(&qual, rel->baserestrictinfo, root);
	{
		QualCost	own;

		cost_qual_eval_node(&own, (Node *) s->rinfo->clause, root);
		qual.per_tuple -= own.per_tuple;
		qual.startup -= own.startup;
	}
	cpu = (cpu_tuple_cost + qual.per_tuple + 0.5 * cpu_operator_cost) * tuples;
	cpu += rel->reltarget->cost.per_tuple * rel->rows;
	cp->path.rows = rel->rows;
	if (workers > 0)
	{
		double		d = parallel_divisor(workers);

		cpu /= d;
		cp->path.rows = clamp_row_est(rel->rows / d);
	}
	cp->path.startup_cost = qual.startup + rel->reltarget->cost.startup;
	cp->path.total_cost = cp->path.startup_cost + cpu + seq_page_cost * pages;
	cp->flags = 0;
	cp->custom_private = list_make1(s->rinfo);
	cp->methods = &screening_path_methods;
	if (workers > 0)
		add_partial_path(rel, &cp->path);
	else
		add_path(rel, &cp->path);
}

static void
screening_set_rel_pathlist(PlannerInfo *root, RelOptInfo *rel, Index rti,
						   RangeTblEntry *rte)
{
	ListCell   *lc;
	Screened	s;
	bool		found = false;
	HeapTuple	tp;
	bool		heap = false;
	QualCost	mine;

	if (prev_set_rel_pathlist)
		prev_set_rel_pathlist(root, rel, rti, rte);
	if (!screening_scan ||
		(rel->reloptkind != RELOPT_BASEREL && rel->reloptkind != RELOPT_OTHER_MEMBER_REL) ||
		rte->rtekind != RTE_RELATION || rte->relkind != RELKIND_RELATION ||
		rte->inh || rte->tablesample != NULL ||
		!bms_is_empty(rel->lateral_relids) || rel->baserestrictinfo == NIL)
		return;

	foreach(lc, rel->baserestrictinfo)
	{
		RestrictInfo *ri = lfirst_node(RestrictInfo, lc);

		if (!ri->pseudoconstant && screened_clause((Node *) ri->clause, &s))
		{
			s.rinfo = ri;
			found = true;
			break;
		}
	}
	if (!found)
		return;
	/*
	 * The node evaluates the restrictions a sequential scan evaluates before
	 * the screened one (order_qual_clauses: lower security level, else
	 * cheaper; a tie counts as before) and the subject for a page of rows
	 * ahead of returning them: nothing volatile anywhere, and nothing there
	 * that may raise an error for a row's values (only leakproof functions
	 * over the columns), since a scan that stops early (LIMIT, EXISTS, a
	 * semi-join) would never have evaluated them for the rows after the one
	 * it stopped at.  The restrictions after it are evaluated per returned
	 * row, as the scan's quals.
	 */
	cost_qual_eval_node(&mine, (Node *) s.rinfo->clause, root);
	foreach(lc, rel->baserestrictinfo)
	{
		RestrictInfo *ri = lfirst_node(RestrictInfo, lc);
		QualCost	c;

		if (contain_volatile_functions((Node *) ri->clause))
			return;
		if (ri == s.rinfo)
		{
			if (contain_leaked_vars((Node *) s.call->args))
				return;
			continue;
		}
		cost_qual_eval_node(&c, (Node *) ri->clause, root);
		if ((ri->security_level < s.rinfo->security_level ||
			 (ri->security_level == s.rinfo->security_level &&
			  c.per_tuple <= mine.per_tuple)) &&
			contain_leaked_vars((Node *) ri->clause))
			return;
	}

	/* a heap table: the node reads heap pages */
	tp = SearchSysCache1(RELOID, ObjectIdGetDatum(rte->relid));
	if (HeapTupleIsValid(tp))
	{
		heap = ((Form_pg_class) GETSTRUCT(tp))->relam == HEAP_TABLE_AM_OID;
		ReleaseSysCache(tp);
	}
	if (!heap)
		return;

	add_screening_path(root, rel, &s, 0);
	if (rel->consider_parallel && rel->lateral_relids == NULL)
	{
		int			workers = compute_parallel_worker(rel, rel->pages, -1,
													  max_parallel_workers_per_gather);

		if (workers > 0)
			add_screening_path(root, rel, &s, workers);
	}
}

/*
 * The plan: custom_exprs holds the screened restriction (as written, with
 * its NOT) followed by the restrictions a sequential scan would evaluate
 * before it (by security level, then cost: order_qual_clauses); the scan's
 * quals are those it would evaluate after it.  custom_private: negate,
 * dated, subject type.
 */
static Plan *
screening_plan(PlannerInfo *root, RelOptInfo *rel, CustomPath *best_path,
			   List *tlist, List *clauses, List *custom_plans)
{
	CustomScan *cs = makeNode(CustomScan);
	RestrictInfo *mine = linitial_node(RestrictInfo, best_path->custom_private);
	List	   *pre = NIL;
	List	   *rest = NIL;
	ListCell   *lc;
	Screened	s;
	bool		after = false;

	if (!screened_clause((Node *) mine->clause, &s))
		elog(ERROR, "screening scan without a listed() restriction");

	/* the clauses come in the order a sequential scan evaluates them */
	foreach(lc, clauses)
	{
		RestrictInfo *ri = lfirst_node(RestrictInfo, lc);

		if (!after && (ri == mine || equal(ri->clause, mine->clause)))
		{
			after = true;
			continue;
		}
		if (after)
			rest = lappend(rest, ri);
		else
			pre = lappend(pre, ri);
	}
	cs->scan.plan.targetlist = tlist;
	cs->scan.plan.qual = extract_actual_clauses(rest, false);
	cs->scan.scanrelid = rel->relid;
	cs->flags = best_path->flags;
	cs->custom_exprs = lcons(mine->clause, extract_actual_clauses(pre, false));
	cs->custom_private = list_make3(makeInteger(s.negate), makeInteger(s.dated),
									makeInteger((int) s.subjtype));
	cs->methods = &screening_scan_methods;
	return &cs->scan.plan;
}

/* ------------------------------------------------------------------------
 * Execution
 * ------------------------------------------------------------------------
 */

enum
{
	CNT_SCREENED,				/* rows whose subject was screened */
	CNT_FILTERED,				/* answered by the filter's "no" */
	CNT_CANDIDATES,				/* the filter's "maybe": probed */
	CNT_CONFIRMED,				/* found by the probe */
	CNT_N
};

/* shared by the leader and workers: counters, then the parallel heap scan */
typedef struct ScreeningShared
{
	pg_atomic_uint64 counts[CNT_N];
} ScreeningShared;

#define SHARED_SIZE MAXALIGN(sizeof(ScreeningShared))
#define SHARED_PSCAN(sh) ((ParallelTableScanDesc) ((char *) (sh) + SHARED_SIZE))

typedef struct ScreeningState
{
	CustomScanState css;
	/* from the plan */
	bool		negate;
	bool		dated;
	Oid			subjtype;
	Oid			list;
	Expr	   *clause;
	AttrNumber	subj_attno;		/* the subject is this column, or 0 */
	AttrNumber	at_attno;		/* the date is this column, or 0 */
	ExprState  *subj;			/* the subject expression */
	ExprState  *at;				/* the date (dated form) */
	ExprState  *pre;			/* quals evaluated before it, or NULL */
	ExprState  *rest;			/* the scan's quals (after it), or NULL */
	ExprState  *whole;			/* all of them in order: listed() per row */
	ExprContext *pagecxt;		/* evaluation for a page; reset per page */
	TupleTableSlot *work;		/* the page's rows, one at a time */
	HeapTupleData tupdata;
	/* the decision, made at the first page and again when outdated */
	bool		decided;
	bool		fast;
	const char *why;
	uint64		epoch;
	ListedScanAccess acc;
	Oid			userid;			/* the user it was made for */
	bool		rowsec;			/* and row_security */
	char	   *filter_name;
	char	   *btree_name;
	Oid			named;			/* the filter the names are of */
	/* the current page */
	bool		page_screened;	/* verdict[] holds its rows' */
	bool		verdict[MaxHeapTuplesPerPage];
	int			row[MaxHeapTuplesPerPage];
	uint64		hash[MaxHeapTuplesPerPage];
	Datum		key[MaxHeapTuplesPerPage];
	DateADT		day[MaxHeapTuplesPerPage];
	bool		maybe[MaxHeapTuplesPerPage];
	/*
	 * The batch (undated or dated, not negated, screened by the filter):
	 * the candidates of several pages, copied, confirmed in key order once
	 * there are batchlimit of them (or see "The batch" below), then
	 * returned in the order they were read.  [0, nconfirmed) are confirmed
	 * (bfound[]), [0, emitted) returned.
	 */
	MemoryContext batchcxt;		/* the copies; reset when all are returned */
	HeapTuple  *btup;
	Datum	   *bkey;
	DateADT    *bday;
	bool	   *bfound;
	int		   *border;			/* indices, sorted by key to confirm */
	int			nbatch;
	int			nconfirmed;
	int			emitted;
	bool		done;			/* the heap scan returned its last row */
	int			batchlimit;		/* confirm once there are this many */
	int			bcap;			/* the arrays' room */
	bool		sort_tried;		/* sortable is decided */
	bool		sortable;		/* ssup is set up */
	SortSupportData ssup;		/* the subject type's order */
	Oid			keytype;		/* the subject expression's type */
	int16		keylen;
	bool		keybyval;
	/* counters: this process, and what workers reported */
	uint64		counts[CNT_N];
	uint64		worker_counts[CNT_N];
	uint64		reported[CNT_N];	/* of counts[], to the leader and listed_explain */
	ScreeningShared *shared;
} ScreeningState;

static void
screening_decide(ScreeningState *st)
{
	TableScanDesc scan = st->css.ss.ss_currentScanDesc;
	EState	   *estate = st->css.ss.ps.state;
	Relation	rel = st->css.ss.ss_currentRelation;

	st->fast = false;
	st->why = NULL;
	if (!screening_scan)
		st->why = "integrity.screening_scan is off";
	else if (rel->rd_tableam != GetHeapamTableAmRoutine() ||
			 (scan->rs_flags & SO_ALLOW_PAGEMODE) == 0)
		st->why = "the scan is not an MVCC heap scan";
	else if (!listed_scan_access(st->list, st->subjtype, st->dated, &st->acc))
		st->why = st->acc.why ? st->acc.why : "listed() would not use a filter";
	else
	{
		st->fast = true;
		if (st->filter_name == NULL || st->named != st->acc.filter)
		{
			MemoryContext old = MemoryContextSwitchTo(estate->es_query_cxt);

			st->filter_name = get_rel_name(st->acc.filter);
			st->btree_name = get_rel_name(st->acc.btree);
			st->named = st->acc.filter;
			MemoryContextSwitchTo(old);
		}
		/* a "no" from the filter reads nothing: lock the list whole */
		if (IsolationIsSerializable())
		{
			Relation	list = table_open(st->list, NoLock);

			PredicateLockRelation(list, estate->es_snapshot);
			table_close(list, NoLock);
		}
	}
	st->epoch = listed_scan_epoch();
	st->userid = GetUserId();
	st->rowsec = row_security;
	st->decided = true;
}

/* is the decision outdated (as listed()'s call-site stamp would be)? */
static inline bool
screening_outdated(ScreeningState *st)
{
	return !st->decided || st->epoch != listed_scan_epoch() ||
		st->userid != GetUserId() || st->rowsec != row_security;
}

/*
 * One candidate of an undated screening: is there a row for `subj` visible
 * to the scan's snapshot?  The btree's entries for the key, each answered
 * without reading the list's heap where the visibility map says its page
 * is all-visible — exactly where an index-only scan for the EXISTS would
 * skip the heap (visible to every MVCC snapshot; under SERIALIZABLE the
 * heap page is predicate-locked, as that scan does) — else by the heap's
 * visibility rules.
 */
static bool
probe_index_only(ScreeningState *st, IndexScanDesc scan, TupleTableSlot *slot,
				 Datum subj, Buffer *vmbuf, Snapshot snap)
{
	ScanKeyData skey;
	ItemPointer tid;

	ScanKeyEntryInitialize(&skey, 0, 1, BTEqualStrategyNumber, InvalidOid,
						   st->acc.btree_coll, st->acc.eqproc, subj);
	index_rescan(scan, &skey, 1, NULL, 0);
	while ((tid = index_getnext_tid(scan, ForwardScanDirection)) != NULL)
	{
		if (VM_ALL_VISIBLE(scan->heapRelation, ItemPointerGetBlockNumber(tid), vmbuf))
		{
			PredicateLockPage(scan->heapRelation, ItemPointerGetBlockNumber(tid), snap);
			return true;
		}
		if (index_fetch_heap(scan, slot))
			return true;
	}
	return false;
}

/*
 * The visible rows of the scan's current page from the from-th on that
 * pass the earlier quals and have a subject: their number m, and for each
 * (st->row: its index among the page's visible rows) the subject, date,
 * and the filter's answer (st->maybe).
 */
static int
screening_page_test(ScreeningState *st, HeapScanDesc hs, int from)
{
	EState	   *estate = st->css.ss.ps.state;
	Snapshot	snap = estate->es_snapshot;
	ExprContext *econtext = st->pagecxt;
	Page		page = BufferGetPage(hs->rs_cbuf);
	Oid			tableoid = RelationGetRelid(st->css.ss.ss_currentRelation);
	int			n = hs->rs_ntuples;
	int			m = 0;
	int			i;
	Relation	filter = NULL;
	TupleDesc	desc = RelationGetDescr(st->css.ss.ss_currentRelation);
	bool		direct = st->pre == NULL && st->subj_attno > 0 &&
		(!st->dated || st->at_attno > 0);
	MemoryContext oldcxt;

	/*
	 * Everything the page allocates (the subjects and dates evaluated, which
	 * st->key[] points to until the probes, and the probes' own) lives in
	 * the page's context, reset at the next page: not in the query's.
	 */
	ResetExprContext(econtext);
	oldcxt = MemoryContextSwitchTo(econtext->ecxt_per_tuple_memory);
	econtext->ecxt_scantuple = st->work;
	filter = index_open(st->acc.filter, NoLock);

	for (i = from; i < n; i++)
	{
		OffsetNumber off = hs->rs_vistuples[i];
		ItemId		lp = PageGetItemId(page, off);
		bool		isnull;
		Datum		subj;
		DateADT		day = 0;

		st->tupdata.t_data = (HeapTupleHeader) PageGetItem(page, lp);
		st->tupdata.t_len = ItemIdGetLength(lp);
		st->tupdata.t_tableOid = tableoid;
		ItemPointerSet(&st->tupdata.t_self, hs->rs_cblock, off);
		st->verdict[i] = false;
		if (direct)
		{
			/* plain columns, nothing before: read from the tuple itself */
			subj = heap_getattr(&st->tupdata, st->subj_attno, desc, &isnull);
			if (isnull)
				continue;
			if (st->dated)
			{
				Datum		d = heap_getattr(&st->tupdata, st->at_attno, desc, &isnull);

				if (isnull)
					continue;
				day = DatumGetDateADT(d);
			}
		}
		else
		{
			ExecStoreBufferHeapTuple(&st->tupdata, st->work, hs->rs_cbuf);
			if (st->pre && !ExecQual(st->pre, econtext))
				continue;
			subj = ExecEvalExpr(st->subj, econtext, &isnull);
			if (isnull)
				continue;
			if (st->dated)
			{
				Datum		d = ExecEvalExpr(st->at, econtext, &isnull);

				if (isnull)
					continue;
				day = DatumGetDateADT(d);
			}
		}
		(void) blacklist_key_hash_typed(filter, InvalidOid, subj, &st->hash[m]);
		st->row[m] = i;
		st->key[m] = subj;
		st->day[m] = day;
		m++;
	}
	ExecClearTuple(st->work);

	st->counts[CNT_SCREENED] += m;
	if (m > 0)
		blacklist_may_contain_batch(filter, st->hash, m, snap, st->maybe);
	index_close(filter, NoLock);
	MemoryContextSwitchTo(oldcxt);
	return m;
}

/* The list's btree, opened for confirmations under the scan's snapshot. */
typedef struct Confirmer
{
	Relation	list;
	Relation	btree;
	IndexScanDesc iscan;
	TupleTableSlot *lslot;
	Buffer		vmbuf;
} Confirmer;

static void
confirmer_open(ScreeningState *st, Confirmer *c)
{
	c->list = table_open(st->list, NoLock);
	c->btree = index_open(st->acc.btree, NoLock);
	c->lslot = table_slot_create(c->list, NULL);
	c->iscan = index_beginscan(c->list, c->btree, st->css.ss.ps.state->es_snapshot, 1, 0);
	c->vmbuf = InvalidBuffer;
}

/* one candidate: is it listed under the scan's snapshot (as listed() probes)? */
static bool
confirmer_probe(ScreeningState *st, Confirmer *c, Datum key, DateADT day)
{
	bool		found;

	if (st->dated)
		found = listed_btree_lookup(c->iscan, c->lslot, st->acc.btree_coll,
									st->acc.eqproc, key, st->acc.rangeattno, day);
	else
		found = probe_index_only(st, c->iscan, c->lslot, key, &c->vmbuf,
								 st->css.ss.ps.state->es_snapshot);
	if (found)
		st->counts[CNT_CONFIRMED]++;
	return found;
}

static void
confirmer_close(Confirmer *c)
{
	if (BufferIsValid(c->vmbuf))
		ReleaseBuffer(c->vmbuf);
	index_endscan(c->iscan);
	ExecDropSingleTupleTableSlot(c->lslot);
	index_close(c->btree, NoLock);
	table_close(c->list, NoLock);
}

/*
 * Screen the visible rows of the scan's current page: st->verdict (the
 * negated form, whose rows are nearly all returned: page by page).
 */
static void
screening_page(ScreeningState *st, HeapScanDesc hs)
{
	int			m = screening_page_test(st, hs, 0);
	Confirmer	c;
	bool		open = false;
	int			j;
	MemoryContext oldcxt = MemoryContextSwitchTo(st->pagecxt->ecxt_per_tuple_memory);

	for (j = 0; j < m; j++)
	{
		bool		found = false;

		if (!st->maybe[j])
			st->counts[CNT_FILTERED]++;
		else
		{
			st->counts[CNT_CANDIDATES]++;
			if (!open)
				confirmer_open(st, &c);
			open = true;
			found = confirmer_probe(st, &c, st->key[j], st->day[j]);
		}
		st->verdict[st->row[j]] = st->negate ? !found : found;
	}
	if (open)
		confirmer_close(&c);
	MemoryContextSwitchTo(oldcxt);
}

/*
 * The batch.  Candidates are copied (the row and its subject) into the
 * batch's memory; once there are st->batchlimit of them (64 at first, so
 * that a LIMIT or an EXISTS reads little, doubling up to SCREENING_BATCH:
 * the larger the batch, the closer its subjects in the btree), or their
 * copies fill work_mem, or the scan ends, or the decision is to be made
 * again (they are confirmed under the decision that found them),
 * they are confirmed in the order of their subjects (the btree's pages
 * are then read in order, each descent through pages the previous one
 * left in the caches; an equal subject again reuses the answer) and
 * returned in the order they were read.
 */
#define SCREENING_BATCH 65536
#define SCREENING_FIRST_BATCH 64

/* the current page's candidates, from its from-th visible row on */
static void
screening_page_batch(ScreeningState *st, HeapScanDesc hs, int from)
{
	int			m = screening_page_test(st, hs, from);
	Page		page = BufferGetPage(hs->rs_cbuf);
	Oid			tableoid = RelationGetRelid(st->css.ss.ss_currentRelation);
	MemoryContext old;
	int			j;

	old = MemoryContextSwitchTo(st->batchcxt);
	for (j = 0; j < m; j++)
	{
		OffsetNumber off = hs->rs_vistuples[st->row[j]];
		ItemId		lp = PageGetItemId(page, off);
		HeapTupleData tup;
		int			b;

		if (!st->maybe[j])
		{
			st->counts[CNT_FILTERED]++;
			continue;
		}
		st->counts[CNT_CANDIDATES]++;
		tup.t_data = (HeapTupleHeader) PageGetItem(page, lp);
		tup.t_len = ItemIdGetLength(lp);
		tup.t_tableOid = tableoid;
		ItemPointerSet(&tup.t_self, hs->rs_cblock, off);
		b = st->nbatch++;
		st->btup[b] = heap_copytuple(&tup);
		st->bkey[b] = datumCopy(st->key[j], st->keybyval, st->keylen);
		st->bday[b] = st->day[j];
	}
	MemoryContextSwitchTo(old);
}

/* room for st->batchlimit candidates and a page more (in the query's memory) */
static void
screening_batch_grow(ScreeningState *st)
{
	int			cap = st->batchlimit + MaxHeapTuplesPerPage;
	MemoryContext old = MemoryContextSwitchTo(st->css.ss.ps.state->es_query_cxt);

	if (st->bcap == 0)
	{
		st->btup = palloc(cap * sizeof(HeapTuple));
		st->bkey = palloc(cap * sizeof(Datum));
		st->bday = palloc(cap * sizeof(DateADT));
		st->bfound = palloc(cap * sizeof(bool));
		st->border = palloc(cap * sizeof(int));
	}
	else if (cap > st->bcap)
	{
		st->btup = repalloc(st->btup, cap * sizeof(HeapTuple));
		st->bkey = repalloc(st->bkey, cap * sizeof(Datum));
		st->bday = repalloc(st->bday, cap * sizeof(DateADT));
		st->bfound = repalloc(st->bfound, cap * sizeof(bool));
		st->border = repalloc(st->border, cap * sizeof(int));
	}
	st->bcap = Max(st->bcap, cap);
	MemoryContextSwitchTo(old);
}

static int
screening_key_cmp(const void *a, const void *b, void *arg)
{
	ScreeningState *st = (ScreeningState *) arg;
	int			ia = *(const int *) a;
	int			ib = *(const int *) b;
	int			c;

	c = ApplySortComparator(st->bkey[ia], false, st->bkey[ib], false, &st->ssup);
	if (c != 0)
		return c;
	if (st->bday[ia] != st->bday[ib])
		return st->bday[ia] < st->bday[ib] ? -1 : 1;
	return ia < ib ? -1 : ia > ib;
}

/* confirm the batch's candidates not yet confirmed, in key order */
static void
screening_confirm(ScreeningState *st)
{
	int			n = st->nbatch - st->nconfirmed;
	Confirmer	c;
	int			i;
	int			prev = -1;
	MemoryContext oldcxt;

	if (n <= 0)
		return;
	if (!st->sort_tried)
	{
		TypeCacheEntry *tce = lookup_type_cache(st->keytype, TYPECACHE_LT_OPR);

		st->sort_tried = true;
		if (OidIsValid(tce->lt_opr) &&
			(OidIsValid(st->acc.btree_coll) || !type_is_collatable(st->keytype)))
		{
			memset(&st->ssup, 0, sizeof(SortSupportData));
			st->ssup.ssup_cxt = st->css.ss.ps.state->es_query_cxt;
			st->ssup.ssup_collation = st->acc.btree_coll;
			PrepareSortSupportFromOrderingOp(tce->lt_opr, &st->ssup);
			st->sortable = true;
		}
	}
	for (i = 0; i < n; i++)
		st->border[i] = st->nconfirmed + i;
	if (n > 1 && st->sortable)
		qsort_arg(st->border, n, sizeof(int), screening_key_cmp, st);
	/* the probes' own allocations: in the page's context, not the query's */
	oldcxt = MemoryContextSwitchTo(st->pagecxt->ecxt_per_tuple_memory);
	confirmer_open(st, &c);
	for (i = 0; i < n; i++)
	{
		int			b = st->border[i];

		/* the same subject (and date) as the previous one: the same answer */
		if (prev >= 0 && st->bday[b] == st->bday[prev] &&
			datumIsEqual(st->bkey[b], st->bkey[prev], st->keybyval, st->keylen))
		{
			st->bfound[b] = st->bfound[prev];
			if (st->bfound[b])
				st->counts[CNT_CONFIRMED]++;
		}
		else
			st->bfound[b] = confirmer_probe(st, &c, st->bkey[b], st->bday[b]);
		prev = b;
	}
	confirmer_close(&c);
	MemoryContextSwitchTo(oldcxt);
	st->nconfirmed = st->nbatch;
	if (st->batchlimit < SCREENING_BATCH)
	{
		st->batchlimit *= 2;
		screening_batch_grow(st);
	}
}

/* the batch returned: empty it */
static void
screening_batch_reset(ScreeningState *st)
{
	MemoryContextReset(st->batchcxt);
	st->nbatch = st->nconfirmed = st->emitted = 0;
}

/*
 * What this process counted since its last report: to the leader (workers)
 * and to listed_explain's counters.
 */
static void
screening_report(ScreeningState *st)
{
	uint64		d[CNT_N];
	int			i;

	for (i = 0; i < CNT_N; i++)
	{
		d[i] = st->counts[i] - st->reported[i];
		st->reported[i] = st->counts[i];
	}
	if (st->shared && IsParallelWorker())
		for (i = 0; i < CNT_N; i++)
			pg_atomic_fetch_add_u64(&st->shared->counts[i], d[i]);
	if (d[CNT_SCREENED] > 0)
		listed_scan_count(st->list, st->subjtype, st->dated,
						  d[CNT_SCREENED], d[CNT_FILTERED],
						  d[CNT_CANDIDATES], d[CNT_CONFIRMED]);
}

static TupleTableSlot *
screening_next(ScanState *ss)
{
	ScreeningState *st = (ScreeningState *) ss;
	TableScanDesc scan = ss->ss_currentScanDesc;
	TupleTableSlot *slot = ss->ss_ScanTupleSlot;
	ExprContext *econtext = ss->ps.ps_ExprContext;

	if (scan == NULL)
	{
		scan = table_beginscan(ss->ss_currentRelation, ss->ps.state->es_snapshot, 0, NULL);
		ss->ss_currentScanDesc = scan;
	}
	for (;;)
	{
		HeapScanDesc hs = (HeapScanDesc) scan;
		bool		newpage;

		/* the batch's confirmed rows first, in the order they were read */
		while (st->emitted < st->nconfirmed)
		{
			int			b = st->emitted++;

			if (!st->bfound[b])
				continue;
			ExecForceStoreHeapTuple(st->btup[b], slot, false);
			slot->tts_tableOid = st->btup[b]->t_tableOid;
			slot->tts_tid = st->btup[b]->t_self;
			ResetExprContext(econtext);
			econtext->ecxt_scantuple = slot;
			if (st->rest == NULL || ExecQual(st->rest, econtext))
				return slot;
			InstrCountFiltered1(ss, 1);
		}
		if (st->nbatch > 0 && st->emitted == st->nbatch)
			screening_batch_reset(st);
		if (st->done)
		{
			screening_report(st);
			return NULL;
		}

		if (!table_scan_getnextslot(scan, ForwardScanDirection, slot))
		{
			/* (not called again: a heap scan at its end starts over) */
			st->done = true;
			screening_confirm(st);
			continue;
		}

		/*
		 * In page mode (screening_decide), the first visible row of a page
		 * starts it; the decision is made there, again when outdated (the
		 * batch's candidates confirmed first, under the decision that
		 * found them).
		 */
		newpage = !st->fast || hs->rs_cindex == 0;
		if (newpage)
		{
			CHECK_FOR_INTERRUPTS();
			st->page_screened = false;
			if (screening_outdated(st))
			{
				if (st->nbatch > st->nconfirmed)
					screening_confirm(st);
				screening_decide(st);
			}
		}
		ResetExprContext(econtext);
		econtext->ecxt_scantuple = slot;
		if (!st->fast)
		{
			/* listed() per row, among the quals in their order */
			if (ExecQual(st->whole, econtext))
				return slot;
			InstrCountFiltered1(ss, 1);
			continue;
		}
		if (!st->negate)
		{
			/*
			 * Batched: the candidates of the rest of the page (all of it, or
			 * from this row on if the decision changed within the page) into
			 * the batch; the heap scan then goes on at the next page.
			 */
			screening_page_batch(st, hs, hs->rs_cindex);
			hs->rs_cindex = hs->rs_ntuples - 1;
			if (st->nbatch >= st->batchlimit ||
				MemoryContextMemAllocated(st->batchcxt, false) >= (Size) work_mem * 1024)
				screening_confirm(st);
			continue;
		}
		if (!st->page_screened)
		{
			/* all of the page's rows (the first, or the rest of it) */
			screening_page(st, hs);
			st->page_screened = true;
		}
		if (!st->verdict[hs->rs_cindex])
			continue;
		if (st->rest == NULL || ExecQual(st->rest, econtext))
			return slot;
		InstrCountFiltered1(ss, 1);
	}
}

/*
 * EvalPlanQual: a row version re-read for an UPDATE or DELETE is checked
 * against every condition again, listed() per row (the node evaluates the
 * scan's quals itself: ExecScan has none to apply after this).
 */
static bool
screening_recheck(ScanState *ss, TupleTableSlot *slot)
{
	ScreeningState *st = (ScreeningState *) ss;
	ExprContext *econtext = ss->ps.ps_ExprContext;

	econtext->ecxt_scantuple = slot;
	return ExecQual(st->whole, econtext);
}

/* the column number if expr is a column of the scanned table (relabelled), else 0 */
static AttrNumber
plain_column(Expr *expr, Index scanrelid)
{
	while (IsA(expr, RelabelType))
		expr = ((RelabelType *) expr)->arg;
	if (IsA(expr, Var) && ((Var *) expr)->varno == scanrelid &&
		((Var *) expr)->varlevelsup == 0 && ((Var *) expr)->varattno > 0)
		return ((Var *) expr)->varattno;
	return 0;
}

static void
screening_begin(CustomScanState *node, EState *estate, int eflags)
{
	ScreeningState *st = (ScreeningState *) node;
	CustomScan *cs = (CustomScan *) node->ss.ps.plan;
	Node	   *clause = linitial(cs->custom_exprs);
	List	   *pre = list_delete_first(list_copy(cs->custom_exprs));
	FuncExpr   *f;

	/*
	 * PostgreSQL 15 gives a custom scan a virtual scan slot; heap scans need
	 * a buffer slot: replace it, and compile the quals and projection for it
	 * again (the expressions deform by the slot type they were built for).
	 */
	ExecInitScanTupleSlot(estate, &node->ss,
						  RelationGetDescr(node->ss.ss_currentRelation),
						  &TTSOpsBufferHeapTuple);
	ExecAssignScanProjectionInfoWithVarno(&node->ss, cs->scan.scanrelid);
	/* the quals are evaluated here (ExecScan's would run them twice) */
	node->ss.ps.qual = NULL;
	st->rest = ExecInitQual(cs->scan.plan.qual, &node->ss.ps);

	st->negate = intVal(linitial(cs->custom_private));
	st->dated = intVal(lsecond(cs->custom_private));
	st->subjtype = (Oid) intVal(lthird(cs->custom_private));
	st->clause = (Expr *) clause;
	f = (FuncExpr *) (is_notclause(clause) ? (Node *) get_notclausearg((Expr *) clause) : clause);
	st->list = DatumGetObjectId(castNode(Const, lsecond(f->args))->constvalue);
	st->subj_attno = plain_column(linitial(f->args), cs->scan.scanrelid);
	st->at_attno = st->dated ? plain_column(lthird(f->args), cs->scan.scanrelid) : 0;
	st->subj = ExecInitExpr(linitial(f->args), &node->ss.ps);
	st->at = st->dated ? ExecInitExpr(lthird(f->args), &node->ss.ps) : NULL;
	st->pre = pre != NIL ? ExecInitQual(pre, &node->ss.ps) : NULL;
	st->whole = ExecInitQual(list_concat(lappend(list_copy(pre), clause),
										 cs->scan.plan.qual), &node->ss.ps);
	st->pagecxt = CreateExprContext(estate);
	st->keytype = exprType(linitial(f->args));
	get_typlenbyval(st->keytype, &st->keylen, &st->keybyval);
	st->batchlimit = SCREENING_FIRST_BATCH;
	if (!st->negate)
	{
		st->batchcxt = AllocSetContextCreate(estate->es_query_cxt,
											 "screening batch",
											 ALLOCSET_DEFAULT_SIZES);
		screening_batch_grow(st);
	}
	st->work = ExecInitExtraTupleSlot(estate,
									  RelationGetDescr(node->ss.ss_currentRelation),
									  &TTSOpsBufferHeapTuple);
}

static TupleTableSlot *
screening_exec(CustomScanState *node)
{
	return ExecScan(&node->ss, screening_next, screening_recheck);
}

static void
screening_end(CustomScanState *node)
{
	ScreeningState *st = (ScreeningState *) node;

	screening_report(st);
	if (node->ss.ss_currentScanDesc)
		table_endscan(node->ss.ss_currentScanDesc);
	node->ss.ss_currentScanDesc = NULL;
}

static void
screening_rescan(CustomScanState *node)
{
	ScreeningState *st = (ScreeningState *) node;

	st->page_screened = false;
	if (st->batchcxt)
		screening_batch_reset(st);
	st->done = false;
	st->batchlimit = SCREENING_FIRST_BATCH;
	if (node->ss.ss_currentScanDesc)
		table_rescan(node->ss.ss_currentScanDesc, NULL);
}

/* parallel: counters and the parallel heap scan in the DSM */
static Size
screening_estimate_dsm(CustomScanState *node, ParallelContext *pcxt)
{
	return add_size(SHARED_SIZE,
					table_parallelscan_estimate(node->ss.ss_currentRelation,
												node->ss.ps.state->es_snapshot));
}

static void
screening_initialize_dsm(CustomScanState *node, ParallelContext *pcxt, void *coordinate)
{
	ScreeningState *st = (ScreeningState *) node;
	ScreeningShared *sh = (ScreeningShared *) coordinate;
	int			i;

	for (i = 0; i < CNT_N; i++)
		pg_atomic_init_u64(&sh->counts[i], 0);
	table_parallelscan_initialize(node->ss.ss_currentRelation, SHARED_PSCAN(sh),
								  node->ss.ps.state->es_snapshot);
	node->ss.ss_currentScanDesc =
		table_beginscan_parallel(node->ss.ss_currentRelation, SHARED_PSCAN(sh));
	st->shared = sh;
}

/* what workers reported so far, into the leader's totals */
static void
screening_collect(ScreeningState *st)
{
	int			i;

	if (st->shared == NULL || IsParallelWorker())
		return;
	for (i = 0; i < CNT_N; i++)
		st->worker_counts[i] += pg_atomic_exchange_u64(&st->shared->counts[i], 0);
}

static void
screening_reinitialize_dsm(CustomScanState *node, ParallelContext *pcxt, void *coordinate)
{
	ScreeningState *st = (ScreeningState *) node;

	screening_collect(st);
	table_parallelscan_reinitialize(node->ss.ss_currentRelation,
									SHARED_PSCAN((ScreeningShared *) coordinate));
}

static void
screening_initialize_worker(CustomScanState *node, shm_toc *toc, void *coordinate)
{
	ScreeningState *st = (ScreeningState *) node;

	st->shared = (ScreeningShared *) coordinate;
	node->ss.ss_currentScanDesc =
		table_beginscan_parallel(node->ss.ss_currentRelation,
								 SHARED_PSCAN(st->shared));
}

static void
screening_shutdown(CustomScanState *node)
{
	ScreeningState *st = (ScreeningState *) node;

	screening_collect(st);
	st->shared = NULL;
}

static void
screening_explain(CustomScanState *node, List *ancestors, ExplainState *es)
{
	ScreeningState *st = (ScreeningState *) node;
	CustomScan *cs = (CustomScan *) node->ss.ps.plan;
	List	   *context;
	int			i;
	uint64		c[CNT_N];

	context = set_deparse_context_plan(es->deparse_cxt, node->ss.ps.plan, ancestors);
	if (list_length(cs->custom_exprs) > 1)
		ExplainPropertyText("Before Screen",
							deparse_expression((Node *) make_ands_explicit(list_delete_first(list_copy(cs->custom_exprs))),
											   context, es->verbose, false),
							es);
	ExplainPropertyText("Screen",
						deparse_expression((Node *) st->clause, context, es->verbose, false),
						es);
	if (!es->analyze)
		return;
	screening_collect(st);
	if (!st->decided)
		ExplainPropertyText("Screened By", "no row screened", es);
	else if (st->fast)
		ExplainPropertyText("Screened By",
							psprintf("filter %s, confirmed by %s",
									 quote_identifier(st->filter_name),
									 quote_identifier(st->btree_name)), es);
	else
		ExplainPropertyText("Screened By", psprintf("listed() per row: %s", st->why), es);
	for (i = 0; i < CNT_N; i++)
		c[i] = st->counts[i] + st->worker_counts[i];
	ExplainPropertyUInteger("Rows Screened", NULL, c[CNT_SCREENED], es);
	ExplainPropertyUInteger("Rows Filtered Out", NULL, c[CNT_FILTERED], es);
	ExplainPropertyUInteger("Candidates", NULL, c[CNT_CANDIDATES], es);
	ExplainPropertyUInteger("Confirmed", NULL, c[CNT_CONFIRMED], es);
}

static const CustomExecMethods screening_exec_methods = {
	.CustomName = "Screening Scan",
	.BeginCustomScan = screening_begin,
	.ExecCustomScan = screening_exec,
	.EndCustomScan = screening_end,
	.ReScanCustomScan = screening_rescan,
	.EstimateDSMCustomScan = screening_estimate_dsm,
	.InitializeDSMCustomScan = screening_initialize_dsm,
	.ReInitializeDSMCustomScan = screening_reinitialize_dsm,
	.InitializeWorkerCustomScan = screening_initialize_worker,
	.ShutdownCustomScan = screening_shutdown,
	.ExplainCustomScan = screening_explain,
};

static Node *
screening_create_state(CustomScan *cscan)
{
	ScreeningState *st = (ScreeningState *) newNode(sizeof(ScreeningState),
													T_CustomScanState);

	st->css.methods = &screening_exec_methods;
	return (Node *) st;
}

/* Called from _PG_init (src/module.c). */
void
listed_scan_init(void)
{
	DefineCustomBoolVariable("integrity.screening_scan",
							 "Screens restrictions listed(column, list) of table scans a page at a time.",
							 "Off: listed() is called once per row.",
							 &screening_scan,
							 true,
							 PGC_USERSET,
							 0,
							 NULL, NULL, NULL);
	RegisterCustomScanMethods(&screening_scan_methods);
	prev_set_rel_pathlist = set_rel_pathlist_hook;
	set_rel_pathlist_hook = screening_set_rel_pathlist;
}
