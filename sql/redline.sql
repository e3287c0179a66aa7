-- red-line aggregates: iscore_agg over indicator rows, redline_sum over numerics.

CREATE TABLE redline_items (inst int, class text, points numeric);
INSERT INTO redline_items VALUES
  (1, 'basic', 40), (1, 'basic', 38.5), (1, 'bonus', 2), (1, 'bonus', 1.25), (1, 'redline', 0),
  (2, '基础项', 45), (2, '基础项', 44), (2, '加分项', 5), (2, '红线项', 1),
  (3, 'basic', 30), (3, 'basic', NULL), (3, NULL, 5), (3, 'redline', 0), (3, 'redline', 2),
  (4, 'bonus', 1);
SELECT inst, iscore_agg(class, points) AS score,
       total(iscore_agg(class, points), scheme()) AS total,
       grade(iscore_agg(class, points), scheme()) AS grade
FROM redline_items GROUP BY inst ORDER BY inst;
SELECT iscore_agg(class, points) IS NULL AS no_rows FROM redline_items WHERE false;
SELECT iscore_agg(class, points) IS NULL AS only_nulls FROM redline_items WHERE points IS NULL;

-- bad rows
SELECT iscore_agg(c, p) FROM (VALUES ('penalty', 1)) t(c, p);
SELECT iscore_agg(c, p) FROM (VALUES ('redline', 0.5)) t(c, p);
SELECT iscore_agg(c, p) FROM (VALUES ('redline', -1)) t(c, p);
SELECT iscore_agg(c, p) FROM (VALUES ('basic', 1.001)) t(c, p);
SELECT iscore_agg(c, p) FROM (VALUES ('basic', 9999999999999999.99), ('basic', 0.01)) t(c, p);

-- redline_sum: the veto over plain numerics
SELECT inst, redline_sum(points, class = 'redline' AND points > 0) AS vetoed_sum,
       sum(points) AS plain_sum
FROM redline_items WHERE class IS NOT NULL GROUP BY inst ORDER BY inst;
SELECT redline_sum(p, r) FROM (VALUES (1.5, false), (2.25, false)) t(p, r);
SELECT redline_sum(p, r) FROM (VALUES (1.5, false), (2.25, true)) t(p, r);
SELECT redline_sum(p, r) IS NULL AS empty FROM (VALUES (1.5, false)) t(p, r) WHERE false;
SELECT redline_sum(p, r) FROM (VALUES (1.5, NULL::boolean)) t(p, r);
SELECT redline_sum(p, r) FROM (VALUES (1.555, false)) t(p, r);
-- the plain-SQL formulation it replaces gives the same answers
SELECT bool_and(a IS NOT DISTINCT FROM b) AS same
FROM (SELECT inst, redline_sum(points, class = 'redline' AND points > 0) AS a,
             CASE WHEN bool_or(class = 'redline' AND points > 0) THEN 0
                  ELSE sum(points) END AS b
      FROM redline_items WHERE class IS NOT NULL AND points IS NOT NULL GROUP BY inst) t;

-- "finer than a hundredth" is 22023, as everywhere
DO $$
BEGIN
    PERFORM iscore_agg(c, p) FROM (VALUES ('basic', 1.001)) t(c, p);
EXCEPTION WHEN invalid_parameter_value THEN
    RAISE NOTICE 'iscore_agg: %', SQLSTATE;
END $$;
DO $$
BEGIN
    PERFORM redline_sum(p, r) FROM (VALUES (1.555, false)) t(p, r);
EXCEPTION WHEN invalid_parameter_value THEN
    RAISE NOTICE 'redline_sum: %', SQLSTATE;
END $$;

-- transition functions refuse to run outside an aggregate
SELECT integrity_internal.iscore_item_accum(NULL, 'basic', 1);
DROP TABLE redline_items;
