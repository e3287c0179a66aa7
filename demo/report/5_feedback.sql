-- 5. 清廉码 The feedback code: ratings and complaints
-- Ratings and complaints per year, overall and by sector.  satisfied_pct is
-- the share of 4- and 5-star ratings; satisfaction_change its change on the
-- previous year in percentage points.
WITH f AS (
    SELECT CASE WHEN GROUPING(i.sector) = 0 THEN i.sector ELSE 'all' END AS sector,
           extract(year FROM f.at AT TIME ZONE 'Asia/Shanghai')::integer AS year,
           count(*) FILTER (WHERE f.kind = 'rating') AS ratings,
           round(avg(f.rating), 2) AS avg_rating,
           round(100.0 * count(*) FILTER (WHERE f.rating >= 4)
                 / nullif(count(*) FILTER (WHERE f.kind = 'rating'), 0), 2) AS satisfied_pct,
           count(*) FILTER (WHERE f.kind = 'feedback') AS feedback,
           count(*) FILTER (WHERE f.kind = 'complaint') AS complaints,
           count(*) FILTER (WHERE f.kind = 'complaint' AND f.verified) AS verified,
           count(*) FILTER (WHERE f.kind = 'complaint' AND f.employee_id IS NOT NULL) AS naming_staff
    FROM regulator.feedback f
    JOIN regulator.institution i ON i.id = f.institution_id
    GROUP BY GROUPING SETS ((extract(year FROM f.at AT TIME ZONE 'Asia/Shanghai')),
                            (extract(year FROM f.at AT TIME ZONE 'Asia/Shanghai'), i.sector)))
SELECT sector, year, ratings, avg_rating, satisfied_pct,
       satisfied_pct - lag(satisfied_pct) OVER (PARTITION BY sector ORDER BY year) AS satisfaction_change,
       feedback, complaints, verified, naming_staff,
       round(100.0 * (complaints - lag(complaints) OVER (PARTITION BY sector ORDER BY year))
             / nullif(lag(complaints) OVER (PARTITION BY sector ORDER BY year), 0), 1) AS complaints_change_pct
FROM f
ORDER BY sector = 'all' DESC, sector, year;
