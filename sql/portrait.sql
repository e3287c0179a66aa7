-- portrait: the integrity portrait (清廉画像) — every function, every input
-- path, the limits, parallel = serial.
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SET extra_float_digits = 0;

-- error helper: SQLSTATE, message and detail of a failing statement
CREATE FUNCTION pt_err(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE d text;
BEGIN
    EXECUTE q;
    RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS d = PG_EXCEPTION_DETAIL;
    RETURN SQLSTATE || ': ' || SQLERRM || coalesce(' | ' || nullif(d, ''), '');
END $$;

CREATE TABLE pt_events (subject int, dimension text, points numeric, at timestamptz);
INSERT INTO pt_events VALUES
    (1, '清廉建设',  5.00, '2024-01-05 10:00:00+00'),
    (1, '清廉建设',  2.50, '2024-02-10 00:00:00+00'),
    (1, '员工管理', -1.25, '2024-02-11 12:34:56.789+00'),
    (1, '红线',    -10,    '2024-03-01 00:00:00+08'),   -- 2024-02-29 16:00 UTC
    (1, '清廉宣传',  0,    '2024-03-15 09:00:00+00'),
    (2, '合规建设',  3,    '2023-12-31 23:59:59+00'),
    (2, '合规建设',  7.5,  '2024-01-01 00:00:00+00'),
    (2, '重点工作', 12,    '2024-04-30 08:00:00+00'),
    (2, '清廉宣传',  4,    '2024-05-02 08:00:00+00'),
    (3, '纪检监察', -3,    '2022-06-01 00:00:00+00'),
    (3, '黑名单',   -30,   '2022-07-01 00:00:00+00'),
    (3, 'custom "dim" \ x', 1.10, '2022-07-02 00:00:00+00'),
    (4, '清廉建设', NULL,  '2024-01-01 00:00:00+00'),   -- NULL: skipped
    (4, NULL,        1,    '2024-01-01 00:00:00+00'),
    (4, '清廉建设',  1,    NULL);

CREATE TABLE pt_p AS
    SELECT subject, portrait(dimension, points, at) AS p FROM pt_events GROUP BY subject;

-- the text form: canonical, sorted by dimension name bytewise
SELECT subject, p FROM pt_p ORDER BY subject;
-- round trips: text and binary
SELECT subject, p::text::portrait::text = p::text AS text_rt,
       portrait_from_bytea(portrait_send(p))::text = p::text AS binary_rt
  FROM pt_p WHERE p IS NOT NULL ORDER BY subject;
-- the text does not depend on the session's time zone or date style
SET TimeZone = 'Asia/Shanghai';
SET DateStyle = 'SQL, DMY';
SELECT subject, p FROM pt_p WHERE subject = 1;
SELECT subject, portrait_first(p), portrait_last(p) FROM pt_p WHERE subject = 1;
RESET DateStyle;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';

-- accessors
SELECT subject, portrait_total(p) AS total, portrait_positive(p) AS positive,
       portrait_negative(p) AS negative, portrait_events(p) AS events,
       portrait_redlines(p) AS redlines, portrait_dimension_count(p) AS dims,
       portrait_first(p) AS first, portrait_last(p) AS last
  FROM pt_p ORDER BY subject;
SELECT portrait_points(p, '清廉建设'), portrait_events(p, '清廉建设'),
       portrait_points(p, '黑名单'), portrait_events(p, '黑名单')
  FROM pt_p WHERE subject = 1;

-- jsonb
SELECT subject, jsonb_pretty(p::jsonb) FROM pt_p WHERE subject IN (1, 3) ORDER BY subject;
SELECT portrait_jsonb(p) = p::jsonb FROM pt_p WHERE subject = 2;

-- rows: dimensions, months, radar
SELECT d.* FROM pt_p, portrait_dimensions(p) d WHERE subject = 1;
SELECT m.* FROM pt_p, portrait_months(p) m WHERE subject = 1;
SELECT r.* FROM pt_p, portrait_radar(p) r WHERE subject = 2;
SELECT r.* FROM pt_p, portrait_radar(p, ARRAY['红线', '黑名单', '清廉建设']) r WHERE subject = 1;
SELECT portrait_default_dimensions();

-- trend as of a date: the N months ending with the month of as_of
SELECT t.* FROM pt_p, portrait_trend(p, '2024-03-20', 2) t WHERE subject = 1;
SELECT t.* FROM pt_p, portrait_trend(p, '2024-05-31') t WHERE subject = 2;
SELECT t.* FROM pt_p, portrait_trend(p, '2030-01-01', 1) t WHERE subject = 2;
SELECT pt_err($$SELECT portrait_trend(p, '2024-01-01', 0) FROM pt_p WHERE subject = 1$$);
SELECT pt_err($$SELECT portrait_trend(p, 'infinity', 3) FROM pt_p WHERE subject = 1$$);

-- risk grade and tags
SELECT make_portrait_rules();
SELECT subject, portrait_grade(p) AS grade, portrait_tags(p) AS tags,
       portrait_grade(p, '2024-05-31') AS grade_may, portrait_tags(p, '2024-05-31') AS tags_may
  FROM pt_p ORDER BY subject;
SELECT subject, portrait_grade(p, NULL, make_portrait_rules(exemplar_from => 10)) AS grade,
       portrait_tags(p, '2024-05-31', make_portrait_rules(watch_negative => 0, watch_drop => 0)) AS tags
  FROM pt_p ORDER BY subject;
SELECT subject, portrait_tags(p, '2024-02-29', make_portrait_rules(trend_months => 1)) AS tags_feb,
       portrait_grade(p, '2024-02-29', make_portrait_rules(alert_redlines => 2, watch_negative => 20)) AS grade_feb
  FROM pt_p ORDER BY subject;
SELECT portrait_grade(NULL::portrait);
-- rules are validated
SELECT pt_err($$SELECT make_portrait_rules(alert_redlines => 0)$$);
SELECT pt_err($$SELECT make_portrait_rules(alert_below => 5, watch_below => 0)$$);
SELECT pt_err($$SELECT make_portrait_rules(exemplar_from => 10.005)$$);
SELECT pt_err($$SELECT make_portrait_rules(trend_months => NULL)$$);
SELECT pt_err($$SELECT ROW(1, -20, 0, -1, 20, 3, 10)::portrait_rules$$);

-- the 4-argument form: red-line hits are whatever the caller says
SELECT subject, portrait(dimension, points, at, dimension IN ('黑名单', '纪检监察'))
  FROM pt_events WHERE subject = 3 GROUP BY subject;
SELECT portrait_redlines(portrait(dimension, points, at, points < 0)) FROM pt_events;
-- as a window aggregate: the running portrait after each event
SELECT subject, at, portrait_total(q), portrait_events(q), portrait_dimension_count(q)
  FROM (SELECT subject, at, portrait(dimension, points, at) OVER (PARTITION BY subject ORDER BY at) AS q
          FROM pt_events WHERE subject IN (1, 2)) w
 ORDER BY subject, at;
-- no rows, or only NULL rows: NULL
SELECT portrait(dimension, points, at) IS NULL FROM pt_events WHERE subject = 99;

-- order independence and combine
SELECT (SELECT portrait(dimension, points, at ORDER BY at DESC) FROM pt_events)::text
     = (SELECT portrait(dimension, points, at ORDER BY dimension, points) FROM pt_events)::text
       AS order_independent;
SELECT portrait_combine(a.p, b.p) FROM pt_p a, pt_p b WHERE a.subject = 2 AND b.subject = 3;
SELECT portrait_combine(a.p, b.p)::text = portrait_combine(b.p, a.p)::text AS commutative,
       portrait_combine(a.p, a.p) AS doubled
  FROM pt_p a, pt_p b WHERE a.subject = 2 AND b.subject = 3;
SELECT portrait_combine(NULL, p) IS NULL FROM pt_p WHERE subject = 2;
-- the transition and final functions called directly never modify their argument
SELECT integrity_internal.portrait_trans(NULL, 'x', 1, '2024-01-01');
SELECT a, integrity_internal.portrait_trans(a, 'y', 2, '2024-02-01', true) AS b, integrity_internal.portrait_final(a) AS c
  FROM (SELECT integrity_internal.portrait_trans(NULL, 'x', 1, '2024-01-01') AS a OFFSET 0) s;

-- points are exact hundredths
SELECT portrait('x', 1.500, '2024-01-01')::text;
SELECT portrait('x', -0.01, '2024-01-01')::text;
SELECT portrait('x', 9999999999999999.99, '2024-01-01')::text;
SELECT portrait(d, v, '2024-01-01')::text
  FROM (VALUES ('x', -9999999999999999.98), ('y', -0.01)) AS t(d, v);
SELECT pt_err($$SELECT portrait('x', 1.001, '2024-01-01')$$);
SELECT pt_err($$SELECT portrait('x', 0.0000001, '2024-01-01')$$);
SELECT pt_err($$SELECT portrait('x', 'NaN', '2024-01-01')$$);
SELECT pt_err($$SELECT portrait('x', 'Infinity', '2024-01-01')$$);
SELECT pt_err($$SELECT portrait('x', 10000000000000000.00, '2024-01-01')$$);
SELECT pt_err($$SELECT portrait('x', 92233720368547758.08, '2024-01-01')$$);
SELECT pt_err($$SELECT portrait('x', 1e40, '2024-01-01')$$);
SELECT pt_err($$SELECT portrait(d, 9999999999999999.99, '2024-01-01') FROM (VALUES ('x'), ('x')) t(d)$$);
SELECT pt_err($$SELECT portrait(d, 9999999999999999.99, '2024-01-01') FROM (VALUES ('x'), ('y')) t(d)$$);
-- times
SELECT pt_err($$SELECT portrait('x', 1, 'infinity')$$);
SELECT pt_err($$SELECT portrait('x', 1, '-infinity')$$);
SELECT pt_err($$SELECT portrait('x', 1, '10000-01-01 00:00:00+00')$$);
SELECT portrait('x', 1, '0001-01-01 00:00:00+00')::text;
SELECT portrait('x', 1, '9999-12-31 23:59:59.999999+00')::text;
-- dimension names
SELECT pt_err($$SELECT portrait('', 1, '2024-01-01')$$);
SELECT pt_err($$SELECT portrait(repeat('x', 129), 1, '2024-01-01')$$);
SELECT length(portrait(repeat('x', 128), 1, '2024-01-01')::text);
-- at most 64 distinct dimensions: 64 work, the 65th is an error
SELECT portrait_dimension_count(portrait('d' || i, 1, '2024-01-01')) FROM generate_series(1, 64) i;
SELECT pt_err($$SELECT portrait('d' || i, 1, '2024-01-01') FROM generate_series(1, 65) i$$);
SELECT pt_err($$SELECT portrait_combine(a, b) FROM
    (SELECT portrait('a' || i, 1, '2024-01-01') a FROM generate_series(1, 40) i) x,
    (SELECT portrait('b' || i, 1, '2024-01-01') b FROM generate_series(1, 40) i) y$$);
SELECT pt_err($$SELECT portrait_combine(a, a) FROM
    (SELECT portrait('x', 9999999999999999.99, '2024-01-01') a) x$$);
SELECT pt_err($$SELECT portrait_combine(a, b) FROM
    (SELECT portrait('x', 5000000000000000.00, '2024-01-01') a) x,
    (SELECT portrait('y', 5000000000000000.00, '2024-02-01') b) y$$);

-- text input: every malformation is rejected
SELECT n, pt_err(format('SELECT %L::portrait', s)) FROM (VALUES
    (1, ''),
    (2, 'v2|2024-01-01 00:00:00+00|2024-01-01 00:00:00+00|"x"=1.00/0.00/1/0|2024-01=1.00/1'),
    (3, 'v1|2024-01-01 00:00:00+00|2024-01-01 00:00:00+00|"x"=1.00/0.00/1/0|2024-01=1.00/1 '),
    (4, 'v1|2024-01-01 00:00:00+08|2024-01-01 00:00:00+00|"x"=1.00/0.00/1/0|2024-01=1.00/1'),
    (5, 'v1|2024-02-30 00:00:00+00|2024-02-30 00:00:00+00|"x"=1.00/0.00/1/0|2024-02=1.00/1'),
    (6, 'v1|2024-01-01 00:00:00+00|2024-01-01 00:00:00+00|"x"=1.0/0.00/1/0|2024-01=1.00/1'),
    (7, 'v1|2024-01-01 00:00:00+00|2024-01-01 00:00:00+00|"x"=1.001/0.00/1/0|2024-01=1.00/1'),
    (8, 'v1|2024-01-01 00:00:00+00|2024-01-01 00:00:00+00|"x"=-1.00/0.00/1/0|2024-01=-1.00/1'),
    (9, 'v1|2024-01-01 00:00:00+00|2024-01-01 00:00:00+00|"x"=0.00/1.00/1/0|2024-01=1.00/1'),
    (10, 'v1|2024-01-01 00:00:00+00|2024-01-01 00:00:00+00|"x"=1.00/0.00/0/0|2024-01=1.00/0'),
    (11, 'v1|2024-01-01 00:00:00+00|2024-01-01 00:00:00+00|"x"=1.00/0.00/1/2|2024-01=1.00/1'),
    (12, 'v1|2024-01-01 00:00:00+00|2024-01-01 00:00:00+00|"x"=1.00/0.00/-1/0|2024-01=1.00/1'),
    (13, 'v1|2024-01-01 00:00:00+00|2024-01-01 00:00:00+00|"y"=1.00/0.00/1/0;"x"=1.00/0.00/1/0|2024-01=2.00/2'),
    (14, 'v1|2024-01-01 00:00:00+00|2024-01-01 00:00:00+00|"x"=1.00/0.00/1/0;"x"=1.00/0.00/1/0|2024-01=2.00/2'),
    (15, 'v1|2024-01-01 00:00:00+00|2024-01-01 00:00:00+00|"x"=1.00/0.00/1/0|2024-01=1.00/2'),
    (16, 'v1|2024-01-01 00:00:00+00|2024-01-01 00:00:00+00|"x"=1.00/0.00/1/0|2024-01=2.00/1'),
    (17, 'v1|2024-01-01 00:00:00+00|2024-02-01 00:00:00+00|"x"=2.00/0.00/2/0|2024-02=1.00/1;2024-01=1.00/1'),
    (18, 'v1|2024-01-01 00:00:00+00|2024-02-01 00:00:00+00|"x"=2.00/0.00/2/0|2024-01=1.00/1;2024-01=1.00/1'),
    (19, 'v1|2024-01-01 00:00:00+00|2024-03-01 00:00:00+00|"x"=2.00/0.00/2/0|2024-01=1.00/1;2024-02=1.00/1'),
    (20, 'v1|2024-01-01 00:00:00+00|2024-01-02 00:00:00+00|"x"=1.00/0.00/1/0|2024-01=1.00/1'),
    (21, 'v1|2024-01-01 00:00:00+00|2024-01-01 00:00:00+00|""=1.00/0.00/1/0|2024-01=1.00/1'),
    (22, 'v1|2024-01-01 00:00:00+00|2024-01-01 00:00:00+00|"x=1.00/0.00/1/0|2024-01=1.00/1'),
    (23, 'v1|2024-01-01 00:00:00+00|2024-01-01 00:00:00+00|"x\n"=1.00/0.00/1/0|2024-01=1.00/1'),
    (24, 'v1|2024-01-01 00:00:00+00|2024-01-01 00:00:00+00|"x"=1.00/0.00/99999999999999999999/0|2024-01=1.00/1'),
    (25, 'v1|2024-01-01 00:00:00+00|2024-01-01 00:00:00+00|"x"=92233720368547758.08/0.00/1/0|2024-01=1.00/1'),
    (26, 'v1|2024-01-01 00:00:00+00|2024-01-01 00:00:00+00|"x"=1.00/0.00/1/0|2024-13=1.00/1'),
    (27, 'v1|2024-01-01 00:00:00+00|2024-01-01 00:00:00+00||2024-01=1.00/1'),
    (28, 'v1|2024-01-01 00:00:00+00|2024-01-01 00:00:00+00|"x"=1.00/0.00/1/0|'),
    (29, 'v1|2024-01-01 00:00:00.1234567+00|2024-01-01 00:00:00+00|"x"=1.00/0.00/1/0|2024-01=1.00/1'),
    (30, 'v1|2024-01-01 24:00:00+00|2024-01-01 00:00:00+00|"x"=1.00/0.00/1/0|2024-01=1.00/1'),
    (31, 'v1|2024-01-01 00:00:00+00|2024-01-01 00:00:00+00|"x"=1.00/0.00/3000000000/0|2024-01=1.00/3000000000')
  ) AS t(n, s) ORDER BY n;
-- 65 dimensions in text
SELECT pt_err(format('SELECT %L::portrait',
    'v1|2024-01-01 00:00:00+00|2024-01-01 00:00:00+00|'
    || string_agg(format('"d%s"=1.00/0.00/1/0', lpad(i::text, 2, '0')), ';' ORDER BY i)
    || '|2024-01=65.00/65')) FROM generate_series(1, 65) i;
-- valid hand-written text is accepted and printed back unchanged
SELECT 'v1|2024-01-01 00:00:00.5+00|2024-02-01 00:00:00+00|"a\"b"=2.00/-1.00/3/1;"z"=0.00/0.00/1/0|2024-01=0.00/3;2024-02=1.00/1'::portrait;

-- binary input: hand-made values (int4send/int8send give network order)
CREATE FUNCTION pt_us(t timestamptz) RETURNS bytea LANGUAGE sql IMMUTABLE AS
    $$ SELECT int8send(((extract(epoch FROM t) - 946684800) * 1000000)::bigint) $$;
CREATE FUNCTION pt_dim(name text, pos bigint, neg bigint, ev bigint, rl bigint) RETURNS bytea
    LANGUAGE sql IMMUTABLE AS
    $$ SELECT int4send(octet_length(convert_to(name, 'UTF8'))) || convert_to(name, 'UTF8')
              || int8send(pos) || int8send(neg) || int8send(ev) || int8send(rl) $$;
CREATE FUNCTION pt_month(m int, pts bigint, ev bigint) RETURNS bytea LANGUAGE sql IMMUTABLE AS
    $$ SELECT int4send(m) || int8send(pts) || int8send(ev) $$;
CREATE FUNCTION pt_bin(ver int, f timestamptz, l timestamptz, nd int, dims bytea, nm int, months bytea)
    RETURNS bytea LANGUAGE sql IMMUTABLE AS
    $$ SELECT set_byte('\x00'::bytea, 0, ver) || pt_us(f) || pt_us(l) || int4send(nd) || dims
              || int4send(nm) || months $$;
-- a good one first (month 288 = 2024-01)
SELECT portrait_from_bytea(pt_bin(1, '2024-01-01', '2024-01-01', 1, pt_dim('x', 100, 0, 1, 0),
                                  1, pt_month(288, 100, 1)));
SELECT n, pt_err(format('SELECT portrait_from_bytea(%L::bytea)', b)) FROM (VALUES
    (1, pt_bin(2, '2024-01-01', '2024-01-01', 1, pt_dim('x', 100, 0, 1, 0), 1, pt_month(288, 100, 1))),
    (2, pt_bin(1, '2024-01-01', '2024-01-01', 0, '', 1, pt_month(288, 100, 1))),
    (3, pt_bin(1, '2024-01-01', '2024-01-01', 65, '', 1, pt_month(288, 100, 1))),
    (4, pt_bin(1, '2024-01-01', '2024-01-01', 1, pt_dim('x', 100, 0, -1, 0), 1, pt_month(288, 100, 1))),
    (5, pt_bin(1, '2024-01-01', '2024-01-01', 2, pt_dim('y', 100, 0, 1, 0) || pt_dim('x', 100, 0, 1, 0),
               1, pt_month(288, 200, 2))),
    (6, pt_bin(1, '2024-01-01', '2024-01-01', 2, pt_dim('x', 100, 0, 1, 0) || pt_dim('x', 100, 0, 1, 0),
               1, pt_month(288, 200, 2))),
    (7, pt_bin(1, '2024-01-01', '2024-01-01', 1, pt_dim('x', -100, 0, 1, 0), 1, pt_month(288, -100, 1))),
    (8, pt_bin(1, '2024-01-01', '2024-01-01', 1, pt_dim('x', 100, 0, 1, 5), 1, pt_month(288, 100, 1))),
    (9, pt_bin(1, '2024-01-01', '2024-01-01', 1, pt_dim('x', 100, 0, 1, 0), 1, pt_month(289, 100, 1))),
    (10, pt_bin(1, '2024-01-01', '2024-01-01', 1, pt_dim('x', 100, 0, 1, 0), 0, '')),
    (11, pt_bin(1, '2024-01-01', '2024-01-01', 1, pt_dim('x', 100, 0, 1, 0), 1, pt_month(288, 100, 1)) || '\x00'::bytea),
    (12, substring(pt_bin(1, '2024-01-01', '2024-01-01', 1, pt_dim('x', 100, 0, 1, 0), 1, pt_month(288, 100, 1)) FROM 1 FOR 40)),
    (13, pt_bin(1, '2024-01-01', '2024-01-01', 1, pt_dim('', 100, 0, 1, 0), 1, pt_month(288, 100, 1))),
    (14, pt_bin(1, '2024-01-01', '2024-01-01', 1, int4send(2) || '\xc328'::bytea || int8send(100) || int8send(0) || int8send(1) || int8send(0),
                1, pt_month(288, 100, 1))),
    (15, pt_bin(1, '2024-01-01', '2024-01-01', 1, pt_dim('x', 100, 0, 1, 0), 2, pt_month(288, 50, 1) || pt_month(288, 50, 0))),
    (16, pt_bin(1, '10000-01-01', '10000-01-01', 1, pt_dim('x', 100, 0, 1, 0), 1, pt_month(95988, 100, 1))),
    (17, pt_bin(1, '2024-01-01', '2024-01-01', 1, int4send(-5) || int8send(100) || int8send(0) || int8send(1) || int8send(0),
                1, pt_month(288, 100, 1))),
    (18, '\x01'::bytea),
    (19, '\x01'::bytea || int8send(9223372036854775807) || int8send(9223372036854775807) || int4send(1)
         || pt_dim('x', 100, 0, 1, 0) || int4send(1) || pt_month(288, 100, 1)),
    (20, pt_bin(1, '2024-01-01', '2024-01-01', 1, pt_dim('x', 100, 0, 3000000000, 0), 1, pt_month(288, 100, 3000000000))),
    -- a short or empty value is a malformed value (22P03), never a protocol
    -- error (08P01); so is a dimension count the value has no room for;
    -- 65 dimensions that are there exceed what a portrait holds (54000)
    (21, ''::bytea),
    (22, pt_bin(1, '2024-01-01', '2024-01-01', 2147483647, pt_dim('x', 100, 0, 1, 0), 1, pt_month(288, 100, 1))),
    (23, pt_bin(1, '2024-01-01', '2024-01-01', 65,
                (SELECT string_agg(pt_dim(format('d%s', lpad(i::text, 2, '0')), 100, 0, 1, 0), ''::bytea ORDER BY i)
                   FROM generate_series(1, 65) i),
                1, pt_month(288, 6500, 65)))
  ) AS t(n, b) ORDER BY n;

-- binary COPY round trip (server-side file, named after this cluster's port)
SELECT '/tmp/integrity_portrait_regress_' || current_setting('port') || '.bin' AS copyfile \gset
COPY pt_p TO :'copyfile' WITH (FORMAT binary);
CREATE TABLE pt_p2 (LIKE pt_p);
COPY pt_p2 FROM :'copyfile' WITH (FORMAT binary);
SELECT count(*) AS rows, count(*) FILTER (WHERE a.p::text IS NOT DISTINCT FROM b.p::text) AS equal
  FROM pt_p a JOIN pt_p2 b USING (subject);
-- a binary COPY file with a damaged value: its version byte set to 2
COPY (SELECT p FROM pt_p WHERE subject = 2) TO :'copyfile' WITH (FORMAT binary);
CREATE TABLE pt_bad (p portrait);
SELECT pt_err(format($q$COPY pt_bad FROM %L WITH (FORMAT binary)$q$, :'copyfile')) AS good_file;
-- header 19 bytes, field count 2 bytes, field length 4 bytes: the value starts at offset 25
SELECT pt_err(format($q$COPY pt_bad FROM PROGRAM %L WITH (FORMAT binary)$q$,
       format('printf ''\002'' | dd of=%s bs=1 seek=25 conv=notrunc status=none && cat %s',
              :'copyfile', :'copyfile'))) AS damaged_file;
SELECT count(*) FROM pt_bad;
SELECT pt_err(format($q$COPY (SELECT 1) TO PROGRAM %L$q$, 'cat >/dev/null; rm -f ' || :'copyfile')) AS removed;

-- parallel = serial on a table of several pages
CREATE TABLE pt_big AS
    SELECT (hashint4(i) & 1023) AS subject,
           (portrait_default_dimensions())[1 + (hashint4(i * 3) & 7)] AS dimension,
           ((hashint4(i * 5) % 5000) / 100.0)::numeric AS points,
           timestamptz '2021-01-01 00:00:00+00' + (hashint4(i * 7) & 1073741823) * interval '0.1 second' AS at
      FROM generate_series(1, 60000) i;
ANALYZE pt_big;
SELECT pg_relation_size('pt_big') > 20 * 8192 AS several_pages;
CREATE TABLE pt_serial AS
    SELECT subject, portrait(dimension, points, at) AS p FROM pt_big GROUP BY subject;
CREATE TABLE pt_serial_all AS SELECT portrait(dimension, points, at) AS p FROM pt_big;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF) SELECT subject, portrait(dimension, points, at) FROM pt_big GROUP BY subject;
EXPLAIN (COSTS OFF) SELECT portrait(dimension, points, at) FROM pt_big;
SELECT count(*) AS subjects,
       count(*) FILTER (WHERE s.p::text = q.p::text) AS equal
  FROM pt_serial s
  JOIN (SELECT subject, portrait(dimension, points, at) AS p FROM pt_big GROUP BY subject) q USING (subject);
SELECT (SELECT p::text FROM pt_serial_all) = (SELECT portrait(dimension, points, at)::text FROM pt_big)
       AS whole_table_equal;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET parallel_leader_participation;

-- ---------------------------------------------------------------------
-- 1.1: defects of 1.0 (issue 10) and the ordered grade (issue 14)
-- ---------------------------------------------------------------------

-- every sum fits: values whose totals pass +/-9999999999999999.99 are refused
-- when they are aggregated (1.0 accepted two dimensions of 9e16 points, then
-- could not print, read back or total them)
SELECT pt_err($$SELECT portrait(d, 90000000000000000.00, t::timestamptz)
                  FROM (VALUES ('a', '2024-01-01'), ('b', '2024-02-01')) v(d, t)$$) AS two_dims_9e16;
SELECT pt_err($$SELECT portrait(d, v, t::timestamptz)
                  FROM (VALUES ('a', -5000000000000000.00, '2024-01-01'),
                               ('b', -5000000000000000.00, '2024-02-01')) v(d, v, t)$$) AS negative_side;
-- up to the bound everything round-trips: text, binary, totals, trend
CREATE TABLE pt_edge AS
    SELECT portrait(d, v, t::timestamptz) AS p
      FROM (VALUES ('a', 5000000000000000.00, '2024-01-01'), ('b', 4999999999999999.99, '2024-02-01'),
                   ('c', -9999999999999999.99, '2024-03-01')) v(d, v, t);
SELECT p::text::portrait::text = p::text AS text_round_trip,
       portrait_from_bytea(portrait_send(p))::text = p::text AS binary_round_trip,
       portrait_total(p), portrait_positive(p), portrait_negative(p),
       (portrait_trend(p, '2024-03-01', 1)).change AS change_1m
  FROM pt_edge;
-- input refuses totals past the bound (text 22003, binary 22003)
SELECT pt_err($$SELECT 'v1|2024-01-01 00:00:00+00|2024-02-01 00:00:00+00|"a"=9000000000000000.00/0.00/1/0;"b"=9000000000000000.00/0.00/1/0|2024-01=9000000000000000.00/1;2024-02=9000000000000000.00/1'::portrait$$);
SELECT pt_err($$SELECT portrait_from_bytea(pt_bin(1, '2024-01-01', '2024-02-01',
                  2, pt_dim('a', 900000000000000000, 0, 1, 0) || pt_dim('b', 900000000000000000, 0, 1, 0),
                  2, pt_month(288, 900000000000000000, 1) || pt_month(289, 900000000000000000, 1)))$$);
-- months cannot gain or lose more than the dimensions hold
SELECT pt_err($$SELECT 'v1|2024-01-01 00:00:00+00|2024-02-01 00:00:00+00|"a"=1.00/0.00/2/0|2024-01=5.00/1;2024-02=-4.00/1'::portrait$$);

-- binary I/O depends on client_encoding (names travel in it): STABLE, as textsend
SELECT proname, provolatile FROM pg_proc
 WHERE proname IN ('portrait_send', 'portrait_recv', 'portrait_from_bytea') ORDER BY proname;
SELECT portrait_send(p) AS pt_send_utf8 FROM pt_p WHERE subject = 1 \gset
SET client_encoding = 'GB18030';
SELECT portrait_send(p) <> :'pt_send_utf8'::bytea AS differs_in_gb18030,
       portrait_from_bytea(portrait_send(p))::text = p::text AS round_trip_in_gb18030
  FROM pt_p WHERE subject = 1;
RESET client_encoding;

-- the text form is exactly the canonical form
SELECT n, pt_err(format('SELECT %L::portrait', t)) FROM (VALUES
    (1, 'v01|2024-01-01 00:00:00+00|2024-01-01 00:00:00+00|"a"=1.00/0.00/1/0|2024-01=1.00/1'),
    (2, 'v1|2024-01-01 00:00:00+00|2024-01-01 00:00:00+00|"a"=01.00/0.00/1/0|2024-01=1.00/1'),
    (3, 'v1|2024-01-01 00:00:00+00|2024-01-01 00:00:00+00|"a"=1.00/-0.00/1/0|2024-01=1.00/1'),
    (4, 'v1|2024-01-01 00:00:00.500000+00|2024-01-01 00:00:00.500000+00|"a"=1.00/0.00/1/0|2024-01=1.00/1'),
    (5, 'v1|2024-01-01 00:00:00+00|2024-01-01 00:00:00+00|"a"=1.00/0.00/01/0|2024-01=1.00/1'),
    (6, 'v1|2024-01-01 00:00:00+00|2024-01-01 00:00:00+00|"a"=1.00/0.00/1/00|2024-01=1.00/1'),
    (7, 'v1|2024-01-01 00:00:00+00|2024-01-01 00:00:00+00|"a"=1.00/0.00/1/0|2024-01=1.00/01'),
    (8, 'v1|2024-01-01 00:00:00+00|2024-01-01 00:00:00+00|"a"=1.00/0.00/1/0|2024-01=-0.00/1'),
    (9, 'v1|2024-01-01 00:00:00+00|2024-01-01 00:00:00+00|"a"=1.00/0.00/1/0|2024-01=+1.00/1'),
    (10, 'v1|2024-01-01 00:00:00.0+00|2024-01-01 00:00:00.0+00|"a"=1.00/0.00/1/0|2024-01=1.00/1'),
    (11, 'v1|2024-01-01 00:00:00+00|2024-01-01 00:00:00+00|"a"=1.00/0.00/1/0|2024-01=1.000/1'),
    (12, 'v1|2024-01-01 00:00:00+00|2024-01-01 00:00:00+00|"a"=10000000000000000.00/0.00/1/0|2024-01=10000000000000000.00/1')
  ) AS v(n, t) ORDER BY n;
-- canonical zeros and fractions are accepted and print back unchanged
SELECT t::portrait::text = t AS canonical FROM (VALUES
    ('v1|2024-01-01 00:00:00.5+00|2024-01-01 00:00:00.5+00|"a"=0.00/-0.01/1/0|2024-01=-0.01/1'),
    ('v1|2024-01-01 00:00:00.000001+00|2024-01-10 00:00:00.12+00|"a"=0.50/0.00/10/0|2024-01=0.50/10')
  ) AS v(t);

-- rules: amounts finite and within the bound; NULL rules are a NULL value
SELECT pt_err($$SELECT make_portrait_rules(watch_negative => 'NaN')$$);
SELECT pt_err($$SELECT make_portrait_rules(watch_drop => 'Infinity')$$);
SELECT pt_err($$SELECT make_portrait_rules(alert_below => '-Infinity')$$);
SELECT pt_err($$SELECT make_portrait_rules(alert_below => 'NaN', watch_below => 'NaN', exemplar_from => 'NaN')$$);
SELECT pt_err($$SELECT make_portrait_rules(exemplar_from => 10000000000000000)$$);
SELECT pt_err($$SELECT ROW(NULL, NULL, NULL, NULL, NULL, NULL, NULL)::portrait_rules$$);
SELECT NULL::portrait_rules IS NULL AS null_rules;
CREATE TABLE pt_rules (year int, rules portrait_rules);
INSERT INTO pt_rules VALUES (2023, NULL), (2024, make_portrait_rules(watch_negative => 500));
SELECT year, rules FROM pt_rules ORDER BY year;
-- a deduction of 500 is tagged with the default rules; NULL rules give NULL
SELECT r.year, portrait_tags(q.p, NULL, r.rules) AS tags, portrait_grade(q.p, NULL, r.rules) AS grade
  FROM (SELECT portrait('x', -500, '2024-01-01') AS p) q, pt_rules r ORDER BY r.year;
SELECT portrait_tags(portrait('x', -500, '2024-01-01')) AS default_rules;

-- finer than a hundredth: 22023, hint round(points, 2)
DO $$
BEGIN
    PERFORM portrait('x', 1.005, '2024-01-01');
EXCEPTION WHEN OTHERS THEN
    DECLARE h text;
    BEGIN
        GET STACKED DIAGNOSTICS h = PG_EXCEPTION_HINT;
        RAISE NOTICE '% | %', SQLSTATE, h;
    END;
END $$;

-- the grade as an ordered type: risk_grade, low to high risk
SELECT enumlabel, enumsortorder FROM pg_enum WHERE enumtypid = 'risk_grade'::regtype ORDER BY enumsortorder;
SELECT subject, portrait_risk(p) AS risk, portrait_grade(p) AS grade
  FROM pt_p ORDER BY portrait_risk(p) DESC, subject;
SELECT portrait_risk(NULL::portrait) IS NULL AS null_risk,
       portrait_risk(p) = 'exemplar' AS equals_literal, portrait_risk(p) < 'normal' AS below_normal
  FROM pt_p WHERE subject = 2;
-- portrait_risk and portrait_grade agree everywhere (1024 subjects, four rule sets)
SELECT count(*) AS cases,
       count(*) FILTER (WHERE portrait_risk(s.p, a.as_of, a.rules)::text = portrait_grade(s.p, a.as_of, a.rules)) AS agree,
       count(DISTINCT portrait_risk(s.p, a.as_of, a.rules)) AS grades
  FROM pt_serial s,
       (VALUES (NULL::timestamptz, make_portrait_rules()),
               ('2022-12-31', make_portrait_rules(alert_redlines => 1000, alert_below => -400, watch_below => -100, watch_negative => 10000, exemplar_from => 50)),
               ('2023-06-30', make_portrait_rules(alert_redlines => 1000, alert_below => -1000, watch_below => -1000, watch_negative => 10000, exemplar_from => -1000, watch_drop => 300)),
               (NULL, make_portrait_rules(alert_redlines => 1000, alert_below => -1000, watch_below => 0, watch_negative => 10000, exemplar_from => 100))) AS a(as_of, rules);

DROP TABLE pt_edge, pt_rules;
DROP TABLE pt_events, pt_p, pt_p2, pt_bad, pt_big, pt_serial, pt_serial_all;
DROP FUNCTION pt_err(text), pt_us(timestamptz), pt_dim(text, bigint, bigint, bigint, bigint),
    pt_month(int, bigint, bigint), pt_bin(int, timestamptz, timestamptz, int, bytea, int, bytea);
