-- screening: listed_entries(), the list rows behind a hit (src/screening.c).
-- Same rules as listed(): first column the subject, second the validity;
-- the caller's privileges and row-level security; the statement's snapshot.
\set VERBOSITY default

CREATE TABLE bans (person cnid, valid daterange, reason text, id int);
INSERT INTO bans VALUES
    ('11010519491231002X', '[2020-01-01,2025-01-01)', 'fraud', 1),
    ('11010519491231002X', '[2026-01-01,)', 'again', 2),
    ('440524188001010014', NULL, 'no validity', 3),
    (NULL, '[2020-01-01,)', 'no subject', 4);

SELECT e FROM listed_entries('11010519491231002X'::cnid, 'bans') e ORDER BY e->>'id';
SELECT e FROM listed_entries('11010519491231002X'::cnid, 'bans', date '2024-12-31') e;
SELECT e FROM listed_entries('11010519491231002X'::cnid, 'bans', date '2025-01-01') e;   -- end exclusive: none
SELECT e FROM listed_entries('11010519491231002X'::cnid, 'bans', date '2030-06-01') e;   -- open end
SELECT e FROM listed_entries('440524188001010014'::cnid, 'bans') e;                     -- undated form: listed
SELECT count(*) FROM listed_entries('440524188001010014'::cnid, 'bans', date '2024-01-01'); -- NULL validity: never
SELECT count(*) FROM listed_entries(NULL::cnid, 'bans');                                   -- NULL subject: no rows
SELECT count(*) FROM listed_entries('11010519491231002X'::cnid, 'bans', NULL);

-- in the select list, and the fields of a hit as plain SQL types
SELECT b.person, e->>'reason' AS reason, (e->>'valid')::daterange AS valid
FROM (VALUES ('11010519491231002X'::cnid), ('440524188001010014')) b(person),
     listed_entries(b.person, 'bans', date '2024-06-01') e
WHERE listed(b.person, 'bans', date '2024-06-01');

-- other subject types: text (and a varchar column), bigint, uscc, through a view
CREATE TABLE staff_bans (staff_id varchar(10), valid daterange, note text);
INSERT INTO staff_bans VALUES ('E-0042', '[2024-01-01,2024-07-01)', 'x'), ('E-0042', '[2024-03-01,)', 'y');
SELECT e->>'note' AS note FROM listed_entries('E-0042'::text, 'staff_bans', date '2024-04-01') e ORDER BY 1;
CREATE TABLE num_bans (k bigint, valid daterange);
INSERT INTO num_bans VALUES (1001, '[2020-01-01,2025-01-01)');
SELECT * FROM listed_entries(1001::bigint, 'num_bans');
CREATE TABLE firm_bans (code uscc, valid daterange);
INSERT INTO firm_bans VALUES ('91350100M000100Y43', '[2023-01-01,)');
SELECT * FROM listed_entries('91350100m000100y43'::uscc, 'firm_bans', date '2023-01-01');
CREATE VIEW ban_view AS SELECT person::text AS who, valid, reason FROM bans;
SELECT e->>'reason' AS reason FROM listed_entries('11010519491231002X'::text, 'ban_view') e ORDER BY 1;

