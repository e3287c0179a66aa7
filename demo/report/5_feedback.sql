-- 5. 清廉码 The feedback code: ratings and complaints
-- Ratings and complaints per year, overall and by sector.  satisfied_pct is
-- the share of 4- and 5-star ratings; satisfaction_change its change on the
-- previous year in percentage points.

-- The view report.feedback (demo/report_views.sql) holds the query.
SELECT * FROM report.feedback
ORDER BY sector = 'all' DESC, sector, year;
