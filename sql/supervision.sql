-- supervision: the supervisor's year on the reference model (district data).
--   rules by year      next year's rules change; the published year's league
--                      table and index stay identical to the cent; published
--                      versions are frozen
--   explanations       explain_score reconciles with the published total,
--                      grade, composition and index, for every institution
--                      and year
--   early warning      every planted pattern found, no warning on the clean
--                      population or the near misses, rules as data
--   report             sections 8-10, row for row
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

-- ---------------------------------------------------------------- rules by year
-- the versions in force: one scheme per year, one catalogue per year
SELECT year, version, rules::text, published FROM regulator.scheme_year ORDER BY year;
SELECT year, count(*) AS norms, sum(full_marks) FILTER (WHERE class = 'basic') AS basic_marks,
       string_agg(code, ',' ORDER BY code) FILTER (WHERE class = 'bonus') AS bonus_norms
FROM regulator.indicator_year GROUP BY year ORDER BY year;

-- what 2024 published: league table and index
CREATE TEMP TABLE published_2024 AS
SELECT iy.institution_id, total(score(iy.a), iy.rules) AS total, grade(score(iy.a), iy.rules) AS grade
FROM regulator.institution_year iy WHERE iy.year = 2024;
CREATE TEMP TABLE published_index AS
SELECT iy.year, (integrity_index(iy.a, iy.rules)).value
FROM regulator.institution_year iy GROUP BY iy.year;
SELECT * FROM published_index ORDER BY year;

-- overlapping versions are refused
INSERT INTO regulator.scheme_version (id, rules, effective, published)
VALUES (3, scheme(green => 92), daterange('2024-06-01', NULL), date '2024-05-01');
INSERT INTO regulator.indicator_version (code, effective, item, item_title, norm, title, class, full_marks)
SELECT code, daterange('2024-06-01', NULL), item, item_title, norm, title, 'bonus', full_marks
FROM regulator.indicator_version WHERE code = '3.3';

-- a published year's rules are frozen
UPDATE regulator.scheme_version SET rules = scheme(green => 92) WHERE id = 2;
UPDATE regulator.indicator_version SET class = 'bonus' WHERE code = '3.3';
UPDATE regulator.indicator_version SET effective = daterange('2020-01-01', '2024-01-01') WHERE code = '3.3';
DELETE FROM regulator.scheme_version WHERE id = 1;

-- publishing 2025's rules: end the open versions on 2025-01-01 and add new
-- ones.  Two norms are reclassified (3.3 becomes a bonus norm, 9.3 a basic
-- norm worth 5), green needs 92 and the third party weighs 0.5.
BEGIN;
UPDATE regulator.scheme_version SET effective = daterange(lower(effective), '2025-01-01') WHERE upper_inf(effective);
INSERT INTO regulator.scheme_version (id, rules, effective, published, note)
VALUES (3, scheme(green => 92, w_self => 0.1, w_inspection => 0.4, w_third_party => 0.5),
        daterange('2025-01-01', NULL), date '2025-01-10', 'green 92; third party 0.5');
UPDATE regulator.indicator_version SET effective = daterange(lower(effective), '2025-01-01')
WHERE code IN ('3.3', '9.3') AND upper_inf(effective);
INSERT INTO regulator.indicator_version (code, effective, item, item_title, norm, title, class, full_marks)
SELECT code, daterange('2025-01-01', NULL), item, item_title, norm, title,
       CASE code WHEN '3.3' THEN 'bonus' ELSE 'basic' END, full_marks
FROM regulator.indicator_version WHERE code IN ('3.3', '9.3');
INSERT INTO regulator.assessment_year VALUES (2025, NULL);
-- 2025 assessments: the 2024 rows again, scored under 2025's rules
INSERT INTO regulator.assessment_result SELECT institution_id, 2025, assessor, indicator, points
FROM regulator.assessment_result WHERE year = 2024;
COMMIT;
SELECT year, version, rules::text FROM regulator.scheme_year ORDER BY year;
SELECT year, code, class, full_marks FROM regulator.indicator_year WHERE code IN ('3.3', '9.3') ORDER BY year, code;

-- 2024 recomputed after 2025's rules were published: identical to the cent
SELECT count(*) AS institutions_2024,
       count(*) FILTER (WHERE p.total IS DISTINCT FROM total(score(iy.a), iy.rules)
                           OR p.grade IS DISTINCT FROM grade(score(iy.a), iy.rules)) AS changed
FROM published_2024 p JOIN regulator.institution_year iy ON iy.institution_id = p.institution_id AND iy.year = 2024;
SELECT p.year, p.value AS published, (integrity_index(iy.a, iy.rules)).value AS recomputed
FROM published_index p JOIN regulator.institution_year iy ON iy.year = p.year
GROUP BY p.year, p.value ORDER BY p.year;
-- the same scores under 2025's rules give other figures (the rules matter)
SELECT count(*) FILTER (WHERE t24.total <> t25.total) AS totals_changed,
       count(*) FILTER (WHERE t24.grade <> t25.grade) AS grades_changed
