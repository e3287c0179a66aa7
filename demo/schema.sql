-- demo/schema.sql — the reference model: a regulator's own tables.
--
-- Not part of the extension: a finance regulator (a district finance work
-- centre up to a provincial bureau) owns these tables and runs the
-- extension's types, aggregates and screening over them.  Everything lives in
-- the schema `regulator`.  Needs: CREATE EXTENSION integrity, btree_gist.
--
-- Load order (demo/load.sh does it):
--   schema.sql       tables, primary keys, checks, the indicator catalogue
--   generate.sql     the deterministic data generator, CALL regulator.generate(...)
--   constraints.sql  foreign keys, secondary indexes, the exclusion constraint
--                    (added after the bulk load, as a DBA would), ANALYZE
-- The report queries are in demo/report/*.sql.

CREATE SCHEMA regulator;
COMMENT ON SCHEMA regulator IS 'reference model of a finance regulator''s integrity data (demo)';

-- Institutions (金融机构): banks, insurers, securities firms, private lending.
CREATE TABLE regulator.institution (
    id        integer PRIMARY KEY,
    uscc      uscc NOT NULL UNIQUE,                  -- 统一社会信用代码
    name      text NOT NULL,
    sector    text NOT NULL CHECK (sector IN ('bank', 'insurance', 'securities', 'private_lending')),
    district  text NOT NULL,
    assets    numeric(16, 2) NOT NULL CHECK (assets >= 0 AND assets <> 'NaN'),   -- 万元 (10k yuan)
    staff     integer NOT NULL CHECK (staff >= 0),
    UNIQUE (district, name)
);

-- Rules by effective date (评分方案 and 创建规范 change every year; published
-- results must not).  Every assessment campaign (测评年度) is computed under
-- the rules in force on 1 January of its year: the scheme version and the
-- indicator versions whose `effective` range contains that day.  Versions
-- never overlap (exclusion constraints); publishing next year's rules ends
-- the open version's range and inserts a new one (README "Rules by year"),
-- and a trigger refuses any change to a version that a published year used.

-- Assessment campaigns: one per year; `published` once its results are.
CREATE TABLE regulator.assessment_year (
    year      integer PRIMARY KEY CHECK (year BETWEEN 2000 AND 2100),
    published date
);

-- A scheme version: the rules as a `scheme` value, in force over `effective`.
CREATE TABLE regulator.scheme_version (
    id        integer PRIMARY KEY,
    rules     scheme NOT NULL,
    effective daterange NOT NULL CHECK (NOT isempty(effective) AND lower(effective) IS NOT NULL),
    published date NOT NULL,
    note      text,
    EXCLUDE USING gist (effective WITH &&)
);

-- The creation standard (创建规范), shaped like "10 items, 27 norms": a norm
-- is identified by its code for good; what it says, its class (basic /
-- bonus / red line) and its full marks are versioned by effective date.
CREATE TABLE regulator.norm (
    code        text PRIMARY KEY CHECK (code ~ '^[0-9]{1,2}\.[0-9]$')   -- "item.norm"
);
CREATE TABLE regulator.indicator_version (
    code        text NOT NULL REFERENCES regulator.norm,
    effective   daterange NOT NULL CHECK (NOT isempty(effective) AND lower(effective) IS NOT NULL),
    item        integer NOT NULL CHECK (item BETWEEN 1 AND 10),
    item_title  text NOT NULL,
    norm        integer NOT NULL CHECK (norm BETWEEN 1 AND 9),
    title       text NOT NULL,
    class       text NOT NULL CHECK (class IN ('basic', 'bonus', 'redline')),
    full_marks  numeric(6, 2) NOT NULL CHECK (full_marks >= 0 AND full_marks <> 'NaN'),
    CHECK ((class = 'redline') = (full_marks = 0)),
    PRIMARY KEY (code, effective),
    EXCLUDE USING gist (code WITH =, effective WITH &&)
);

-- The rules each campaign year is computed under.
CREATE VIEW regulator.scheme_year AS
SELECT y.year, v.rules, v.published, v.id AS version, y.published AS results_published
FROM regulator.assessment_year y
JOIN regulator.scheme_version v ON v.effective @> make_date(y.year, 1, 1);
COMMENT ON VIEW regulator.scheme_year IS
    'per campaign year: the scheme version in force on 1 January of the year';

CREATE VIEW regulator.indicator_year AS
SELECT y.year, iv.code, iv.item, iv.item_title, iv.norm, iv.title, iv.class, iv.full_marks, iv.effective
FROM regulator.assessment_year y
JOIN regulator.indicator_version iv ON iv.effective @> make_date(y.year, 1, 1);
COMMENT ON VIEW regulator.indicator_year IS
    'per campaign year: the indicator catalogue (norms, classes, full marks) in force on 1 January of the year';

-- A version that a published year was computed under is frozen: it may not
-- be deleted, nor changed except by ending its range after every published
-- year it serves (which is how next year's rules are published).
CREATE FUNCTION regulator.guard_published_rules() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    y integer;
BEGIN
    FOR y IN SELECT ay.year FROM regulator.assessment_year ay
             WHERE ay.published IS NOT NULL AND OLD.effective @> make_date(ay.year, 1, 1)
             ORDER BY ay.year
    LOOP
        IF TG_OP = 'DELETE'
           OR NOT NEW.effective @> make_date(y, 1, 1)
           OR (to_jsonb(NEW) - 'effective') IS DISTINCT FROM (to_jsonb(OLD) - 'effective') THEN
            RAISE EXCEPTION 'the rules of % were used by the published year %', TG_TABLE_NAME, y
                USING ERRCODE = 'integrity_constraint_violation',
                      HINT = 'Publish new rules as a new version from 1 January of the next year; end the old version''s range there.';
        END IF;
    END LOOP;
    RETURN NULL;
END $$;
CREATE TRIGGER scheme_version_frozen AFTER UPDATE OR DELETE ON regulator.scheme_version
    FOR EACH ROW EXECUTE FUNCTION regulator.guard_published_rules();
CREATE TRIGGER indicator_version_frozen AFTER UPDATE OR DELETE ON regulator.indicator_version
    FOR EACH ROW EXECUTE FUNCTION regulator.guard_published_rules();

-- Scores per institution, year, assessor and norm (一机构一表、一年一测评).
-- Basic and bonus norms carry points; a red-line norm carries the number of
-- hits the assessor found.
CREATE TABLE regulator.assessment_result (
    institution_id integer NOT NULL,
    year           integer NOT NULL,
    assessor       text NOT NULL CHECK (assessor IN ('self', 'inspection', 'third_party')),
    indicator      text NOT NULL,
    points         numeric(6, 2) NOT NULL CHECK (points >= 0 AND points <> 'NaN'),
    PRIMARY KEY (institution_id, year, assessor, indicator)
);

-- Employees (员工): one row per employment; a person (cnid) who moves to
-- another institution has a second row.
CREATE TABLE regulator.employee (
    id             bigint PRIMARY KEY,
    cnid           cnid NOT NULL,                     -- 居民身份证号码
    name           text,                              -- 姓名, as in the personnel file
    institution_id integer NOT NULL,
    position       text NOT NULL,
    hired          date NOT NULL,
    left_on        date,
    cadre          boolean NOT NULL DEFAULT false,     -- 干部 (has an integrity archive)
    CHECK (left_on IS NULL OR left_on > hired),
    UNIQUE (cnid, institution_id, hired)
);

-- The eight modules of employee clean points (dimensions are data).
CREATE TABLE regulator.module (
    name      text PRIMARY KEY,
    english   text NOT NULL UNIQUE,
    ord       integer NOT NULL UNIQUE
);
INSERT INTO regulator.module VALUES
    ('清廉建设', 'integrity building', 1), ('清廉宣传', 'promotion', 2),
    ('员工管理', 'staff management', 3), ('合规建设', 'compliance', 4),
    ('纪检监察', 'discipline inspection', 5), ('重点工作', 'key tasks', 6),
    ('红线', 'red line', 7), ('黑名单', 'blacklist', 8),
    -- not one of the eight: fed by the early-warning rules (regulator.warning_events)
    ('预警', 'early warning', 9);

-- Events (积分事项): violations (negative points) and positive actions.
CREATE TABLE regulator.event (
    id          bigint PRIMARY KEY,
    employee_id bigint NOT NULL,
    module      text NOT NULL,
    points      numeric(6, 2) NOT NULL CHECK (points <> 0 AND points <> 'NaN'),
    at          timestamptz NOT NULL,
    source      text NOT NULL CHECK (source IN ('accounting_audit', 'credit_audit', 'complaint',
                                               'discipline_inspection', 'training', 'integrity_archive'))
);

-- Blacklist entries (黑名单): people banned from the industry (禁业/禁入),
-- dishonest debtors, institutions' own published lists.  No two entries of
-- one person on one list may overlap in time (exclusion constraint in
-- constraints.sql: cnid's GiST opclass, btree_gist for the text column).
-- Subject first, validity second: the table itself is a list for
-- listed(subject, 'regulator.blacklist', at), with a blacklist index
-- (constraints.sql).
CREATE TABLE regulator.blacklist (
    subject     cnid NOT NULL,
    valid       daterange NOT NULL CHECK (NOT isempty(valid) AND lower(valid) IS NOT NULL),
    id          bigint PRIMARY KEY,
    list        text NOT NULL CHECK (list IN ('industry_ban', 'dishonest_debtor', 'internal')),
    reason      text NOT NULL,
    listed_by   integer              -- the institution that reported the case, if any
);

-- The feedback code (清廉码): ratings, feedback and complaints from customers.
CREATE TABLE regulator.feedback (
    id             bigint PRIMARY KEY,
    institution_id integer NOT NULL,
    employee_id    bigint,                                   -- when the customer named one
    kind           text NOT NULL CHECK (kind IN ('rating', 'feedback', 'complaint')),
    at             timestamptz NOT NULL,
    rating         smallint CHECK (rating BETWEEN 1 AND 5),  -- 1..5 stars
    verified       boolean,                                  -- complaints: confirmed by the back office
    CHECK ((kind = 'rating') = (rating IS NOT NULL)),
    CHECK (kind = 'complaint' OR verified IS NULL)
);

-- The creation standard: 10 items, 27 norms, in force since 2020.  Basic
-- norms sum to 100 full marks; bonus norms (item 9) to 15, of which the
-- scheme counts at most its bonus cap; item 10 holds the red lines.
CREATE TEMP TABLE standard_2020 (code text, item integer, item_title text, norm integer, title text,
                                 class text, full_marks numeric(6, 2));
INSERT INTO standard_2020 (code, item, item_title, norm, title, class, full_marks) VALUES
 ('1.1', 1, '组织领导 leadership',            1, '党委主体责任、一岗双责 party committee responsibility',      'basic', 5),
 ('1.2', 1, '组织领导 leadership',            2, '清廉金融领导小组 leading group',                            'basic', 4),
 ('1.3', 1, '组织领导 leadership',            3, '年度工作计划 annual plan',                                   'basic', 4),
 ('2.1', 2, '制度建设 rules',                 1, '廉洁制度体系 integrity rulebook',                             'basic', 5),
 ('2.2', 2, '制度建设 rules',                 2, '行为负面清单 negative-behaviour list',                        'basic', 5),
 ('2.3', 2, '制度建设 rules',                 3, '制度执行检查 enforcement checks',                             'basic', 4),
 ('3.1', 3, '权力监督 oversight of power',     1, '"三重一大"决策监督 major decisions',                          'basic', 5),
 ('3.2', 3, '权力监督 oversight of power',     2, '关键岗位轮岗 rotation of key posts',                          'basic', 4),
 ('3.3', 3, '权力监督 oversight of power',     3, '干部廉政档案 cadre integrity archives',                       'basic', 5),
 ('4.1', 4, '廉洁风险防控 risk control',       1, '廉洁风险点排查 risk-point review',                            'basic', 5),
 ('4.2', 4, '廉洁风险防控 risk control',       2, '专项风险排查 special reviews',                                'basic', 4),
 ('4.3', 4, '廉洁风险防控 risk control',       3, '风险预警 early warning',                                      'basic', 5),
 ('5.1', 5, '员工行为管理 staff conduct',       1, '员工清廉积分 employee clean points',                          'basic', 5),
 ('5.2', 5, '员工行为管理 staff conduct',       2, '异常行为排查 abnormal-behaviour checks',                      'basic', 4),
 ('5.3', 5, '员工行为管理 staff conduct',       3, '家访与谈话 visits and talks',                                 'basic', 4),
 ('6.1', 6, '清廉文化 clean culture',           1, '警示教育 warning education',                                  'basic', 5),
 ('6.2', 6, '清廉文化 clean culture',           2, '清廉宣传阵地 promotion sites',                                'basic', 4),
 ('6.3', 6, '清廉文化 clean culture',           3, '廉洁知识测试 integrity quizzes',                              'basic', 5),
 ('7.1', 7, '阳光业务 clean business',          1, '阳光信贷"六公开" open credit',                                'basic', 5),
 ('7.2', 7, '阳光业务 clean business',          2, '清廉码与投诉处理 feedback code and complaints',               'basic', 4),
 ('8.1', 8, '纪检监察 discipline inspection',   1, '纪检队伍 inspection staff',                                   'basic', 5),
 ('8.2', 8, '纪检监察 discipline inspection',   2, '问责与通报 accountability',                                   'basic', 4),
 ('9.1', 9, '特色创建 distinctive initiatives',  1, '清廉示范点 demonstration site',                               'bonus', 5),
 ('9.2', 9, '特色创建 distinctive initiatives',  2, '数智监督平台 digital supervision',                            'bonus', 5),
 ('9.3', 9, '特色创建 distinctive initiatives',  3, '上级表彰 commendations',                                      'bonus', 5),
 ('10.1', 10, '红线 red lines',                  1, '重大违纪违法案件 major case of corruption or crime',          'redline', 0),
 ('10.2', 10, '红线 red lines',                  2, '瞒报、迟报案件 concealing or late reporting of a case',      'redline', 0);
INSERT INTO regulator.norm SELECT code FROM standard_2020;
INSERT INTO regulator.indicator_version (code, effective, item, item_title, norm, title, class, full_marks)
SELECT code, daterange('2020-01-01', NULL), item, item_title, norm, title, class, full_marks FROM standard_2020;
DROP TABLE standard_2020;

-- Each institution's composed assessment per year: the three assessors'
-- norm rows summed into one iscore each (iscore_agg), then weighted by the
-- year's scheme (assess).  Used by the report queries; the extension types
-- stay inside the queries, which return plain SQL types.
CREATE VIEW regulator.institution_year AS
SELECT per.institution_id, per.year, s.rules,
       assess(per.assessor, per.score, s.rules) AS a
FROM (SELECT a.institution_id, a.year, a.assessor,
             iscore_agg(i.class, a.points) AS score
      FROM regulator.assessment_result a
      JOIN regulator.indicator_year i ON i.year = a.year AND i.code = a.indicator
      GROUP BY a.institution_id, a.year, a.assessor) per
JOIN regulator.scheme_year s ON s.year = per.year
GROUP BY per.institution_id, per.year, s.rules;
COMMENT ON VIEW regulator.institution_year IS
    'per institution and year: the scheme in force for the year and the composed assessment of the three assessors under the year''s catalogue';

-- "Why this grade?" (评分说明): the lines behind one institution's published
-- score for one year, computed from the assessment rows with plain numeric
-- arithmetic, independently of the extension's aggregates, so that each
-- figure can be checked by hand and the lines reconcile exactly with the
-- published total, grade and index contribution (sql/supervision.sql tests
-- it for every institution of the demo).  Steps, in order:
--   norm      one line per assessor and norm: the points (a red-line norm:
--             the hits), with the norm's class and full marks in force
--   assessor  per assessor: basic points, bonus points and red-line hits
--             (the sums of its norm lines), its weight in the scheme and its
--             renormalised weight over the assessors present
--   composed  base and bonus: sum(weight x points) / sum(weights), rounded
--             half-even to 0.01; red lines: the most hits any assessor found
--   cap       the bonus counted: least(bonus, the scheme's bonus cap)
--   veto      only when a red line was hit: which norms, found by whom
--   total     base + counted bonus, or 0 when vetoed
--   grade     the grade and the threshold crossed (red when vetoed)
--   index     the points on the index scale, 100 x total / (full marks + cap),
--             the institution's share of the year's unweighted index and its
--             contribution (points x share); excluded when the scheme's rule
--             excludes vetoed institutions
CREATE FUNCTION regulator.explain_score(p_institution integer, p_year integer)
RETURNS TABLE (line integer, step text, assessor text, code text, class text,
               value numeric, detail text)
LANGUAGE sql STABLE AS $$
WITH rules AS (
    SELECT s.rules, (s.rules).bonus_cap AS cap, (s.rules).full_marks AS full_marks,
           (s.rules).green AS green, (s.rules).blue AS blue, (s.rules).yellow AS yellow,
           (s.rules).redline AS redline_rule, s.version
    FROM regulator.scheme_year s WHERE s.year = p_year),
norm AS (
    SELECT a.assessor, a.indicator AS code, i.class, i.full_marks, i.title, a.points,
           CASE a.assessor WHEN 'self' THEN 1 WHEN 'inspection' THEN 2 ELSE 3 END AS ord,
           i.item, i.norm
    FROM regulator.assessment_result a
    JOIN regulator.indicator_year i ON i.year = a.year AND i.code = a.indicator
    WHERE a.institution_id = p_institution AND a.year = p_year),
per AS (
    SELECT n.assessor, n.ord,
           sum(n.points) FILTER (WHERE n.class = 'basic') AS base,
           coalesce(sum(n.points) FILTER (WHERE n.class = 'bonus'), 0) AS bonus,
           coalesce(sum(n.points) FILTER (WHERE n.class = 'redline'), 0)::integer AS hits,
           CASE n.assessor WHEN 'self' THEN (r.rules).w_self
                           WHEN 'inspection' THEN (r.rules).w_inspection
                           ELSE (r.rules).w_third_party END AS w
    FROM norm n CROSS JOIN rules r
    GROUP BY n.assessor, n.ord, r.rules),
sums AS (
    SELECT sum(w) AS sw, sum(w * base) AS swb, sum(w * bonus) AS swo, max(hits) AS hits
    FROM per),
comp AS (
    SELECT round_half_even(swb / sw, 2) AS base, round_half_even(swo / sw, 2) AS bonus, hits
    FROM sums),
fin AS (
    SELECT c.base, c.bonus, least(c.bonus, r.cap) AS counted, c.hits, r.*,
           CASE WHEN c.hits > 0 THEN 0.00 ELSE c.base + least(c.bonus, r.cap) END AS total
    FROM comp c CROSS JOIN rules r),
year_index AS (
    -- the institutions the year's unweighted index counts
    SELECT count(*) FILTER (WHERE NOT (redlines(score(iy.a)) > 0 AND (iy.rules).redline = 'exclude')) AS n
    FROM regulator.institution_year iy WHERE iy.year = p_year),
lines AS (
    SELECT 1 AS s, ord, n.item, n.norm, 'norm' AS step, n.assessor, n.code, n.class, n.points AS value,
           CASE WHEN n.class = 'redline' THEN format('%s red-line hit(s): %s', n.points::integer, n.title)
                ELSE format('%s of %s: %s', n.points, n.full_marks, n.title) END AS detail
    FROM norm n
    UNION ALL
    SELECT 2, p.ord, 0, 1, 'assessor', p.assessor, NULL, 'basic', p.base,
           format('basic points of %s (sum of its basic norm lines)', p.assessor) FROM per p
    UNION ALL
    SELECT 2, p.ord, 0, 2, 'assessor', p.assessor, NULL, 'bonus', p.bonus,
           format('bonus points of %s, before the cap', p.assessor) FROM per p
    UNION ALL
    SELECT 2, p.ord, 0, 3, 'assessor', p.assessor, NULL, 'redline', p.hits,
           format('red-line hits found by %s', p.assessor) FROM per p
    UNION ALL
    SELECT 2, p.ord, 0, 4, 'assessor', p.assessor, NULL, 'weight', p.w,
           format('weight of %s in scheme version %s; renormalised over the %s assessor(s) present: %s / %s = %s',
                  p.assessor, (SELECT version FROM rules), (SELECT count(*) FROM per), p.w, s.sw,
                  round(p.w / s.sw, 6))
    FROM per p CROSS JOIN sums s
    UNION ALL
    SELECT 3, 0, 0, 1, 'composed', NULL, NULL, 'basic', c.base,
           format('sum(weight x basic) / sum(weights) = %s / %s, rounded half-even to 0.01', s.swb, s.sw)
    FROM comp c CROSS JOIN sums s
    UNION ALL
    SELECT 3, 0, 0, 2, 'composed', NULL, NULL, 'bonus', c.bonus,
           format('sum(weight x bonus) / sum(weights) = %s / %s, rounded half-even to 0.01', s.swo, s.sw)
    FROM comp c CROSS JOIN sums s
    UNION ALL
    SELECT 3, 0, 0, 3, 'composed', NULL, NULL, 'redline', c.hits,
           'red-line hits: the most any one assessor found'
    FROM comp c
    UNION ALL
    SELECT 4, 0, 0, 1, 'cap', NULL, NULL, 'bonus', f.counted,
           format('bonus counted: least(%s, bonus cap %s)', f.bonus, f.cap)
    FROM fin f
    UNION ALL
    SELECT 5, 0, 0, 1, 'veto', NULL, NULL, 'redline', f.hits,
           format('red line hit (%s): zero tolerance, the total is 0%s',
                  (SELECT string_agg(format('%s by %s', x.code, x.who), '; ' ORDER BY x.code)
                   FROM (SELECT n.code, string_agg(n.assessor, ', ' ORDER BY n.ord) AS who
                         FROM norm n WHERE n.class = 'redline' AND n.points > 0 GROUP BY n.code) x),
                  CASE WHEN f.redline_rule = 'exclude' THEN ' and the institution is left out of the index' ELSE '' END)
    FROM fin f WHERE f.hits > 0
    UNION ALL
    SELECT 6, 0, 0, 1, 'total', NULL, NULL, NULL, f.total,
           CASE WHEN f.hits > 0 THEN 'vetoed by a red line: 0'
                ELSE format('base %s + bonus counted %s', f.base, f.counted) END
    FROM fin f
    UNION ALL
    SELECT 7, 0, 0, 1, 'grade', NULL, NULL, g.grade, NULL,
           CASE WHEN f.hits > 0 THEN 'red: vetoed by a red line'
                WHEN g.grade = 'green' THEN format('green: %s >= %s', f.total, f.green)
                WHEN g.grade = 'blue' THEN format('blue: %s >= %s (green needs %s)', f.total, f.blue, f.green)
                WHEN g.grade = 'yellow' THEN format('yellow: %s >= %s (blue needs %s)', f.total, f.yellow, f.blue)
                ELSE format('red: %s < %s (yellow needs %s)', f.total, f.yellow, f.yellow) END
    FROM fin f CROSS JOIN LATERAL (SELECT CASE WHEN f.hits > 0 THEN 'red'
                                              WHEN f.total >= f.green THEN 'green'
                                              WHEN f.total >= f.blue THEN 'blue'
                                              WHEN f.total >= f.yellow THEN 'yellow' ELSE 'red' END AS grade) g
    UNION ALL
    SELECT 8, 0, 0, 1, 'index', NULL, NULL, 'points', 100 * f.total / (f.full_marks + f.cap),
           format('index points: 100 x %s / (%s + %s)', f.total, f.full_marks, f.cap)
    FROM fin f
    UNION ALL
    SELECT 8, 0, 0, 2, 'index', NULL, NULL, 'contribution',
           CASE WHEN f.hits > 0 AND f.redline_rule = 'exclude' THEN NULL
                ELSE 100 * f.total / (f.full_marks + f.cap) / yi.n END,
           CASE WHEN f.hits > 0 AND f.redline_rule = 'exclude' THEN 'excluded from the index by the scheme''s red-line rule'
                ELSE format('contribution to the %s index: index points x 1/%s (one of %s institutions, equal weights)',
                            p_year, yi.n, yi.n) END
    FROM fin f CROSS JOIN year_index yi)
SELECT (row_number() OVER (ORDER BY s, ord, item, norm))::integer, step, assessor, code, class, value, detail
FROM lines
ORDER BY 1
$$;
COMMENT ON FUNCTION regulator.explain_score(integer, integer) IS
    'the lines behind an institution''s published score for a year: norms, assessors, weights, cap, veto, total, grade, index contribution';

-- ====================================================================
-- The screening workflow (issue 12): the lists and every publication of
-- them, reviewed decisions on hits, and the append-only audit of screening
-- runs.  Uses the extension's to_cnid() to clean batch identifiers and
-- cnid_mask() in every audit view others may read.
-- ===========================================================================

-- The lists screened against.
-- A list published by name (by_name) gives names, masked ID numbers or none
-- (regulator.name_entry); the others give full numbers (regulator.blacklist).
CREATE TABLE regulator.list (
    name       text PRIMARY KEY,
    title      text NOT NULL,
    authority  text NOT NULL,
    by_name    boolean NOT NULL DEFAULT false
);
INSERT INTO regulator.list VALUES
    ('industry_ban', '禁业/禁入 industry and market bans', 'financial regulators', false),
    ('dishonest_debtor', '失信被执行人 dishonest judgement debtors', 'people''s courts', false),
    ('internal', '机构黑名单 institutions'' own published lists', 'institutions', false),
    ('debtor_names', '失信被执行人名单（公布版） dishonest debtors as the courts publish them: name and masked ID number',
     'people''s courts', true),
    ('ban_names', '禁业/禁入公告 industry bans as published: name, institution, decision number, a masked ID number or none',
     'financial regulators and associations', true);

-- List publications.  A list is republished every month; the regulator
-- keeps every publication.  An entry of regulator.blacklist carries, beside
-- its validity (valid: when the person is banned), the date of the
-- publication that first recorded it in this version (recorded_from); a
-- version that a later publication changed or withdrew moves to
-- regulator.blacklist_history with recorded_until, the date of that
-- publication.  "The list as published on P" is every version with
-- recorded_from <= P < recorded_until: regulator.blacklist_version.
ALTER TABLE regulator.blacklist ADD COLUMN recorded_from date NOT NULL DEFAULT current_date;
COMMENT ON COLUMN regulator.blacklist.recorded_from IS
    'date of the publication that first recorded this version of the entry (transaction time; valid is the ban''s own time)';

CREATE TABLE regulator.blacklist_history (
    id             bigint NOT NULL,
    subject        cnid NOT NULL,
    list           text NOT NULL,
    reason         text NOT NULL,
    valid          daterange NOT NULL,
    listed_by      integer,
    recorded_from  date NOT NULL,
    recorded_until date NOT NULL,
    CHECK (recorded_until > recorded_from)
);
CREATE INDEX blacklist_history_subject_idx ON regulator.blacklist_history (subject);
COMMENT ON TABLE regulator.blacklist_history IS
    'superseded versions of blacklist entries: recorded from one publication until the publication that changed or withdrew them';

CREATE TABLE regulator.list_publication (
    list       text NOT NULL REFERENCES regulator.list,
    published  date NOT NULL,
    entries    integer NOT NULL CHECK (entries >= 0),   -- versions recorded in this publication
    added      integer NOT NULL CHECK (added >= 0),     -- new or changed since the previous one
    removed    integer NOT NULL CHECK (removed >= 0),   -- changed or withdrawn since the previous one
    PRIMARY KEY (list, published)
);
COMMENT ON TABLE regulator.list_publication IS 'every publication of every list, with its size and changes';

-- Lists published by name (issue 21).  The court's list of dishonest
-- debtors gives a name and an ID number with the birth date masked
-- (3303241976****2118); an industry ban the name, the institution the
-- decision names and the decision's number, often no ID number at all.
-- One row per version of an entry as published: recorded from the
-- publication that first carried it until the one that changed or withdrew
-- it (NULL: still published).  Screened by name_keys (stored: keys, with a
-- GIN index; after an ICU major upgrade, UPDATE ... SET name = name) and,
-- where the mask shows region and sequence, by masked_cnid_block (a btree):
-- index lookups per screened person, never a scan of the list.
CREATE TABLE regulator.name_entry (
    id             bigint NOT NULL,
    list           text NOT NULL REFERENCES regulator.list,
    name           text NOT NULL CHECK (name <> ''),
    masked         masked_cnid,        -- as published; NULL: no number
    institution_id integer,            -- the institution the decision names, if any
    decision       text,               -- 案号 / 文号, the decision's number
    reason         text NOT NULL,
    valid          daterange NOT NULL CHECK (NOT isempty(valid) AND lower(valid) IS NOT NULL),
    recorded_from  date NOT NULL,
    recorded_until date CHECK (recorded_until > recorded_from),
    keys           bigint[] GENERATED ALWAYS AS (name_keys(name)) STORED,   -- the name's join keys
    PRIMARY KEY (id, recorded_from)
);
CREATE INDEX name_entry_block_idx ON regulator.name_entry (masked_cnid_block(masked));
-- name keys where a number is given but the block key cannot serve (a mask
-- hiding the region or the sequence): any name evidence may count there
-- (see regulator.screening_matches).  Without fastupdate: entries arrive by
-- INSERT and are looked up at once, and a pending list is scanned whole by
-- every lookup (6 ms each at 100k entries until a VACUUM merged it).
CREATE INDEX name_entry_keys_idx ON regulator.name_entry USING gin (keys) WITH (fastupdate = off)
    WHERE masked IS NOT NULL AND masked_cnid_block(masked) IS NULL;
-- entries without a number that name an institution: only the same name
-- after name_normalize can reach the threshold there (45 + 25), and the
-- same normalised name has the same keys, so they are looked up by
-- equality of all the keys (a GIN lookup by any shared key found ~680
-- entries per person at province scale to keep a handful)
CREATE INDEX name_entry_name_idx ON regulator.name_entry (keys)
    WHERE masked IS NULL AND institution_id IS NOT NULL;
-- the entries with a number the block key cannot find that show the whole
-- birth date: the number may give up to 53 (one region digit hidden), so a
-- two-character name one character different (20, no name key in common)
-- can reach the threshold; candidates by the birth date, whatever their name
CREATE INDEX name_entry_birth_idx ON regulator.name_entry (substr(masked::text, 7, 8))
    WHERE masked IS NOT NULL AND masked_cnid_block(masked) IS NULL AND strpos(substr(masked::text, 7, 8), '*') = 0;
-- the entries with a number the block key cannot find that name an
-- institution: candidates through the institution whatever their name
CREATE INDEX name_entry_institution_idx ON regulator.name_entry (institution_id)
    WHERE masked IS NOT NULL AND masked_cnid_block(masked) IS NULL AND institution_id IS NOT NULL;
COMMENT ON TABLE regulator.name_entry IS
    'entries of the lists published by name: name, masked ID number or none, institution, decision; every version with its recorded period';

-- Was this person (the ID number) ever employed by this institution?  The
-- one question screening by name asks about employment, answered yes or no
-- with the owner's rights: an officer screens by name without reading
-- regulator.employee (every employee's ID number).  NULL when either
-- argument is.  One index lookup (employee's cnid index).  Written with the
-- extension's schema (wherever it was installed) in every reference, the
-- search path pinned.
DO $$
BEGIN
    EXECUTE format($f$
        CREATE FUNCTION regulator.employed_by(subject %1$I.cnid, institution_id integer) RETURNS boolean
        LANGUAGE sql STABLE STRICT PARALLEL SAFE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
        RETURN EXISTS (SELECT FROM regulator.employee e
                       WHERE e.cnid OPERATOR(%1$I.=) employed_by.subject
                         AND e.institution_id OPERATOR(pg_catalog.=) employed_by.institution_id)$f$,
        (SELECT n.nspname FROM pg_extension x JOIN pg_namespace n ON n.oid = x.extnamespace
         WHERE x.extname = 'integrity'));
END $$;
-- Not for PUBLIC: whoever may call it can test any ID number against any
-- institution (the employment register, one yes or no at a time).  Granted
-- with SELECT on regulator.name_entry, to those who screen by name.
REVOKE ALL ON FUNCTION regulator.employed_by(cnid, integer) FROM PUBLIC;
COMMENT ON FUNCTION regulator.employed_by(cnid, integer) IS
    'was the person with this ID number ever employed by this institution (yes or no, with the owner''s rights: screening by name needs no SELECT on regulator.employee)';

-- The evidence of a screened person against a name entry: name_match's
-- score and reasons (name in any written form, number against mask), and
-- 25 points more, reason institution, when the person was ever employed by
-- the institution the entry names (a ban without a number names one:
-- regulator.employed_by).
CREATE FUNCTION regulator.name_evidence(name text, subject cnid, entry_name text, entry_masked masked_cnid,
                                        entry_institution integer, OUT score integer, OUT evidence text[])
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN i.same THEN least(100, m.score + 25) ELSE m.score END,
           CASE WHEN i.same THEN m.reasons || 'institution'::text ELSE m.reasons END
    FROM name_match(name, entry_name, subject, entry_masked) m,
         LATERAL (SELECT coalesce(regulator.employed_by(name_evidence.subject, name_evidence.entry_institution),
                                  false) AS same) i
$$;
COMMENT ON FUNCTION regulator.name_evidence(text, cnid, text, masked_cnid, integer) IS
    'score and evidence of a person (name, ID number) against a name entry: name_match, plus 25 when the entry names an institution that employed the person';

-- Every version of every entry with its recorded period.
CREATE VIEW regulator.blacklist_version AS
SELECT id, subject, list, reason, valid, listed_by, daterange(recorded_from, NULL) AS recorded
FROM regulator.blacklist
UNION ALL
SELECT id, subject, list, reason, valid, listed_by, daterange(recorded_from, recorded_until)
FROM regulator.blacklist_history;
COMMENT ON VIEW regulator.blacklist_version IS
    'every version of every blacklist entry; recorded @> P selects the lists as published on P';

-- The publication of a list in force on a date: the latest on or before it.
CREATE FUNCTION regulator.publication_in_force(list text, on_date date) RETURNS date
LANGUAGE sql STABLE STRICT PARALLEL SAFE
RETURN (SELECT max(p.published) FROM regulator.list_publication p
        WHERE p.list = publication_in_force.list AND p.published <= on_date);

-- Changing or deleting an entry keeps the old version: it moves to the
-- history, recorded until the publication being loaded (the setting
-- regulator.recorded_on, which regulator.publish sets) or today.
CREATE FUNCTION regulator.blacklist_versioning() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    on_date date := coalesce(nullif(current_setting('regulator.recorded_on', true), '')::date, current_date);
BEGIN
    IF TG_OP = 'UPDATE' AND (NEW.subject, NEW.list, NEW.reason, NEW.valid, NEW.listed_by)
                            IS NOT DISTINCT FROM (OLD.subject, OLD.list, OLD.reason, OLD.valid, OLD.listed_by) THEN
        RETURN NEW;                       -- nothing the lists publish changed
    END IF;
    IF OLD.recorded_from < on_date THEN   -- a version never published on its own leaves no trace
        INSERT INTO regulator.blacklist_history
        VALUES (OLD.id, OLD.subject, OLD.list, OLD.reason, OLD.valid, OLD.listed_by, OLD.recorded_from, on_date);
    END IF;
    IF TG_OP = 'UPDATE' THEN
        NEW.recorded_from := on_date;
        RETURN NEW;
    END IF;
    RETURN OLD;
END $$;
CREATE TRIGGER blacklist_versioning BEFORE UPDATE OR DELETE ON regulator.blacklist
    FOR EACH ROW EXECUTE FUNCTION regulator.blacklist_versioning();

-- What a publication of a list gives (regulator.publish): the columns of
-- its entries and the types each may have.  A list published by number
-- gives full ID numbers (subject: cnid, or text cleaned by to_cnid); a list
-- published by name the name, the masked number as published (masked:
-- masked_cnid, or text read as one; NULL for no number), the institution
-- the decision names and the decision's number.  id: the id of an entry
-- already published, NULL for a new one.
CREATE FUNCTION regulator.publication_columns(by_name boolean)
RETURNS TABLE (col text, types regtype[])
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
    SELECT w.col, CASE w.kind WHEN 'integer' THEN ARRAY['smallint', 'integer', 'bigint']::regtype[]
                              WHEN 'text' THEN ARRAY['text', 'character varying', 'character']::regtype[]
                              WHEN 'cnid' THEN ARRAY['cnid', 'text', 'character varying', 'character']::regtype[]
                              WHEN 'masked' THEN ARRAY['masked_cnid', 'text', 'character varying', 'character']::regtype[]
                              ELSE ARRAY['daterange']::regtype[] END
    FROM (VALUES (1, 'id', 'integer', NULL), (2, 'subject', 'cnid', false), (3, 'name', 'text', true),
                 (4, 'masked', 'masked', true), (5, 'institution_id', 'integer', true), (6, 'decision', 'text', true),
                 (7, 'reason', 'text', NULL), (8, 'valid', 'daterange', NULL), (9, 'listed_by', 'integer', false))
         w(ord, col, kind, of_names)   -- of_names NULL: in both kinds of publication
    WHERE w.of_names IS NULL OR w.of_names = publication_columns.by_name
    ORDER BY w.ord;
END;

-- Does the table or view `entries` have the columns a publication of the
-- list needs, of types it accepts?  An error saying what is wrong and what
-- is expected otherwise: 22023 for entries shaped for the other kind of
-- list, 42703 for a missing column, 42804 for a column of another type.
CREATE FUNCTION regulator.publication_check(list text, by_name boolean, entries regclass) RETURNS void
LANGUAGE plpgsql STABLE AS $$
DECLARE
    expected text := (SELECT string_agg(c.col, ', ') FROM regulator.publication_columns(by_name) c);
    hint text := format('A publication of list %s (published by %s) is a table or view with the columns %s; id is NULL for a new entry.',
                        list, CASE WHEN by_name THEN 'name' ELSE 'ID number' END, expected);
    cols text[];
    w record;
    have regtype;
BEGIN
    SELECT array_agg(a.attname::text) INTO cols FROM pg_attribute a
    WHERE a.attrelid = entries AND a.attnum > 0 AND NOT a.attisdropped;
    IF NOT by_name AND 'name' = ANY (cols) AND NOT 'subject' = ANY (cols) THEN
        RAISE EXCEPTION 'list % is published by ID number, but % gives entries by name', list, entries
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = format('%s has a column name and no column subject.', entries),
                  HINT = hint || format(' The lists published by name are %s.',
                                        (SELECT string_agg(l.name, ', ' ORDER BY l.name) FROM regulator.list l WHERE l.by_name));
    ELSIF by_name AND 'subject' = ANY (cols) AND NOT 'name' = ANY (cols) THEN
        RAISE EXCEPTION 'list % is published by name, but % gives entries by ID number', list, entries
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = format('%s has a column subject and no column name.', entries),
                  HINT = hint || format(' The lists published by ID number are %s.',
                                        (SELECT string_agg(l.name, ', ' ORDER BY l.name) FROM regulator.list l WHERE NOT l.by_name));
    END IF;
    FOR w IN SELECT * FROM regulator.publication_columns(by_name) LOOP
        SELECT a.atttypid::regtype INTO have FROM pg_attribute a
        WHERE a.attrelid = entries AND a.attname = w.col AND a.attnum > 0 AND NOT a.attisdropped;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'publication % of list % has no column %', entries, list, w.col
                USING ERRCODE = 'undefined_column', HINT = hint;
        ELSIF NOT have = ANY (w.types) THEN
            RAISE EXCEPTION 'column % of publication % is of type %', w.col, entries, have
                USING ERRCODE = 'datatype_mismatch',
                      DETAIL = format('Column %s is one of %s.', w.col, array_to_string(w.types, ', ')),
                      HINT = hint;
        END IF;
    END LOOP;
END $$;

-- Load a new publication of a list: the table or view `entries` holds it
-- whole (regulator.publication_columns: for a list published by number
-- id, subject, reason, valid, listed_by; for a list published by name id,
-- name, masked, institution_id, decision, reason, valid; the id of an entry
-- that was already published, NULL for a new one).  Entries no longer
-- published are withdrawn, changed ones get a new version, new ones are
-- recorded from the publication date, unchanged ones are left alone; the
-- publication is registered with its counts (added: new and changed;
-- removed: withdrawn and changed).  Publications are loaded in date order.
-- By number, the versions move to regulator.blacklist_history (the trigger
-- blacklist_versioning); by name, regulator.name_entry keeps them all: a
-- withdrawn or changed version is recorded until the publication date, a
-- changed entry's new version recorded from it.
CREATE PROCEDURE regulator.publish(list text, published date, entries regclass)
LANGUAGE plpgsql AS $$
DECLARE
    by_name boolean;
    n_added integer; n_removed integer; n_changed integer;
    dup bigint;
    r record;
    why text;
BEGIN
    IF list IS NULL OR published IS NULL OR entries IS NULL THEN
        RAISE EXCEPTION 'a publication needs a list, a date and its entries' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    SELECT l.by_name INTO by_name FROM regulator.list l WHERE l.name = publish.list;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown list %', list USING ERRCODE = 'invalid_parameter_value',
            HINT = format('The lists are %s (regulator.list).', (SELECT string_agg(l.name, ', ' ORDER BY l.name) FROM regulator.list l));
    END IF;
    -- One publication at a time per table, before anything is read: the
    -- date order below, the new ids (drawn above every id of every list)
    -- and the versions must see a publication committed meanwhile.  Readers
    -- (screening) are not blocked.  Read committed: each statement below
    -- sees what was committed before the lock was granted.
    IF by_name THEN
        LOCK TABLE regulator.name_entry IN SHARE ROW EXCLUSIVE MODE;
    ELSE
        LOCK TABLE regulator.blacklist IN SHARE ROW EXCLUSIVE MODE;
    END IF;
    IF EXISTS (SELECT FROM regulator.list_publication p
               WHERE p.list = publish.list AND p.published >= publish.published)
       OR (by_name AND EXISTS (SELECT FROM regulator.name_entry e
                               WHERE e.list = publish.list
                                 AND (e.recorded_from >= publish.published OR e.recorded_until > publish.published))) THEN
        RAISE EXCEPTION 'list % already has a publication on or after %', list, published
            USING ERRCODE = '22023', HINT = 'Publications are loaded in date order.';
    END IF;
    PERFORM regulator.publication_check(list, by_name, entries);
    IF by_name THEN
        BEGIN
            EXECUTE format('CREATE TEMP TABLE publish_in ON COMMIT DROP AS
                            SELECT id::bigint AS id, name::text AS name, masked::text::masked_cnid AS masked,
                                   institution_id::integer AS institution_id, decision::text AS decision,
                                   reason::text AS reason, valid
                            FROM %s', entries);
        EXCEPTION WHEN invalid_text_representation THEN
            -- name the entry whose masked number is bad (the error path only: one row at a time)
            FOR r IN EXECUTE format('SELECT id, name, masked::text AS masked FROM %s WHERE masked IS NOT NULL', entries) LOOP
                BEGIN
                    PERFORM r.masked::masked_cnid;
                EXCEPTION WHEN invalid_text_representation THEN
                    GET STACKED DIAGNOSTICS why = PG_EXCEPTION_DETAIL;
                    RAISE EXCEPTION 'invalid masked ID number in publication % of list %', entries, list
                        USING ERRCODE = 'invalid_text_representation',
                              DETAIL = concat_ws(' ', format('Entry %s (%s), masked %L: %s.', coalesce(r.id::text, 'new'),
                                                             r.name, r.masked, SQLERRM),
                                                 nullif(why, '')),
                              HINT = 'Column masked holds the number as the list publishes it: 18 positions, digits, X in the last, * where masked; NULL for no number.';
                END;
            END LOOP;
            RAISE;
        END;
    ELSE
        EXECUTE format('CREATE TEMP TABLE publish_in ON COMMIT DROP AS
                        SELECT id::bigint AS id, to_cnid(subject::text) AS subject, reason::text AS reason, valid,
                               listed_by::integer AS listed_by
                        FROM %s', entries);
    END IF;
    SELECT i.id INTO dup FROM publish_in i WHERE i.id IS NOT NULL GROUP BY i.id HAVING count(*) > 1 ORDER BY i.id LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'entry % appears more than once in publication % of list %', dup, entries, list
            USING ERRCODE = 'unique_violation', HINT = 'An entry is published once; a new entry has id NULL.';
    END IF;
    IF by_name THEN
        SELECT i.id, e.list AS other INTO r FROM publish_in i JOIN regulator.name_entry e ON e.id = i.id
        WHERE e.list <> publish.list ORDER BY i.id LIMIT 1;
        IF FOUND THEN
            RAISE EXCEPTION 'entry % of publication % is an entry of list %, not %', r.id, entries, r.other, list
                USING ERRCODE = '22023', HINT = 'An entry is published once; a new entry has id NULL.';
        END IF;
        -- withdrawn: the current version ends with this publication
        UPDATE regulator.name_entry e SET recorded_until = published
        WHERE e.list = publish.list AND e.recorded_until IS NULL
          AND NOT EXISTS (SELECT FROM publish_in i WHERE i.id = e.id);
        GET DIAGNOSTICS n_removed = ROW_COUNT;
        -- changed: the current version ends, the new one is recorded from now on
        WITH ended AS (
            UPDATE regulator.name_entry e SET recorded_until = published
            FROM publish_in i
            WHERE i.id = e.id AND e.list = publish.list AND e.recorded_until IS NULL
              AND (e.name, e.masked, e.institution_id, e.decision, e.reason, e.valid)
                  IS DISTINCT FROM (i.name, i.masked, i.institution_id, i.decision, i.reason, i.valid)
            RETURNING e.id)
        INSERT INTO regulator.name_entry (id, list, name, masked, institution_id, decision, reason, valid, recorded_from)
        SELECT i.id, publish.list, i.name, i.masked, i.institution_id, i.decision, i.reason, i.valid, published
        FROM publish_in i JOIN ended USING (id);
        GET DIAGNOSTICS n_changed = ROW_COUNT;
        -- new (or published again after a withdrawal)
        INSERT INTO regulator.name_entry (id, list, name, masked, institution_id, decision, reason, valid, recorded_from)
        SELECT coalesce(i.id, greatest((SELECT max(e.id) FROM regulator.name_entry e), (SELECT max(j.id) FROM publish_in j), 0)
                              + row_number() OVER (PARTITION BY i.id IS NULL
                                                   ORDER BY i.name, i.masked, i.valid, i.decision, i.institution_id, i.reason)),
               publish.list, i.name, i.masked, i.institution_id, i.decision, i.reason, i.valid, published
        FROM publish_in i
        WHERE i.id IS NULL
           OR NOT EXISTS (SELECT FROM regulator.name_entry e WHERE e.id = i.id AND e.recorded_until IS NULL);
        GET DIAGNOSTICS n_added = ROW_COUNT;
        INSERT INTO regulator.list_publication (list, published, entries, added, removed)
        SELECT publish.list, published, count(*), n_added + n_changed, n_removed + n_changed
        FROM regulator.name_entry e WHERE e.list = publish.list AND e.recorded_until IS NULL;
    ELSE
        PERFORM set_config('regulator.recorded_on', published::text, true);
        -- withdrawn
        DELETE FROM regulator.blacklist b
        WHERE b.list = publish.list AND NOT EXISTS (SELECT FROM publish_in i WHERE i.id = b.id);
        GET DIAGNOSTICS n_removed = ROW_COUNT;
        -- changed
        UPDATE regulator.blacklist b SET subject = i.subject, reason = i.reason, valid = i.valid, listed_by = i.listed_by
        FROM publish_in i
        WHERE i.id = b.id AND b.list = publish.list
          AND (b.subject, b.reason, b.valid, b.listed_by) IS DISTINCT FROM (i.subject, i.reason, i.valid, i.listed_by);
        GET DIAGNOSTICS n_changed = ROW_COUNT;
        -- new; a new id is above every id ever given, withdrawn ones (in the
        -- history) and the publication's own included
        INSERT INTO regulator.blacklist (id, subject, list, reason, valid, listed_by, recorded_from)
        SELECT coalesce(i.id, greatest((SELECT max(b.id) FROM regulator.blacklist b),
                                       (SELECT max(h.id) FROM regulator.blacklist_history h),
                                       (SELECT max(j.id) FROM publish_in j), 0)
                              + row_number() OVER (PARTITION BY i.id IS NULL ORDER BY i.subject, i.valid)),
               i.subject, publish.list, i.reason, i.valid, i.listed_by, published
        FROM publish_in i
        WHERE i.id IS NULL OR NOT EXISTS (SELECT FROM regulator.blacklist b WHERE b.id = i.id);
        GET DIAGNOSTICS n_added = ROW_COUNT;
        INSERT INTO regulator.list_publication (list, published, entries, added, removed)
        SELECT publish.list, published, count(*), n_added + n_changed, n_removed + n_changed
        FROM regulator.blacklist b WHERE b.list = publish.list AND b.recorded_from <= published;
        PERFORM set_config('regulator.recorded_on', '', true);
    END IF;
    DROP TABLE publish_in;
END $$;
COMMENT ON PROCEDURE regulator.publish(text, date, regclass) IS
    'load a new publication of a list, by number or by name: withdraw, change and add entries, keeping every old version';

-- Reviewed decisions on hits.  A reviewer clears a hit (a false positive:
-- the same number typed wrong on a list, a ban lifted by a court) or
-- confirms it, says why, and until when the decision holds.  A review covers
-- the subject's entries on that list as recorded on the review date: an
-- entry recorded later (a new listing, a new version) reopens the case;
-- after `expires` the case is open again.  Decisions are never edited: a
-- later review supersedes an earlier one.
CREATE TABLE regulator.screening_review (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    subject     cnid NOT NULL,
    list        text NOT NULL REFERENCES regulator.list,
    decision    text NOT NULL CHECK (decision IN ('cleared', 'confirmed')),
    reviewer    text NOT NULL DEFAULT current_user,
    reason      text NOT NULL CHECK (reason <> ''),
    reviewed_at timestamptz NOT NULL DEFAULT now(),
    expires     date,
    CHECK (decision = 'confirmed' OR expires IS NOT NULL),
    CHECK (expires IS NULL OR expires > (reviewed_at AT TIME ZONE 'Asia/Shanghai')::date)
);
CREATE INDEX screening_review_subject_idx ON regulator.screening_review (subject, list, reviewed_at);
COMMENT ON TABLE regulator.screening_review IS
    'reviewed decisions on screening hits: cleared or confirmed, by whom, why, until when';

-- The review in force for a hit (subject, list, the entry version's
-- recorded_from) on a date: the latest review that covers the version.
-- status: 'open' (none, or it expired), 'cleared' or 'confirmed'.
CREATE FUNCTION regulator.review_status(subject cnid, list text, recorded_from date, on_date date,
                                        OUT status text, OUT review_id bigint)
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN r.id IS NULL THEN 'open'
                WHEN r.expires IS NOT NULL AND on_date >= r.expires THEN 'open'
                ELSE r.decision END,
           r.id
    FROM (SELECT 1) one
    LEFT JOIN LATERAL (
        SELECT r.* FROM regulator.screening_review r
        WHERE r.subject = review_status.subject AND r.list = review_status.list
          AND review_status.recorded_from <= (r.reviewed_at AT TIME ZONE 'Asia/Shanghai')::date
        ORDER BY r.reviewed_at DESC, r.id DESC LIMIT 1) r ON true
$$;

-- A batch to screen is any table or view: its first column the resident ID
-- (cnid, or text as it came from a CSV file: cleaned with to_cnid(...,
-- strict => false), NULL when it is no valid ID), its second, if any, a
-- reference returned with each hit (an employee id, a line number).  A text
-- column called name, if any, is the person's name: the lists published by
-- name are screened only for a batch that has one (and only its rows with a
-- valid ID: reviews are decisions about a person, known by the number).
CREATE FUNCTION regulator.batch_has_name(batch regclass) RETURNS boolean
LANGUAGE sql STABLE STRICT
RETURN EXISTS (SELECT FROM pg_attribute a
               WHERE a.attrelid = batch AND a.attname = 'name' AND a.attnum > 0 AND NOT a.attisdropped
                 AND a.atttypid IN ('text'::regtype, 'varchar'::regtype, 'bpchar'::regtype));

CREATE FUNCTION regulator.batch_query(batch regclass) RETURNS text
LANGUAGE plpgsql STABLE STRICT AS $$
DECLARE
    c record;
    subj text; ref text := 'NULL::text';
    name text := CASE WHEN regulator.batch_has_name(batch) THEN 'nullif(btrim(b.name::text), '''')' ELSE 'NULL::text' END;
    n integer := 0;
BEGIN
    FOR c IN SELECT a.attname, a.atttypid FROM pg_attribute a
             WHERE a.attrelid = batch AND a.attnum > 0 AND NOT a.attisdropped
             ORDER BY a.attnum LIMIT 2 LOOP
        n := n + 1;
        IF n = 1 THEN
            IF c.atttypid = 'cnid'::regtype THEN
                subj := format('b.%I', c.attname);
            ELSIF c.atttypid IN ('text'::regtype, 'varchar'::regtype, 'bpchar'::regtype) THEN
                subj := format('to_cnid(b.%I::text, strict => false)', c.attname);
            ELSE
                RAISE EXCEPTION 'the first column of batch % is of type %, not cnid or text', batch, c.atttypid::regtype
                    USING ERRCODE = '42804';
            END IF;
        ELSE
            ref := format('b.%I::text', c.attname);
        END IF;
    END LOOP;
    IF subj IS NULL THEN
        RAISE EXCEPTION 'batch % has no columns', batch USING ERRCODE = '42804';
    END IF;
    RETURN format('SELECT %s AS subject, %s AS ref, %s AS name FROM %s b', subj, ref, name, batch);
END $$;

-- A batch, a listing date and a publication date are needed: NULL is an
-- error, not "no matches".
CREATE FUNCTION regulator.screening_arguments(batch regclass, at date, published date) RETURNS void
LANGUAGE plpgsql STABLE AS $$
BEGIN
    IF batch IS NULL OR at IS NULL OR published IS NULL THEN
        RAISE EXCEPTION 'screening needs a batch, a listing date and a publication date'
            USING ERRCODE = 'null_value_not_allowed',
                  DETAIL = format('%s is NULL.', concat_ws(', ', CASE WHEN batch IS NULL THEN 'batch' END,
                                                           CASE WHEN at IS NULL THEN 'at' END,
                                                           CASE WHEN published IS NULL THEN 'published' END));
    END IF;
END $$;

-- Every match of a batch against the lists (default all) as published on
-- `published`, listed on `at`, with the review status in force on `at`.
-- A match by number scores 100 with the evidence {number}; a match by name
-- (a list published by name, a batch with names) carries the name screened,
-- and the score and evidence of regulator.name_evidence, from
-- name_match_threshold() up.  Candidates by name come from index lookups
-- per person, never a scan of the list:
--   * entries whose mask shows the person's region and sequence
--     (masked_cnid_block, a btree; rechecked by ~);
--   * entries with a mask hiding region or sequence: those sharing a name
--     key (name_keys &&, GIN: the same name in any written form, pinyin,
--     one character different), and those naming an institution that
--     employed the person whose mask the number fits, whatever the name
--     (the birth date and sequence visible: 45 + 25;
--     name_entry_institution_idx), and those showing the whole birth date
--     the number fits, whatever the name (name_entry_birth_idx: a hidden
--     region digit leaves the number 53, and a two-character name one
--     character different, 20, has no key in common);
--   * entries without a number that name an institution: those with the
--     same keys (name_entry_name_idx, a btree on keys) that
--     regulator.employed_by confirms.
-- Only candidates are scored.  Nothing that can reach the threshold is left
-- out: an entry whose mask shows region and sequence but which the number
-- does not fit scores at most 20 + 25; one whose mask hides region or
-- sequence and which the number fits, without the institution's 25, needs
-- a name key in common (45, 42, 40) unless the number gives 50 or more,
-- which takes the whole birth date (seven of its digits and the rest
-- visible but a region digit: 21 + 8 + 20 = 49); an entry without a number at most
-- 45, plus 25 if it names an institution that employed the person, and 70
-- only with the same name after name_normalize (a variant character gives
-- 42, a pinyin name or one character different 40): the same normalised
-- name has the same keys (name_keys is a function of the normalised name),
-- so equality of the keys finds every such entry.  A common name shared by
-- thousands of entries thus costs nothing.
CREATE FUNCTION regulator.screening_matches(batch regclass, at date DEFAULT current_date,
                                            published date DEFAULT current_date, lists text[] DEFAULT NULL)
RETURNS TABLE (ref text, subject cnid, list text, entry_id bigint, reason text, valid daterange,
               recorded_from date, status text, review_id bigint, name text, score integer, evidence text[])
-- A batch is any view: its row estimate can be wildly off (a view joined to
-- an unanalysed table: 1.5M estimated for 39 rows), and JIT then compiled
-- for over a second a query that runs in milliseconds.
LANGUAGE plpgsql STABLE SET jit = off AS $$
DECLARE
    -- for a batch with names: its candidates by name (n, c) and their matches
    name_ctes text := '';
    name_matches text := '';
BEGIN
    PERFORM regulator.screening_arguments(batch, at, published);
    IF regulator.batch_has_name(batch) THEN
        name_ctes := $n$,
        n AS MATERIALIZED (
            SELECT b.ref, b.subject, b.name, name_keys(b.name) AS keys
            FROM b WHERE b.subject IS NOT NULL AND b.name IS NOT NULL),
        e AS NOT MATERIALIZED (   -- inlined: each use looks up its own index
            SELECT * FROM regulator.name_entry e
            WHERE e.valid @> $1 AND e.recorded_from <= $2 AND (e.recorded_until IS NULL OR $2 < e.recorded_until)
              AND ($3 IS NULL OR e.list = ANY ($3))),
        c AS (
            SELECT n.ref, n.subject, n.name, e.id, e.recorded_from
            FROM n JOIN e ON masked_cnid_block(e.masked) = cnid_block(n.subject) AND n.subject ~ e.masked
            UNION
            SELECT n.ref, n.subject, n.name, e.id, e.recorded_from
            FROM n JOIN e ON e.keys && n.keys
            WHERE e.masked IS NOT NULL AND masked_cnid_block(e.masked) IS NULL
            UNION
            SELECT n.ref, n.subject, n.name, e.id, e.recorded_from
            FROM n JOIN e ON e.keys = n.keys
            WHERE e.masked IS NULL AND e.institution_id IS NOT NULL
              AND regulator.employed_by(n.subject, e.institution_id)
            UNION
            SELECT n.ref, n.subject, n.name, e.id, e.recorded_from
            FROM n JOIN e ON substr(e.masked::text, 7, 8) = substr(n.subject::text, 7, 8) AND n.subject ~ e.masked
            WHERE e.masked IS NOT NULL AND masked_cnid_block(e.masked) IS NULL
              AND strpos(substr(e.masked::text, 7, 8), '*') = 0
            UNION
            SELECT n.ref, n.subject, n.name, e.id, e.recorded_from
            FROM n JOIN e ON n.subject ~ e.masked
            WHERE masked_cnid_block(e.masked) IS NULL AND e.institution_id IS NOT NULL
              AND regulator.employed_by(n.subject, e.institution_id))$n$;
        name_matches := $n$
            UNION ALL
            SELECT c.ref, c.subject, e.list, e.id, e.reason, e.valid, e.recorded_from, c.name, x.score, x.evidence
            FROM c
            JOIN regulator.name_entry e ON e.id = c.id AND e.recorded_from = c.recorded_from
            CROSS JOIN LATERAL regulator.name_evidence(c.name, c.subject, e.name, e.masked, e.institution_id) x
            WHERE x.score >= name_match_threshold()$n$;
    END IF;
    -- the matches first (few), then the review of each
    RETURN QUERY EXECUTE format($q$
        WITH b AS MATERIALIZED (%s)%s,
        m AS MATERIALIZED (
            SELECT b.ref, b.subject, v.list, v.id, v.reason, v.valid, lower(v.recorded) AS recorded_from,
                   NULL::text AS name, 100 AS score, ARRAY['number'] AS evidence
            FROM b
            JOIN regulator.blacklist_version v ON v.subject = b.subject
            WHERE v.valid @> $1 AND v.recorded @> $2 AND ($3 IS NULL OR v.list = ANY ($3))%s)
        SELECT m.ref, m.subject, m.list, m.id, m.reason, m.valid, m.recorded_from, s.status, s.review_id,
               m.name, m.score, m.evidence
        FROM m CROSS JOIN LATERAL regulator.review_status(m.subject, m.list, m.recorded_from, $1) s
        ORDER BY m.ref, m.subject, m.list, m.id$q$, regulator.batch_query(batch), name_ctes, name_matches)
    USING at, published, lists;
END $$;
COMMENT ON FUNCTION regulator.screening_matches(regclass, date, date, text[]) IS
    'every match of a batch against the lists as published on a date, by number and by name, with its score, evidence and review status (open, cleared, confirmed)';

-- What a screening officer works on: the matches less the cleared ones.
CREATE FUNCTION regulator.screening_hits(batch regclass, at date DEFAULT current_date,
                                         published date DEFAULT current_date, lists text[] DEFAULT NULL)
RETURNS TABLE (ref text, subject cnid, list text, entry_id bigint, reason text, valid daterange,
               recorded_from date, status text, review_id bigint, name text, score integer, evidence text[])
LANGUAGE sql STABLE AS $$
    SELECT * FROM regulator.screening_matches(batch, at, published, lists) m WHERE m.status <> 'cleared'
$$;
COMMENT ON FUNCTION regulator.screening_hits(regclass, date, date, text[]) IS
    'the matches of a batch less those cleared by a review in force: what a screening officer works on';

-- The audit of screening runs (the personal information protection law
-- expects a record of who processed whose ID numbers, when, why and
-- against what).  Append-only for everyone but the owner: no UPDATE,
-- DELETE or TRUNCATE privilege is granted to anyone, and a trigger refuses
-- them to non-owners even if one is granted by mistake.  Others read the
-- audit through views that mask the ID numbers (cnid_mask).
CREATE TABLE regulator.screening_run (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ran_at      timestamptz NOT NULL DEFAULT now(),
    ran_by      text NOT NULL DEFAULT current_user,
    purpose     text NOT NULL CHECK (purpose <> ''),
    batch       text NOT NULL,             -- the table or view screened
    at          date NOT NULL,             -- listed on this date
    published   date NOT NULL,             -- against the lists as published on this date
    batch_size  integer NOT NULL CHECK (batch_size >= 0),
    invalid     integer NOT NULL CHECK (invalid >= 0),   -- rows without a valid resident ID
    matches     integer NOT NULL CHECK (matches >= 0),   -- hits found on the lists
    cleared     integer NOT NULL CHECK (cleared >= 0)    -- of which left out by a review in force
);
CREATE TABLE regulator.screening_run_list (
    run_id      bigint NOT NULL REFERENCES regulator.screening_run,
    list        text NOT NULL REFERENCES regulator.list,
    publication date,                      -- the publication in force (NULL: none yet)
    entries     integer,                   -- its size
    PRIMARY KEY (run_id, list)
);
CREATE TABLE regulator.screening_hit (
    run_id        bigint NOT NULL REFERENCES regulator.screening_run,
    ref           text,
    subject       cnid NOT NULL,
    list          text NOT NULL,
    entry_id      bigint NOT NULL,
    valid         daterange NOT NULL,
    recorded_from date NOT NULL,
    status        text NOT NULL CHECK (status IN ('open', 'cleared', 'confirmed')),
    review_id     bigint,
    name          text,                -- a match by name: the name screened
    score         integer NOT NULL DEFAULT 100 CHECK (score BETWEEN 0 AND 100),
    evidence      text[] NOT NULL DEFAULT '{number}'
);
CREATE INDEX screening_hit_run_idx ON regulator.screening_hit (run_id);
COMMENT ON TABLE regulator.screening_run IS 'append-only audit: one row per screening run (who, when, why, what, how many hits)';
COMMENT ON TABLE regulator.screening_run_list IS 'append-only audit: the lists of a run and the publication of each it used';
COMMENT ON TABLE regulator.screening_hit IS 'append-only audit: every match of a run, with its review status at the time, its score and evidence';

-- Non-owners may add to the audit, never change it, and only through their
-- own runs: the trigger stamps who and when on a run, refuses a run id the
-- system did not assign (INSERT ... OVERRIDING SYSTEM VALUE), and accepts
-- the lists and hits of a run only from the officer who made the run, in
-- the transaction that made it, and only hits that are versions of list
-- entries (regulator.audit_own_run); a hit by name only with the score and
-- evidence that name and number give against that entry.
CREATE FUNCTION regulator.audit_guard() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF pg_has_role(current_user, (SELECT c.relowner FROM pg_class c WHERE c.oid = TG_RELID), 'MEMBER') THEN
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    END IF;
    IF TG_OP = 'INSERT' THEN
        IF TG_TABLE_NAME = 'screening_run' THEN
            IF NOT regulator.audit_run_id_assigned(NEW.id) THEN
                RAISE EXCEPTION 'run ids of the screening audit are assigned by the system'
                    USING ERRCODE = '42501',
                          DETAIL = format('Run id %s was not drawn from the audit''s sequence in this session.', NEW.id),
                          HINT = 'Insert without OVERRIDING SYSTEM VALUE, or CALL regulator.screen(...).';
            END IF;
            NEW.ran_by := current_user;
            NEW.ran_at := now();
        ELSIF NOT regulator.audit_own_run(NEW.run_id, current_user::text) THEN
            RAISE EXCEPTION 'only the officer who made screening run % may add to it, in the transaction that made it', NEW.run_id
                USING ERRCODE = '42501';
        ELSIF TG_TABLE_NAME = 'screening_hit' THEN
            IF NEW.name IS NOT NULL THEN
                IF NOT regulator.audit_name_hit_is_evidence(NEW.list, NEW.entry_id, NEW.valid, NEW.recorded_from,
                                                            NEW.name, NEW.subject, NEW.score, NEW.evidence) THEN
                    RAISE EXCEPTION 'a screening hit by name must be a version of a list entry with the evidence it gives'
                        USING ERRCODE = '42501',
                              DETAIL = format('Entry %s on list %s, that version, does not give score %s with evidence %s for that name and number.',
                                              NEW.entry_id, NEW.list, NEW.score, NEW.evidence);
                END IF;
            ELSIF NOT regulator.audit_hit_is_entry(NEW.list, NEW.entry_id, NEW.subject, NEW.valid, NEW.recorded_from) THEN
                RAISE EXCEPTION 'a screening hit must be a version of a list entry'
                    USING ERRCODE = '42501',
                          DETAIL = format('No version of entry %s on list %s has that subject, validity and recording date.',
                                          NEW.entry_id, NEW.list);
            ELSIF (NEW.score, NEW.evidence) IS DISTINCT FROM (100, '{number}'::text[]) THEN
                RAISE EXCEPTION 'a screening hit by number scores 100 with the evidence {number}'
                    USING ERRCODE = '42501',
                          DETAIL = format('The hit gives score %s with evidence %s.', NEW.score, NEW.evidence);
            END IF;
        END IF;
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'the screening audit is append-only: % on %.% is not allowed', TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME
        USING ERRCODE = '42501';
END $$;

-- The guard's questions about rows its caller may not read, answered with
-- the owner's rights (yes or no, nothing else).
-- Was this run id drawn from the audit's sequence in this session (the
-- identity default, not OVERRIDING SYSTEM VALUE)?
CREATE FUNCTION regulator.audit_run_id_assigned(id bigint) RETURNS boolean
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    RETURN id IS NOT DISTINCT FROM pg_catalog.currval('regulator.screening_run_id_seq'::pg_catalog.regclass);
EXCEPTION WHEN object_not_in_prerequisite_state THEN   -- no id drawn in this session yet
    RETURN false;
END $$;
-- Did this role make this run in the current transaction?
CREATE FUNCTION regulator.audit_own_run(run_id bigint, role text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
RETURN EXISTS (SELECT FROM regulator.screening_run r
               WHERE r.id OPERATOR(pg_catalog.=) audit_own_run.run_id
                 AND r.ran_by OPERATOR(pg_catalog.=) audit_own_run.role
                 AND r.ran_at OPERATOR(pg_catalog.=) pg_catalog.now());
-- Is this hit a version of a list entry?
CREATE FUNCTION regulator.audit_hit_is_entry(list text, entry_id bigint, subject cnid, valid daterange, recorded_from date)
RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
RETURN EXISTS (SELECT FROM regulator.blacklist_version v
               WHERE v.id OPERATOR(pg_catalog.=) audit_hit_is_entry.entry_id
                 AND v.list OPERATOR(pg_catalog.=) audit_hit_is_entry.list
                 AND v.subject::text OPERATOR(pg_catalog.=) audit_hit_is_entry.subject::text
                 AND v.valid OPERATOR(pg_catalog.=) audit_hit_is_entry.valid
                 AND pg_catalog.lower(v.recorded) OPERATOR(pg_catalog.=) audit_hit_is_entry.recorded_from);
-- Is this hit by name a version of a name entry, with the score and evidence
-- that the name and number screened give against it?
CREATE FUNCTION regulator.audit_name_hit_is_evidence(list text, entry_id bigint, valid daterange, recorded_from date,
                                                     name text, subject cnid, score integer, evidence text[])
RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
RETURN EXISTS (SELECT FROM regulator.name_entry e
               CROSS JOIN LATERAL regulator.name_evidence(audit_name_hit_is_evidence.name, audit_name_hit_is_evidence.subject,
                                                          e.name, e.masked, e.institution_id) x
               WHERE e.id OPERATOR(pg_catalog.=) audit_name_hit_is_evidence.entry_id
                 AND e.list OPERATOR(pg_catalog.=) audit_name_hit_is_evidence.list
                 AND e.valid OPERATOR(pg_catalog.=) audit_name_hit_is_evidence.valid
                 AND e.recorded_from OPERATOR(pg_catalog.=) audit_name_hit_is_evidence.recorded_from
                 AND x.score OPERATOR(pg_catalog.=) audit_name_hit_is_evidence.score
                 AND x.evidence OPERATOR(pg_catalog.=) audit_name_hit_is_evidence.evidence);
-- It calls the extension's name_match: its search path is the extension's
-- schema, then pg_catalog (wherever the extension was installed).
DO $$
BEGIN
    EXECUTE format('ALTER FUNCTION regulator.audit_name_hit_is_evidence(text, bigint, daterange, date, text, cnid, integer, text[])
                    SET search_path = %I, pg_catalog, pg_temp',
                   (SELECT n.nspname FROM pg_extension x JOIN pg_namespace n ON n.oid = x.extnamespace
                    WHERE x.extname = 'integrity'));
END $$;
REVOKE ALL ON FUNCTION regulator.audit_run_id_assigned(bigint), regulator.audit_own_run(bigint, text),
                       regulator.audit_hit_is_entry(text, bigint, cnid, daterange, date),
                       regulator.audit_name_hit_is_evidence(text, bigint, daterange, date, text, cnid, integer, text[])
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION regulator.audit_run_id_assigned(bigint), regulator.audit_own_run(bigint, text),
                          regulator.audit_hit_is_entry(text, bigint, cnid, daterange, date),
                          regulator.audit_name_hit_is_evidence(text, bigint, daterange, date, text, cnid, integer, text[])
    TO PUBLIC;

CREATE TRIGGER screening_run_guard BEFORE INSERT OR UPDATE OR DELETE ON regulator.screening_run
    FOR EACH ROW EXECUTE FUNCTION regulator.audit_guard();
CREATE TRIGGER screening_run_list_guard BEFORE INSERT OR UPDATE OR DELETE ON regulator.screening_run_list
    FOR EACH ROW EXECUTE FUNCTION regulator.audit_guard();
CREATE TRIGGER screening_hit_guard BEFORE INSERT OR UPDATE OR DELETE ON regulator.screening_hit
    FOR EACH ROW EXECUTE FUNCTION regulator.audit_guard();
CREATE TRIGGER screening_run_truncate_guard BEFORE TRUNCATE ON regulator.screening_run
    FOR EACH STATEMENT EXECUTE FUNCTION regulator.audit_guard();
CREATE TRIGGER screening_run_list_truncate_guard BEFORE TRUNCATE ON regulator.screening_run_list
    FOR EACH STATEMENT EXECUTE FUNCTION regulator.audit_guard();
CREATE TRIGGER screening_hit_truncate_guard BEFORE TRUNCATE ON regulator.screening_hit
    FOR EACH STATEMENT EXECUTE FUNCTION regulator.audit_guard();

REVOKE ALL ON regulator.screening_run, regulator.screening_run_list, regulator.screening_hit FROM PUBLIC;
REVOKE UPDATE, DELETE, TRUNCATE ON regulator.screening_run, regulator.screening_run_list,
                                   regulator.screening_hit FROM PUBLIC;
GRANT INSERT ON regulator.screening_run, regulator.screening_run_list, regulator.screening_hit TO PUBLIC;
GRANT SELECT (id) ON regulator.screening_run TO PUBLIC;      -- INSERT ... RETURNING id

-- The audit as others may read it: ID numbers masked.
CREATE VIEW regulator.screening_run_log AS
SELECT r.id AS run_id, r.ran_at, r.ran_by, r.purpose, r.batch, r.at, r.published,
       r.batch_size, r.invalid, r.matches, r.cleared,
       (SELECT string_agg(l.list || ' ' || coalesce(l.publication::text, 'unpublished'), ', ' ORDER BY l.list)
        FROM regulator.screening_run_list l WHERE l.run_id = r.id) AS publications
FROM regulator.screening_run r;
CREATE VIEW regulator.screening_hit_log AS
-- No entry id, validity or recording date: any of them joins a hit to the
-- entry on the list and unmasks the number.
-- The score and evidence say why, the name screened stays out.
SELECT h.run_id, r.ran_at, r.ran_by, h.ref, cnid_mask(h.subject) AS person, h.list, h.status, h.score, h.evidence
FROM regulator.screening_hit h JOIN regulator.screening_run r ON r.id = h.run_id;
COMMENT ON VIEW regulator.screening_run_log IS 'the screening runs with the publications they used, for everyone allowed to read the audit';
COMMENT ON VIEW regulator.screening_hit_log IS 'the hits of every run with masked ID numbers, for everyone allowed to read the audit';
GRANT SELECT ON regulator.screening_run_log, regulator.screening_hit_log TO PUBLIC;

-- Screen a batch and record the run: CALL regulator.screen('my_batch',
-- 'new hires 2024-05').  Lists default to all; at (listed on) and published
-- (the lists as published on) to today; published cannot be in the future.
-- Returns the run's id; its hits are in regulator.screening_hit (the owner)
-- or regulator.screening_hit_log (everyone else), the hits to work on from
-- regulator.screening_hits(batch, at, published, lists).
CREATE PROCEDURE regulator.screen(batch regclass, purpose text, lists text[] DEFAULT NULL,
                                  at date DEFAULT NULL, published date DEFAULT NULL,
                                  INOUT run_id bigint DEFAULT NULL)
LANGUAGE plpgsql AS $$
DECLARE
    n integer; bad integer; has_name boolean;
BEGIN
    at := coalesce(at, current_date);
    published := coalesce(published, current_date);
    PERFORM regulator.screening_arguments(batch, at, published);
    IF published > current_date THEN
        RAISE EXCEPTION 'cannot screen against publications after today' USING ERRCODE = '22023',
            DETAIL = format('published => %s is later than %s.', published, current_date);
    END IF;
    IF purpose IS NULL OR btrim(purpose) = '' THEN
        RAISE EXCEPTION 'a screening run needs its purpose' USING ERRCODE = '22023';
    END IF;
    IF EXISTS (SELECT FROM unnest(lists) l WHERE l NOT IN (SELECT name FROM regulator.list)) THEN
        RAISE EXCEPTION 'unknown list in %', lists USING ERRCODE = '22023';
    END IF;
    has_name := regulator.batch_has_name(batch);
    IF NOT has_name AND EXISTS (SELECT FROM regulator.list l WHERE l.by_name AND l.name = ANY (lists)) THEN
        RAISE EXCEPTION 'batch % has no name column to screen lists published by name', batch USING ERRCODE = '22023',
            DETAIL = format('%s give names, not full ID numbers.',
                            (SELECT string_agg(l.name, ', ' ORDER BY l.name) FROM regulator.list l
                             WHERE l.by_name AND l.name = ANY (lists))),
            HINT = 'Add a text column "name" to the batch, or leave those lists out.';
    END IF;
    EXECUTE format('SELECT count(*), count(*) FILTER (WHERE subject IS NULL) FROM (%s) b',
                   regulator.batch_query(batch)) INTO n, bad;
    CREATE TEMP TABLE screen_matches ON COMMIT DROP AS
        SELECT * FROM regulator.screening_matches(batch, at, published, lists);
    INSERT INTO regulator.screening_run (purpose, batch, at, published, batch_size, invalid, matches, cleared)
    SELECT purpose, batch::text, at, published, n, bad, count(*), count(*) FILTER (WHERE m.status = 'cleared')
    FROM screen_matches m
    RETURNING id INTO run_id;
    INSERT INTO regulator.screening_run_list (run_id, list, publication, entries)
    SELECT run_id, l.name, p.published, p.entries
    FROM regulator.list l
    LEFT JOIN regulator.list_publication p
           ON p.list = l.name AND p.published = regulator.publication_in_force(l.name, screen.published)
    WHERE (lists IS NULL OR l.name = ANY (lists)) AND (has_name OR NOT l.by_name);
    INSERT INTO regulator.screening_hit (run_id, ref, subject, list, entry_id, valid, recorded_from, status, review_id,
                                         name, score, evidence)
    SELECT run_id, m.ref, m.subject, m.list, m.entry_id, m.valid, m.recorded_from, m.status, m.review_id,
           m.name, m.score, m.evidence
    FROM screen_matches m;
    DROP TABLE screen_matches;
END $$;
COMMENT ON PROCEDURE regulator.screen(regclass, text, text[], date, date, bigint) IS
    'screen a batch (first column the resident ID, second a reference, a column name for the lists published by name) against the lists as published on a date and record the run in the audit';

-- ---------------------------------------------------------------------
-- Early warning (清廉数智监督): clients, the loans each credit officer
-- manages, accounts and transfers, and warning rules as data.
-- ---------------------------------------------------------------------

-- Clients (客户) of an institution.
CREATE TABLE regulator.client (
    id             bigint PRIMARY KEY,
    cnid           cnid NOT NULL,
    institution_id integer NOT NULL
);

-- Loans (贷款) and the credit officer (信贷员/客户经理) who manages each.
CREATE TABLE regulator.loan (
    id          bigint PRIMARY KEY,
    client_id   bigint NOT NULL,
    officer_id  bigint NOT NULL,                -- regulator.employee
    amount      numeric(14, 2) NOT NULL CHECK (amount > 0 AND amount <> 'NaN'),
    granted     date NOT NULL,
    due         date NOT NULL CHECK (due > granted)
);

-- Accounts the monitoring sees: employees' personal accounts, clients'
-- accounts, and everyone else ('other': merchants, family, companies).
CREATE TABLE regulator.account (
    id          bigint PRIMARY KEY,
    owner_kind  text NOT NULL CHECK (owner_kind IN ('employee', 'client', 'other')),
    employee_id bigint,
    client_id   bigint,
    CHECK ((owner_kind = 'employee') = (employee_id IS NOT NULL)),
    CHECK ((owner_kind = 'client') = (client_id IS NOT NULL))
);

-- Transfers (资金往来) between accounts.
CREATE TABLE regulator.transfer (
    id           bigint PRIMARY KEY,
    from_account bigint NOT NULL,
    to_account   bigint NOT NULL CHECK (to_account <> from_account),
    amount       numeric(14, 2) NOT NULL CHECK (amount > 0 AND amount <> 'NaN'),
    at           timestamptz NOT NULL
);

-- Warning rules as data: each kind has a fixed meaning, its figures are
-- the regulator's (README "Early warning" explains each kind).
--   officer_borrower        a transfer of at least `threshold`, either way,
--                           between a credit officer and a borrower of a
--                           loan the officer manages, from `window_days`
--                           before the grant to `window_days` after the due
--                           date
--   borrowing_from_clients  an employee receives at least `threshold` in
--                           total from clients of any institution within
--                           `window_days`
--   structuring             at least `min_count` transfers of an employee,
--                           either way, each in [threshold x (1 - band),
--                           threshold) within `window_days`: amounts kept just
--                           below the reporting threshold
--   sudden_inflow           an employee's inflow within `window_days` is at
--                           least `threshold` and at least `factor` times the
--                           inflow usual for such a window over the
--                           `baseline_days` before it
CREATE TABLE regulator.warning_rule (
    code          text PRIMARY KEY,
    kind          text NOT NULL CHECK (kind IN ('officer_borrower', 'borrowing_from_clients',
                                                'structuring', 'sudden_inflow')),
    title         text NOT NULL,
    threshold     numeric(14, 2) NOT NULL CHECK (threshold > 0 AND threshold <> 'NaN'),
    window_days   integer NOT NULL CHECK (window_days BETWEEN 1 AND 3650),
    min_count     integer NOT NULL DEFAULT 1 CHECK (min_count >= 1),
    band          numeric(4, 2) CHECK (band > 0 AND band < 1),
    factor        numeric(8, 2) CHECK (factor > 0 AND factor <> 'NaN'),
    baseline_days integer CHECK (baseline_days BETWEEN 1 AND 3650),
    points        numeric(6, 2) NOT NULL CHECK (points < 0),   -- what a warning costs in the portrait
    enabled       boolean NOT NULL DEFAULT true,
    CHECK (kind <> 'structuring' OR band IS NOT NULL),
    CHECK (kind <> 'sudden_inflow' OR (factor IS NOT NULL AND baseline_days IS NOT NULL))
);
INSERT INTO regulator.warning_rule (code, kind, title, threshold, window_days, min_count, band, factor, baseline_days, points) VALUES
 ('EW1', 'officer_borrower', '信贷员与借款人资金往来 officer and own borrower', 1000, 90, 1, NULL, NULL, NULL, -10),
 ('EW2', 'borrowing_from_clients', '员工向客户借款 employee borrowing from clients', 20000, 90, 1, NULL, NULL, NULL, -10),
 ('EW3', 'structuring', '拆分交易规避报告 repeated amounts just below the reporting threshold', 50000, 7, 3, 0.10, NULL, NULL, -8),
 ('EW4', 'sudden_inflow', '大额资金异常流入 sudden large inflow', 100000, 30, 1, NULL, 5, 180, -6);

-- The warnings of a period (dates in Asia/Shanghai): one row per rule and
-- employee, with the transfers (and clients, loans) behind it as evidence.
-- One query for all enabled rules, built from the rule table: each rule
-- reads the transfers with an employee on a side (`flow`) through its own
-- filters; the window rules slide a window of `window_days` (both ends
-- included) over each employee's flows, anchored at every flow of the
-- period, and keep the window's transfers as evidence.
CREATE FUNCTION regulator.early_warnings(period daterange)
RETURNS TABLE (rule text, employee_id bigint, first_at timestamptz, last_at timestamptz,
               transfers integer, amount numeric, evidence jsonb)
LANGUAGE plpgsql STABLE AS $fn$
DECLARE
    r        regulator.warning_rule;
    branches text[] := '{}';
    look     integer;
BEGIN
    IF period IS NULL OR isempty(period) OR lower_inf(period) OR upper_inf(period)
       OR NOT isfinite(lower(period)) OR NOT isfinite(upper(period)) THEN
        RAISE EXCEPTION 'early_warnings needs a bounded period of dates'
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = format('The period %s is empty, unbounded or has an infinite end.', coalesce(period::text, 'NULL')),
                  HINT = 'For example daterange(''2024-01-01'', ''2025-01-01'').';
    END IF;
    SELECT coalesce(max(w.window_days + coalesce(w.baseline_days, 0)), 0) INTO look
    FROM regulator.warning_rule w WHERE w.enabled;
    FOR r IN SELECT * FROM regulator.warning_rule w WHERE w.enabled ORDER BY w.code LOOP
        branches := branches || CASE r.kind
        WHEN 'officer_borrower' THEN format($b$
            SELECT %1$L::text AS code, f.employee_id, f.id, f.client_id, l.id AS loan_id
            FROM flow f
            JOIN regulator.loan l ON l.officer_id = f.employee_id AND l.client_id = f.client_id
            WHERE f.at >= $3 AND f.client_id IS NOT NULL AND f.amount >= %2$L::numeric
              AND (f.at AT TIME ZONE 'Asia/Shanghai')::date BETWEEN l.granted - %3$s AND l.due + %3$s$b$,
            r.code, r.threshold, r.window_days)
        WHEN 'borrowing_from_clients' THEN format($b$
            SELECT %1$L::text, a.employee_id, unnest(a.ids), NULL::bigint, NULL::bigint
            FROM (SELECT f.employee_id, f.at,
                         sum(f.amount) OVER w AS total, array_agg(f.id) OVER w AS ids
                  FROM flow f WHERE f.dir = 'in' AND f.client_id IS NOT NULL
                  WINDOW w AS (PARTITION BY f.employee_id ORDER BY f.at
                               RANGE BETWEEN interval '1 day' * %3$s PRECEDING AND CURRENT ROW)) a
            WHERE a.at >= $3 AND a.total >= %2$L::numeric$b$,
            r.code, r.threshold, r.window_days)
        WHEN 'structuring' THEN format($b$
            SELECT %1$L::text, a.employee_id, unnest(a.ids), NULL::bigint, NULL::bigint
            FROM (SELECT f.employee_id, f.at, count(*) OVER w AS n, array_agg(f.id) OVER w AS ids
                  FROM flow f WHERE f.amount >= %2$L::numeric AND f.amount < %3$L::numeric
                  WINDOW w AS (PARTITION BY f.employee_id ORDER BY f.at
                               RANGE BETWEEN interval '1 day' * %4$s PRECEDING AND CURRENT ROW)) a
            WHERE a.at >= $3 AND a.n >= %5$s$b$,
            r.code, r.threshold * (1 - r.band), r.threshold, r.window_days, r.min_count)
        WHEN 'sudden_inflow' THEN format($b$
            SELECT %1$L::text, a.employee_id, unnest(a.ids), NULL::bigint, NULL::bigint
            FROM (SELECT f.employee_id, f.at,
                         sum(f.amount) OVER w AS win, array_agg(f.id) OVER w AS ids,
                         coalesce(sum(f.amount) OVER (PARTITION BY f.employee_id ORDER BY f.at
                                                      RANGE BETWEEN interval '1 day' * %4$s PRECEDING
                                                                AND interval '1 day' * %3$s PRECEDING), 0)
                           * %3$s / %5$s AS usual
                  FROM flow f WHERE f.dir = 'in'
                  WINDOW w AS (PARTITION BY f.employee_id ORDER BY f.at
                               RANGE BETWEEN interval '1 day' * %3$s PRECEDING AND CURRENT ROW)) a
            WHERE a.at >= $3 AND a.win >= %2$L::numeric AND a.win >= %6$L::numeric * a.usual$b$,
            r.code, r.threshold, r.window_days, r.window_days + r.baseline_days, r.baseline_days, r.factor)
        END;
    END LOOP;
    IF cardinality(branches) = 0 THEN
        RETURN;
    END IF;
    RETURN QUERY EXECUTE format($q$
WITH flow AS (
    -- every transfer with an employee on a side, once per employee side,
    -- from the earliest day any rule looks back to; each rule's filters
    -- reach the scans of transfers and accounts
    SELECT t.id, t.at, t.amount, ta.employee_id, 'in' AS dir, fa.client_id
    FROM regulator.transfer t
    JOIN regulator.account ta ON ta.id = t.to_account AND ta.owner_kind = 'employee'
    JOIN regulator.account fa ON fa.id = t.from_account
    WHERE t.at >= $1 AND t.at < $2
    UNION ALL
    SELECT t.id, t.at, t.amount, fa.employee_id, 'out', ta.client_id
    FROM regulator.transfer t
    JOIN regulator.account fa ON fa.id = t.from_account AND fa.owner_kind = 'employee'
    JOIN regulator.account ta ON ta.id = t.to_account
    WHERE t.at >= $1 AND t.at < $2),
hits AS (%s),
per_transfer AS (
    -- each transfer once, with the client on its other side (if any) and
    -- the loans it was matched with
    SELECT h.code, h.employee_id, h.id, t.at, t.amount,
           array_remove(array_agg(DISTINCT coalesce(fa.client_id, ta.client_id)), NULL) AS clients,
           array_remove(array_agg(DISTINCT h.loan_id), NULL) AS loans
    FROM hits h
    JOIN regulator.transfer t ON t.id = h.id
    JOIN regulator.account fa ON fa.id = t.from_account
    JOIN regulator.account ta ON ta.id = t.to_account
    GROUP BY h.code, h.employee_id, h.id, t.at, t.amount)
SELECT p.code, p.employee_id, min(p.at), max(p.at), count(*)::integer, sum(p.amount),
       jsonb_strip_nulls(jsonb_build_object(
           'transfers', jsonb_agg(p.id ORDER BY p.at, p.id),
           'clients', (SELECT jsonb_agg(DISTINCT c ORDER BY c) FROM per_transfer q, unnest(q.clients) c
                       WHERE (q.code, q.employee_id) = (p.code, p.employee_id)),
           'loans', (SELECT jsonb_agg(DISTINCT l ORDER BY l) FROM per_transfer q, unnest(q.loans) l
                     WHERE (q.code, q.employee_id) = (p.code, p.employee_id))))
FROM per_transfer p
GROUP BY p.code, p.employee_id
ORDER BY p.code, p.employee_id$q$, array_to_string(branches, E'\n    UNION ALL'))
    USING (lower(period) - look + time '00:00') AT TIME ZONE 'Asia/Shanghai',
          (upper(period) + time '00:00') AT TIME ZONE 'Asia/Shanghai',
          (lower(period) + time '00:00') AT TIME ZONE 'Asia/Shanghai';
END
$fn$;
COMMENT ON FUNCTION regulator.early_warnings(daterange) IS
    'early warnings of a period: every enabled rule of regulator.warning_rule, one row per rule and employee, with the transfers, clients and loans behind it';

-- Warnings as portrait events: each warning of the period is one event of
-- the dimension 预警 (early warning) worth the rule's points, dated at its
-- last transfer, to add to an employee's events when building portraits.
CREATE FUNCTION regulator.warning_events(period daterange)
RETURNS TABLE (employee_id bigint, module text, points numeric, at timestamptz, rule text)
LANGUAGE sql STABLE AS $$
    SELECT w.employee_id, '预警', r.points, w.last_at, w.rule
    FROM regulator.early_warnings(period) w
    JOIN regulator.warning_rule r ON r.code = w.rule
$$;
COMMENT ON FUNCTION regulator.warning_events(daterange) IS
    'the warnings of a period as portrait events of the dimension 预警 (early warning), worth each rule''s points';

-- Ground truth of the generator: the patterns it planted (expected = true)
-- and the near misses it placed just under a rule (expected = false).
CREATE TABLE regulator.planted_warning (
    rule        text NOT NULL,
    employee_id bigint NOT NULL,
    expected    boolean NOT NULL,
    PRIMARY KEY (rule, employee_id)
);

-- The ground truth of the generated name entries (demo/generate.sql), for
-- the tests and the report's checks: the person each entry is about, the
-- written form of the name on the list, and whether the generator planted
-- it against one of the year's new hires: a true match in some written form,
-- or a near miss, someone else of the same name (near_other_number: another
-- number, which screening must not report; near_same_visible_digits: a
-- number whose visible digits agree, which only a reviewer can clear).  Not
-- part of a regulator's own model.
CREATE TABLE regulator.planted_name (
    entry_id    bigint PRIMARY KEY,
    subject     cnid NOT NULL,          -- the person the entry is about
    form        text NOT NULL,
    planted     boolean NOT NULL
);
