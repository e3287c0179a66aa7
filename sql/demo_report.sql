-- demo_report: the reference model (demo/schema.sql) loaded with the
-- district data of the deterministic generator, and the report queries
-- (demo/report/*.sql) checked row for row.  Same seed, same rows: any change
-- to the generator or to the extension's arithmetic shows up here.
\set ECHO none
SET client_min_messages = warning;
CREATE EXTENSION btree_gist;
\i demo/schema.sql
\i demo/generate.sql
CALL regulator.generate('district');
\i demo/constraints.sql
\i demo/stored.sql
\i demo/report_views.sql
CALL regulator.refresh_report();
RESET client_min_messages;
\set ECHO all
-- the shape of the data
SELECT (SELECT count(*) FROM regulator.institution) AS institutions,
       (SELECT count(*) FROM regulator.employee) AS employees,
       (SELECT count(*) FROM regulator.event) AS events,
       (SELECT count(*) FROM regulator.blacklist) AS blacklist,
       (SELECT count(*) FROM regulator.feedback) AS feedback,
       (SELECT count(*) FROM regulator.assessment_result) AS assessment_rows;
SELECT year, class, count(*) AS norms, sum(full_marks) AS full_marks FROM regulator.indicator_year GROUP BY year, class ORDER BY year, class;
-- every credit code's embedded organisation code passes GB 11714; resident
-- IDs are valid by type; birth dates 1960-1999
SELECT bool_and(uscc_org_code_valid(uscc)) AS org_codes_valid FROM regulator.institution;
SELECT min(cnid_birth_date(cnid)) >= date '1960-01-01' AND max(cnid_birth_date(cnid)) < date '2000-01-01' AS births
FROM regulator.employee;
-- a resident ID appears twice only for a person employed again
SELECT count(*) AS people_employed_twice FROM (
    SELECT cnid FROM regulator.employee GROUP BY cnid HAVING count(*) > 1) t;
-- the generator refuses to load twice and refuses unknown scales
CALL regulator.generate('district');
CALL regulator.generate('county');
-- the exclusion constraint: a second, overlapping industry ban of one person
INSERT INTO regulator.blacklist (id, subject, list, reason, valid)
SELECT -1, subject, list, 'overlap', daterange(lower(valid), lower(valid) + 1)
FROM regulator.blacklist ORDER BY id LIMIT 1;
-- the same person on another list, or later on the same list, is fine
BEGIN;
INSERT INTO regulator.blacklist (id, subject, list, reason, valid)
SELECT -1, subject, 'dishonest_debtor', 'other list', valid FROM regulator.blacklist
WHERE list <> 'dishonest_debtor' AND NOT EXISTS (SELECT FROM regulator.blacklist b2
      WHERE b2.subject = blacklist.subject AND b2.list = 'dishonest_debtor') ORDER BY id LIMIT 1;
ROLLBACK;
-- listed() agrees with EXISTS on every employment
SELECT count(*) AS employments,
       count(*) FILTER (WHERE listed(e.cnid, 'regulator.blacklist', e.hired)) AS listed_at_hire,
       count(*) FILTER (WHERE listed(e.cnid, 'regulator.blacklist', e.hired)
                        IS DISTINCT FROM EXISTS (SELECT FROM regulator.blacklist b
                                                 WHERE b.subject = e.cnid AND b.valid @> e.hired)) AS disagree
FROM regulator.employee e;
-- ... answered by the blacklist index's filter, positives by the btree
SELECT filter, probe_index, confirm, filtered > probed AS mostly_filtered
FROM listed_explain('regulator.blacklist');
-- the report, section by section
\set ECHO none
\i demo/report/1_league_table.sql
\i demo/report/2_index.sql
\i demo/report/3_top_risk_portraits.sql
\i demo/report/4_blacklist_hits.sql
\i demo/report/5_feedback.sql
\i demo/report/6_outcomes.sql
\i demo/report/7_new_hire_screening.sql
\i demo/report/11_name_hits.sql
\set ECHO all
SET client_min_messages = warning;
DROP SCHEMA report, regulator CASCADE;
RESET client_min_messages;
DROP EXTENSION btree_gist;
