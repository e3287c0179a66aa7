-- 7. 新员工名单筛查 Screening of the year's new hires
-- Every month the new hires were screened against every list as published
-- then, and each run recorded in the append-only audit.  Per institution with
-- a hit, and for all: the year's new hires, the runs, the hits (a person may
-- hit several lists) and the people hit, and where the reviews stood at the
-- year end - cleared (false positives: numbers typed wrong on a list, bans
-- lifted), confirmed, open (never reviewed, or the review expired) - with
-- the publications the runs screened against.
WITH yr AS (
    SELECT max(year) AS year, make_date(max(year), 12, 31) AS year_end FROM regulator.scheme_year),
runs AS (
    SELECT r.id,
           (SELECT min(l.publication) FROM regulator.screening_run_list l WHERE l.run_id = r.id) AS pub_first,
           (SELECT max(l.publication) FROM regulator.screening_run_list l WHERE l.run_id = r.id) AS pub_last
    FROM regulator.screening_run r, yr
    WHERE r.purpose = 'new hires' AND extract(year FROM r.at) = yr.year),
hires AS (
    SELECT e.institution_id, count(*) AS new_hires
    FROM regulator.employee e, yr
    WHERE e.hired BETWEEN make_date(yr.year, 1, 1) AND yr.year_end
    GROUP BY e.institution_id),
hits AS (
    SELECT e.institution_id, h.ref, h.run_id, ru.pub_first, ru.pub_last,
           CASE WHEN rv.id IS NULL THEN 'open'
                WHEN rv.expires IS NOT NULL AND rv.expires <= yr.year_end THEN 'open'
                ELSE rv.decision END AS status_at_year_end,
           rv.id IS NOT NULL AS reviewed
    FROM regulator.screening_hit h
    JOIN runs ru ON ru.id = h.run_id
    JOIN regulator.employee e ON e.id = h.ref::bigint
    CROSS JOIN yr
    LEFT JOIN LATERAL (
        SELECT r.* FROM regulator.screening_review r
        WHERE r.subject = h.subject AND r.list = h.list
          AND h.recorded_from <= (r.reviewed_at AT TIME ZONE 'Asia/Shanghai')::date
          AND (r.reviewed_at AT TIME ZONE 'Asia/Shanghai')::date <= yr.year_end
        ORDER BY r.reviewed_at DESC, r.id DESC LIMIT 1) rv ON true),
per AS (
    SELECT i.name AS institution, coalesce(n.new_hires, 0) AS new_hires,
           count(DISTINCT x.run_id) AS runs, count(x.ref) AS hits, count(DISTINCT x.ref) AS people,
           count(*) FILTER (WHERE x.reviewed) AS reviewed,
           count(*) FILTER (WHERE x.status_at_year_end = 'cleared') AS cleared,
           count(*) FILTER (WHERE x.status_at_year_end = 'confirmed') AS confirmed,
           count(*) FILTER (WHERE x.status_at_year_end = 'open') AS open,
           min(x.pub_first) AS first_publication, max(x.pub_last) AS last_publication
    FROM regulator.institution i
    LEFT JOIN hires n ON n.institution_id = i.id
    LEFT JOIN hits x ON x.institution_id = i.id
    GROUP BY i.id, i.name, n.new_hires)
SELECT institution, new_hires, runs, hits, people, reviewed, cleared, confirmed, open,
       first_publication, last_publication
FROM (SELECT 0 AS part, institution, new_hires::bigint AS new_hires, runs, hits, people, reviewed, cleared,
             confirmed, open, first_publication, last_publication
      FROM per WHERE hits > 0
      UNION ALL
      SELECT 1, 'all', sum(new_hires)::bigint, (SELECT count(*) FROM runs),
             sum(hits)::bigint, sum(people)::bigint, sum(reviewed)::bigint, sum(cleared)::bigint,
             sum(confirmed)::bigint, sum(open)::bigint,
             (SELECT min(pub_first) FROM runs), (SELECT max(pub_last) FROM runs)
      FROM per) t
ORDER BY part, open DESC, hits DESC, institution;
