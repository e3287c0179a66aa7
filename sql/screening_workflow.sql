-- screening_workflow: the regulator's screening workflow in the reference
-- model (demo/schema.sql): list publications, reviewed decisions, audited
-- runs.  Loads the district data, then follows one person through
-- publications, a run, a review, its expiry and a new entry; re-runs past
-- screenings as published; checks that the audit is append-only and masked.
\set ECHO none
SET client_min_messages = warning;
CREATE EXTENSION btree_gist;
\i demo/schema.sql
\i demo/generate.sql
CALL regulator.generate('district');
\i demo/constraints.sql
RESET client_min_messages;
\set ECHO all
\set VERBOSITY default

-- the generated workflow: monthly publications of every list, superseded
-- versions, twelve runs of the new hires of 2024, reviews
SELECT list, count(*) AS publications, min(published), max(published),
       sum(added) AS added, sum(removed) AS removed
FROM regulator.list_publication GROUP BY list ORDER BY list;
SELECT count(*) AS versions_superseded, count(*) FILTER (WHERE NOT EXISTS (
           SELECT FROM regulator.blacklist b WHERE b.id = h.id)) AS withdrawn
FROM regulator.blacklist_history h;
-- a publication's size is what the versions recorded in it add up to
CREATE TEMP VIEW wf_publication_size AS
SELECT p.list, p.published, p.entries,
       (SELECT count(*) FROM regulator.blacklist_version v
        WHERE v.list = p.list AND v.recorded @> p.published)
     + (SELECT count(*) FROM regulator.name_entry e
        WHERE e.list = p.list AND e.recorded_from <= p.published
          AND (e.recorded_until IS NULL OR p.published < e.recorded_until)) AS versions
FROM regulator.list_publication p;
SELECT count(*) AS publications_checked FROM wf_publication_size WHERE entries = versions;
SELECT count(*) AS runs, sum(batch_size) AS screened, sum(matches) AS matches FROM regulator.screening_run;

-- every past run re-run as published on its date gives the same hits,
-- although the lists changed since (corrections, withdrawn entries); with
-- today's lists some of them are gone
CREATE TABLE wf_month (lo date, hi date);
CREATE VIEW wf_batch AS
SELECT e.cnid, e.id, e.name FROM regulator.employee e, wf_month m WHERE e.hired BETWEEN m.lo AND m.hi;
CREATE TABLE wf_rerun (run_id bigint, same_as_published boolean, hits bigint, gone_today bigint);
DO $$
DECLARE r record;
BEGIN
    FOR r IN SELECT * FROM regulator.screening_run ORDER BY id LOOP
        DELETE FROM wf_month;
        INSERT INTO wf_month VALUES (date_trunc('month', r.at)::date, r.at);
        INSERT INTO wf_rerun
        SELECT r.id,
               NOT EXISTS ((SELECT ref, subject, list, entry_id, valid FROM regulator.screening_hit WHERE run_id = r.id
                            EXCEPT SELECT ref, subject, list, entry_id, valid
                                   FROM regulator.screening_matches('wf_batch', r.at, r.published))
                           UNION ALL
                           (SELECT ref, subject, list, entry_id, valid
                            FROM regulator.screening_matches('wf_batch', r.at, r.published)
                            EXCEPT SELECT ref, subject, list, entry_id, valid FROM regulator.screening_hit WHERE run_id = r.id)),
               (SELECT count(*) FROM regulator.screening_hit WHERE run_id = r.id),
               (SELECT count(*) FROM (SELECT ref, list, entry_id FROM regulator.screening_hit WHERE run_id = r.id
                                      EXCEPT SELECT ref, list, entry_id
                                             FROM regulator.screening_matches('wf_batch', r.at, current_date)) g);
    END LOOP;
END $$;
SELECT count(*) AS runs, bool_and(same_as_published) AS all_reproduced, sum(hits) AS hits,
       sum(gone_today) AS hits_gone_from_todays_lists
FROM wf_rerun;

-- one person through the workflow.  A CSV batch: full-width digits, spaces
-- and a hyphen, a line that is no ID at all, a second person
CREATE TABLE wf_csv (raw text, line text);
INSERT INTO wf_csv VALUES
    (translate(cnid_from_parts(330102, date '1985-05-05', 11)::text, '0123456789X', '０１２３４５６７８９Ｘ'), 'line 1'),
    ('not an id', 'line 2'),
    (regexp_replace(cnid_from_parts(330103, date '1990-02-02', 21)::text, '^(.{6})(.{8})', '\1 \2-'), 'line 3');
