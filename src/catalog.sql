
-- =====================================================================
-- catalog: the catalogue's own documentation, and the internal schema
--
-- Every object of the extension carries a COMMENT (\df+, \dT+, \do+, \dC+,
-- the catalogue browsers of BI tools).  Objects declared with their comment
-- in src/<concept>.sql are not repeated here; these are the comments of the
-- objects 1.0 shipped without one, grouped by concept in CONCEPTS order.
-- The same statements end upgrade/integrity--1.0--1.1.sql.
--
-- Then the internal helpers leave the user's schema: see the end of this
-- file.  test/catalog.sql fails, naming the objects, when a member object has
-- no comment or a helper is left beside the user API.
-- =====================================================================

-- iscore ---------------------------------------------------------------
COMMENT ON FUNCTION iscore_in(cstring) IS 'input function of type iscore: base+bonus[!redlines]';
COMMENT ON FUNCTION iscore_out(iscore) IS 'output function of type iscore: two decimals, "!n" only when n > 0';
COMMENT ON FUNCTION iscore_recv(internal) IS 'binary input function of type iscore';
COMMENT ON FUNCTION iscore_send(iscore) IS 'binary output function of type iscore';
-- comments with Chinese terms: Unicode escapes, converted when the DO block
-- runs, after the encoding check (the script is ASCII: src/iscore.sql)
DO $comments$
BEGIN
    EXECUTE pg_catalog.format('COMMENT ON FUNCTION @extschema@.base(@extschema@.iscore) IS %L',
                              E'basic points (\u57FA\u7840\u9879) of a score');
    EXECUTE pg_catalog.format('COMMENT ON FUNCTION @extschema@.bonus(@extschema@.iscore) IS %L',
                              E'bonus points (\u52A0\u5206\u9879) of a score, uncapped');
    EXECUTE pg_catalog.format('COMMENT ON FUNCTION @extschema@.redlines(@extschema@.iscore) IS %L',
                              E'number of red-line hits (\u7EA2\u7EBF\u9879) of a score; any hit vetoes it');
