-- 3. 清廉画像 The five highest-risk employee portraits
-- Current staff, one portrait per employment from its clean-point events
-- (the eight modules), graded as of the year end (exemplar < normal < watch
-- < alert) and ranked by grade, red-line hits, then net points.  The
-- resident ID is masked; the radar gives the points per module.

-- The view report.top_risk_portraits (demo/report_views.sql) holds the query.
SELECT * FROM report.top_risk_portraits
ORDER BY rank;
