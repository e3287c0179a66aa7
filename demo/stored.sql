-- demo/stored.sql — the report's stored figures: what the annual report
-- would otherwise re-derive from the raw rows on every reading.
--
-- At province scale (10M events, 15M transfers) deriving the early warnings,
-- the portraits of a million staff and the institutions' composed
-- assessments takes minutes; the report views (demo/report_views.sql) read
-- them from three tables instead, each filled per year (per period for the
-- warnings) by a refresh procedure that the load (demo/load.sh) and the
-- year-end workflow call:
--
--   regulator.stored_grade     institution x year: the scheme and the composed
--                              assessment (regulator.institution_year)
--   regulator.stored_portrait  current staff x year: the portrait (all the
--                              recorded events, as the report has always
--                              used) with its tags and risk grade as of the
--                              year end
--   regulator.stored_warning   period x rule x employee: the warnings
--                              (regulator.early_warnings)
--
--   CALL regulator.refresh_grades(year), refresh_portraits(year),
--        refresh_warnings(period)        recompute one year or period
--   CALL regulator.refresh_report()      recompute what is missing or stale
--                                        (grades of every scheme year, the
--                                        portraits and warnings of the latest)
--
-- A refresh holds a SHARE lock on its sources until its transaction ends:
-- writes to them wait (at province scale up to a minute, for the warnings),
-- so that no change can slip between what it read and its being recorded
-- fresh.  Each refresh is recorded in regulator.stored_refresh with its
-- time.  Any
-- later change to the rows a stored figure derives from (statement triggers
-- below) marks it stale, with the time and the change; a report view that
-- reads a stale or missing figure raises an error naming what changed and
-- the procedure to call (regulator.check_stored), so that stale figures are
-- never published silently.  regulator.stored_status shows every refresh.
-- Loaded after constraints.sql, before report_views.sql.

CREATE TABLE regulator.stored_refresh (
    figures      text NOT NULL CHECK (figures IN ('grades', 'portraits', 'warnings')),
    year         integer NOT NULL,        -- warnings: the year the period starts in
    period       daterange NOT NULL,      -- the dates the figures cover
    refreshed_at timestamptz NOT NULL,
    rows         bigint NOT NULL,
    seconds      numeric(10, 1) NOT NULL, -- how long the refresh took
    stale_since  timestamptz,             -- the first change to a source after the refresh
    stale_reason text,                    -- which change: 'INSERT on regulator.event'
    PRIMARY KEY (figures, period)
);
COMMENT ON TABLE regulator.stored_refresh IS
    'every refresh of the report''s stored figures: when, how many rows, and whether a source changed since (stale)';

CREATE TABLE regulator.stored_grade (
    institution_id integer NOT NULL,
    year           integer NOT NULL,
    rules          scheme NOT NULL,
    a              assessment NOT NULL,
    PRIMARY KEY (year, institution_id)
);
COMMENT ON TABLE regulator.stored_grade IS
    'regulator.institution_year stored per year by regulator.refresh_grades: the scheme in force and the composed assessment';

CREATE TABLE regulator.stored_portrait (
    year        integer NOT NULL,
    employee_id bigint NOT NULL,
    p           portrait NOT NULL,
    tags        text[] NOT NULL,      -- portrait_tags at the year end
    risk        risk_grade NOT NULL,  -- portrait_risk at the year end
    redlines    bigint NOT NULL,
    total       numeric NOT NULL,
    negative    numeric NOT NULL,
    events      bigint NOT NULL,
    PRIMARY KEY (year, employee_id)
);
-- the top-risk section reads the first rows of this order
CREATE INDEX stored_portrait_risk_idx
    ON regulator.stored_portrait (year, risk DESC, redlines DESC, total, employee_id);
-- the honour list ranks the exemplars without a deduction in this order
CREATE INDEX stored_portrait_exemplar_idx
    ON regulator.stored_portrait (year, total DESC, events DESC, employee_id)
    WHERE negative = 0 AND 'exemplar' = ANY (tags);
COMMENT ON TABLE regulator.stored_portrait IS
    'the portraits of current staff (all their recorded events) with tags and risk grade as of each year end, by regulator.refresh_portraits';

CREATE TABLE regulator.stored_warning (
    period      daterange NOT NULL,
    rule        text NOT NULL,
    employee_id bigint NOT NULL,
    first_at    timestamptz NOT NULL,
    last_at     timestamptz NOT NULL,
    transfers   integer NOT NULL,
    amount      numeric NOT NULL,
    evidence    jsonb NOT NULL,
    PRIMARY KEY (period, rule, employee_id)
);
COMMENT ON TABLE regulator.stored_warning IS
    'the early warnings of each period (regulator.early_warnings), by regulator.refresh_warnings';

-- The year's dates and its end in Shanghai time.
CREATE FUNCTION regulator.year_period(year integer) RETURNS daterange
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN daterange(make_date(year, 1, 1), make_date(year + 1, 1, 1));
CREATE FUNCTION regulator.year_end(year integer) RETURNS timestamptz
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN (make_date(year, 12, 31) + time '23:59:59') AT TIME ZONE 'Asia/Shanghai';