SELECT line, to_cnid(raw, strict => false) FROM wf_csv ORDER BY line;
-- publication of 2025-01-01 of the dishonest-debtor list: both people listed
CREATE TABLE wf_pub (id bigint, subject text, reason text, valid daterange, listed_by integer);
INSERT INTO wf_pub SELECT id, subject::text, reason, valid, listed_by FROM regulator.blacklist WHERE list = 'dishonest_debtor';
INSERT INTO wf_pub VALUES
    (NULL, '３３０１０２１９８５０５０５０１１' || (SELECT right(cnid_from_parts(330102, date '1985-05-05', 11)::text, 1)),
     '失信被执行人', '[2024-06-01,2026-01-01)', NULL),
    (NULL, cnid_from_parts(330103, date '1990-02-02', 21)::text, '失信被执行人', '[2024-01-01,)', NULL);
CALL regulator.publish('dishonest_debtor', '2025-01-01', 'wf_pub');
SELECT list, published, entries, added, removed FROM regulator.list_publication
WHERE list = 'dishonest_debtor' AND published >= '2024-12-01' ORDER BY published;
-- a run on 2025-01-15: two hits, open
CALL regulator.screen('wf_csv', 'regression: new hires', at => '2025-01-15', published => '2025-01-15');
SELECT run_id, batch, at, published, batch_size, invalid, matches, cleared, publications
FROM regulator.screening_run_log WHERE run_id = (SELECT max(id) FROM regulator.screening_run);
SELECT ref, subject, list, valid, recorded_from, status FROM regulator.screening_hit
WHERE run_id = (SELECT max(id) FROM regulator.screening_run) ORDER BY ref;
-- line 1 is cleared by a reviewer until 2025-07-01; line 3 confirmed
INSERT INTO regulator.screening_review (subject, list, decision, reviewer, reason, reviewed_at, expires)
VALUES (cnid_from_parts(330102, date '1985-05-05', 11), 'dishonest_debtor', 'cleared', 'reviewer_regress',
        'same number typed wrong on the list', '2025-01-20 10:00+08', '2025-07-01'),
       (cnid_from_parts(330103, date '1990-02-02', 21), 'dishonest_debtor', 'confirmed', 'reviewer_regress',
        'same person', '2025-01-20 11:00+08', NULL);
-- the cleared hit is left out while the review holds, and back after it expires
SELECT '1 hits before expiry' AS what, ref, status FROM regulator.screening_hits('wf_csv', '2025-06-30', '2025-01-15')
UNION ALL
SELECT '2 matches before expiry', ref, status FROM regulator.screening_matches('wf_csv', '2025-06-30', '2025-01-15')
UNION ALL
SELECT '3 hits after expiry', ref, status FROM regulator.screening_hits('wf_csv', '2025-07-01', '2025-01-15')
ORDER BY 1, 2;
-- publication of 2025-02-01: line 1's entry extended (a new version), line 3's withdrawn
UPDATE wf_pub SET valid = '[2024-06-01,2027-01-01)' WHERE id IS NULL AND valid = '[2024-06-01,2026-01-01)';
UPDATE wf_pub SET id = b.id FROM regulator.blacklist b
WHERE wf_pub.id IS NULL AND b.list = 'dishonest_debtor' AND b.subject = to_cnid(wf_pub.subject);
DELETE FROM wf_pub WHERE subject = cnid_from_parts(330103, date '1990-02-02', 21)::text;
CALL regulator.publish('dishonest_debtor', '2025-02-01', 'wf_pub');
SELECT list, published, entries, added, removed FROM regulator.list_publication
WHERE list = 'dishonest_debtor' AND published >= '2025-01-01' ORDER BY published;
SELECT subject, valid, recorded FROM regulator.blacklist_version
WHERE subject IN (cnid_from_parts(330102, date '1985-05-05', 11), cnid_from_parts(330103, date '1990-02-02', 21))
ORDER BY subject, recorded;
-- the new version was recorded after the review: the case is open again
SELECT 'new version' AS why, ref, status FROM regulator.screening_hits('wf_csv', '2025-05-31', '2025-02-01');
-- as published on 2025-01-15 the review still covers the old version
SELECT 'as published 2025-01-15' AS why, ref, status FROM regulator.screening_matches('wf_csv', '2025-05-31', '2025-01-15')
ORDER BY 1, 2;
-- a new review after the new version clears it again
INSERT INTO regulator.screening_review (subject, list, decision, reviewer, reason, reviewed_at, expires)
VALUES (cnid_from_parts(330102, date '1985-05-05', 11), 'dishonest_debtor', 'cleared', 'reviewer_regress',
        'still typed wrong', '2025-02-03 10:00+08', '2025-12-31');