END
$comments$;
COMMENT ON FUNCTION iscore_plus(iscore, iscore) IS 'implementation of iscore + iscore: adds points and red-line hits';
COMMENT ON FUNCTION iscore_mul(iscore, numeric) IS 'implementation of iscore * numeric: points scaled, rounded half-even to 0.01';
COMMENT ON FUNCTION iscore_mul_commuted(numeric, iscore) IS 'implementation of numeric * iscore: points scaled, rounded half-even to 0.01';
COMMENT ON FUNCTION iscore_cmp(iscore, iscore) IS 'btree comparison of scores: more red-line hits lower, then base + bonus, then base';
COMMENT ON FUNCTION iscore_eq(iscore, iscore) IS 'implementation of iscore = iscore (all fields equal)';
COMMENT ON FUNCTION iscore_ne(iscore, iscore) IS 'implementation of iscore <> iscore';
COMMENT ON FUNCTION iscore_lt(iscore, iscore) IS 'implementation of iscore < iscore';
COMMENT ON FUNCTION iscore_le(iscore, iscore) IS 'implementation of iscore <= iscore';
COMMENT ON FUNCTION iscore_gt(iscore, iscore) IS 'implementation of iscore > iscore';
COMMENT ON FUNCTION iscore_ge(iscore, iscore) IS 'implementation of iscore >= iscore';
COMMENT ON FUNCTION iscore_hash(iscore) IS 'hash of a score (hash opclass)';
COMMENT ON FUNCTION iscore_hash_extended(iscore, bigint) IS 'seeded 64-bit hash of a score (hash opclass)';
COMMENT ON OPERATOR + (iscore, iscore) IS 'sum of two scores: points and red-line hits add';
COMMENT ON OPERATOR * (iscore, numeric) IS 'score with its points scaled by a weight, rounded half-even to 0.01';
COMMENT ON OPERATOR * (numeric, iscore) IS 'score with its points scaled by a weight, rounded half-even to 0.01';
COMMENT ON OPERATOR = (iscore, iscore) IS 'equal: same base, bonus and red-line hits';
COMMENT ON OPERATOR <> (iscore, iscore) IS 'not equal';
COMMENT ON OPERATOR < (iscore, iscore) IS 'lower: more red-line hits, else less base + bonus, else less base';
COMMENT ON OPERATOR <= (iscore, iscore) IS 'lower or equal (order of <)';
COMMENT ON OPERATOR > (iscore, iscore) IS 'higher: fewer red-line hits, else more base + bonus, else more base';
COMMENT ON OPERATOR >= (iscore, iscore) IS 'higher or equal (order of >)';
COMMENT ON OPERATOR CLASS iscore_ops USING btree IS 'default btree order of iscore: red-line hits, base + bonus, base';
COMMENT ON OPERATOR FAMILY iscore_ops USING btree IS 'btree order of iscore';
COMMENT ON OPERATOR CLASS iscore_hash_ops USING hash IS 'default hash opclass of iscore (hash joins, hash aggregation)';
COMMENT ON OPERATOR FAMILY iscore_hash_ops USING hash IS 'hash equality of iscore';
COMMENT ON FUNCTION iscore_sum_accum(iscore, iscore) IS 'transition and combine function of sum(iscore), iscore_agg and redline_sum';
COMMENT ON AGGREGATE sum(iscore) IS 'exact sum of scores: points and red-line hits add';
COMMENT ON FUNCTION iscore_avg_accum(bigint[], iscore) IS 'transition function of avg(iscore): state {rows, base, bonus, redlines}';
COMMENT ON FUNCTION iscore_avg_combine(bigint[], bigint[]) IS 'combine function of avg(iscore)';
COMMENT ON FUNCTION iscore_avg_final(bigint[]) IS 'final function of avg(iscore): mean points rounded half-even to 0.01, red-line hits summed';
COMMENT ON AGGREGATE avg(iscore) IS 'mean of scores: points rounded half-even to 0.01, red-line hits summed (a vetoed row vetoes the mean)';

-- scheme ---------------------------------------------------------------
COMMENT ON TYPE scheme_fields IS 'the fields of a scheme; use the checked domain scheme';
COMMENT ON FUNCTION scheme_check(scheme_fields) IS 'CHECK of domain scheme: raises 22023 naming the first broken rule';
COMMENT ON FUNCTION total(iscore, scheme) IS '0 when vetoed by a red line, else base + least(bonus, the scheme''s bonus_cap)';
COMMENT ON FUNCTION total(iscore) IS 'total(s, current_scheme()): the scheme of the setting integrity.scheme, or the default';
COMMENT ON FUNCTION grade(iscore) IS 'grade(s, current_scheme()): the scheme of the setting integrity.scheme, or the default';

-- redline --------------------------------------------------------------
COMMENT ON FUNCTION iscore_item_accum(iscore, text, numeric) IS 'transition function of iscore_agg: one indicator row of class basic, bonus or redline';
COMMENT ON FUNCTION redline_sum_accum(iscore, numeric, boolean) IS 'transition function of redline_sum';
COMMENT ON FUNCTION redline_sum_final(iscore) IS 'final function of redline_sum: 0 when any row was a red line, else the sum';

-- assessment -----------------------------------------------------------
COMMENT ON FUNCTION assessment_in(cstring) IS 'input function of type assessment';
COMMENT ON FUNCTION assessment_out(assessment) IS 'output function of type assessment';
COMMENT ON FUNCTION assessment_recv(internal) IS 'binary input function of type assessment';
COMMENT ON FUNCTION assessment_send(assessment) IS 'binary output function of type assessment';
COMMENT ON FUNCTION assess_accum(assessment, text, iscore, scheme) IS 'transition function of assess: adds a row to its assessor''s sum';
COMMENT ON FUNCTION assess_combine(assessment, assessment) IS 'combine function of assess';
COMMENT ON FUNCTION assessors(assessment) IS 'number of assessors that scored the institution (0..3)';
COMMENT ON FUNCTION assessor_score(assessment, text) IS 'summed score of one assessor (self, inspection, third_party); NULL if it did not score';
COMMENT ON FUNCTION assessor_weight(assessment, text) IS 'the scheme''s weight of one assessor (self, inspection, third_party)';

