-- demo/report_derived.sql — the report's sections derived from the raw rows
-- on every reading, as the report views were before the stored figures
-- (demo/stored.sql): one view per section in the schema report_derived,
-- each returning the same rows as its namesake in the schema report.
-- Sections 4, 5 and 7 read no stored figure: their views here are the
-- report's own.
--
-- Not loaded by demo/load.sh.  It is the reference the stored figures are
-- checked against (test/report_stored.sh compares every section both ways,
-- row for row) and the baseline of `make bench` (bench/bench_report.sh):
-- what the report costs when nothing is stored.  The queries are those of
-- the report views as they were; keep them so (they are the definition the
-- stored figures must reproduce).

CREATE SCHEMA report_derived;
COMMENT ON SCHEMA report_derived IS 'the annual report derived from the raw rows on every reading (reference and baseline for the stored figures; demo)';
-- Section 1: 机构清廉积分排名 League table of institutions
CREATE VIEW report_derived.league_table AS
-- Each assessor's total is base + least(bonus, cap) of its own score, before
-- the veto (total() would give 0 for an assessor who found a red line), as
-- score_stderr uses them; every column is a plain SQL type.
WITH y AS (SELECT max(year) AS year FROM regulator.scheme_year),
scored AS (
    SELECT iy.institution_id, iy.year, iy.rules, iy.a, score(iy.a) AS s,
           total(score(iy.a), iy.rules) AS total,
           base(assessor_score(iy.a, 'self'))
             + least(bonus(assessor_score(iy.a, 'self')), (iy.rules).bonus_cap) AS t_self,
           base(assessor_score(iy.a, 'inspection'))
             + least(bonus(assessor_score(iy.a, 'inspection')), (iy.rules).bonus_cap) AS t_inspection,
           base(assessor_score(iy.a, 'third_party'))
             + least(bonus(assessor_score(iy.a, 'third_party')), (iy.rules).bonus_cap) AS t_third_party
    FROM regulator.institution_year iy
    WHERE iy.year IN ((SELECT year FROM y), (SELECT year - 1 FROM y)))
SELECT rank() OVER (ORDER BY cur.total DESC, redlines(cur.s), i.name) AS rank,
       i.name AS institution,
       i.sector,
       i.district,
       base(cur.s) AS base,
       bonus(cur.s) AS bonus,
       cur.total,
       grade(cur.s, cur.rules)::text AS grade,
       redlines(cur.s) AS redlines,
       assessors(cur.a) AS assessors,
       cur.t_self AS self,
       cur.t_inspection AS inspection,
       cur.t_third_party AS third_party,
       greatest(cur.t_self, cur.t_inspection, cur.t_third_party)
         - least(cur.t_self, cur.t_inspection, cur.t_third_party) AS spread,
       -- a vetoed total is certain (0), as in the index
       CASE WHEN redlines(cur.s) > 0 THEN 0.00 ELSE score_stderr(cur.a, cur.rules) END AS stderr,
       cur.total - prev.total AS change
FROM scored cur
JOIN regulator.institution i ON i.id = cur.institution_id
LEFT JOIN scored prev ON prev.institution_id = cur.institution_id AND prev.year = cur.year - 1
WHERE cur.year = (SELECT year FROM y)
ORDER BY rank, institution;

-- Section 2: 清廉金融指数 The clean-finance index, year on year
CREATE VIEW report_derived.clean_finance_index AS
WITH per_group AS (
    SELECT CASE WHEN GROUPING(i.sector) = 0 THEN 'sector'
                WHEN GROUPING(i.district) = 0 THEN 'district' ELSE 'all' END AS breakdown,
           coalesce(i.sector, i.district, 'all') AS "group",
           iy.year,
           integrity_index(iy.a, iy.rules) AS ix,
           (integrity_index(iy.a, i.assets, iy.rules)).value AS asset_weighted,
           count(*) FILTER (WHERE grade(score(iy.a), iy.rules) = 'green') AS green,
           count(*) FILTER (WHERE grade(score(iy.a), iy.rules) = 'blue') AS blue,
           count(*) FILTER (WHERE grade(score(iy.a), iy.rules) = 'yellow') AS yellow,
           count(*) FILTER (WHERE grade(score(iy.a), iy.rules) = 'red') AS red
    FROM regulator.institution_year iy
    JOIN regulator.institution i ON i.id = iy.institution_id
    GROUP BY GROUPING SETS ((iy.year), (iy.year, i.sector), (iy.year, i.district)))
SELECT breakdown, "group", year,
       (ix).value AS index,
       (ix).stderr AS stderr,
       (ix).ci90_low AS ci90_low,
       (ix).ci90_high AS ci90_high,
       asset_weighted,
       (ix).institutions AS institutions,
       green, blue, yellow, red,
       (ix).value - lag((ix).value) OVER (PARTITION BY breakdown, "group" ORDER BY year) AS change