SELECT count(*) AS open_hits FROM regulator.screening_hits('wf_csv', '2025-05-31', '2025-02-01');
-- re-running the 2025-01-15 run as published then gives its hits, today's lists do not
SELECT 'as published' AS lists, ref, list, valid FROM regulator.screening_matches('wf_csv', '2025-01-15', '2025-01-15')
UNION ALL
SELECT 'today', ref, list, valid FROM regulator.screening_matches('wf_csv', '2025-01-15', current_date)
ORDER BY 1, 2;
SELECT NOT EXISTS (SELECT ref, subject, list, entry_id, valid FROM regulator.screening_hit
                   WHERE run_id = (SELECT max(id) FROM regulator.screening_run)
                   EXCEPT SELECT ref, subject, list, entry_id, valid
                          FROM regulator.screening_matches('wf_csv', '2025-01-15', '2025-01-15')) AS same_hits;

-- a list published by name: the courts' list of 2025-01-01 from the
-- generated one, its first entry withdrawn, its last corrected (a masked
-- number with more digits shown), a new one; the planted hire of that last
-- entry is found in the corrected version from 2025-01-01 on
CREATE TABLE wf_names AS
SELECT id, name, masked::text AS masked, institution_id, decision, reason, valid
FROM regulator.name_entry WHERE list = 'debtor_names' AND recorded_until IS NULL;
CREATE TEMP TABLE wf_names_last AS
SELECT p.entry_id, p.subject, e.masked AS was FROM regulator.planted_name p
JOIN regulator.name_entry e ON e.id = p.entry_id
WHERE p.entry_id = (SELECT max(id) FROM wf_names);
SELECT form, planted, masked_cnid_visible(was) AS visible_before FROM wf_names_last
JOIN regulator.planted_name USING (entry_id);
DELETE FROM wf_names WHERE id = (SELECT min(id) FROM wf_names);
UPDATE wf_names w SET masked = l.subject::text FROM wf_names_last l WHERE w.id = l.entry_id;
INSERT INTO wf_names VALUES (NULL, '張偉', '1101051949****002X', NULL, '(2024)京0105执99号', '失信被执行人', '[2024-12-01,)');
CALL regulator.publish('debtor_names', '2025-01-01', 'wf_names');
SELECT list, published, entries, added, removed FROM regulator.list_publication
WHERE list = 'debtor_names' AND published >= '2024-12-01' ORDER BY published;
SELECT count(*) FILTER (WHERE recorded_until = '2025-01-01') AS ended, count(*) FILTER (WHERE recorded_from = '2025-01-01') AS started
FROM regulator.name_entry WHERE list = 'debtor_names';
-- every publication's size is still what its versions add up to
SELECT count(*) = (SELECT count(*) FROM regulator.list_publication) AS sizes_add_up
FROM wf_publication_size WHERE entries = versions;
CREATE TEMP TABLE wf_names_batch AS
SELECT e.cnid, e.id::text AS ref, e.name FROM regulator.employee e JOIN wf_names_last l ON e.cnid = l.subject;
SELECT 'as published 2024-12-01' AS lists, recorded_from, score >= name_match_threshold() AS hit,
       'birth date' = ANY (evidence) AS whole_birth_date
FROM regulator.screening_matches('wf_names_batch', '2025-01-15', '2024-12-01', ARRAY['debtor_names'])
UNION ALL
SELECT 'as published 2025-01-01', recorded_from, score >= name_match_threshold(), 'birth date' = ANY (evidence)
FROM regulator.screening_matches('wf_names_batch', '2025-01-15', '2025-01-01', ARRAY['debtor_names'])
ORDER BY 1;