-- record a refresh (replacing the previous one of the same figures and period)
CREATE PROCEDURE regulator.record_refresh(p_figures text, p_year integer, p_period daterange,
                                          p_rows bigint, p_started timestamptz)
LANGUAGE sql AS $$
    INSERT INTO regulator.stored_refresh AS r (figures, year, period, refreshed_at, rows, seconds)
    VALUES (p_figures, p_year, p_period, now(), p_rows,
            round(extract(epoch FROM clock_timestamp() - p_started), 1))
    ON CONFLICT (figures, period) DO UPDATE
        SET year = excluded.year, refreshed_at = excluded.refreshed_at, rows = excluded.rows,
            seconds = excluded.seconds, stale_since = NULL, stale_reason = NULL;
$$;

CREATE PROCEDURE regulator.refresh_grades(p_year integer)
LANGUAGE plpgsql AS $$
DECLARE
    started timestamptz := clock_timestamp();
    n       bigint;
BEGIN
    LOCK TABLE regulator.assessment_result, regulator.scheme_version, regulator.indicator_version IN SHARE MODE;
    DELETE FROM regulator.stored_grade WHERE year = p_year;
    INSERT INTO regulator.stored_grade (institution_id, year, rules, a)
    SELECT iy.institution_id, iy.year, iy.rules, iy.a
    FROM regulator.institution_year iy WHERE iy.year = p_year;
    GET DIAGNOSTICS n = ROW_COUNT;
    CALL regulator.record_refresh('grades', p_year, regulator.year_period(p_year), n, started);
END $$;
COMMENT ON PROCEDURE regulator.refresh_grades(integer) IS
    'recompute the stored composed assessments of one year (regulator.stored_grade)';

CREATE PROCEDURE regulator.refresh_portraits(p_year integer)
LANGUAGE plpgsql AS $$
DECLARE
    started timestamptz := clock_timestamp();
    as_of   timestamptz := regulator.year_end(p_year);
    n       bigint;
BEGIN
    LOCK TABLE regulator.event, regulator.employee IN SHARE MODE;
    DELETE FROM regulator.stored_portrait WHERE year = p_year;
    INSERT INTO regulator.stored_portrait (year, employee_id, p, tags, risk, redlines, total, negative, events)
    SELECT p_year, s.employee_id, s.p, portrait_tags(s.p, as_of), portrait_risk(s.p, as_of),
           portrait_redlines(s.p), portrait_total(s.p), portrait_negative(s.p), portrait_events(s.p)
    FROM (SELECT ev.employee_id, portrait(ev.module, ev.points, ev.at) AS p
          FROM regulator.event ev
          JOIN regulator.employee e ON e.id = ev.employee_id
          WHERE e.left_on IS NULL
          GROUP BY ev.employee_id) s;
    GET DIAGNOSTICS n = ROW_COUNT;
    CALL regulator.record_refresh('portraits', p_year, regulator.year_period(p_year), n, started);
END $$;
COMMENT ON PROCEDURE regulator.refresh_portraits(integer) IS
    'recompute the stored portraits of current staff (all their events), tagged and graded as of the end of one year (regulator.stored_portrait)';

CREATE PROCEDURE regulator.refresh_warnings(p_period daterange)
LANGUAGE plpgsql AS $$
DECLARE
    started timestamptz := clock_timestamp();
    n       bigint;
BEGIN
    LOCK TABLE regulator.transfer, regulator.account, regulator.loan, regulator.warning_rule IN SHARE MODE;
    DELETE FROM regulator.stored_warning WHERE period = p_period;
    INSERT INTO regulator.stored_warning (period, rule, employee_id, first_at, last_at, transfers, amount, evidence)
    SELECT p_period, w.rule, w.employee_id, w.first_at, w.last_at, w.transfers, w.amount, w.evidence
    FROM regulator.early_warnings(p_period) w;
    GET DIAGNOSTICS n = ROW_COUNT;
    CALL regulator.record_refresh('warnings', extract(year FROM lower(p_period))::integer, p_period, n, started);
END $$;
COMMENT ON PROCEDURE regulator.refresh_warnings(daterange) IS
    'recompute the stored early warnings of one period (regulator.stored_warning)';

-- What the report reads, refreshed where missing or stale: the grades of
-- every scheme year, the portraits and the warnings of the latest.
-- Up-to-date figures are left alone.
CREATE PROCEDURE regulator.refresh_report()
LANGUAGE plpgsql AS $$
DECLARE
    y      integer;
    latest integer := (SELECT max(year) FROM regulator.scheme_year);
