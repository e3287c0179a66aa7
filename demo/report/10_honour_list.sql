-- 10. 光荣榜 Honour list: exemplar institutions and employees
-- Institutions: green in each of the last three years with no red line found
-- by any assessor, and in the top tenth of the year's institutions by index
-- points (ties included).  Employees: the ten current staff with the most
-- points whose portrait at the year end is tagged exemplar and who never had
-- a deduction.  Each row says why; resident IDs are masked.
WITH y AS (SELECT max(year) AS year FROM regulator.scheme_year),
iy AS (
    SELECT iy.institution_id, iy.year, iy.rules, iy.a, score(iy.a) AS s
    FROM regulator.institution_year iy
    WHERE iy.year BETWEEN (SELECT year FROM y) - 2 AND (SELECT year FROM y)),
sector_index AS (
    SELECT i.sector, (integrity_index(iy.a, iy.rules)).value AS idx
    FROM iy JOIN regulator.institution i ON i.id = iy.institution_id
    WHERE iy.year = (SELECT year FROM y)
    GROUP BY i.sector),
inst AS (
    SELECT iy.institution_id, round_half_even(index_points(cur.s, cur.rules), 2) AS points,
           min(total(iy.s, iy.rules)) AS lowest_total
    FROM iy
    JOIN iy cur ON cur.institution_id = iy.institution_id AND cur.year = (SELECT year FROM y)
    GROUP BY iy.institution_id, cur.s, cur.rules
    HAVING count(*) = 3
       AND bool_and(grade(iy.s, iy.rules) = 'green')
       AND max(redlines(iy.s)) = 0),
-- the top tenth of the year's institutions by index points, ties included
decile AS (
    SELECT min(x.points) AS cutoff,
           (SELECT count(*) FROM iy WHERE iy.year = (SELECT year FROM y)) AS field
    FROM (SELECT round_half_even(index_points(iy.s, iy.rules), 2) AS points
          FROM iy WHERE iy.year = (SELECT year FROM y)
          ORDER BY points DESC
          LIMIT (SELECT ceil(count(*) / 10.0)::integer FROM iy WHERE iy.year = (SELECT year FROM y))) x),
inst_rows AS (
    SELECT 'institution'::text AS kind,
           rank() OVER (ORDER BY n.points DESC, i.name) AS rank,
           i.name AS who, NULL::text AS institution, i.sector,
           n.points, si.idx AS benchmark,
           format('green %s-%s (lowest total %s), no red line; %s index points, top tenth of %s institutions (from %s; %s index %s)',
                  (SELECT year FROM y) - 2, (SELECT year FROM y), n.lowest_total, n.points, d.field, d.cutoff,
                  i.sector, si.idx) AS reason
    FROM inst n
    CROSS JOIN decile d
    JOIN regulator.institution i ON i.id = n.institution_id
    JOIN sector_index si ON si.sector = i.sector
    WHERE n.points >= d.cutoff),
staff AS (
    SELECT ev.employee_id, portrait(ev.module, ev.points, ev.at) AS p
    FROM regulator.event ev
    JOIN regulator.employee e ON e.id = ev.employee_id
    WHERE e.left_on IS NULL
    GROUP BY ev.employee_id),
exemplars AS (
    SELECT s.employee_id, portrait_total(s.p) AS points, portrait_events(s.p) AS events,
           portrait_first(s.p) AS first_at
    FROM staff s
    WHERE 'exemplar' = ANY (portrait_tags(s.p, make_date((SELECT year FROM y), 12, 31)::timestamp AT TIME ZONE 'Asia/Shanghai'
                                                + interval '1 day' - interval '1 second'))
      AND portrait_negative(s.p) = 0),
staff_rows AS (
    SELECT 'employee'::text AS kind,
           rank() OVER (ORDER BY x.points DESC, x.events DESC, x.employee_id) AS rank,
           cnid_mask(e.cnid) AS who, i.name AS institution, i.sector,
           x.points, NULL::numeric AS benchmark,
           format('portrait exemplar: %s points from %s positive events since %s, no deduction, no red line (one of %s exemplars)',
                  x.points, x.events, (x.first_at AT TIME ZONE 'Asia/Shanghai')::date,
                  count(*) OVER ()) AS reason
    FROM exemplars x
    JOIN regulator.employee e ON e.id = x.employee_id
    JOIN regulator.institution i ON i.id = e.institution_id)
SELECT kind, rank::integer, who, institution, sector, points, benchmark, reason
FROM (SELECT * FROM inst_rows UNION ALL SELECT * FROM staff_rows WHERE rank <= 10) r
ORDER BY kind DESC, rank, who;