-- refusals
SELECT * FROM regulator.screening_matches(NULL);
\echo :LAST_ERROR_SQLSTATE
CALL regulator.screen('wf_csv', '');
CALL regulator.screen('wf_csv', 'x', lists => ARRAY['no_such_list']);
-- (the message only: its detail names today's date)
\set VERBOSITY terse
CALL regulator.screen('wf_csv', 'x', published => current_date + 1);
\set VERBOSITY default
CALL regulator.publish('dishonest_debtor', '2025-01-15', 'wf_pub');
CREATE TABLE wf_bad (n integer);
CALL regulator.screen('wf_bad', 'x');

-- the audit is append-only for everyone but its owner, and masked for them
CREATE ROLE regress_officer;
GRANT USAGE ON SCHEMA regulator TO regress_officer;
GRANT SELECT ON regulator.blacklist_version, regulator.list, regulator.list_publication,
                regulator.screening_review, wf_csv TO regress_officer;
SELECT p AS privilege, has_table_privilege('regress_officer', 'regulator.screening_hit', p) AS hit,
       has_table_privilege('regress_officer', 'regulator.screening_run', p) AS run,
       has_table_privilege('regress_officer', 'regulator.screening_hit_log', p) AS hit_log
FROM unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE']) p;
SET ROLE regress_officer;
CALL regulator.screen('wf_csv', 'regression: by an officer', at => '2025-01-15', published => '2025-01-15');
SELECT ran_by, ran_at > now() - interval '1 hour' AS stamped_now, batch_size, matches, cleared
FROM regulator.screening_run_log WHERE run_id = (SELECT max(run_id) FROM regulator.screening_run_log);
SELECT run_id - (SELECT max(run_id) FROM regulator.screening_run_log) AS run, ref, person, list, status
FROM regulator.screening_hit_log WHERE run_id = (SELECT max(run_id) FROM regulator.screening_run_log) ORDER BY ref;
UPDATE regulator.screening_hit SET status = 'cleared';
DELETE FROM regulator.screening_hit;
DELETE FROM regulator.screening_run;
TRUNCATE regulator.screening_run_list;
SELECT subject FROM regulator.screening_hit LIMIT 1;
DO $$
BEGIN
    BEGIN UPDATE regulator.screening_run SET purpose = 'changed';
    EXCEPTION WHEN insufficient_privilege THEN RAISE NOTICE 'UPDATE of a run refused: SQLSTATE %', SQLSTATE; END;
    BEGIN DELETE FROM regulator.screening_hit;
    EXCEPTION WHEN insufficient_privilege THEN RAISE NOTICE 'DELETE of hits refused: SQLSTATE %', SQLSTATE; END;
END $$;
-- a forged run gets the officer's name and the time of the insert
INSERT INTO regulator.screening_run (ran_at, ran_by, purpose, batch, at, published, batch_size, invalid, matches, cleared)
VALUES ('2020-01-01', 'someone else', 'forged', 'x', '2020-01-01', '2020-01-01', 0, 0, 0, 0);
SELECT ran_by, ran_at > now() - interval '1 hour' AS stamped_now FROM regulator.screening_run_log WHERE purpose = 'forged';
-- the log names no entry, validity or recording date: nothing that joins a
-- hit to the entry on the list and unmasks the number
SELECT string_agg(attname, ', ' ORDER BY attnum) AS hit_log_columns
FROM pg_attribute WHERE attrelid = 'regulator.screening_hit_log'::regclass AND attnum > 0;
RESET ROLE;
-- a second officer can neither add to another officer's run nor take run ids
CREATE ROLE regress_officer2;
GRANT USAGE ON SCHEMA regulator TO regress_officer2;
GRANT SELECT ON regulator.blacklist_version, regulator.list, regulator.list_publication,
                regulator.screening_review, wf_csv TO regress_officer2;
CREATE TEMP TABLE wf_officer_run AS
SELECT max(run_id) AS run_id FROM regulator.screening_run_log WHERE ran_by = 'regress_officer';
GRANT SELECT ON wf_officer_run TO regress_officer2;
SET ROLE regress_officer2;
-- a forged hit in the first officer's run (the message names the run: shown terse)
\set VERBOSITY terse
INSERT INTO regulator.screening_hit (run_id, ref, subject, list, entry_id, valid, recorded_from, status)
SELECT r.run_id, 'FORGED', v.subject, v.list, v.id, v.valid, lower(v.recorded), 'open'
FROM wf_officer_run r, (SELECT * FROM regulator.blacklist_version ORDER BY id, recorded LIMIT 1) v;
INSERT INTO regulator.screening_run_list (run_id, list) SELECT run_id, 'internal' FROM wf_officer_run;
\set VERBOSITY default
-- a squatted run id: the next one and far ahead
INSERT INTO regulator.screening_run (id, purpose, batch, at, published, batch_size, invalid, matches, cleared)
OVERRIDING SYSTEM VALUE
SELECT run_id + 1, 'squat', 'x', '2025-01-15', '2025-01-15', 0, 0, 0, 0 FROM wf_officer_run;
INSERT INTO regulator.screening_run (id, purpose, batch, at, published, batch_size, invalid, matches, cleared)
OVERRIDING SYSTEM VALUE
SELECT run_id + 1000, 'squat', 'x', '2025-01-15', '2025-01-15', 0, 0, 0, 0 FROM wf_officer_run;
-- its own run, but a hit that is no list entry
BEGIN;
INSERT INTO regulator.screening_run (purpose, batch, at, published, batch_size, invalid, matches, cleared)
VALUES ('regression: own run', 'x', '2025-01-15', '2025-01-15', 0, 0, 0, 0);
INSERT INTO regulator.screening_hit (run_id, ref, subject, list, entry_id, valid, recorded_from, status)
SELECT (SELECT max(run_id) FROM regulator.screening_run_log WHERE purpose = 'regression: own run'),
       'FORGED', v.subject, v.list, -1, v.valid, lower(v.recorded), 'open'
FROM (SELECT * FROM regulator.blacklist_version ORDER BY id, recorded LIMIT 1) v;
ROLLBACK;
-- its own screening works, and so does the first officer's next one
CALL regulator.screen('wf_csv', 'regression: by a second officer', at => '2025-01-15', published => '2025-01-15');
RESET ROLE;
SET ROLE regress_officer;
CALL regulator.screen('wf_csv', 'regression: by an officer, again', at => '2025-01-15', published => '2025-01-15');
RESET ROLE;
SELECT ran_by, purpose, matches, (SELECT count(*) FROM regulator.screening_hit h WHERE h.run_id = r.run_id) AS hits_recorded
FROM regulator.screening_run_log r WHERE purpose LIKE 'regression: by%' OR purpose = 'squat' ORDER BY run_id;
SELECT count(*) AS forged_hits FROM regulator.screening_hit WHERE ref = 'FORGED';
-- a batch is needed (it used to be a syntax error)
SELECT * FROM regulator.screening_matches(NULL);
CALL regulator.screen(NULL, 'x');
SELECT * FROM regulator.screening_hits('wf_csv', at => NULL);
-- even a privilege granted by mistake does not let a non-owner change it
GRANT UPDATE, DELETE ON regulator.screening_hit TO regress_officer;
SET ROLE regress_officer;
DELETE FROM regulator.screening_hit;
DO $$
BEGIN
    UPDATE regulator.screening_hit SET status = 'cleared';
EXCEPTION WHEN insufficient_privilege THEN RAISE NOTICE 'UPDATE refused by the trigger: SQLSTATE %', SQLSTATE;
END $$;
RESET ROLE;
-- the owner can
SELECT count(*) AS hits_before FROM regulator.screening_hit;
DELETE FROM regulator.screening_run_list WHERE run_id IN (SELECT id FROM regulator.screening_run WHERE purpose = 'forged');
DELETE FROM regulator.screening_run WHERE purpose = 'forged';

SET client_min_messages = warning;
DROP SCHEMA regulator CASCADE;
DROP TABLE wf_month, wf_rerun, wf_csv, wf_pub, wf_names, wf_bad CASCADE;
DROP TABLE wf_officer_run;
DROP OWNED BY regress_officer;
DROP OWNED BY regress_officer2;
DROP ROLE regress_officer, regress_officer2;
DROP EXTENSION btree_gist;