FROM per_group
ORDER BY CASE breakdown WHEN 'all' THEN 1 WHEN 'sector' THEN 2 ELSE 3 END, "group", year;

-- Section 3: 清廉画像 The five highest-risk employee portraits
CREATE VIEW report_derived.top_risk_portraits AS
-- portrait_risk is the ordered enum risk_grade; it and the tags are returned
-- as text, the radar as jsonb, for BI tools.
WITH p AS (
    SELECT ev.employee_id, portrait(ev.module, ev.points, ev.at) AS p
    FROM regulator.event ev
    JOIN regulator.employee e ON e.id = ev.employee_id
    WHERE e.left_on IS NULL
    GROUP BY ev.employee_id),
tagged AS (
    SELECT employee_id, portrait_redlines(p) AS redlines, portrait_total(p) AS total,
           portrait_risk(p, timestamptz '2024-12-31 23:59:59+08') AS risk
    FROM p),
top AS (
    SELECT employee_id, risk, redlines, total
    FROM tagged
    ORDER BY risk DESC, redlines DESC, total, employee_id
    LIMIT 5),
-- the five portraits again, for display (an index scan each)
shown AS (
    SELECT t.*, row_number() OVER (ORDER BY risk DESC, redlines DESC, total, employee_id) AS rank,
           (SELECT portrait(v.module, v.points, v.at) FROM regulator.event v
            WHERE v.employee_id = t.employee_id) AS p
    FROM top t)
SELECT g.rank,
       cnid_mask(e.cnid) AS person,
       i.name AS institution,
       e.position,
       CASE WHEN e.cadre THEN 'cadre' ELSE 'staff' END AS role,
       g.risk::text AS risk,   -- as text for BI tools (risk_grade is an enum)
       array_to_string(portrait_tags(g.p, timestamptz '2024-12-31 23:59:59+08'), ', ') AS tags,
       portrait_total(g.p) AS net_points,
       portrait_negative(g.p) AS deductions,
       portrait_events(g.p) AS events,
       (SELECT count(*) FROM regulator.event v WHERE v.employee_id = g.employee_id AND v.points < 0) AS violations,
       (portrait_trend(g.p, timestamptz '2024-12-31 23:59:59+08', 6)).change AS trend_6m,
       (portrait_last(g.p) AT TIME ZONE 'Asia/Shanghai')::date AS last_event,
       (SELECT jsonb_object_agg(r.dimension, r.points) FROM portrait_radar(g.p) r) AS radar
FROM shown g
JOIN regulator.employee e ON e.id = g.employee_id
JOIN regulator.institution i ON i.id = e.institution_id
ORDER BY g.rank;

-- Section 4: 黑名单 Blacklist hits across institutions
CREATE VIEW report_derived.blacklist_hits AS
SELECT * FROM report.blacklist_hits;

-- Section 5: 清廉码 The feedback code: ratings and complaints
CREATE VIEW report_derived.feedback AS
SELECT * FROM report.feedback;

-- Section 6: 成效 Outcomes year on year
CREATE VIEW report_derived.outcomes AS
-- Rows are placed in a year by comparing their time with the year's bounds
-- (yr: the years that have a scheme, as timestamptz, computed once: OFFSET 0
-- keeps the planner from moving the make_timestamptz calls into the join,
-- and unlike a materialized CTE it leaves parallel plans possible), not by
-- converting every row's time; the people involved are counted from the
-- violations only (a count(DISTINCT ...) over all events would sort every
-- event).
WITH yr AS NOT MATERIALIZED (
    SELECT sy.year,
           make_timestamptz(sy.year, 1, 1, 0, 0, 0, 'Asia/Shanghai') AS from_at,
           make_timestamptz(sy.year + 1, 1, 1, 0, 0, 0, 'Asia/Shanghai') AS to_at
    FROM regulator.scheme_year sy
    OFFSET 0),
v AS (
    SELECT yr.year,
           count(*) FILTER (WHERE ev.points < 0) AS violations,
           count(*) FILTER (WHERE ev.module = '红线') AS redline_cases
    FROM regulator.event ev
    JOIN yr ON ev.at >= yr.from_at AND ev.at < yr.to_at
    GROUP BY yr.year),
p AS (
    SELECT d.year, count(*) AS violators
    FROM (SELECT DISTINCT yr.year, ev.employee_id
          FROM regulator.event ev
          JOIN yr ON ev.at >= yr.from_at AND ev.at < yr.to_at
          WHERE ev.points < 0) d
    GROUP BY d.year),
