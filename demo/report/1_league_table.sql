-- 1. 机构清廉积分排名 League table of institutions
-- The year's institutions ranked by their composed total: basic and bonus
-- points, the capped total, the colour grade and red-line hits.  Beside it,
-- each assessor's own capped total before any red-line veto (what each one
-- found), their spread (max - min: the disagreement behind the standard
-- error) and the standard error of the total (0 for a vetoed total, which is
-- certain), and the change on last year.

-- The view report.league_table (demo/report_views.sql) holds the query.
SELECT * FROM report.league_table
ORDER BY rank, institution;
