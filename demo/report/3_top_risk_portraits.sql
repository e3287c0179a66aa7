-- 3. The five highest-risk employee portraits (清廉画像), current staff.
-- One portrait per employment from its events (the eight modules); its risk
-- tags by the default portrait rules as of the year end (portrait_tags),
-- graded alert / watch / normal / exemplar the way portrait_grade does;
-- ranked by grade, red-line hits, then net points.  The resident ID is
-- masked; the radar (points per module) is jsonb for a BI chart.
WITH p AS (
    SELECT ev.employee_id, portrait(ev.module, ev.points, ev.at) AS p
    FROM regulator.event ev
    JOIN regulator.employee e ON e.id = ev.employee_id
    WHERE e.left_on IS NULL
    GROUP BY ev.employee_id),
tagged AS (
    SELECT employee_id, p, t,
           CASE WHEN t && ARRAY['redline', 'low_total'] THEN 'alert'
                WHEN t && ARRAY['below_watch', 'deductions', 'declining'] THEN 'watch'
                WHEN 'exemplar' = ANY (t) THEN 'exemplar'
                ELSE 'normal' END AS risk
    FROM (SELECT employee_id, p, portrait_tags(p, timestamptz '2024-12-31 23:59:59+08') AS t FROM p) x),
top AS (
    SELECT row_number() OVER (ORDER BY CASE risk WHEN 'alert' THEN 0 WHEN 'watch' THEN 1
                                                 WHEN 'normal' THEN 2 ELSE 3 END,
                                       portrait_redlines(p) DESC, portrait_total(p), employee_id) AS rank,
           employee_id, p, t, risk
    FROM tagged
    ORDER BY rank
    LIMIT 5)
SELECT g.rank,
       cnid_mask(e.cnid) AS person,
       i.name AS institution,
       e.position,
       CASE WHEN e.cadre THEN 'cadre' ELSE 'staff' END AS role,
       g.risk,
       array_to_string(g.t, ', ') AS tags,
       portrait_total(g.p) AS net_points,
       portrait_negative(g.p) AS deductions,
       portrait_events(g.p) AS events,
       (SELECT count(*) FROM regulator.event v WHERE v.employee_id = g.employee_id AND v.points < 0) AS violations,
       (portrait_trend(g.p, timestamptz '2024-12-31 23:59:59+08', 6)).change AS trend_6m,
       (portrait_last(g.p) AT TIME ZONE 'Asia/Shanghai')::date AS last_event,
       (SELECT jsonb_object_agg(r.dimension, r.points) FROM portrait_radar(g.p) r) AS radar
FROM top g
JOIN regulator.employee e ON e.id = g.employee_id
JOIN regulator.institution i ON i.id = e.institution_id
ORDER BY g.rank;