s AS (
    SELECT yr.year,
           round(100.0 * count(*) FILTER (WHERE f.rating >= 4) / nullif(count(f.rating), 0), 2) AS satisfied_pct,
           count(*) FILTER (WHERE f.kind = 'complaint') AS complaints
    FROM regulator.feedback f
    JOIN yr ON f.at >= yr.from_at AND f.at < yr.to_at
    GROUP BY yr.year),
x AS (
    SELECT iy.year, (integrity_index(iy.a, iy.rules)).value AS index,
           count(*) FILTER (WHERE redlines(score(iy.a)) > 0) AS vetoed_institutions
    FROM regulator.institution_year iy
    GROUP BY iy.year)
SELECT x.year, v.violations,
       round(100.0 * (v.violations - lag(v.violations) OVER w) / nullif(lag(v.violations) OVER w, 0), 1)
           AS violations_change_pct,
       CASE WHEN v.year IS NOT NULL THEN coalesce(p.violators, 0) END AS violators, v.redline_cases,
       x.vetoed_institutions,
       s.complaints, s.satisfied_pct,
       s.satisfied_pct - lag(s.satisfied_pct) OVER w AS satisfaction_change,
       x.index, x.index - lag(x.index) OVER w AS index_change
FROM x
LEFT JOIN v ON v.year = x.year
LEFT JOIN p ON p.year = x.year
LEFT JOIN s ON s.year = x.year
WINDOW w AS (ORDER BY x.year)
ORDER BY x.year;

-- Section 7: 新员工名单筛查 Screening of the year's new hires
CREATE VIEW report_derived.new_hire_screening AS
SELECT * FROM report.new_hire_screening;

-- Section 8: 评分说明 Why this grade? The lowest-graded institution explained
CREATE VIEW report_derived.grade_explanation AS
-- regulator.explain_score returns every line; sql/supervision.sql checks
-- that the lines reconcile for every institution and year.
WITH y AS (SELECT max(year) AS year FROM regulator.scheme_year),
lowest AS (
    SELECT iy.institution_id, iy.year
    FROM regulator.institution_year iy
    JOIN regulator.institution i ON i.id = iy.institution_id
    WHERE iy.year = (SELECT year FROM y)
    ORDER BY grade(score(iy.a), iy.rules), total(score(iy.a), iy.rules),
             redlines(score(iy.a)) DESC, i.name
    LIMIT 1)
SELECT i.name AS institution, l.year, e.line, e.step, e.assessor, e.code, e.class,
       CASE WHEN e.step = 'index' THEN round(e.value, 4) ELSE e.value END AS value,
       e.detail
FROM lowest l
JOIN regulator.institution i ON i.id = l.institution_id
CROSS JOIN LATERAL regulator.explain_score(l.institution_id, l.year) e
LEFT JOIN regulator.indicator_year iv ON iv.year = l.year AND iv.code = e.code
WHERE e.step <> 'norm'
   OR (e.class = 'redline' AND e.value > 0)
   OR (e.class <> 'redline' AND e.value < iv.full_marks / 2)
ORDER BY e.line;

-- Section 9: 清廉数智监督 Early warnings from fund flows
CREATE VIEW report_derived.early_warnings AS
-- regulator.early_warnings(period) builds one query from the rule table;
-- regulator.warning_events turns its rows into portrait events.
WITH y AS (SELECT max(year) AS year FROM regulator.scheme_year),
per AS (SELECT daterange(make_date(year, 1, 1), make_date(year + 1, 1, 1)) AS period,
               (make_date(year, 12, 31) + time '23:59:59') AT TIME ZONE 'Asia/Shanghai' AS as_of FROM y),
w AS (SELECT w.* FROM per, regulator.early_warnings(per.period) w),
we AS (SELECT x.* FROM per, regulator.warning_events(per.period) x),
ev AS (SELECT e.employee_id, e.module, e.points, e.at FROM regulator.event e
       WHERE e.employee_id IN (SELECT employee_id FROM w)),
before AS (SELECT employee_id, portrait(module, points, at) AS p FROM ev GROUP BY employee_id),
after AS (SELECT employee_id, portrait(module, points, at) AS p
          FROM (SELECT * FROM ev UNION ALL SELECT employee_id, module, points, at FROM we) x
          GROUP BY employee_id)
SELECT w.rule, r.title AS warning, cnid_mask(e.cnid) AS person, i.name AS institution, e.position,
       (w.first_at AT TIME ZONE 'Asia/Shanghai')::date AS first_on,
       (w.last_at AT TIME ZONE 'Asia/Shanghai')::date AS last_on,
       w.transfers, w.amount,
       coalesce(portrait_grade(b.p, per.as_of)::text, 'no events') AS grade_before,
       portrait_grade(a.p, per.as_of)::text AS grade_with_warnings,
       w.evidence