-- index ----------------------------------------------------------------
COMMENT ON FUNCTION index_points(iscore, scheme) IS 'an institution''s points on the index scale 0..100: 100 * total / (full_marks + bonus_cap)';
COMMENT ON TYPE index_result IS 'result of integrity_index: value, stderr, 90% interval, institutions, excluded, no_spread';
COMMENT ON FUNCTION index_step(numeric[], iscore, numeric, numeric, scheme, boolean) IS 'one institution into an integrity_index state (the method''s step, callable for audits)';
COMMENT ON FUNCTION index_accum_assessment(numeric[], assessment, numeric, scheme) IS 'transition function of integrity_index(assessment, numeric, scheme)';
COMMENT ON FUNCTION index_accum_assessment1(numeric[], assessment, scheme) IS 'transition function of integrity_index(assessment, scheme)';
COMMENT ON FUNCTION index_accum_score(numeric[], iscore, numeric, scheme) IS 'transition function of integrity_index(iscore, numeric, scheme)';
COMMENT ON FUNCTION index_accum_score1(numeric[], iscore, scheme) IS 'transition function of integrity_index(iscore, scheme)';
COMMENT ON FUNCTION index_combine(numeric[], numeric[]) IS 'combine function of integrity_index';
COMMENT ON FUNCTION index_final(numeric[]) IS 'final function of integrity_index: value, standard error and interval, rounded half-even';
COMMENT ON AGGREGATE integrity_index(assessment, scheme) IS
    'clean-finance index 0..100 (every institution weighs 1) with standard error and 90% interval';
COMMENT ON AGGREGATE integrity_index(iscore, numeric, scheme) IS
    'weighted clean-finance index 0..100 of plain scores (no uncertainty estimate)';
COMMENT ON AGGREGATE integrity_index(iscore, scheme) IS
    'clean-finance index 0..100 of plain scores, every institution weighs 1 (no uncertainty estimate)';

