-- 8. 评分说明 Why this grade? The lowest-graded institution explained
-- The lowest-graded institution of the year, line by line: each assessor's
-- sums, the weights and their renormalisation, the composition, the bonus
-- cap, the red-line veto and who found it, the total, the threshold crossed
-- and the institution's contribution to the index.  Norm lines are shown
-- where a red line was hit or less than half the marks were given.  Every
-- line reconciles with the published figures.

-- regulator.explain_score returns every line; sql/supervision.sql checks
-- that the lines reconcile for every institution and year.
WITH y AS (SELECT max(year) AS year FROM regulator.scheme_year),
lowest AS (
    SELECT iy.institution_id, iy.year
    FROM regulator.institution_year iy
    JOIN regulator.institution i ON i.id = iy.institution_id
    WHERE iy.year = (SELECT year FROM y)
    ORDER BY grade(score(iy.a), iy.rules), total(score(iy.a), iy.rules),
             redlines(score(iy.a)) DESC, i.name
    LIMIT 1)
SELECT i.name AS institution, l.year, e.line, e.step, e.assessor, e.code, e.class,
       CASE WHEN e.step = 'index' THEN round(e.value, 4) ELSE e.value END AS value,
       e.detail
FROM lowest l
JOIN regulator.institution i ON i.id = l.institution_id
CROSS JOIN LATERAL regulator.explain_score(l.institution_id, l.year) e
LEFT JOIN regulator.indicator_year iv ON iv.year = l.year AND iv.code = e.code
WHERE e.step <> 'norm'
   OR (e.class = 'redline' AND e.value > 0)
   OR (e.class <> 'redline' AND e.value < iv.full_marks / 2)
ORDER BY e.line;
