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
 *   4. else the only column of type T.
 * Two candidates at one step are an error naming them (SQLSTATE 42702).
 * The validity column (dated forms) is the only daterange column, or, of
 * several, the one right after the subject column.  Given no type (T =
 * InvalidOid: listed_explain, listed_lists), the identifier types cnid and
 * uscc are tried first, then bigint, then text.
 */
#ifndef INTEGRITY_LISTED_H
#define INTEGRITY_LISTED_H

#include "postgres.h"
#include "access/attnum.h"

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
} ListShape;

/*
 * Read the shape of list `relid` for subjects of type `subjtype` (or any
 * type listed() takes, if InvalidOid), with a validity column if `dated`.
 * The caller has locked the list.  Raises on a relation that is not a list
 * of that shape, unless `missing_ok`: then returns false instead.
 */
extern bool listed_read_shape(Oid relid, Oid subjtype, bool dated,
							  bool missing_ok, ListShape *shape);

#endif