-- cnid -----------------------------------------------------------------
COMMENT ON FUNCTION cnid_in(cstring) IS 'input function of type cnid: validates, upgrades the 15-digit form';
COMMENT ON FUNCTION cnid_out(cnid) IS 'output function of type cnid: 18 characters, check character X upper case';
COMMENT ON FUNCTION cnid_recv(internal) IS 'binary input function of type cnid: validated like the text';
COMMENT ON FUNCTION cnid_send(cnid) IS 'binary output function of type cnid';
COMMENT ON FUNCTION cnid(text) IS 'the text as a cnid (validated); the function of the casts text/varchar to cnid';
COMMENT ON FUNCTION text(cnid) IS 'canonical text of a cnid; the function of the casts cnid to text/varchar';
COMMENT ON CAST (text AS cnid) IS 'validating assignment cast: an invalid number raises 22P02';
COMMENT ON CAST (varchar AS cnid) IS 'validating assignment cast: an invalid number raises 22P02';
COMMENT ON CAST (cnid AS text) IS 'canonical 18-character text';
COMMENT ON CAST (cnid AS varchar) IS 'canonical 18-character text';
COMMENT ON FUNCTION cnid_eq(cnid, cnid) IS 'implementation of cnid = cnid';
COMMENT ON FUNCTION cnid_ne(cnid, cnid) IS 'implementation of cnid <> cnid';
COMMENT ON FUNCTION cnid_lt(cnid, cnid) IS 'implementation of cnid < cnid';
COMMENT ON FUNCTION cnid_le(cnid, cnid) IS 'implementation of cnid <= cnid';
COMMENT ON FUNCTION cnid_gt(cnid, cnid) IS 'implementation of cnid > cnid';
COMMENT ON FUNCTION cnid_ge(cnid, cnid) IS 'implementation of cnid >= cnid';
COMMENT ON FUNCTION cnid_cmp(cnid, cnid) IS 'btree comparison of cnid (order of the canonical text)';
COMMENT ON FUNCTION cnid_sortsupport(internal) IS 'btree sort support of cnid';
COMMENT ON FUNCTION cnid_hash(cnid) IS 'hash of a cnid (hash opclass)';
COMMENT ON FUNCTION cnid_hash_extended(cnid, bigint) IS 'seeded 64-bit hash of a cnid (hash opclass)';
COMMENT ON OPERATOR = (cnid, cnid) IS 'equal';
COMMENT ON OPERATOR <> (cnid, cnid) IS 'not equal';
COMMENT ON OPERATOR < (cnid, cnid) IS 'less than (order of the canonical text)';
COMMENT ON OPERATOR <= (cnid, cnid) IS 'less than or equal (order of the canonical text)';
COMMENT ON OPERATOR > (cnid, cnid) IS 'greater than (order of the canonical text)';
COMMENT ON OPERATOR >= (cnid, cnid) IS 'greater than or equal (order of the canonical text)';
COMMENT ON FUNCTION cnid_smaller(cnid, cnid) IS 'transition and combine function of min(cnid)';
COMMENT ON FUNCTION cnid_larger(cnid, cnid) IS 'transition and combine function of max(cnid)';
COMMENT ON AGGREGATE min(cnid) IS 'least cnid (order of the canonical text)';
COMMENT ON AGGREGATE max(cnid) IS 'greatest cnid (order of the canonical text)';
COMMENT ON OPERATOR CLASS cnid_ops USING btree IS 'default btree opclass of cnid (with sort support and deduplication)';
COMMENT ON OPERATOR FAMILY cnid_ops USING btree IS 'btree order of cnid';
COMMENT ON OPERATOR CLASS cnid_ops USING hash IS 'default hash opclass of cnid';
COMMENT ON OPERATOR FAMILY cnid_ops USING hash IS 'hash equality of cnid';
COMMENT ON TYPE cnid_gist_key IS 'GiST key of cnid: an interval [lo, hi] (storage of cnid_gist_ops only)';
COMMENT ON FUNCTION cnid_gist_key_in(cstring) IS 'input function of type cnid_gist_key (GiST internals)';
COMMENT ON FUNCTION cnid_gist_key_out(cnid_gist_key) IS 'output function of type cnid_gist_key (GiST internals)';
COMMENT ON FUNCTION cnid_gist_consistent(internal, cnid, smallint, oid, internal) IS 'GiST support of cnid: consistent';
COMMENT ON FUNCTION cnid_gist_union(internal, internal) IS 'GiST support of cnid: union';
COMMENT ON FUNCTION cnid_gist_compress(internal) IS 'GiST support of cnid: compress';
COMMENT ON FUNCTION cnid_gist_penalty(internal, internal, internal) IS 'GiST support of cnid: penalty';
COMMENT ON FUNCTION cnid_gist_picksplit(internal, internal) IS 'GiST support of cnid: picksplit';
COMMENT ON FUNCTION cnid_gist_same(cnid_gist_key, cnid_gist_key, internal) IS 'GiST support of cnid: same';
COMMENT ON FUNCTION cnid_gist_fetch(internal) IS 'GiST support of cnid: fetch (index-only scans)';
COMMENT ON OPERATOR CLASS cnid_gist_ops USING gist IS 'default GiST opclass of cnid, for exclusion constraints (EXCLUDE USING gist (person WITH =, during WITH &&))';
COMMENT ON OPERATOR FAMILY cnid_gist_ops USING gist IS 'GiST comparison of cnid';

