-- 9. 清廉数智监督 Early warnings from fund flows
-- Every enabled warning rule over the year's transfers: officers moving
-- money with their own borrowers, employees borrowing from clients, amounts
-- kept just below the reporting threshold, sudden large inflows.  Each
-- warning with its evidence, and the employee's portrait grade before and
-- after the warnings join it as the dimension 预警 (early warning).

-- regulator.early_warnings(period) builds one query from the rule table;
-- regulator.warning_events turns its rows into portrait events.
WITH y AS (SELECT max(year) AS year FROM regulator.scheme_year),
per AS (SELECT daterange(make_date(year, 1, 1), make_date(year + 1, 1, 1)) AS period,
               (make_date(year, 12, 31) + time '23:59:59') AT TIME ZONE 'Asia/Shanghai' AS as_of FROM y),
w AS (SELECT w.* FROM per, regulator.early_warnings(per.period) w),
we AS (SELECT x.* FROM per, regulator.warning_events(per.period) x),
ev AS (SELECT e.employee_id, e.module, e.points, e.at FROM regulator.event e
       WHERE e.employee_id IN (SELECT employee_id FROM w)),
before AS (SELECT employee_id, portrait(module, points, at) AS p FROM ev GROUP BY employee_id),
after AS (SELECT employee_id, portrait(module, points, at) AS p
          FROM (SELECT * FROM ev UNION ALL SELECT employee_id, module, points, at FROM we) x
          GROUP BY employee_id)
SELECT w.rule, r.title AS warning, cnid_mask(e.cnid) AS person, i.name AS institution, e.position,
       (w.first_at AT TIME ZONE 'Asia/Shanghai')::date AS first_on,
       (w.last_at AT TIME ZONE 'Asia/Shanghai')::date AS last_on,
       w.transfers, w.amount,
       coalesce(portrait_grade(b.p, per.as_of)::text, 'no events') AS grade_before,
       portrait_grade(a.p, per.as_of)::text AS grade_with_warnings,
       w.evidence
FROM w
CROSS JOIN per
JOIN regulator.warning_rule r ON r.code = w.rule
JOIN regulator.employee e ON e.id = w.employee_id
JOIN regulator.institution i ON i.id = e.institution_id
LEFT JOIN before b ON b.employee_id = w.employee_id
JOIN after a ON a.employee_id = w.employee_id
ORDER BY w.rule, w.first_at, w.employee_id;
