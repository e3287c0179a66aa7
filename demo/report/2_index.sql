-- 2. 清廉金融指数 The clean-finance index, year on year
-- The index (0-100) per year, overall, by sector and by district, with its
-- standard error and 90% interval (from the assessors' disagreement), the
-- asset-weighted variant, the number of institutions per colour grade, and
-- the change on the previous year in index points.

-- The view report.clean_finance_index (demo/report_views.sql) holds the query.
SELECT * FROM report.clean_finance_index
ORDER BY CASE breakdown WHEN 'all' THEN 1 WHEN 'sector' THEN 2 ELSE 3 END, "group", year;
