-- scheme: rules as data, validated; grades; the GUC default for ad-hoc use.

SELECT scheme();
SELECT (scheme()).bonus_cap, (scheme()).green, (scheme(green => 95)).green;
SELECT enum_range(NULL::grade) AS grades, 'red'::grade < 'yellow' AND 'yellow'::grade < 'blue'
       AND 'blue'::grade < 'green' AS ordered;

-- grades: thresholds are inclusive lower bounds; a red line makes it red
SELECT s, total(s, scheme()) AS total, grade(s, scheme()) AS grade
FROM (VALUES ('90.00+0.00'::iscore), ('89.99+0.00'), ('85.00+8.00'), ('80.00+0.00'),
             ('70.00+0.00'), ('60.00+0.00'), ('59.99+0.00'), ('99.00+5.00!1'), ('75.00+20.00')) t(s)
ORDER BY s DESC;
SELECT grade(85.5, scheme()), grade(85.5, scheme(blue => 86, green => 95));

-- bad schemes are rejected with a message naming the rule
SELECT scheme(w_self => 0.3);
SELECT scheme(yellow => 85);
SELECT scheme(green => 80);
SELECT scheme(green => 120);
SELECT scheme(redline => 'ignore');
SELECT scheme(bonus_cap => -1);
SELECT scheme(bonus_cap => 1.005);
SELECT scheme(w_self => 0.12345, w_inspection => 0.58655);
SELECT scheme(full_marks => 0, green => 9, blue => 8, yellow => 6);
SELECT scheme(bonus_cap => NULL);
-- the domain check also guards casts and stored rows
SELECT ROW(10, 100, 90, 80, 60, 0.2, 0.5, 0.2, 'zero')::scheme;
CREATE TABLE scheme_years (year int PRIMARY KEY, rules scheme NOT NULL);
INSERT INTO scheme_years VALUES (2025, scheme()), (2026, scheme(bonus_cap => 5, green => 92));
INSERT INTO scheme_years VALUES (2027, ROW(10, 100, 80, 90, 60, 0.2, 0.5, 0.3, 'zero'));
SELECT year, grade('88.00+6.00'::iscore, rules) FROM scheme_years ORDER BY year;
DROP TABLE scheme_years;

-- ad-hoc default through the GUC (STABLE one-argument forms only)
SELECT total('80+15'::iscore), grade('88+3'::iscore);
SET integrity.scheme = '(5,100,92,85,60,0.2,0.5,0.3,zero)';
SELECT current_scheme(), total('80+15'::iscore), grade('88+3'::iscore);
SET integrity.scheme = '(5,100,80,85,60,0.2,0.5,0.3,zero)';
SELECT current_scheme();
-- the setting is checked when it is SET (the value above was refused)
SET integrity.scheme = '(,,,,,,,,)';
SET integrity.scheme = '(10,100,90,80,60,0.2,0.5,0.3)';
SET integrity.scheme = 'ten, a hundred';
SET integrity.scheme = '(10,100,90,80,60,0.2,0.5,0.3,zero) x';
SET integrity.scheme = '(ten,100,90,80,60,0.2,0.5,0.3,zero)';
SET integrity.scheme = '("10.00", 100, 90, 80, 60, 0.2, 0.5, 0.3,exclude)';
SELECT current_scheme(), total('80+15'::iscore);
SET integrity.scheme = '("10.00", 100, 90, 80, 60, 0.2, 0.5, 0.3, "exclude")';
SELECT current_scheme(), total('80+15'::iscore);
SHOW integrity.scheme;
RESET integrity.scheme;
SELECT current_scheme() = scheme() AS default_when_unset;
-- a misspelt setting under the reserved prefix integrity. is refused
SET integrity.schemee = '(5,100,92,85,60,0.2,0.5,0.3,zero)';

-- a row of NULLs is not a NULL scheme: it is refused like any missing field
SELECT grade(95, ROW(NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)::scheme);
SELECT total('80+15'::iscore, ROW(NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)::scheme);
SELECT NULL::scheme IS NULL AS null_scheme;
-- a grade needs a finite total
SELECT grade('NaN'::numeric, scheme());
SELECT grade('Infinity'::numeric, scheme());
SELECT grade('-Infinity'::numeric, scheme());
SELECT grade(-1e20, scheme()) AS very_low, grade(1e20, scheme()) AS very_high;
-- fields that are not finite are refused
SELECT scheme(green => 'Infinity');
SELECT scheme(w_self => 'NaN');
-- NaN is not "missing": its own message, in SQL and in the setting
SELECT scheme(green => 'NaN');
SELECT ROW(10, 100, 'NaN', 80, 60, 0.2, 0.5, 0.3, 'zero')::scheme;
SET integrity.scheme = '(10,100,NaN,80,60,0.2,0.5,0.3,zero)';
-- a scheme written as a literal is read like scheme()
SELECT grade(s, '(10,100,90,80,60,0.2,0.5,0.3,zero)'::scheme) = grade(s, scheme()) AS same, count(*)
FROM (SELECT iscore(g % 110, g % 13, (g % 97 = 0)::int) AS s FROM generate_series(1, 500) g) t
GROUP BY 1;

-- the reader remembers one scheme per call site: a column whose schemes
-- change from row to row is read row by row
SELECT count(*) AS rows,
       count(*) FILTER (WHERE grade(p, r) = CASE WHEN p >= (r).green THEN 'green'::grade
                                                 WHEN p >= (r).blue THEN 'blue'::grade
                                                 WHEN p >= (r).yellow THEN 'yellow'::grade
                                                 ELSE 'red'::grade END) AS as_thresholds_say,
       count(DISTINCT r) AS schemes
FROM (SELECT (g % 110)::numeric + 0.5 AS p,
             (ARRAY[scheme(), scheme(green => 95, blue => 85, yellow => 70), scheme(bonus_cap => 0, green => 80, blue => 50, yellow => 20)])[1 + g % 3] AS r
      FROM generate_series(1, 600) g) t;

-- a value SET before the library is loaded in a session cannot be checked
-- at SET; current_scheme() (and so total(s), grade(s)) raises its error
-- instead of falling back to the default
\c
SET integrity.scheme = '(,,,,,,,,)';
SELECT total('80+15'::iscore);
SET integrity.scheme = '(5,100,92,85,60,0.2,0.5,0.3,zero)';
SELECT total('80+15'::iscore);
RESET integrity.scheme;

-- volatility is declared truthfully: nothing IMMUTABLE reads a GUC
SELECT p.oid::regprocedure AS function, p.provolatile
FROM pg_proc p JOIN pg_depend d ON d.objid = p.oid AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'integrity'
WHERE p.proname IN ('current_scheme', 'total', 'grade', 'scheme', 'scheme_check')
ORDER BY p.oid::regprocedure::text COLLATE "C";
