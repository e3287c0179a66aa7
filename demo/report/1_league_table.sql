-- 1. 机构清廉积分排名 League table of institutions
-- The year's institutions ranked by their composed total: basic and bonus
-- points, the capped total, the colour grade and red-line hits.  Beside it,
-- each assessor's own capped total before any red-line veto (what each one
-- found), their spread (max - min: the disagreement behind the standard
-- error) and the standard error of the total (0 for a vetoed total, which is
-- certain), and the change on last year.

-- Each assessor's total is base + least(bonus, cap) of its own score, before
-- the veto (total() would give 0 for an assessor who found a red line), as
-- score_stderr uses them; every column is a plain SQL type.
WITH y AS (SELECT max(year) AS year FROM regulator.scheme_year),
scored AS (
    SELECT iy.institution_id, iy.year, iy.rules, iy.a, score(iy.a) AS s,
           total(score(iy.a), iy.rules) AS total,
           base(assessor_score(iy.a, 'self'))
             + least(bonus(assessor_score(iy.a, 'self')), (iy.rules).bonus_cap) AS t_self,
           base(assessor_score(iy.a, 'inspection'))
             + least(bonus(assessor_score(iy.a, 'inspection')), (iy.rules).bonus_cap) AS t_inspection,
           base(assessor_score(iy.a, 'third_party'))
             + least(bonus(assessor_score(iy.a, 'third_party')), (iy.rules).bonus_cap) AS t_third_party
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
