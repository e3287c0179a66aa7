-- 10. 光荣榜 Honour list: exemplar institutions and employees
-- Institutions: green in each of the last three years with no red line found
-- by any assessor, and in the top tenth of the year's institutions by index
-- points (ties included).  Employees: the ten current staff with the most
-- points whose portrait at the year end is tagged exemplar and who never had
-- a deduction.  Each row says why; resident IDs are masked.

-- The view report.honour_list (demo/report_views.sql) holds the query.
SELECT * FROM report.honour_list
ORDER BY kind DESC, rank, who;
