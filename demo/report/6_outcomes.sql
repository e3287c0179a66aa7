-- 6. Outcome figures (成效).
-- Per year: the violations recorded in employees' clean points, the people
-- involved, red-line cases, the institutions vetoed by a red line,
-- satisfaction from the feedback code and the index, each with its change on
-- the previous year (violations in per cent, satisfaction in percentage
-- points, the index in index points).
WITH v AS (
    SELECT extract(year FROM ev.at AT TIME ZONE 'Asia/Shanghai')::integer AS year,
           count(*) FILTER (WHERE ev.points < 0) AS violations,
           count(DISTINCT ev.employee_id) FILTER (WHERE ev.points < 0) AS violators,
           count(*) FILTER (WHERE ev.module = '红线') AS redline_cases
    FROM regulator.event ev
    GROUP BY 1),
s AS (
    SELECT extract(year FROM f.at AT TIME ZONE 'Asia/Shanghai')::integer AS year,
           round(100.0 * count(*) FILTER (WHERE f.rating >= 4) / nullif(count(f.rating), 0), 2) AS satisfied_pct,
           count(*) FILTER (WHERE f.kind = 'complaint') AS complaints
    FROM regulator.feedback f
    GROUP BY 1),
x AS (
    SELECT iy.year, (integrity_index(iy.a, iy.rules)).value AS index,
           count(*) FILTER (WHERE redlines(score(iy.a)) > 0) AS vetoed_institutions
    FROM regulator.institution_year iy
    GROUP BY iy.year)
SELECT x.year, v.violations,
       round(100.0 * (v.violations - lag(v.violations) OVER w) / nullif(lag(v.violations) OVER w, 0), 1)
           AS violations_change_pct,
       v.violators, v.redline_cases, x.vetoed_institutions,
       s.complaints, s.satisfied_pct,
       s.satisfied_pct - lag(s.satisfied_pct) OVER w AS satisfaction_change,
       x.index, x.index - lag(x.index) OVER w AS index_change
FROM x
LEFT JOIN v ON v.year = x.year
LEFT JOIN s ON s.year = x.year
WINDOW w AS (ORDER BY x.year)
ORDER BY x.year;
