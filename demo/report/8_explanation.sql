-- 8. 评分说明 Why this grade? The lowest-graded institution explained
-- The lowest-graded institution of the year, line by line: each assessor's
-- sums, the weights and their renormalisation, the composition, the bonus
-- cap, the red-line veto and who found it, the total, the threshold crossed
-- and the institution's contribution to the index.  Norm lines are shown
-- where a red line was hit or less than half the marks were given.  Every
-- line reconciles with the published figures.

-- The view report.grade_explanation (demo/report_views.sql) holds the query.
SELECT * FROM report.grade_explanation
ORDER BY line;