-- uscc -----------------------------------------------------------------
COMMENT ON FUNCTION uscc_in(cstring) IS 'input function of type uscc: validates, lower case accepted';
COMMENT ON FUNCTION uscc_out(uscc) IS 'output function of type uscc: 18 upper-case characters';
COMMENT ON FUNCTION uscc_recv(internal) IS 'binary input function of type uscc: validated like the text';
COMMENT ON FUNCTION uscc_send(uscc) IS 'binary output function of type uscc';
COMMENT ON FUNCTION uscc(text) IS 'the text as a uscc (validated); the function of the casts text/varchar to uscc';
COMMENT ON FUNCTION text(uscc) IS 'canonical text of a uscc; the function of the casts uscc to text/varchar';
COMMENT ON CAST (text AS uscc) IS 'validating assignment cast: an invalid code raises 22P02';
COMMENT ON CAST (varchar AS uscc) IS 'validating assignment cast: an invalid code raises 22P02';
COMMENT ON CAST (uscc AS text) IS 'canonical 18-character text';
COMMENT ON CAST (uscc AS varchar) IS 'canonical 18-character text';
COMMENT ON FUNCTION uscc_eq(uscc, uscc) IS 'implementation of uscc = uscc';
COMMENT ON FUNCTION uscc_ne(uscc, uscc) IS 'implementation of uscc <> uscc';
COMMENT ON FUNCTION uscc_lt(uscc, uscc) IS 'implementation of uscc < uscc';
COMMENT ON FUNCTION uscc_le(uscc, uscc) IS 'implementation of uscc <= uscc';
COMMENT ON FUNCTION uscc_gt(uscc, uscc) IS 'implementation of uscc > uscc';
COMMENT ON FUNCTION uscc_ge(uscc, uscc) IS 'implementation of uscc >= uscc';
COMMENT ON FUNCTION uscc_cmp(uscc, uscc) IS 'btree comparison of uscc (order of the canonical text)';
COMMENT ON FUNCTION uscc_sortsupport(internal) IS 'btree sort support of uscc';
COMMENT ON FUNCTION uscc_hash(uscc) IS 'hash of a uscc (hash opclass)';
COMMENT ON FUNCTION uscc_hash_extended(uscc, bigint) IS 'seeded 64-bit hash of a uscc (hash opclass)';
COMMENT ON OPERATOR = (uscc, uscc) IS 'equal';
COMMENT ON OPERATOR <> (uscc, uscc) IS 'not equal';
COMMENT ON OPERATOR < (uscc, uscc) IS 'less than (order of the canonical text)';
COMMENT ON OPERATOR <= (uscc, uscc) IS 'less than or equal (order of the canonical text)';
COMMENT ON OPERATOR > (uscc, uscc) IS 'greater than (order of the canonical text)';
COMMENT ON OPERATOR >= (uscc, uscc) IS 'greater than or equal (order of the canonical text)';
COMMENT ON FUNCTION uscc_smaller(uscc, uscc) IS 'transition and combine function of min(uscc)';
COMMENT ON FUNCTION uscc_larger(uscc, uscc) IS 'transition and combine function of max(uscc)';
COMMENT ON AGGREGATE min(uscc) IS 'least uscc (order of the canonical text)';
COMMENT ON AGGREGATE max(uscc) IS 'greatest uscc (order of the canonical text)';
COMMENT ON OPERATOR CLASS uscc_ops USING btree IS 'default btree opclass of uscc (with sort support and deduplication)';
COMMENT ON OPERATOR FAMILY uscc_ops USING btree IS 'btree order of uscc';
COMMENT ON OPERATOR CLASS uscc_ops USING hash IS 'default hash opclass of uscc';
COMMENT ON OPERATOR FAMILY uscc_ops USING hash IS 'hash equality of uscc';
COMMENT ON TYPE uscc_gist_key IS 'GiST key of uscc: an interval [lo, hi] (storage of uscc_gist_ops only)';
COMMENT ON FUNCTION uscc_gist_key_in(cstring) IS 'input function of type uscc_gist_key (GiST internals)';
COMMENT ON FUNCTION uscc_gist_key_out(uscc_gist_key) IS 'output function of type uscc_gist_key (GiST internals)';
COMMENT ON FUNCTION uscc_gist_consistent(internal, uscc, smallint, oid, internal) IS 'GiST support of uscc: consistent';
COMMENT ON FUNCTION uscc_gist_union(internal, internal) IS 'GiST support of uscc: union';
COMMENT ON FUNCTION uscc_gist_compress(internal) IS 'GiST support of uscc: compress';
COMMENT ON FUNCTION uscc_gist_penalty(internal, internal, internal) IS 'GiST support of uscc: penalty';
COMMENT ON FUNCTION uscc_gist_picksplit(internal, internal) IS 'GiST support of uscc: picksplit';
COMMENT ON FUNCTION uscc_gist_same(uscc_gist_key, uscc_gist_key, internal) IS 'GiST support of uscc: same';
COMMENT ON FUNCTION uscc_gist_fetch(internal) IS 'GiST support of uscc: fetch (index-only scans)';
COMMENT ON OPERATOR CLASS uscc_gist_ops USING gist IS 'default GiST opclass of uscc, for exclusion constraints';
COMMENT ON OPERATOR FAMILY uscc_gist_ops USING gist IS 'GiST comparison of uscc';