FROM (SELECT institution_id, total(score(a), rules) AS total, grade(score(a), rules) AS grade
      FROM regulator.institution_year WHERE year = 2024) t24
JOIN (SELECT institution_id, total(score(a), rules) AS total, grade(score(a), rules) AS grade
      FROM regulator.institution_year WHERE year = 2025) t25 USING (institution_id);

-- ---------------------------------------------------------------- explanations
-- every institution and year (2025 included): the lines reconcile with the
-- published figures computed by the extension's aggregates
CREATE TEMP TABLE expl AS
SELECT iy.institution_id, iy.year, e.*
FROM regulator.institution_year iy CROSS JOIN LATERAL regulator.explain_score(iy.institution_id, iy.year) e;
CREATE INDEX ON expl (institution_id, year, step);
ANALYZE expl;
WITH pub AS (
    SELECT iy.institution_id, iy.year, score(iy.a) AS s, iy.rules, iy.a FROM regulator.institution_year iy),
chk AS (
    SELECT p.institution_id, p.year,
           (SELECT value FROM expl x WHERE (x.institution_id, x.year) = (p.institution_id, p.year) AND step = 'total')
             = total(p.s, p.rules) AS total_ok,
           (SELECT class FROM expl x WHERE (x.institution_id, x.year) = (p.institution_id, p.year) AND step = 'grade')
             = grade(p.s, p.rules)::text AS grade_ok,
           (SELECT value FROM expl x WHERE (x.institution_id, x.year) = (p.institution_id, p.year)
              AND step = 'composed' AND class = 'basic') = base(p.s) AS base_ok,
           (SELECT value FROM expl x WHERE (x.institution_id, x.year) = (p.institution_id, p.year)
              AND step = 'composed' AND class = 'bonus') = bonus(p.s) AS bonus_ok,
           (SELECT value FROM expl x WHERE (x.institution_id, x.year) = (p.institution_id, p.year)
              AND step = 'composed' AND class = 'redline') = redlines(p.s) AS redlines_ok,
           -- each assessor's lines are the sums of its norm lines, and equal
           -- the extension's per-assessor score
           (SELECT bool_and(x.value = CASE x.class WHEN 'basic' THEN base(assessor_score(p.a, x.assessor))
                                                   WHEN 'bonus' THEN bonus(assessor_score(p.a, x.assessor))
                                                   WHEN 'redline' THEN redlines(assessor_score(p.a, x.assessor))
                                                   WHEN 'weight' THEN assessor_weight(p.a, x.assessor) END
                            AND (x.class = 'weight' OR x.value =
                                 (SELECT sum(n.value) FROM expl n
                                  WHERE (n.institution_id, n.year, n.assessor, n.class) = (p.institution_id, p.year, x.assessor, x.class)
                                    AND n.step = 'norm')))
            FROM expl x WHERE (x.institution_id, x.year) = (p.institution_id, p.year) AND x.step = 'assessor') AS assessors_ok,
           (SELECT value FROM expl x WHERE (x.institution_id, x.year) = (p.institution_id, p.year)
              AND step = 'index' AND class = 'points') = index_points(p.s, p.rules) AS points_ok,
           (SELECT count(*) FROM expl x WHERE (x.institution_id, x.year) = (p.institution_id, p.year) AND step = 'veto')
             = (redlines(p.s) > 0)::int AS veto_ok
    FROM pub p)
SELECT count(*) AS institution_years,
       count(*) FILTER (WHERE total_ok AND grade_ok AND base_ok AND bonus_ok AND redlines_ok
                              AND assessors_ok AND points_ok AND veto_ok) AS reconciled
FROM chk;
-- the contributions of a year's institutions add up to the published index
SELECT x.year, round_half_even(sum(x.value), 2) AS sum_of_contributions, p.value AS published_index
FROM expl x JOIN (SELECT year, (integrity_index(a, rules)).value FROM regulator.institution_year GROUP BY year) p
  ON p.year = x.year
WHERE x.step = 'index' AND x.class = 'contribution'
GROUP BY x.year, p.value ORDER BY x.year;
-- one vetoed institution's explanation, in full but for its norm lines
SELECT line, step, assessor, class, value, detail
FROM regulator.explain_score((SELECT institution_id FROM regulator.institution_year
                              WHERE year = 2024 AND redlines(score(a)) > 0 ORDER BY institution_id LIMIT 1), 2024)
WHERE step <> 'norm' ORDER BY line;
-- unknown institution or year: no lines
SELECT count(*) FROM regulator.explain_score(-1, 2024);
SELECT count(*) FROM regulator.explain_score(1, 1999);

-- ---------------------------------------------------------------- early warning
SELECT (SELECT count(*) FROM regulator.client) AS clients, (SELECT count(*) FROM regulator.loan) AS loans,
       (SELECT count(*) FROM regulator.account) AS accounts, (SELECT count(*) FROM regulator.transfer) AS transfers;
CREATE TEMP TABLE w2024 AS SELECT * FROM regulator.early_warnings('[2024-01-01,2025-01-01)');
-- every planted pattern is found; no near miss and nobody else is warned
SELECT p.rule, count(*) FILTER (WHERE p.expected) AS planted,
       count(*) FILTER (WHERE p.expected AND w.rule IS NOT NULL) AS found,
       count(*) FILTER (WHERE NOT p.expected) AS near_misses,
       count(*) FILTER (WHERE NOT p.expected AND w.rule IS NOT NULL) AS near_misses_warned
