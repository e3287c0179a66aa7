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
CREATE TABLE regulator.blacklist (
    id          bigint PRIMARY KEY,
    subject     cnid NOT NULL,
    list        text NOT NULL CHECK (list IN ('industry_ban', 'dishonest_debtor', 'internal')),
    reason      text NOT NULL,
    valid       daterange NOT NULL CHECK (NOT isempty(valid) AND lower(valid) IS NOT NULL),
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

-- Every list entry for screening with listed(subject, list, at): the first
-- column is the subject, the second the validity (the contract of listed()).
CREATE VIEW regulator.screening_list AS
SELECT subject, valid, list, id FROM regulator.blacklist;

-- ===========================================================================
-- The screening workflow (issue 12): the lists and every publication of
-- them, reviewed decisions on hits, and the append-only audit of screening
-- runs.  Uses the extension's to_cnid() to clean batch identifiers and
-- cnid_mask() in every audit view others may read.
-- ===========================================================================

-- The lists screened against.
CREATE TABLE regulator.list (
    name       text PRIMARY KEY,
    title      text NOT NULL,
    authority  text NOT NULL
);
INSERT INTO regulator.list VALUES
    ('industry_ban', '禁业/禁入 industry and market bans', 'financial regulators'),
    ('dishonest_debtor', '失信被执行人 dishonest judgement debtors', 'people''s courts'),
    ('internal', '机构黑名单 institutions'' own published lists', 'institutions');

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

-- Load a new publication of a list: the table or view `entries` holds it
-- whole (subject, reason, valid, listed_by; the id of an entry that was
-- already published, NULL for a new one).  Entries no longer published are
-- withdrawn, changed ones get a new version, new ones are recorded from the
-- publication date; the publication is registered with its counts.
CREATE PROCEDURE regulator.publish(list text, published date, entries regclass)
LANGUAGE plpgsql AS $$
DECLARE
    n_added integer; n_removed integer; n_changed integer;
BEGIN
    IF EXISTS (SELECT FROM regulator.list_publication p
               WHERE p.list = publish.list AND p.published >= publish.published) THEN
        RAISE EXCEPTION 'list % already has a publication on or after %', list, published
            USING ERRCODE = '22023', HINT = 'Publications are loaded in date order.';
    END IF;
    PERFORM set_config('regulator.recorded_on', published::text, true);
    EXECUTE format('CREATE TEMP TABLE publish_in ON COMMIT DROP AS
                    SELECT id, to_cnid(subject::text) AS subject, reason, valid, listed_by FROM %s', entries);
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
    -- new
    INSERT INTO regulator.blacklist (id, subject, list, reason, valid, listed_by, recorded_from)
    SELECT coalesce(i.id, (SELECT coalesce(max(id), 0) FROM regulator.blacklist) + row_number() OVER (ORDER BY i.subject, i.valid)),
           i.subject, publish.list, i.reason, i.valid, i.listed_by, published
    FROM publish_in i
    WHERE i.id IS NULL OR NOT EXISTS (SELECT FROM regulator.blacklist b WHERE b.id = i.id);
    GET DIAGNOSTICS n_added = ROW_COUNT;
    INSERT INTO regulator.list_publication (list, published, entries, added, removed)
    SELECT publish.list, published, count(*), n_added + n_changed, n_removed + n_changed
    FROM regulator.blacklist b WHERE b.list = publish.list AND b.recorded_from <= published;
    DROP TABLE publish_in;
    PERFORM set_config('regulator.recorded_on', '', true);
END $$;
COMMENT ON PROCEDURE regulator.publish(text, date, regclass) IS
    'load a new publication of a list: withdraw, change and add entries, keeping every old version';

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
-- reference returned with each hit (an employee id, a line number).
CREATE FUNCTION regulator.batch_query(batch regclass) RETURNS text
LANGUAGE plpgsql STABLE STRICT AS $$
DECLARE
    c record;
    subj text; ref text := 'NULL::text';
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
    RETURN format('SELECT %s AS subject, %s AS ref FROM %s b', subj, ref, batch);
END $$;

-- Every match of a batch against the lists (default all) as published on
-- `published`, listed on `at`, with the review status in force on `at`.
CREATE FUNCTION regulator.screening_matches(batch regclass, at date DEFAULT current_date,
                                            published date DEFAULT current_date, lists text[] DEFAULT NULL)
RETURNS TABLE (ref text, subject cnid, list text, entry_id bigint, reason text, valid daterange,
               recorded_from date, status text, review_id bigint)
LANGUAGE plpgsql STABLE AS $$
BEGIN
    -- the matches first (few), then the review of each
    RETURN QUERY EXECUTE format($q$
        WITH m AS MATERIALIZED (
            SELECT b.ref, b.subject, v.list, v.id, v.reason, v.valid, lower(v.recorded) AS recorded_from
            FROM (%s) b
            JOIN regulator.blacklist_version v ON v.subject = b.subject
            WHERE v.valid @> $1 AND v.recorded @> $2 AND ($3 IS NULL OR v.list = ANY ($3)))
        SELECT m.*, s.status, s.review_id
        FROM m CROSS JOIN LATERAL regulator.review_status(m.subject, m.list, m.recorded_from, $1) s
        ORDER BY m.ref, m.subject, m.list, m.id$q$, regulator.batch_query(batch))
    USING at, published, lists;
END $$;
COMMENT ON FUNCTION regulator.screening_matches(regclass, date, date, text[]) IS
    'every match of a batch against the lists as published on a date, with its review status (open, cleared, confirmed)';

-- What a screening officer works on: the matches less the cleared ones.
CREATE FUNCTION regulator.screening_hits(batch regclass, at date DEFAULT current_date,
                                         published date DEFAULT current_date, lists text[] DEFAULT NULL)
RETURNS TABLE (ref text, subject cnid, list text, entry_id bigint, reason text, valid daterange,
               recorded_from date, status text, review_id bigint)
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
    review_id     bigint
);
CREATE INDEX screening_hit_run_idx ON regulator.screening_hit (run_id);
COMMENT ON TABLE regulator.screening_run IS 'append-only audit: one row per screening run (who, when, why, what, how many hits)';
COMMENT ON TABLE regulator.screening_run_list IS 'append-only audit: the lists of a run and the publication of each it used';
COMMENT ON TABLE regulator.screening_hit IS 'append-only audit: every match of a run, with its review status at the time';

-- Non-owners may add to the audit, never change it: the trigger also
-- stamps who and when on their runs.
CREATE FUNCTION regulator.audit_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF pg_has_role(current_user, (SELECT c.relowner FROM pg_class c WHERE c.oid = TG_RELID), 'MEMBER') THEN
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    END IF;
    IF TG_OP = 'INSERT' THEN
        IF TG_TABLE_NAME = 'screening_run' THEN
            NEW.ran_by := current_user;
            NEW.ran_at := now();
        END IF;
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'the screening audit is append-only: % on %.% is not allowed', TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME
        USING ERRCODE = '42501';
END $$;
CREATE TRIGGER screening_run_guard BEFORE INSERT OR UPDATE OR DELETE ON regulator.screening_run
    FOR EACH ROW EXECUTE FUNCTION regulator.audit_guard();
CREATE TRIGGER screening_run_list_guard BEFORE UPDATE OR DELETE ON regulator.screening_run_list
    FOR EACH ROW EXECUTE FUNCTION regulator.audit_guard();
CREATE TRIGGER screening_hit_guard BEFORE UPDATE OR DELETE ON regulator.screening_hit
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
SELECT h.run_id, r.ran_at, r.ran_by, h.ref, cnid_mask(h.subject) AS person, h.list, h.entry_id,
       lower(h.valid) AS listed_from, upper(h.valid) AS listed_until, h.recorded_from, h.status
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
    n integer; bad integer;
BEGIN
    at := coalesce(at, current_date);
    published := coalesce(published, current_date);
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
    WHERE lists IS NULL OR l.name = ANY (lists);
    INSERT INTO regulator.screening_hit (run_id, ref, subject, list, entry_id, valid, recorded_from, status, review_id)
    SELECT run_id, m.ref, m.subject, m.list, m.entry_id, m.valid, m.recorded_from, m.status, m.review_id
    FROM screen_matches m;
    DROP TABLE screen_matches;
END $$;
COMMENT ON PROCEDURE regulator.screen(regclass, text, text[], date, date, bigint) IS
    'screen a batch (first column the resident ID, second a reference) against the lists as published on a date and record the run in the audit';
