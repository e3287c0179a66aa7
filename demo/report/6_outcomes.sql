-- 6. 成效 Outcomes year on year
-- Per year: the violations recorded in employees' clean points, the people
-- involved, red-line cases, the institutions vetoed by a red line,
-- complaints, satisfaction from the feedback code and the index, each with
-- its change on the previous year (violations in per cent, satisfaction in
-- percentage points, the index in index points).  Years are Shanghai time.

-- The view report.outcomes (demo/report_views.sql) holds the query.
SELECT * FROM report.outcomes
ORDER BY year;
