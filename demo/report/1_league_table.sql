-- 1. League table of institutions (机构清廉积分排名), latest scheme year.
-- One row per institution: the composed score (basic, bonus, capped total),
-- the colour grade, red-line hits, each assessor's own total and their spread
-- (the disagreement behind the standard error), the change on last year.
-- Every column is a plain SQL type (numeric, text, integer, bigint).
WITH y AS (SELECT max(year) AS year FROM regulator.scheme_year),
scored AS (
    SELECT iy.institution_id, iy.year, iy.rules, iy.a, score(iy.a) AS s,
           total(score(iy.a), iy.rules) AS total,
           total(assessor_score(iy.a, 'self'), iy.rules) AS t_self,
           total(assessor_score(iy.a, 'inspection'), iy.rules) AS t_inspection,
           total(assessor_score(iy.a, 'third_party'), iy.rules) AS t_third_party
    FROM regulator.institution_year iy
    WHERE iy.year IN ((SELECT year FROM y), (SELECT year - 1 FROM y)))
SELECT rank() OVER (ORDER BY cur.total DESC, redlines(cur.s), i.name) AS rank,
       i.name AS institution,
       i.sector,
       i.district,
       base(cur.s) AS base,
       bonus(cur.s) AS bonus,
       cur.total,
       grade(cur.s, cur.rules)::text AS grade,
       redlines(cur.s) AS redlines,
       assessors(cur.a) AS assessors,
       cur.t_self AS self,
       cur.t_inspection AS inspection,
       cur.t_third_party AS third_party,
       greatest(cur.t_self, cur.t_inspection, cur.t_third_party)
         - least(cur.t_self, cur.t_inspection, cur.t_third_party) AS spread,
       -- a vetoed total is certain (0), as in the index
       CASE WHEN redlines(cur.s) > 0 THEN 0.00 ELSE score_stderr(cur.a, cur.rules) END AS stderr,
       cur.total - prev.total AS change
FROM scored cur
JOIN regulator.institution i ON i.id = cur.institution_id
LEFT JOIN scored prev ON prev.institution_id = cur.institution_id AND prev.year = cur.year - 1
WHERE cur.year = (SELECT year FROM y)
ORDER BY rank, institution;