BEGIN
    FOR y IN SELECT s.year FROM regulator.scheme_year s ORDER BY 1 LOOP
        IF NOT regulator.stored_is_fresh('grades', regulator.year_period(y)) THEN
            CALL regulator.refresh_grades(y);
        END IF;
    END LOOP;
    IF latest IS NULL THEN
        RETURN;
    END IF;
    IF NOT regulator.stored_is_fresh('portraits', regulator.year_period(latest)) THEN
        CALL regulator.refresh_portraits(latest);
    END IF;
    IF NOT regulator.stored_is_fresh('warnings', regulator.year_period(latest)) THEN
        CALL regulator.refresh_warnings(regulator.year_period(latest));
    END IF;
END $$;
COMMENT ON PROCEDURE regulator.refresh_report() IS
    'refresh the report''s stored figures that are missing or stale: grades of every year, portraits and warnings of the latest';

CREATE FUNCTION regulator.stored_is_fresh(p_figures text, p_period daterange) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT coalesce((SELECT r.stale_since IS NULL FROM regulator.stored_refresh r
                     WHERE r.figures = p_figures AND r.period = p_period), false);
$$;

-- The report's guard: p_year when the stored figures of the scheme years
-- p_first (default p_year) to p_year are there and up to date, an error
-- naming what is missing or what changed otherwise.  The report views call
-- it once per reading, in a one-row subquery.
CREATE FUNCTION regulator.check_stored(p_figures text, p_year integer, p_first integer DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql STABLE AS $$
DECLARE
    r     regulator.stored_refresh;
    y     integer;
BEGIN
    FOR y IN SELECT s.year FROM regulator.scheme_year s
             WHERE s.year BETWEEN coalesce(p_first, p_year) AND p_year ORDER BY 1 LOOP
        SELECT * INTO r FROM regulator.stored_refresh x
        WHERE x.figures = p_figures AND x.period = regulator.year_period(y);
        IF NOT FOUND THEN
            RAISE EXCEPTION 'the report''s stored % of % have not been computed', p_figures, y
                USING ERRCODE = 'object_not_in_prerequisite_state',
                      HINT = 'Run CALL regulator.refresh_report(); before reading the report.';
        END IF;
        IF r.stale_since IS NOT NULL THEN
            RAISE EXCEPTION 'the report''s stored % of % are stale', p_figures, y
                USING ERRCODE = 'object_not_in_prerequisite_state',
                      DETAIL = format('They were computed at %s; %s at %s changed their sources.',
                                      r.refreshed_at, r.stale_reason, r.stale_since),
                      HINT = 'Run CALL regulator.refresh_report(); to recompute them before reading the report.';
        END IF;
    END LOOP;
    RETURN p_year;
END $$;
COMMENT ON FUNCTION regulator.check_stored(text, integer, integer) IS
    'p_year, when the report''s stored figures of the years p_first to p_year are computed and up to date; an error naming the change otherwise';

-- Staleness: a statement that changes a source marks the figures derived
-- from it stale (all their years: a late event or transfer can move any).
CREATE FUNCTION regulator.mark_stored_stale() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE regulator.stored_refresh
       SET stale_since = now(), stale_reason = format('%s on %I.%I', TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME)
     WHERE figures = ANY (TG_ARGV::text[]) AND stale_since IS NULL;
    RETURN NULL;
END $$;
CREATE TRIGGER stored_stale AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON regulator.assessment_result
    FOR EACH STATEMENT EXECUTE FUNCTION regulator.mark_stored_stale('grades');
CREATE TRIGGER stored_stale AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON regulator.scheme_version
    FOR EACH STATEMENT EXECUTE FUNCTION regulator.mark_stored_stale('grades');
CREATE TRIGGER stored_stale AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON regulator.indicator_version
    FOR EACH STATEMENT EXECUTE FUNCTION regulator.mark_stored_stale('grades');
CREATE TRIGGER stored_stale AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON regulator.event
    FOR EACH STATEMENT EXECUTE FUNCTION regulator.mark_stored_stale('portraits');
CREATE TRIGGER stored_stale AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON regulator.employee
    FOR EACH STATEMENT EXECUTE FUNCTION regulator.mark_stored_stale('portraits');
CREATE TRIGGER stored_stale AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON regulator.transfer
    FOR EACH STATEMENT EXECUTE FUNCTION regulator.mark_stored_stale('warnings');
CREATE TRIGGER stored_stale AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON regulator.account
    FOR EACH STATEMENT EXECUTE FUNCTION regulator.mark_stored_stale('warnings');
CREATE TRIGGER stored_stale AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON regulator.loan
    FOR EACH STATEMENT EXECUTE FUNCTION regulator.mark_stored_stale('warnings');
CREATE TRIGGER stored_stale AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON regulator.warning_rule
    FOR EACH STATEMENT EXECUTE FUNCTION regulator.mark_stored_stale('warnings');

CREATE VIEW regulator.stored_status AS
SELECT figures, year, period, refreshed_at, rows, seconds,
       stale_since IS NULL AS fresh, stale_since, stale_reason
FROM regulator.stored_refresh
ORDER BY figures, period;
COMMENT ON VIEW regulator.stored_status IS
    'the report''s stored figures: each refresh with its time, and whether a change to their sources made them stale since';