FROM w
CROSS JOIN per
JOIN regulator.warning_rule r ON r.code = w.rule
JOIN regulator.employee e ON e.id = w.employee_id
JOIN regulator.institution i ON i.id = e.institution_id
LEFT JOIN before b ON b.employee_id = w.employee_id
JOIN after a ON a.employee_id = w.employee_id
ORDER BY w.rule, w.first_at, w.employee_id;

-- Section 10: 光荣榜 Honour list: exemplar institutions and employees
CREATE VIEW report_derived.honour_list AS
WITH y AS (SELECT max(year) AS year FROM regulator.scheme_year),
iy AS (
    SELECT iy.institution_id, iy.year, iy.rules, iy.a, score(iy.a) AS s
    FROM regulator.institution_year iy
    WHERE iy.year BETWEEN (SELECT year FROM y) - 2 AND (SELECT year FROM y)),
sector_index AS (
    SELECT i.sector, (integrity_index(iy.a, iy.rules)).value AS idx
    FROM iy JOIN regulator.institution i ON i.id = iy.institution_id
    WHERE iy.year = (SELECT year FROM y)
    GROUP BY i.sector),
inst AS (
    SELECT iy.institution_id, round_half_even(index_points(cur.s, cur.rules), 2) AS points,
           min(total(iy.s, iy.rules)) AS lowest_total
    FROM iy
    JOIN iy cur ON cur.institution_id = iy.institution_id AND cur.year = (SELECT year FROM y)
    GROUP BY iy.institution_id, cur.s, cur.rules
    HAVING count(*) = 3
       AND bool_and(grade(iy.s, iy.rules) = 'green')
       AND max(redlines(iy.s)) = 0),
-- the top tenth of the year's institutions by index points, ties included
decile AS (
    SELECT min(x.points) AS cutoff,
           (SELECT count(*) FROM iy WHERE iy.year = (SELECT year FROM y)) AS field
    FROM (SELECT round_half_even(index_points(iy.s, iy.rules), 2) AS points
          FROM iy WHERE iy.year = (SELECT year FROM y)
          ORDER BY points DESC
          LIMIT (SELECT ceil(count(*) / 10.0)::integer FROM iy WHERE iy.year = (SELECT year FROM y))) x),
inst_rows AS (
    SELECT 'institution'::text AS kind,
           rank() OVER (ORDER BY n.points DESC, i.name) AS rank,
           i.name AS who, NULL::text AS institution, i.sector,
           n.points, si.idx AS benchmark,
           format('green %s-%s (lowest total %s), no red line; %s index points, top tenth of %s institutions (from %s; %s index %s)',
                  (SELECT year FROM y) - 2, (SELECT year FROM y), n.lowest_total, n.points, d.field, d.cutoff,
                  i.sector, si.idx) AS reason
    FROM inst n
    CROSS JOIN decile d
    JOIN regulator.institution i ON i.id = n.institution_id
    JOIN sector_index si ON si.sector = i.sector
    WHERE n.points >= d.cutoff),
staff AS (
    SELECT ev.employee_id, portrait(ev.module, ev.points, ev.at) AS p
    FROM regulator.event ev
    JOIN regulator.employee e ON e.id = ev.employee_id
    WHERE e.left_on IS NULL
    GROUP BY ev.employee_id),
exemplars AS (
    SELECT s.employee_id, portrait_total(s.p) AS points, portrait_events(s.p) AS events,
           portrait_first(s.p) AS first_at
    FROM staff s
    WHERE 'exemplar' = ANY (portrait_tags(s.p, make_date((SELECT year FROM y), 12, 31)::timestamp AT TIME ZONE 'Asia/Shanghai'
                                                + interval '1 day' - interval '1 second'))
      AND portrait_negative(s.p) = 0),
staff_rows AS (
    SELECT 'employee'::text AS kind,
           rank() OVER (ORDER BY x.points DESC, x.events DESC, x.employee_id) AS rank,
           cnid_mask(e.cnid) AS who, i.name AS institution, i.sector,
           x.points, NULL::numeric AS benchmark,
           format('portrait exemplar: %s points from %s positive events since %s, no deduction, no red line (one of %s exemplars)',
                  x.points, x.events, (x.first_at AT TIME ZONE 'Asia/Shanghai')::date,
                  count(*) OVER ()) AS reason
    FROM exemplars x
    JOIN regulator.employee e ON e.id = x.employee_id
    JOIN regulator.institution i ON i.id = e.institution_id)
SELECT kind, rank::integer, who, institution, sector, points, benchmark, reason
FROM (SELECT * FROM inst_rows UNION ALL SELECT * FROM staff_rows WHERE rank <= 10) r
ORDER BY kind DESC, rank, who;