-- portrait -------------------------------------------------------------
COMMENT ON FUNCTION portrait_in(cstring) IS 'input function of type portrait (fully validated)';
COMMENT ON FUNCTION portrait_out(portrait) IS 'output function of type portrait';
COMMENT ON FUNCTION portrait_recv(internal) IS 'binary input function of type portrait (fully validated)';
COMMENT ON FUNCTION portrait_send(portrait) IS 'binary output function of type portrait';
COMMENT ON FUNCTION portrait_trans(portrait, text, numeric, timestamptz) IS 'transition function of portrait(text, numeric, timestamptz)';
COMMENT ON FUNCTION portrait_trans(portrait, text, numeric, timestamptz, boolean) IS 'transition function of portrait(text, numeric, timestamptz, boolean)';
COMMENT ON FUNCTION portrait_combine(portrait, portrait) IS 'merges two portraits (the combine function of portrait(), callable)';
COMMENT ON FUNCTION portrait_final(portrait) IS 'final function of portrait(): the compact form of the state';
COMMENT ON CAST (portrait AS jsonb) IS 'the portrait as jsonb, as portrait_jsonb() gives it';
COMMENT ON TYPE portrait_rules_t IS 'the fields of portrait risk rules; use the checked domain portrait_rules';

-- =====================================================================
-- The internal schema
--
-- Aggregate support functions, domain CHECK helpers and the steps of the
-- index method are not API: they live in the schema integrity_internal,
-- which the extension creates and owns.  Aggregates, operators and domain
-- constraints refer to functions by OID, so moving a function changes
-- nothing for queries, views or dumps; integrity_internal.<name>(...)
-- still calls it (USAGE is granted to PUBLIC: the steps are meant to be
-- audited, and are all PUBLIC EXECUTE like every function).
--
-- The move is a rule, not a list, so that functions added by later work are
-- moved too.  Moved: every function of the extension that is
--   * a support function of one of its aggregates (transition, final,
--     combine, serial, deserial, moving-aggregate functions), or
--   * called by the CHECK constraint of one of its domains, or
--   * a step of an aggregate's state: its first parameter is named "state";
-- except the documented user API named in keep (portrait_combine: the README
-- documents merging stored portraits with it).  Users' own aggregates and
-- domains built on the extension's functions (an update meets them) move
-- nothing.  This block ends both the
-- install script and the 1.0--1.1 update; it must stay last.
-- =====================================================================

