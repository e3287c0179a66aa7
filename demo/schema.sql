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
    assets    numeric(16, 2) NOT NULL CHECK (assets >= 0),   -- 万元 (10k yuan)
    staff     integer NOT NULL CHECK (staff >= 0),
    UNIQUE (district, name)
);

-- A year's scoring rules (评分方案): one row per year, the rules as data.
CREATE TABLE regulator.scheme_year (
    year      integer PRIMARY KEY CHECK (year BETWEEN 2000 AND 2100),
    rules     scheme NOT NULL,
    published date NOT NULL
);

-- The creation standard (创建规范), shaped like "10 items, 27 norms":
-- each norm has a class (basic / bonus / red line) and full marks.
CREATE TABLE regulator.indicator (
    code        text PRIMARY KEY CHECK (code ~ '^[0-9]{1,2}\.[0-9]$'),   -- "item.norm"
    item        integer NOT NULL CHECK (item BETWEEN 1 AND 10),
    item_title  text NOT NULL,
    norm        integer NOT NULL CHECK (norm BETWEEN 1 AND 9),
    title       text NOT NULL,
    class       text NOT NULL CHECK (class IN ('basic', 'bonus', 'redline')),
    full_marks  numeric(6, 2) NOT NULL CHECK (full_marks >= 0),
    UNIQUE (item, norm),
    CHECK ((class = 'redline') = (full_marks = 0))
);

-- Scores per institution, year, assessor and norm (一机构一表、一年一测评).
-- Basic and bonus norms carry points; a red-line norm carries the number of
-- hits the assessor found.
CREATE TABLE regulator.assessment (
    institution_id integer NOT NULL,
    year           integer NOT NULL,
    assessor       text NOT NULL CHECK (assessor IN ('self', 'inspection', 'third_party')),
    indicator      text NOT NULL,
    points         numeric(6, 2) NOT NULL CHECK (points >= 0),
    PRIMARY KEY (institution_id, year, assessor, indicator)
);

-- Employees (员工): one row per employment; a person (cnid) who moves to
-- another institution has a second row.
CREATE TABLE regulator.employee (
    id             bigint PRIMARY KEY,
    cnid           cnid NOT NULL,                     -- 居民身份证号码
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
    ('红线', 'red line', 7), ('黑名单', 'blacklist', 8);

-- Events (积分事项): violations (negative points) and positive actions.
CREATE TABLE regulator.event (
    id          bigint PRIMARY KEY,
    employee_id bigint NOT NULL,
    module      text NOT NULL,
    points      numeric(6, 2) NOT NULL CHECK (points <> 0),
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

-- The creation standard: 10 items, 27 norms.  Basic norms sum to 100 full
-- marks; bonus norms (item 9) to 15, of which the scheme counts at most its
-- bonus cap; item 10 holds the red lines.
INSERT INTO regulator.indicator (code, item, item_title, norm, title, class, full_marks) VALUES
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

-- Each institution's composed assessment per year: the three assessors'
-- norm rows summed into one iscore each (iscore_agg), then weighted by the
-- year's scheme (assess).  Used by the report queries; the extension types
-- stay inside the queries, which return plain SQL types.
CREATE VIEW regulator.institution_year AS
SELECT per.institution_id, per.year, s.rules,
       assess(per.assessor, per.score, s.rules) AS a
FROM (SELECT a.institution_id, a.year, a.assessor,
             iscore_agg(i.class, a.points) AS score
      FROM regulator.assessment a
      JOIN regulator.indicator i ON i.code = a.indicator
      GROUP BY a.institution_id, a.year, a.assessor) per
JOIN regulator.scheme_year s ON s.year = per.year
GROUP BY per.institution_id, per.year, s.rules;
COMMENT ON VIEW regulator.institution_year IS
    'per institution and year: the year''s scheme and the composed assessment of the three assessors';
