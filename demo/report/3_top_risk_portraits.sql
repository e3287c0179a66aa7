-- 3. 清廉画像 The five highest-risk employee portraits
-- Current staff, one portrait per employment from its clean-point events
-- (the eight modules), graded as of the year end (exemplar < normal < watch
-- < alert) and ranked by grade, red-line hits, then net points.  The
-- resident ID is masked; the radar gives the points per module.

-- portrait_risk is the ordered enum risk_grade; it and the tags are returned
-- as text, the radar as jsonb, for BI tools.
WITH p AS (
    SELECT ev.employee_id, portrait(ev.module, ev.points, ev.at) AS p
    FROM regulator.event ev
    JOIN regulator.employee e ON e.id = ev.employee_id
    WHERE e.left_on IS NULL
    GROUP BY ev.employee_id),
tagged AS (
    SELECT employee_id, portrait_redlines(p) AS redlines, portrait_total(p) AS total,
           portrait_risk(p, timestamptz '2024-12-31 23:59:59+08') AS risk
    FROM p),
top AS (
    SELECT employee_id, risk, redlines, total
    FROM tagged
    ORDER BY risk DESC, redlines DESC, total, employee_id
    LIMIT 5),
-- the five portraits again, for display (an index scan each)
shown AS (
    SELECT t.*, row_number() OVER (ORDER BY risk DESC, redlines DESC, total, employee_id) AS rank,
           (SELECT portrait(v.module, v.points, v.at) FROM regulator.event v
            WHERE v.employee_id = t.employee_id) AS p
    FROM top t)
SELECT g.rank,
       cnid_mask(e.cnid) AS person,
       i.name AS institution,
       e.position,
       CASE WHEN e.cadre THEN 'cadre' ELSE 'staff' END AS role,
       g.risk::text AS risk,   -- as text for BI tools (risk_grade is an enum)
       array_to_string(portrait_tags(g.p, timestamptz '2024-12-31 23:59:59+08'), ', ') AS tags,
       portrait_total(g.p) AS net_points,
       portrait_negative(g.p) AS deductions,
       portrait_events(g.p) AS events,
       (SELECT count(*) FROM regulator.event v WHERE v.employee_id = g.employee_id AND v.points < 0) AS violations,
       (portrait_trend(g.p, timestamptz '2024-12-31 23:59:59+08', 6)).change AS trend_6m,
       (portrait_last(g.p) AT TIME ZONE 'Asia/Shanghai')::date AS last_event,
       (SELECT jsonb_object_agg(r.dimension, r.points) FROM portrait_radar(g.p) r) AS radar
FROM shown g
JOIN regulator.employee e ON e.id = g.employee_id
JOIN regulator.institution i ON i.id = e.institution_id
ORDER BY g.rank;
