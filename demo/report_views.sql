-- demo/report_views.sql — the annual report as views for BI tools.
--
-- One view per report section in the schema `report` (FineBI, DataEase,
-- Tableau, Superset browse them; demo/report/N_*.sql are SELECTs from
-- them).  Each view answers for the latest scheme year, returns standard SQL
-- types only (numeric, text, integer, bigint, date, jsonb) and carries a
-- comment in Chinese and English, as does every column (BI tools show
-- column comments as labels).  Loaded by demo/load.sh after constraints.sql.

CREATE SCHEMA report;
COMMENT ON SCHEMA report IS '年度报告 the annual integrity report as views for BI tools (reference model, demo)';

-- Section 1: 机构清廉积分排名 League table of institutions
CREATE VIEW report.league_table AS
-- Each assessor's total is base + least(bonus, cap) of its own score, before
-- the veto (total() would give 0 for an assessor who found a red line), as
-- score_stderr uses them; every column is a plain SQL type.  The composed
-- assessments are the stored ones (demo/stored.sql; check_stored raises an
-- error when they are missing or stale).
WITH y AS (SELECT regulator.check_stored('grades', max(year), max(year) - 1) AS year FROM regulator.scheme_year),
scored AS (
    SELECT iy.institution_id, iy.year, iy.rules, iy.a, score(iy.a) AS s,
           total(score(iy.a), iy.rules) AS total,
           base(assessor_score(iy.a, 'self'))
             + least(bonus(assessor_score(iy.a, 'self')), (iy.rules).bonus_cap) AS t_self,
           base(assessor_score(iy.a, 'inspection'))
             + least(bonus(assessor_score(iy.a, 'inspection')), (iy.rules).bonus_cap) AS t_inspection,
           base(assessor_score(iy.a, 'third_party'))
             + least(bonus(assessor_score(iy.a, 'third_party')), (iy.rules).bonus_cap) AS t_third_party
    FROM regulator.stored_grade iy
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
COMMENT ON VIEW report.league_table IS
    '机构清廉积分排名 League table of institutions: the latest year''s composed scores, grades, red lines, the assessors'' totals and the change on last year (report section 1)';

-- Section 2: 清廉金融指数 The clean-finance index, year on year
CREATE VIEW report.clean_finance_index AS
-- every year's stored composed assessments (demo/stored.sql), checked fresh
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
    FROM regulator.stored_grade iy
    JOIN regulator.institution i ON i.id = iy.institution_id
    WHERE iy.year <= (SELECT regulator.check_stored('grades', max(year), min(year)) FROM regulator.scheme_year)
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
COMMENT ON VIEW report.clean_finance_index IS
    '清廉金融指数 The clean-finance index per year, overall, by sector and by district, with its standard error and 90% interval (report section 2)';

-- Section 3: 清廉画像 The five highest-risk employee portraits
CREATE VIEW report.top_risk_portraits AS
-- The portraits are the stored ones (demo/stored.sql: current staff, tags
-- and risk grade as of the year end); the five first of the
-- risk order are read from its index.  portrait_risk is the ordered enum
-- risk_grade; it and the tags are returned as text, the radar as jsonb, for
-- BI tools.
WITH y AS (SELECT regulator.check_stored('portraits', max(year)) AS year FROM regulator.scheme_year),
shown AS (
    SELECT sp.*, row_number() OVER (ORDER BY sp.risk DESC, sp.redlines DESC, sp.total, sp.employee_id) AS rank
    FROM regulator.stored_portrait sp
    WHERE sp.year = (SELECT year FROM y)
    ORDER BY sp.risk DESC, sp.redlines DESC, sp.total, sp.employee_id
    LIMIT 5)
SELECT g.rank,
       cnid_mask(e.cnid) AS person,
       i.name AS institution,
       e.position,
       CASE WHEN e.cadre THEN 'cadre' ELSE 'staff' END AS role,
       g.risk::text AS risk,   -- as text for BI tools (risk_grade is an enum)
       array_to_string(g.tags, ', ') AS tags,
       g.total AS net_points,
       g.negative AS deductions,
       g.events,
       (SELECT count(*) FROM regulator.event v WHERE v.employee_id = g.employee_id AND v.points < 0) AS violations,
       (portrait_trend(g.p, regulator.year_end(g.year), 6)).change AS trend_6m,
       (portrait_last(g.p) AT TIME ZONE 'Asia/Shanghai')::date AS last_event,
       (SELECT jsonb_object_agg(r.dimension, r.points) FROM portrait_radar(g.p) r) AS radar
FROM shown g
JOIN regulator.employee e ON e.id = g.employee_id
JOIN regulator.institution i ON i.id = e.institution_id
ORDER BY g.rank;
COMMENT ON VIEW report.top_risk_portraits IS
    '清廉画像 The five highest-risk employee portraits of current staff at the year end (report section 3)';

-- Section 4: 黑名单 Blacklist hits across institutions
CREATE VIEW report.blacklist_hits AS
-- listed() screens every employment against the blacklist table, whose
-- blacklist index answers almost every "not listed" without reading it; the
-- few hits are then joined to the entries for the details.
WITH y AS (SELECT max(year) AS year, make_date(max(year), 1, 1) AS year_start,
                  make_date(max(year), 12, 31) AS year_end
           FROM regulator.scheme_year),
hits AS (
    SELECT e.*
    FROM regulator.employee e, y
    WHERE e.hired <= y.year_end
      AND (listed(e.cnid, 'regulator.blacklist', e.hired)
           OR (e.left_on IS NULL AND listed(e.cnid, 'regulator.blacklist', y.year_end))))
SELECT cnid_mask(h.cnid) AS person,
       i.name AS employer,
       h.position,
       h.hired,
       CASE WHEN h.hired >= y.year_start THEN 'new' ELSE 'earlier' END AS hire,
       h.left_on,
       b.list,
       b.reason,
       lower(b.valid) AS listed_from,
       upper(b.valid) AS listed_until,
       coalesce(lb.name, '(other authority)') AS listed_by,
       (least(coalesce(h.left_on, y.year_end), coalesce(upper(b.valid), y.year_end))
        - greatest(h.hired, lower(b.valid))) AS days_overlap
FROM hits h
CROSS JOIN y
JOIN regulator.blacklist b
  ON b.subject = h.cnid
 AND b.valid && daterange(h.hired, coalesce(h.left_on, y.year_end), '[]')
 AND b.listed_by IS DISTINCT FROM h.institution_id
JOIN regulator.institution i ON i.id = h.institution_id
LEFT JOIN regulator.institution lb ON lb.id = b.listed_by
ORDER BY h.hired >= y.year_start DESC, CASE b.list WHEN 'industry_ban' THEN 1 WHEN 'internal' THEN 2 ELSE 3 END,
         h.hired, person, b.id;
COMMENT ON VIEW report.blacklist_hits IS
    '黑名单 Blacklist hits across institutions: people employed while on a list another institution or authority put them on (report section 4)';

-- Section 5: 清廉码 The feedback code: ratings and complaints
CREATE VIEW report.feedback AS
WITH f AS (
    SELECT CASE WHEN GROUPING(i.sector) = 0 THEN i.sector ELSE 'all' END AS sector,
           extract(year FROM f.at AT TIME ZONE 'Asia/Shanghai')::integer AS year,
           count(*) FILTER (WHERE f.kind = 'rating') AS ratings,
           round(avg(f.rating), 2) AS avg_rating,
           round(100.0 * count(*) FILTER (WHERE f.rating >= 4)
                 / nullif(count(*) FILTER (WHERE f.kind = 'rating'), 0), 2) AS satisfied_pct,
           count(*) FILTER (WHERE f.kind = 'feedback') AS feedback,
           count(*) FILTER (WHERE f.kind = 'complaint') AS complaints,
           count(*) FILTER (WHERE f.kind = 'complaint' AND f.verified) AS verified,
           count(*) FILTER (WHERE f.kind = 'complaint' AND f.employee_id IS NOT NULL) AS naming_staff
    FROM regulator.feedback f
    JOIN regulator.institution i ON i.id = f.institution_id
    GROUP BY GROUPING SETS ((extract(year FROM f.at AT TIME ZONE 'Asia/Shanghai')),
                            (extract(year FROM f.at AT TIME ZONE 'Asia/Shanghai'), i.sector)))
SELECT sector, year, ratings, avg_rating, satisfied_pct,
       satisfied_pct - lag(satisfied_pct) OVER (PARTITION BY sector ORDER BY year) AS satisfaction_change,
       feedback, complaints, verified, naming_staff,
       round(100.0 * (complaints - lag(complaints) OVER (PARTITION BY sector ORDER BY year))
             / nullif(lag(complaints) OVER (PARTITION BY sector ORDER BY year), 0), 1) AS complaints_change_pct
FROM f
ORDER BY sector = 'all' DESC, sector, year;
COMMENT ON VIEW report.feedback IS
    '清廉码 The feedback code: ratings and complaints per year, overall and by sector (report section 5)';

-- Section 6: 成效 Outcomes year on year
CREATE VIEW report.outcomes AS
-- One pass over the events and one over the feedback: each row is placed in
-- its year by a binary search of its time among the years' first instants
-- (width_bucket over bounds computed once, then the year's end checked),
-- not by converting every row's time nor by joining each year to the table
-- (the planner read the events once per year).  Only the violations and
-- red-line cases are aggregated; the people involved are counted among the
-- violations.  A year with events but none of these shows zeros, as one
-- without events shows nothing (the EXISTS reads only such a year).  The
-- index comes from the stored composed assessments (demo/stored.sql).
WITH yr AS MATERIALIZED (
    SELECT sy.year,
           make_timestamptz(sy.year, 1, 1, 0, 0, 0, 'Asia/Shanghai') AS from_at,
           make_timestamptz(sy.year + 1, 1, 1, 0, 0, 0, 'Asia/Shanghai') AS to_at
    FROM regulator.scheme_year sy),
b AS (SELECT array_agg(year ORDER BY year) AS years, array_agg(from_at ORDER BY year) AS starts,
             array_agg(to_at ORDER BY year) AS ends
      FROM yr),
ve AS (
    SELECT b.years[width_bucket(ev.at, b.starts)] AS year, ev.employee_id, ev.points, ev.module
    FROM b, regulator.event ev
    WHERE (ev.points < 0 OR ev.module = '红线')
      AND ev.at >= b.starts[1] AND ev.at < b.ends[width_bucket(ev.at, b.starts)]),
ve_year AS (
    SELECT year, count(*) FILTER (WHERE points < 0) AS violations,
           count(*) FILTER (WHERE module = '红线') AS redline_cases,
           count(DISTINCT employee_id) FILTER (WHERE points < 0) AS violators
    FROM ve GROUP BY year),
v AS (
    SELECT yr.year, ve_year.violations, ve_year.redline_cases, ve_year.violators
    FROM yr JOIN ve_year ON ve_year.year = yr.year
    UNION ALL
    SELECT yr.year, 0, 0, 0
    FROM yr
    WHERE NOT EXISTS (SELECT FROM ve_year WHERE ve_year.year = yr.year)
      AND EXISTS (SELECT FROM regulator.event ev WHERE ev.at >= yr.from_at AND ev.at < yr.to_at)),
fe AS (
    SELECT b.years[width_bucket(f.at, b.starts)] AS year, f.kind, f.rating
    FROM b, regulator.feedback f
    WHERE f.at >= b.starts[1] AND f.at < b.ends[width_bucket(f.at, b.starts)]),
s AS (
    SELECT year,
           round(100.0 * count(*) FILTER (WHERE rating >= 4) / nullif(count(rating), 0), 2) AS satisfied_pct,
           count(*) FILTER (WHERE kind = 'complaint') AS complaints
    FROM fe
    GROUP BY year),
x AS (
    SELECT iy.year, (integrity_index(iy.a, iy.rules)).value AS index,
           count(*) FILTER (WHERE redlines(score(iy.a)) > 0) AS vetoed_institutions
    FROM regulator.stored_grade iy
    WHERE iy.year <= (SELECT regulator.check_stored('grades', max(year), min(year)) FROM regulator.scheme_year)
    GROUP BY iy.year)
SELECT x.year, v.violations,
       round(100.0 * (v.violations - lag(v.violations) OVER w) / nullif(lag(v.violations) OVER w, 0), 1)
           AS violations_change_pct,
       v.violators, v.redline_cases,
       x.vetoed_institutions,
       s.complaints, s.satisfied_pct,
       s.satisfied_pct - lag(s.satisfied_pct) OVER w AS satisfaction_change,
       x.index, x.index - lag(x.index) OVER w AS index_change
FROM x
LEFT JOIN v ON v.year = x.year
LEFT JOIN s ON s.year = x.year
WINDOW w AS (ORDER BY x.year)
ORDER BY x.year;
COMMENT ON VIEW report.outcomes IS
    '成效 Outcomes year on year: violations, people involved, red lines, vetoes, complaints, satisfaction, the index (report section 6)';

-- Section 7: 新员工名单筛查 Screening of the year's new hires
CREATE VIEW report.new_hire_screening AS
WITH yr AS (
    SELECT max(year) AS year, make_date(max(year), 12, 31) AS year_end FROM regulator.scheme_year),
runs AS (
    SELECT r.id,
           (SELECT min(l.publication) FROM regulator.screening_run_list l WHERE l.run_id = r.id) AS pub_first,
           (SELECT max(l.publication) FROM regulator.screening_run_list l WHERE l.run_id = r.id) AS pub_last
    FROM regulator.screening_run r, yr
    WHERE r.purpose = 'new hires' AND extract(year FROM r.at) = yr.year),
hires AS (
    SELECT e.institution_id, count(*) AS new_hires
    FROM regulator.employee e, yr
    WHERE e.hired BETWEEN make_date(yr.year, 1, 1) AND yr.year_end
    GROUP BY e.institution_id),
hits AS (
    SELECT e.institution_id, h.ref, h.run_id, ru.pub_first, ru.pub_last,
           CASE WHEN rv.id IS NULL THEN 'open'
                WHEN rv.expires IS NOT NULL AND rv.expires <= yr.year_end THEN 'open'
                ELSE rv.decision END AS status_at_year_end,
           rv.id IS NOT NULL AS reviewed
    FROM regulator.screening_hit h
    JOIN runs ru ON ru.id = h.run_id
    JOIN regulator.employee e ON e.id = h.ref::bigint
    CROSS JOIN yr
    LEFT JOIN LATERAL (
        SELECT r.* FROM regulator.screening_review r
        WHERE r.subject = h.subject AND r.list = h.list
          AND h.recorded_from <= (r.reviewed_at AT TIME ZONE 'Asia/Shanghai')::date
          AND (r.reviewed_at AT TIME ZONE 'Asia/Shanghai')::date <= yr.year_end
        ORDER BY r.reviewed_at DESC, r.id DESC LIMIT 1) rv ON true),
per AS (
    SELECT i.name AS institution, coalesce(n.new_hires, 0) AS new_hires,
           count(DISTINCT x.run_id) AS runs, count(x.ref) AS hits, count(DISTINCT x.ref) AS people,
           count(*) FILTER (WHERE x.reviewed) AS reviewed,
           count(*) FILTER (WHERE x.status_at_year_end = 'cleared') AS cleared,
           count(*) FILTER (WHERE x.status_at_year_end = 'confirmed') AS confirmed,
           count(*) FILTER (WHERE x.status_at_year_end = 'open') AS open,
           min(x.pub_first) AS first_publication, max(x.pub_last) AS last_publication
    FROM regulator.institution i
    LEFT JOIN hires n ON n.institution_id = i.id
    LEFT JOIN hits x ON x.institution_id = i.id
    GROUP BY i.id, i.name, n.new_hires)
SELECT institution, new_hires, runs, hits, people, reviewed, cleared, confirmed, open,
       first_publication, last_publication
FROM (SELECT 0 AS part, institution, new_hires::bigint AS new_hires, runs, hits, people, reviewed, cleared,
             confirmed, open, first_publication, last_publication
      FROM per WHERE hits > 0
      UNION ALL
      SELECT 1, 'all', sum(new_hires)::bigint, (SELECT count(*) FROM runs),
             sum(hits)::bigint, sum(people)::bigint, sum(reviewed)::bigint, sum(cleared)::bigint,
             sum(confirmed)::bigint, sum(open)::bigint,
             (SELECT min(pub_first) FROM runs), (SELECT max(pub_last) FROM runs)
      FROM per) t
ORDER BY part, open DESC, hits DESC, institution;
COMMENT ON VIEW report.new_hire_screening IS
    '新员工名单筛查 Screening of the year''s new hires: runs, hits and reviews per institution and for all (report section 7)';

-- Section 8: 评分说明 Why this grade? The lowest-graded institution explained
CREATE VIEW report.grade_explanation AS
-- regulator.explain_score returns every line; sql/supervision.sql checks
-- that the lines reconcile for every institution and year.
WITH y AS (SELECT regulator.check_stored('grades', max(year)) AS year FROM regulator.scheme_year),
lowest AS (
    SELECT iy.institution_id, iy.year
    FROM regulator.stored_grade iy
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
COMMENT ON VIEW report.grade_explanation IS
    '评分说明 Why this grade? The lowest-graded institution of the year explained line by line (report section 8)';

-- Section 9: 清廉数智监督 Early warnings from fund flows
CREATE VIEW report.early_warnings AS
-- The warnings are the stored ones of the year (demo/stored.sql: what
-- regulator.early_warnings(period) gave at the refresh); as portrait events
-- (regulator.warning_events) each is worth its rule's points, dated at its
-- last transfer.  The portraits before and after are built here from the
-- events of the warned employees only (an index scan each).
WITH y AS (SELECT regulator.check_stored('warnings', max(year)) AS year FROM regulator.scheme_year),
per AS (SELECT regulator.year_period(year) AS period, regulator.year_end(year) AS as_of FROM y),
w AS (SELECT w.* FROM per JOIN regulator.stored_warning w ON w.period = per.period),
we AS (SELECT w.employee_id, '预警'::text AS module, r.points, w.last_at AS at
       FROM w JOIN regulator.warning_rule r ON r.code = w.rule),
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
COMMENT ON VIEW report.early_warnings IS
    '清廉数智监督 Early warnings from fund flows in the latest year, with evidence and portrait grades (report section 9)';

-- Section 10: 光荣榜 Honour list: exemplar institutions and employees
CREATE VIEW report.honour_list AS
-- The stored grades of the last three years and the stored portraits of the
-- year end (demo/stored.sql), both checked fresh.
WITH y AS (SELECT regulator.check_stored('grades', max(year), max(year) - 2) AS year FROM regulator.scheme_year),
iy AS (
    SELECT iy.institution_id, iy.year, iy.rules, iy.a, score(iy.a) AS s
    FROM regulator.stored_grade iy
    WHERE iy.year BETWEEN (SELECT year FROM y) - 2 AND (SELECT year FROM y)),
-- sector_index and decile are computed once (MATERIALIZED): inlined, the
-- planner re-ran them for every institution of the nested loop joining them
sector_index AS MATERIALIZED (
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
decile AS MATERIALIZED (
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
-- the exemplars ranked on the stored portraits alone (in the order of
-- their partial index), then only the ten first joined and described
exemplars AS (
    SELECT sp.employee_id, sp.total AS points, sp.events,
           rank() OVER (ORDER BY sp.total DESC, sp.events DESC, sp.employee_id) AS rank,
           count(*) OVER () AS field
    FROM regulator.stored_portrait sp
    WHERE sp.year = (SELECT regulator.check_stored('portraits', year) FROM y)
      AND 'exemplar' = ANY (sp.tags)
      AND sp.negative = 0),
staff_rows AS (
    SELECT 'employee'::text AS kind, x.rank,
           cnid_mask(e.cnid) AS who, i.name AS institution, i.sector,
           x.points, NULL::numeric AS benchmark,
           format('portrait exemplar: %s points from %s positive events since %s, no deduction, no red line (one of %s exemplars)',
                  x.points, x.events, (portrait_first(sp.p) AT TIME ZONE 'Asia/Shanghai')::date,
                  x.field) AS reason
    FROM exemplars x
    JOIN regulator.stored_portrait sp ON sp.year = (SELECT year FROM y) AND sp.employee_id = x.employee_id
    JOIN regulator.employee e ON e.id = x.employee_id
    JOIN regulator.institution i ON i.id = e.institution_id
    WHERE x.rank <= 10)
SELECT kind, rank::integer, who, institution, sector, points, benchmark, reason
FROM (SELECT * FROM inst_rows UNION ALL SELECT * FROM staff_rows WHERE rank <= 10) r
ORDER BY kind DESC, rank, who;
COMMENT ON VIEW report.honour_list IS
    '光荣榜 Honour list: exemplar institutions (green three years, top tenth) and employees (report section 10)';

-- Section 11: 姓名筛查命中 Hits by name on the lists published by name
CREATE VIEW report.name_hits AS
-- The hits by name of the year's new-hire runs (regulator.screening_hit,
-- name not NULL) with the entry as published and the review in force at
-- the year end; the evidence is name_match's (plus institution), recorded
-- by the run and rechecked by the audit's trigger, shown with the points of
-- each reason (name_match_lines) so that they add up to the score.
WITH yr AS (
    SELECT max(year) AS year, make_date(max(year), 12, 31) AS year_end FROM regulator.scheme_year)
SELECT i.name AS institution,
       cnid_mask(h.subject) AS person,
       e.hired,
       h.list,
       n.name AS listed_name,
       n.masked::text AS listed_number,
       n.decision,
       h.score,
       -- each reason with its points (name_match_lines), adding up to the score
       (SELECT string_agg(l.reason || ' ' || l.points, ', ' ORDER BY l.k)
        FROM (SELECT ml.reason, ml.points, ml.k
              FROM name_match_lines(h.name, n.name, h.subject, n.masked) WITH ORDINALITY ml(reason, points, k)
              UNION ALL
              SELECT 'institution', h.score - (SELECT m.score FROM name_match(h.name, n.name, h.subject, n.masked) m), 1000
              WHERE 'institution' = ANY (h.evidence)) l) AS evidence,
       CASE WHEN rv.id IS NULL THEN 'open'
            WHEN rv.expires IS NOT NULL AND rv.expires <= yr.year_end THEN 'open'
            ELSE rv.decision END AS status,
       rv.reason AS review
FROM regulator.screening_hit h
JOIN regulator.screening_run r ON r.id = h.run_id
CROSS JOIN yr
JOIN regulator.employee e ON e.id = h.ref::bigint
JOIN regulator.institution i ON i.id = e.institution_id
JOIN regulator.name_entry n ON n.id = h.entry_id AND n.recorded_from = h.recorded_from
LEFT JOIN LATERAL (
    SELECT rv.* FROM regulator.screening_review rv
    WHERE rv.subject = h.subject AND rv.list = h.list
      AND h.recorded_from <= (rv.reviewed_at AT TIME ZONE 'Asia/Shanghai')::date
      AND (rv.reviewed_at AT TIME ZONE 'Asia/Shanghai')::date <= yr.year_end
    ORDER BY rv.reviewed_at DESC, rv.id DESC LIMIT 1) rv ON true
WHERE h.name IS NOT NULL AND r.purpose = 'new hires' AND extract(year FROM r.at) = yr.year
ORDER BY h.score DESC, e.hired, person, h.list, h.entry_id;
COMMENT ON VIEW report.name_hits IS
    '姓名筛查命中 Hits by name: new hires found on the lists published by name (name and masked ID number), with the score, the evidence and the review (report section 11)';

-- Column comments: one label per column name, written once (a view may
-- have its own for a name that means something else there).  Every column
-- of every report view must have one.
CREATE TEMP TABLE report_column_label (view_name text, column_name text, label text NOT NULL,
                                       UNIQUE (view_name, column_name));
INSERT INTO report_column_label VALUES
    (NULL, 'rank', '排名 rank'),
    (NULL, 'institution', '机构 institution'),
    (NULL, 'sector', '行业 sector: bank, insurance, securities, private_lending'),
    (NULL, 'district', '地区 district'),
    (NULL, 'base', '基础分 basic points, composed over the assessors'),
    (NULL, 'bonus', '加分 bonus points, composed, before the cap'),
    (NULL, 'total', '总分 total: basic + capped bonus, 0 when vetoed by a red line'),
    (NULL, 'grade', '等级 colour grade: green, blue, yellow, red'),
    (NULL, 'redlines', '红线 red-line hits (any hit vetoes the total)'),
    (NULL, 'assessors', '测评方数 number of assessors who scored the institution'),
    (NULL, 'self', '自评 self-assessment total, before any veto'),
    (NULL, 'inspection', '检查组 inspection team total, before any veto'),
    (NULL, 'third_party', '第三方 third-party total, before any veto'),
    (NULL, 'spread', '分歧 spread of the assessors'' totals (max - min)'),
    (NULL, 'stderr', '标准误 standard error (0 for a vetoed total)'),
    (NULL, 'change', '变化 change on the previous year'),
    (NULL, 'breakdown', '维度 breakdown: all, sector or district'),
    (NULL, 'group', '分组 group: all, the sector or the district'),
    (NULL, 'year', '年度 year'),
    (NULL, 'index', '指数 index (0-100)'),
    (NULL, 'ci90_low', '90%下限 lower bound of the 90% interval'),
    (NULL, 'ci90_high', '90%上限 upper bound of the 90% interval'),
    (NULL, 'asset_weighted', '资产加权指数 asset-weighted index'),
    (NULL, 'institutions', '机构数 institutions counted'),
    (NULL, 'green', '绿色 institutions graded green'),
    (NULL, 'blue', '蓝色 institutions graded blue'),
    (NULL, 'yellow', '黄色 institutions graded yellow'),
    (NULL, 'red', '红色 institutions graded red'),
    (NULL, 'person', '人员 person: resident ID, masked'),
    (NULL, 'position', '岗位 position'),
    (NULL, 'role', '身份 role: cadre or staff'),
    (NULL, 'risk', '风险等级 risk grade: exemplar, normal, watch, alert'),
    (NULL, 'tags', '标签 portrait tags'),
    (NULL, 'net_points', '净积分 net clean points'),
    (NULL, 'deductions', '扣分 points deducted'),
    (NULL, 'events', '事项数 clean-point events'),
    (NULL, 'violations', '违规数 violations (events with negative points)'),
    (NULL, 'trend_6m', '六个月趋势 last six months'' points against the six before'),
    (NULL, 'last_event', '最近事项 date of the last event'),
    (NULL, 'radar', '雷达 points per module (jsonb), for a radar chart'),
    (NULL, 'employer', '用人机构 employer'),
    (NULL, 'hired', '入职日期 hired on'),
    (NULL, 'hire', '入职年度 hire: new (in the report year) or earlier'),
    (NULL, 'left_on', '离职日期 left on'),
    (NULL, 'list', '名单 list: industry_ban, dishonest_debtor, internal'),
    (NULL, 'reason', '原因 reason'),
    (NULL, 'listed_from', '列入日期 listed from'),
    (NULL, 'listed_until', '截止日期 listed until (empty: open-ended)'),
    (NULL, 'listed_by', '列入机构 listed by (institution or other authority)'),
    (NULL, 'days_overlap', '重叠天数 days the employment and the entry overlap'),
    (NULL, 'ratings', '评价数 ratings'),
    (NULL, 'avg_rating', '平均星级 average rating (1-5 stars)'),
    (NULL, 'satisfied_pct', '满意率 share of 4- and 5-star ratings, per cent'),
    (NULL, 'satisfaction_change', '满意率变化 change in satisfaction, percentage points'),
    (NULL, 'feedback', '意见数 feedback messages'),
    (NULL, 'complaints', '投诉数 complaints'),
    (NULL, 'verified', '核实投诉 complaints verified'),
    (NULL, 'naming_staff', '涉及员工 complaints naming an employee'),
    (NULL, 'complaints_change_pct', '投诉变化 change in complaints, per cent'),
    (NULL, 'violations_change_pct', '违规变化 change in violations, per cent'),
    (NULL, 'violators', '违规人数 people with a violation'),
    (NULL, 'redline_cases', '红线案件 red-line cases'),
    (NULL, 'vetoed_institutions', '否决机构 institutions vetoed by a red line'),
    (NULL, 'index_change', '指数变化 change in the index, index points'),
    (NULL, 'new_hires', '新员工 new hires of the year'),
    (NULL, 'runs', '筛查次数 screening runs'),
    (NULL, 'hits', '命中数 hits (one per person and list)'),
    (NULL, 'people', '命中人数 people hit'),
    (NULL, 'reviewed', '已复核 hits reviewed'),
    (NULL, 'cleared', '已排除 cleared at the year end (false positives)'),
    (NULL, 'confirmed', '已确认 confirmed at the year end'),
    (NULL, 'open', '待处理 open at the year end'),
    (NULL, 'first_publication', '首次名单版本 first list publication screened against'),
    (NULL, 'last_publication', '末次名单版本 last list publication screened against'),
    (NULL, 'line', '行号 line'),
    (NULL, 'step', '步骤 step: norm, assessor, composed, cap, veto, total, grade, index'),
    (NULL, 'assessor', '测评方 assessor'),
    (NULL, 'code', '条款 norm code'),
    (NULL, 'class', '类别 class: basic, bonus, redline, or the figure''s kind'),
    (NULL, 'value', '数值 value'),
    (NULL, 'detail', '说明 explanation'),
    (NULL, 'rule', '规则 warning rule code'),
    (NULL, 'warning', '预警 warning rule'),
    (NULL, 'first_on', '首笔日期 first transfer on'),
    (NULL, 'last_on', '末笔日期 last transfer on'),
    (NULL, 'transfers', '笔数 transfers'),
    (NULL, 'amount', '金额 amount, yuan'),
    (NULL, 'grade_before', '预警前等级 portrait grade before the warnings'),
    (NULL, 'grade_with_warnings', '预警后等级 portrait grade with the warnings'),
    (NULL, 'evidence', '证据 evidence (jsonb): transfers, clients, loans'),
    (NULL, 'kind', '类型 kind: institution or employee'),
    (NULL, 'who', '名称 who: institution name or masked resident ID'),
    (NULL, 'points', '分数 points: index points (institution) or clean points (employee)'),
    (NULL, 'benchmark', '行业指数 the sector''s index (institutions)'),
    (NULL, 'listed_name', '名单姓名 the name as the list publishes it'),
    (NULL, 'listed_number', '名单号码 the ID number as the list publishes it (masked; empty: none)'),
    (NULL, 'decision', '案号/文号 number of the court case or the ban decision'),
    (NULL, 'score', '匹配分 match score (0-100; a hit from 70)'),
    (NULL, 'evidence', '匹配依据 evidence that agreed, each with its points (they add up to the score): name form, region, birth date, sequence, sex, institution'),
    (NULL, 'status', '复核状态 review status at the year end: open, cleared, confirmed'),
    (NULL, 'review', '复核意见 the reviewer''s reason'),
    ('top_risk_portraits', 'institution', '所在机构 institution'),
    ('honour_list', 'institution', '所在机构 institution of an employee');
DO $$
DECLARE
    c record;
BEGIN
    FOR c IN SELECT cl.relname, a.attname,
                    (SELECT l.label FROM report_column_label l
                     WHERE l.column_name = a.attname AND (l.view_name = cl.relname OR l.view_name IS NULL)
                     ORDER BY l.view_name NULLS LAST LIMIT 1) AS label
             FROM pg_class cl
             JOIN pg_attribute a ON a.attrelid = cl.oid AND a.attnum > 0 AND NOT a.attisdropped
             WHERE cl.relnamespace = 'report'::regnamespace AND cl.relkind = 'v'
             ORDER BY cl.relname, a.attnum
    LOOP
        IF c.label IS NULL THEN
            RAISE EXCEPTION 'column %.% of the report has no label', c.relname, c.attname;
        END IF;
        EXECUTE format('COMMENT ON COLUMN report.%I.%I IS %L', c.relname, c.attname, c.label);
    END LOOP;
END $$;
DROP TABLE report_column_label;
