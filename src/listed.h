/*
 * listed.h — the list reader shared by listed(), listed_explain()
 * (src/listed.c), listed_entries() (src/screening.c) and the view
 * listed_lists: which columns of a list hold the subject and the validity,
 * decided by one set of rules so that they cannot drift apart.
 *
 * The subject column, for a subject type T (a domain over T counts, and a
 * varchar column for text subjects), is
 *   1. the key column of the list's blacklist index(es), if of type T;
 *   2. else the list's first column, if of type T (the 1.0 and 1.1 rule:
 *      every list that worked before keeps its meaning);
 *   3. else the leading column of a btree or hash index, if of type T;
 *   4. else the only column of type T, unless T is text (an untyped literal
 *      is screened as text: the only text column of a list of identifiers,
 *      a name or a reason, must not answer for them).
 * Two candidates at one step are an error naming them (SQLSTATE 42702).
 * A list's owner can name the columns instead (listed_declare(), kept in
 * the extension's table list_declarations): a declaration overrides the
 * rules, for the subject and, if it names one, the validity column.
 * The validity column (dated forms) is the only daterange column, or, of
 * several, the one right after the subject column.  Given no type (T =
 * InvalidOid: listed_explain, listed_lists), the identifier types cnid and
 * uscc are tried first, then bigint, then text.
 */
#ifndef INTEGRITY_LISTED_H
#define INTEGRITY_LISTED_H

#include "postgres.h"
#include "access/attnum.h"
#include "fmgr.h"
#include "utils/date.h"
#include "utils/rel.h"
#include "utils/snapshot.h"
#include "utils/typcache.h"

typedef struct ListShape
{
	char		relkind;
	char	   *relname;
	char	   *qualname;		/* schema-qualified and quoted */
	Oid			subjtype;		/* the subject type (varchar columns: text) */
	AttrNumber	keyattno;
	char	   *keyname;
	Oid			keytype;		/* the column's declared type */
	Oid			keycoll;
	AttrNumber	rangeattno;		/* InvalidAttrNumber unless dated */
	char	   *rangename;
	Oid			eq_opr;			/* the subject type's equality */
	bool		declared;		/* the columns named by listed_declare() */
} ListShape;

/*
 * Read the shape of list `relid` for subjects of type `subjtype` (or any
 * type listed() takes, if InvalidOid), with a validity column if `dated`.
 * The caller has locked the list.  Raises on a relation that is not a list
 * of that shape, unless `missing_ok`: then returns false instead.
 */
extern bool listed_read_shape(Oid relid, Oid subjtype, bool dated,
							  bool missing_ok, ListShape *shape);

/* Is the relation in Citus's catalog pg_dist_partition (src/listed.c)? */
extern bool listed_is_citus_table(Oid relid);

/* "OPERATOR(schema.name)" for an operator OID: queries name it qualified */
extern char *listed_qualified_operator(Oid opno);

/*
 * The per-call-site hash of a list's keys (src/listed_hash.c), for plain
 * tables without a usable btree on the subject column.  `stamp` is the
 * caller's LIST_HASH_STAMP_LEN bytes that change whenever its decision to
 * use the hash may have changed; the snapshot and the relfilenode are
 * compared by the hash itself.  list_hash_probe returns false if the list
 * is too big to hash (more than work_mem): probe otherwise.
 */
#define LIST_HASH_STAMP_LEN 64

typedef struct ListHash ListHash;

typedef struct ListHashSpec
{
	Oid			subjtype;
	Oid			keycoll;
	RegProcedure eqproc;
	AttrNumber	keyattno;
	AttrNumber	rangeattno;		/* InvalidAttrNumber: undated */
	const char *sql;			/* list_hash_probe_spi: the list's query,
								 * key first (keyattno 1, rangeattno 2) */
} ListHashSpec;

/* SPI probes a call site makes under one key before it hashes the list */
#define LIST_HASH_SPI_AFTER 16

extern ListHash *list_hash_new(MemoryContext parent);
extern bool list_hash_probe_spi(ListHash *h, const ListHashSpec *spec,
								const char *stamp, Snapshot snap,
								Datum subj, DateADT at, bool *found);
extern bool list_hash_spi_exact(const char *sql);
extern bool list_hash_possible(Oid subjtype);
extern bool list_hash_probe(ListHash *h, const ListHashSpec *spec,
							const char *stamp, Relation heap, Snapshot snap,
							Datum subj, DateADT at, bool *found);

/*
 * For the screening scan (src/listed_scan.c).  listed_scan_access locks the
 * list and makes the decision a listed() call by the current user makes
 * now; true if calls would be answered by a blacklist filter and btree
 * probes (then the indexes are locked too), false with `why` otherwise.
 * listed_scan_epoch changes whenever such a decision may have changed (the
 * invalidations and rolled-back subtransactions listed()'s stamp compares).
 * listed_btree_lookup is one exact probe through an open btree scan of the
 * list, under the scan's snapshot.  listed_scan_count adds the node's calls
 * to listed_explain()'s counters of the current user.
 */
typedef struct ListedScanAccess
{
	Oid			filter;			/* the blacklist index */
	Oid			btree;			/* the btree index that confirms */
	Oid			btree_coll;
	RegProcedure eqproc;
	AttrNumber	rangeattno;		/* InvalidAttrNumber: undated */
	const char *why;			/* why not, or NULL */
} ListedScanAccess;

extern PGDLLEXPORT Datum listed(PG_FUNCTION_ARGS);
extern PGDLLEXPORT Datum listed_at(PG_FUNCTION_ARGS);
extern bool listed_scan_access(Oid relid, Oid subjtype, bool dated,
							   ListedScanAccess *out);
extern uint64 listed_scan_epoch(void);
extern bool listed_btree_lookup(struct IndexScanDescData *scan,
								struct TupleTableSlot *slot, Oid coll,
								RegProcedure eqproc, Datum subj,
								AttrNumber rangeattno, DateADT at);
extern void listed_scan_count(Oid relid, Oid subjtype, bool dated, uint64 calls,
							  uint64 filtered, uint64 probed, uint64 hits);

/* a daterange as a closed interval of days; false if it is empty */
extern bool list_range_days(TypeCacheEntry *rngtce, Datum d, int32 *lo, int32 *hi);

#endif
