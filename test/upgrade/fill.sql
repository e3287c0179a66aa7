-- test/upgrade/fill.sql — user objects that a 1.0 database holds: a column
-- of every type, indexes, constraints and views over the functions.  Run
-- against 1.0 before ALTER EXTENSION UPDATE and against a fresh install; it
-- uses only the 1.0 API.
\set ON_ERROR_STOP 1
CREATE TABLE up_scores (
    id      int PRIMARY KEY,
    s       iscore NOT NULL,
    g       grade,
    rules   scheme,
    a       assessment,
    p       portrait,
    who     cnid UNIQUE,
    org     uscc,
    CHECK (total(s, scheme()) >= 0)
);
CREATE INDEX up_scores_s ON up_scores (s);
CREATE INDEX up_scores_s_hash ON up_scores USING hash (s);
CREATE INDEX up_scores_org ON up_scores USING hash (org);

INSERT INTO up_scores
SELECT g,
       iscore(g * 1.25, (g % 7)::numeric, (g % 11 = 0)::int),
       (ARRAY['red','yellow','blue','green']::grade[])[1 + g % 4],
       CASE WHEN g % 2 = 0 THEN scheme() END,
       CASE WHEN g % 3 = 0 THEN NULL ELSE
         (SELECT assess(x.who, iscore(70 + g % 30, 1, 0), scheme())
            FROM (VALUES ('self'), ('inspection'), ('third_party')) x(who)) END,
       (SELECT portrait(d, g % 13 - 6, date '2024-01-01' + g)
          FROM unnest(ARRAY['compliance','red_line','promotion']) d),
       cnid_from_parts(110101, date '1960-01-01' + g * 37, g),
       '91350100M000100Y43'::uscc
  FROM generate_series(1, 60) g;

CREATE TABLE up_bans (
    subject cnid NOT NULL,
    valid   daterange NOT NULL,
    EXCLUDE USING gist (subject WITH =, valid WITH &&)
);
INSERT INTO up_bans SELECT who, daterange(date '2020-01-01' + id, NULL) FROM up_scores WHERE id % 5 = 0;
CREATE INDEX ON up_bans (subject);

CREATE VIEW up_league AS
SELECT id, total(s, scheme()) AS total, grade(s, scheme()) AS grade,
       base(s), bonus(s), redlines(s), cnid_mask(who) AS who,
       listed(who, 'up_bans', date '2024-06-01') AS banned,
       portrait_total(p) AS ptotal
  FROM up_scores;

CREATE VIEW up_summary AS
SELECT sum(s) AS s, avg(s) AS a, count(*) FILTER (WHERE g = 'green') AS greens,
       (integrity_index(a, scheme())).value AS idx
  FROM up_scores;

-- a user's own aggregate and domain built on the extension's functions: the
-- update (which moves the extension's helpers by a rule over aggregates and
-- domain CHECKs) must leave iscore_plus and is_valid_uscc where they are
CREATE AGGREGATE up_plus(iscore) (SFUNC = iscore_plus, STYPE = iscore);
CREATE DOMAIN up_org_text AS text CHECK (is_valid_uscc(VALUE));
CREATE VIEW up_user_objects AS
SELECT up_plus(s) AS plus, (SELECT '91350100M000100Y43'::up_org_text) AS org FROM up_scores;

-- portraits' rules stored in a column, and a view over the grade and tags
-- (1.1 re-implements them in C and re-creates the rules' constraints)
CREATE TABLE up_portrait_rules (year int PRIMARY KEY, rules portrait_rules NOT NULL);
INSERT INTO up_portrait_rules VALUES (2023, make_portrait_rules()),
    (2024, make_portrait_rules(alert_redlines => 2, watch_negative => 5.5, trend_months => 6));
CREATE VIEW up_portrait_grades AS
SELECT s.id, r.year, portrait_grade(s.p, timestamptz '2024-06-30 00:00+00', r.rules) AS grade,
       portrait_tags(s.p, timestamptz '2024-06-30 00:00+00', r.rules) AS tags
  FROM up_scores s, up_portrait_rules r;