-- text keys compare under the list column's collation (here case-insensitive), as listed() does
CREATE COLLATION screening_ci (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
CREATE TABLE ci_bans (staff_id text COLLATE screening_ci, valid daterange);
INSERT INTO ci_bans VALUES ('E-0042', NULL);
SELECT listed('e-0042'::text, 'ci_bans') AS listed, e FROM listed_entries('e-0042'::text, 'ci_bans') e;
DROP TABLE ci_bans;
DROP COLLATION screening_ci;

-- the list's shape: the errors of listed()
SELECT * FROM listed_entries('E-0042'::text, 'bans');   -- text subjects: its only text column
SELECT * FROM listed_entries(1::bigint, 'staff_bans');
CREATE TABLE undated (person cnid, reason text);
SELECT * FROM listed_entries('11010519491231002X'::cnid, 'undated', current_date);   -- no validity column
CREATE TABLE one_col (person cnid);
SELECT * FROM listed_entries('11010519491231002X'::cnid, 'one_col', current_date);   -- too few columns
CREATE SEQUENCE not_a_list;
SELECT * FROM listed_entries(1::bigint, 'not_a_list');
SELECT * FROM listed_entries(1::bigint, 0::oid::regclass);

-- listed_entries has a row exactly when listed() and EXISTS say listed,
-- and as many rows as the list holds for the subject, on random data
CREATE TABLE rnd_list (k bigint, valid daterange);
INSERT INTO rnd_list
SELECT (hashint4(i) & 255)::bigint,
       CASE WHEN i % 7 = 0 THEN NULL
            ELSE daterange(date '2024-01-01' + (hashint4(i + 1000) & 127),
                           date '2024-01-01' + (hashint4(i + 1000) & 127) + 1 + (hashint4(i + 2000) & 255)) END
FROM generate_series(1, 600) i;
SELECT count(*) AS probes,
       count(*) FILTER (WHERE (n > 0) IS DISTINCT FROM ex) AS differ_from_exists,
       count(*) FILTER (WHERE (n > 0) IS DISTINCT FROM listed(k, 'rnd_list', d)) AS differ_from_listed,
       count(*) FILTER (WHERE n <> cnt) AS differ_in_count,
       count(*) FILTER (WHERE ex) AS listed
FROM (SELECT k, d,
             (SELECT count(*) FROM listed_entries(k, 'rnd_list', d)) AS n,
             EXISTS (SELECT FROM rnd_list l WHERE l.k = p.k AND l.valid @> p.d) AS ex,
             (SELECT count(*) FROM rnd_list l WHERE l.k = p.k AND l.valid @> p.d) AS cnt
      FROM generate_series(0, 299) kk, LATERAL (SELECT kk::bigint AS k, date '2024-01-01' + kk % 400 AS d) p) t;

-- the statement's snapshot and command: a row the statement inserted
-- earlier (seen from a volatile function) counts ...
CREATE FUNCTION add_and_look(p cnid) RETURNS bigint LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO bans VALUES (p, '[2024-01-01,)', 'just added', 99);
    RETURN (SELECT count(*) FROM listed_entries(p, 'bans', date '2024-06-01'));
END $$;
SELECT add_and_look('310101200002290015');
-- ... and a row inserted by the same statement is not seen by its own scan
WITH ins AS (INSERT INTO bans VALUES (cnid_from_parts(320102, date '1980-01-01', 1), '[2024-01-01,)', 'same statement', 98)
             RETURNING 1)
SELECT (SELECT count(*) FROM ins) AS inserted,
       (SELECT count(*) FROM listed_entries(cnid_from_parts(320102, date '1980-01-01', 1), 'bans')) AS seen,
       EXISTS (SELECT FROM bans WHERE person = cnid_from_parts(320102, date '1980-01-01', 1)) AS exists_says;
SELECT count(*) AS seen_by_the_next_statement FROM listed_entries(cnid_from_parts(320102, date '1980-01-01', 1), 'bans');
-- a trigger screening the rows its statement inserts sees them
CREATE TABLE hires (person cnid, seen bigint);
CREATE FUNCTION screen_hire() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO bans VALUES (NEW.person, '[2024-01-01,)', 'by trigger', 97);
    NEW.seen := (SELECT count(*) FROM listed_entries(NEW.person, 'bans'));
    RETURN NEW;
END $$;
CREATE TRIGGER screen_hire BEFORE INSERT ON hires FOR EACH ROW EXECUTE FUNCTION screen_hire();
INSERT INTO hires (person) VALUES ('11010519491231002X'), (cnid_from_parts(350102, date '1990-01-01', 1));
SELECT person, seen FROM hires ORDER BY person;

-- privileges and row-level security are the caller's
CREATE ROLE regress_screening_reader;
CREATE SCHEMA hidden;
CREATE TABLE hidden.list (person cnid, valid daterange);
INSERT INTO hidden.list VALUES ('11010519491231002X', '[2020-01-01,)');
CREATE TABLE open_list (person cnid, valid daterange, owner_role text);
INSERT INTO open_list VALUES ('11010519491231002X', '[2020-01-01,)', 'regress_screening_reader'),
                             ('11010519491231002X', '[2021-01-01,)', 'someone_else');
ALTER TABLE open_list ENABLE ROW LEVEL SECURITY;
CREATE POLICY mine ON open_list FOR SELECT USING (owner_role = current_user);
GRANT SELECT ON open_list TO regress_screening_reader;
SELECT 'hidden.list'::regclass::oid AS hidden_list \gset
SET ROLE regress_screening_reader;
SELECT * FROM listed_entries('11010519491231002X'::cnid, 'bans');         -- no SELECT privilege
SELECT * FROM listed_entries('11010519491231002X'::cnid, :hidden_list::oid::regclass);  -- no USAGE on its schema (given by OID)
SELECT e->>'owner_role' AS owner_role FROM listed_entries('11010519491231002X'::cnid, 'open_list') e;
SELECT count(*) AS rows_via_exists FROM open_list WHERE person = '11010519491231002X';
RESET ROLE;
SELECT count(*) AS rows_as_owner FROM listed_entries('11010519491231002X'::cnid, 'open_list');

DROP TABLE bans, staff_bans, num_bans, firm_bans, undated, one_col, rnd_list, hires, open_list CASCADE;
DROP SEQUENCE not_a_list;
DROP FUNCTION add_and_look(cnid), screen_hire();
DROP SCHEMA hidden CASCADE;
DROP ROLE regress_screening_reader;
