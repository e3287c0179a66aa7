-- 2. 清廉金融指数 The clean-finance index, year on year
-- The index (0-100) per year, overall, by sector and by district, with its
-- standard error and 90% interval (from the assessors' disagreement), the
-- asset-weighted variant, the number of institutions per colour grade, and
-- the change on the previous year in index points.
WITH per_group AS (
    SELECT CASE WHEN GROUPING(i.sector) = 0 THEN 'sector'
                WHEN GROUPING(i.district) = 0 THEN 'district' ELSE 'all' END AS breakdown,
           coalesce(i.sector, i.district, 'all') AS "group",
           iy.year,
           integrity_index(iy.a, iy.rules) AS ix,
           (integrity_index(iy.a, i.assets, iy.rules)).value AS asset_weighted,
           count(*) FILTER (WHERE grade(score(iy.a), iy.rules) = 'green') AS green,
           count(*) FILTER (WHERE grade(score(iy.a), iy.rules) = 'blue') AS blue,
           count(*) FILTER (WHERE grade(score(iy.a), iy.rules) = 'yellow') AS yellow,
           count(*) FILTER (WHERE grade(score(iy.a), iy.rules) = 'red') AS red
    FROM regulator.institution_year iy
    JOIN regulator.institution i ON i.id = iy.institution_id
    GROUP BY GROUPING SETS ((iy.year), (iy.year, i.sector), (iy.year, i.district)))
SELECT breakdown, "group", year,
       (ix).value AS index,
       (ix).stderr AS stderr,
       (ix).ci90_low AS ci90_low,
       (ix).ci90_high AS ci90_high,
       asset_weighted,
       (ix).institutions AS institutions,
       green, blue, yellow, red,
       (ix).value - lag((ix).value) OVER (PARTITION BY breakdown, "group" ORDER BY year) AS change
FROM per_group
ORDER BY CASE breakdown WHEN 'all' THEN 1 WHEN 'sector' THEN 2 ELSE 3 END, "group", year;