CREATE SCHEMA integrity_internal;
COMMENT ON SCHEMA integrity_internal IS
    'internal helpers of the integrity extension: aggregate support functions, CHECK helpers, steps of the index method';
GRANT USAGE ON SCHEMA integrity_internal TO PUBLIC;

DO $move$
DECLARE
    -- This block runs as the bootstrap superuser (the extension is trusted)
    -- with the target schema on the search_path: every function and
    -- operator is pg_catalog-qualified, so nothing planted in that schema is
    -- ever called.
    ext  oid := (SELECT e.oid FROM pg_catalog.pg_extension e
                  WHERE e.extname OPERATOR(pg_catalog.=) 'integrity'::pg_catalog.name);
    home oid := (SELECT e.extnamespace FROM pg_catalog.pg_extension e
                  WHERE e.extname OPERATOR(pg_catalog.=) 'integrity'::pg_catalog.name);
    keep oid[] := pg_catalog.array_remove(
                      ARRAY[pg_catalog.to_regprocedure('@extschema@.portrait_combine(@extschema@.portrait, @extschema@.portrait)')::oid],
                      NULL::oid);
    f    regprocedure;
BEGIN
    FOR f IN
        SELECT p.oid::regprocedure
          FROM pg_catalog.pg_proc p
          JOIN pg_catalog.pg_depend d
            ON d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_proc'::regclass::oid
           AND d.objid OPERATOR(pg_catalog.=) p.oid
           AND d.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_extension'::regclass::oid
           AND d.refobjid OPERATOR(pg_catalog.=) ext
           AND d.deptype OPERATOR(pg_catalog.=) 'e'::pg_catalog."char"
         WHERE p.pronamespace OPERATOR(pg_catalog.=) home
           AND p.oid OPERATOR(pg_catalog.<>) ALL (keep)
           AND (EXISTS (SELECT 1 FROM pg_catalog.pg_aggregate a
                          JOIN pg_catalog.pg_depend m
                            ON m.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_proc'::regclass::oid
                           AND m.objid OPERATOR(pg_catalog.=) a.aggfnoid::oid
                           AND m.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_extension'::regclass::oid
                           AND m.refobjid OPERATOR(pg_catalog.=) ext
                           AND m.deptype OPERATOR(pg_catalog.=) 'e'::pg_catalog."char"
                         WHERE p.oid OPERATOR(pg_catalog.=) ANY (ARRAY[
                                   a.aggtransfn::oid, a.aggfinalfn::oid, a.aggcombinefn::oid,
                                   a.aggserialfn::oid, a.aggdeserialfn::oid, a.aggmtransfn::oid,
                                   a.aggminvtransfn::oid, a.aggmfinalfn::oid]))
                OR EXISTS (SELECT 1 FROM pg_catalog.pg_depend c
                             JOIN pg_catalog.pg_constraint k ON k.oid OPERATOR(pg_catalog.=) c.objid
                             JOIN pg_catalog.pg_depend m
                               ON m.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_type'::regclass::oid
                              AND m.objid OPERATOR(pg_catalog.=) k.contypid
                              AND m.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_extension'::regclass::oid
                              AND m.refobjid OPERATOR(pg_catalog.=) ext
                              AND m.deptype OPERATOR(pg_catalog.=) 'e'::pg_catalog."char"
                            WHERE c.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_constraint'::regclass::oid
                              AND c.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_proc'::regclass::oid
                              AND c.refobjid OPERATOR(pg_catalog.=) p.oid)
                OR p.proargnames[1] OPERATOR(pg_catalog.=) 'state'::pg_catalog.text)
         ORDER BY p.oid
    LOOP
        EXECUTE pg_catalog.format('ALTER FUNCTION %s SET SCHEMA integrity_internal', f::pg_catalog.text);
    END LOOP;
END
$move$;
