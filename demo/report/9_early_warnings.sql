-- 9. 清廉数智监督 Early warnings from fund flows
-- Every enabled warning rule over the year's transfers: officers moving
-- money with their own borrowers, employees borrowing from clients, amounts
-- kept just below the reporting threshold, sudden large inflows.  Each
-- warning with its evidence, and the employee's portrait grade before and
-- after the warnings join it as the dimension 预警 (early warning).

-- The view report.early_warnings (demo/report_views.sql) holds the query.
SELECT * FROM report.early_warnings
ORDER BY rule, first_on, person;
