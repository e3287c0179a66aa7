-- 6. 成效 Outcomes year on year
-- Per year: the violations recorded in employees' clean points, the people
-- involved, red-line cases, the institutions vetoed by a red line,
-- complaints, satisfaction from the feedback code and the index, each with
-- its change on the previous year (violations in per cent, satisfaction in
-- percentage points, the index in index points).  Years are Shanghai time.

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