FROM regulator.planted_warning p LEFT JOIN w2024 w USING (rule, employee_id)
GROUP BY p.rule ORDER BY p.rule;
SELECT count(*) AS warnings, count(*) FILTER (WHERE NOT EXISTS (
           SELECT FROM regulator.planted_warning p
           WHERE (p.rule, p.employee_id) = (w.rule, w.employee_id) AND p.expected)) AS not_planted
FROM w2024 w;
-- the evidence: every transfer named touches the warned employee's account
SELECT count(*) AS evidence_transfers,
       count(*) FILTER (WHERE NOT EXISTS (
           SELECT FROM regulator.transfer t
           WHERE t.id = x.id::bigint AND w.employee_id IN (t.from_account, t.to_account))) AS not_the_employees
FROM w2024 w CROSS JOIN LATERAL jsonb_array_elements_text(w.evidence -> 'transfers') AS x(id);
-- rules are data: a lower EW1 threshold catches the officers' 600.00
-- near misses; a disabled rule warns nobody
BEGIN;
UPDATE regulator.warning_rule SET threshold = 500 WHERE code = 'EW1';
UPDATE regulator.warning_rule SET enabled = false WHERE code = 'EW4';
SELECT rule, count(*) AS warnings FROM regulator.early_warnings('[2024-01-01,2025-01-01)') GROUP BY rule ORDER BY rule;
ROLLBACK;
-- nothing outside the period
SELECT count(*) FROM regulator.early_warnings('[2023-01-01,2024-01-01)');
SELECT count(*) FROM regulator.early_warnings('[2024-01-01,)');
-- a period with an infinite end is no period either (it used to give 0 rows)
SELECT count(*) FROM regulator.early_warnings('[infinity,infinity]');
SELECT count(*) FROM regulator.early_warnings('[-infinity,2025-01-01)');
SELECT count(*) FROM regulator.early_warnings('[2024-01-01,infinity)');
-- a rule's figures are numbers: NaN would make a rule that never fires
INSERT INTO regulator.warning_rule (code, kind, title, threshold, window_days, points)
VALUES ('EWX', 'borrowing_from_clients', 'NaN threshold', 'NaN', 30, -1);
INSERT INTO regulator.warning_rule (code, kind, title, threshold, window_days, factor, baseline_days, points)
VALUES ('EWX', 'sudden_inflow', 'NaN factor', 1000, 30, 'NaN', 180, -1);
UPDATE regulator.warning_rule SET threshold = 'NaN' WHERE code = 'EW2';
-- nor are NaN points, assets, amounts or full marks accepted anywhere
SELECT c.conrelid::regclass AS "table", pg_get_constraintdef(c.oid) AS "check"
FROM pg_constraint c
WHERE c.connamespace = 'regulator'::regnamespace AND c.contype = 'c'
  AND pg_get_constraintdef(c.oid) LIKE '%NaN%'
ORDER BY 1::text, 2;
-- warnings as portrait events (dimension 预警)
SELECT module, count(*), sum(points) FROM regulator.warning_events('[2024-01-01,2025-01-01)') GROUP BY module;

-- the model's tables do not hide the extension's types: with the model's
-- schema first on the search path, an assessment literal still parses
SET search_path = regulator, public;
SELECT 'self:80.50+3.00;inspection:78.00+2.00!1;third_party:-;weights:0.2000/0.5000/0.3000'::assessment;
SELECT count(*) AS model_relations_named_like_a_type
FROM pg_class c JOIN pg_type t ON t.typname = c.relname AND t.typnamespace <> c.relnamespace
WHERE c.relnamespace = 'regulator'::regnamespace AND c.relkind IN ('r', 'v', 'p')
  AND t.typtype <> 'c' AND t.typnamespace IN (SELECT n.oid FROM pg_namespace n WHERE n.nspname IN ('public', 'pg_catalog'));
RESET search_path;

-- ---------------------------------------------------------------- report sections
-- (2025 removed first: the report is 2024's)
BEGIN;
DELETE FROM regulator.assessment_result WHERE year = 2025;
DELETE FROM regulator.assessment_year WHERE year = 2025;
COMMIT;
-- results and rules changed since the stored figures were computed: the
-- report refuses to read the stale grades until they are refreshed
\set VERBOSITY terse
SELECT count(*) FROM report.grade_explanation;
\set VERBOSITY default
SELECT figures, year, fresh, stale_reason FROM regulator.stored_status ORDER BY figures, year;
CALL regulator.refresh_report();
SELECT figures, year, fresh, rows FROM regulator.stored_status ORDER BY figures, year;
\i demo/report/8_explanation.sql
\i demo/report/9_early_warnings.sql
\i demo/report/10_honour_list.sql

SET client_min_messages = warning;
DROP SCHEMA report, regulator CASCADE;
RESET client_min_messages;
DROP EXTENSION btree_gist;
