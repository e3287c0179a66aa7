-- 3. The five highest-risk employee portraits (清廉画像), current staff.
-- One portrait per employment from its events (the eight modules), graded
-- alert / watch / normal / exemplar by the default portrait rules as of the
-- year end; ranked by grade, red-line hits, then net points.  The resident
-- ID is masked; the radar (points per module) is jsonb for a BI chart.
WITH p AS (
    SELECT ev.employee_id, portrait(ev.module, ev.points, ev.at) AS p
    FROM regulator.event ev
    JOIN regulator.employee e ON e.id = ev.employee_id
    WHERE e.left_on IS NULL
    GROUP BY ev.employee_id),
graded AS (
    SELECT p.employee_id, p.p,
           portrait_grade(p.p, timestamptz '2024-12-31 23:59:59+08') AS risk,
           portrait_total(p.p) AS total
    FROM p)
SELECT row_number() OVER w AS rank,
       cnid_mask(e.cnid) AS person,
       i.name AS institution,
       e.position,
       CASE WHEN e.cadre THEN 'cadre' ELSE 'staff' END AS role,
       g.risk,
       array_to_string(portrait_tags(g.p, timestamptz '2024-12-31 23:59:59+08'), ', ') AS tags,
       g.total AS net_points,
       portrait_negative(g.p) AS deductions,
       portrait_events(g.p) AS events,
       (SELECT count(*) FROM regulator.event v WHERE v.employee_id = g.employee_id AND v.points < 0) AS violations,
       (portrait_trend(g.p, timestamptz '2024-12-31 23:59:59+08', 6)).change AS trend_6m,
       (portrait_last(g.p) AT TIME ZONE 'Asia/Shanghai')::date AS last_event,
       (SELECT jsonb_object_agg(r.dimension, r.points) FROM portrait_radar(g.p) r) AS radar
FROM graded g
JOIN regulator.employee e ON e.id = g.employee_id
JOIN regulator.institution i ON i.id = e.institution_id
WINDOW w AS (ORDER BY CASE g.risk WHEN 'alert' THEN 0 WHEN 'watch' THEN 1 WHEN 'normal' THEN 2 ELSE 3 END,
                      portrait_redlines(g.p) DESC, g.total, e.id)
ORDER BY rank
LIMIT 5;
