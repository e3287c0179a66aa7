-- pgTAP: screening by name in the reference model's workflow (issue 21,
-- demo/schema.sql): the lists published by name (debtor_names: name and
-- masked ID number; ban_names: name, institution, a number or none), hits
-- with their score and evidence, reviews of hits by name, and the audit
-- trigger that rechecks the evidence of every hit an officer records.
-- Hand-made data: three people, six entries (true matches, near misses, a
-- namesake whose visible digits agree), no generator.
BEGIN;
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS btree_gist;
\i demo/schema.sql
RESET client_min_messages;
SELECT plan(51);

-- people: 张伟 (born 1949), 李强 (worked at institution 7, now at 9), 王芳
INSERT INTO regulator.employee (id, cnid, name, institution_id, position, hired, left_on) VALUES
    (1, '11010519491231002X', '张伟', 9, '柜员', '2024-03-01', NULL),
    (2, '330102199001010338', '李强', 7, '信贷员', '2015-01-01', '2020-01-01'),
    (3, '330102199001010338', '李强', 9, '信贷员', '2024-03-01', NULL),
    (4, '330103199202020010', '王芳', 9, '会计', '2024-03-01', NULL);
CREATE TABLE tap_batch (id cnid, ref text, name text);
INSERT INTO tap_batch SELECT cnid, id::text, name FROM regulator.employee WHERE hired = '2024-03-01';
CREATE TABLE tap_batch_numbers (id cnid, ref text);
INSERT INTO tap_batch_numbers SELECT id, ref FROM tap_batch;

INSERT INTO regulator.list_publication (list, published, entries, added, removed) VALUES
    ('debtor_names', '2024-03-01', 3, 3, 0), ('ban_names', '2024-03-01', 3, 3, 0);
INSERT INTO regulator.name_entry (id, list, name, masked, institution_id, decision, reason, valid, recorded_from) VALUES
    -- 张伟 in traditional characters, birth month and day masked: a true match
    (1, 'debtor_names', '張偉', '1101051949****002X', NULL, '(2023)京0105执1号', '失信被执行人', '[2023-01-01,)', '2024-03-01'),
    -- another 张伟: the visible birth year differs (a near miss, not reported)
    (2, 'debtor_names', '张伟', '1101051985****002X', NULL, '(2023)京0105执2号', '失信被执行人', '[2023-01-01,)', '2024-03-01'),
    -- another 张伟 whose visible digits agree (the whole birth date masked): a hit only a reviewer can clear
    (6, 'debtor_names', '张伟', '110105********002X', NULL, '(2023)京0105执6号', '失信被执行人', '[2023-01-01,)', '2024-03-01'),
    -- 李强 banned, no number, the decision names institution 7, where he worked
    (3, 'ban_names', '李强', NULL, 7, '浙金罚决字〔2023〕3号', '禁止从业', '[2023-06-01,2028-06-01)', '2024-03-01'),
    -- in pinyin with the institution: 40 + 25, under the threshold
    (4, 'ban_names', 'LI Qiang', NULL, 7, '浙金罚决字〔2023〕4号', '禁止从业', '[2023-06-01,2028-06-01)', '2024-03-01'),
    -- a name alone
    (5, 'ban_names', '李强', NULL, NULL, '浙金罚决字〔2023〕5号', '禁止从业', '[2023-06-01,2028-06-01)', '2024-03-01');

-- the matches by name: the true match, the ban through the institution, the
-- namesake with agreeing digits; each with name_match's evidence
SELECT results_eq(
    $$SELECT ref, list, entry_id, name, score, evidence, status
      FROM regulator.screening_matches('tap_batch', '2024-03-31', '2024-03-31') ORDER BY ref, entry_id$$,
    $$VALUES ('1', 'debtor_names', 1::bigint, '张伟', 87, ARRAY['traditional', 'region', 'birth year', 'sex', 'sequence'], 'open'),
             ('1', 'debtor_names', 6::bigint, '张伟', 75, ARRAY['exact', 'region', 'sex', 'sequence'], 'open'),
             ('3', 'ban_names', 3::bigint, '李强', 70, ARRAY['exact', 'institution'], 'open')$$,
    'matches by name: score and evidence of name_match, institution from the employment history');
SELECT is((SELECT score FROM name_match('张伟', '张伟', '11010519491231002X', '1101051985****002X')), 20,
          'the near miss scores 20 (number differs) and is not reported');
SELECT is_empty($$SELECT FROM regulator.screening_matches('tap_batch', '2024-03-31', '2024-03-31')
                  WHERE entry_id IN (2, 4, 5)$$,
                'no hit for another birth year, a pinyin name with the institution, or a name alone');
SELECT is_empty($$SELECT FROM regulator.screening_matches('tap_batch', '2024-03-31', '2024-03-31') WHERE ref = '4'$$,
                'a person on no list has no hit');
SELECT ok((SELECT bool_and(score >= name_match_threshold())
           FROM regulator.screening_matches('tap_batch', '2024-03-31', '2024-03-31')),
          'every match by name is at or above the threshold');
-- nothing that can reach the threshold is left out of the candidates: a ban
-- naming the institution that employed the person, with a mask hiding the
-- region (any name: 45 + 25) or the sequence (a two-character name one
-- character different, no key in common: 65 + 25); checked against scoring
-- every pair of the batch and the list
INSERT INTO regulator.name_entry (id, list, name, masked, institution_id, decision, reason, valid, recorded_from) VALUES
    (20, 'ban_names', '李刚', '3301021990010103**', 7, '浙金罚决字〔2023〕20号', '禁止从业', '[2023-06-01,2028-06-01)', '2024-03-01'),
    (21, 'ban_names', '王五', '******199001010338', 7, '浙金罚决字〔2023〕21号', '禁止从业', '[2023-06-01,2028-06-01)', '2024-03-01');
SELECT set_eq(
    $$SELECT ref, entry_id, score FROM regulator.screening_matches('tap_batch', '2024-03-31', '2024-03-31') WHERE name IS NOT NULL$$,
    $$SELECT b.ref, e.id, x.score FROM tap_batch b
      JOIN regulator.name_entry e ON e.valid @> '2024-03-31'::date AND e.recorded_from <= '2024-03-31'
                                 AND (e.recorded_until IS NULL OR '2024-03-31' < e.recorded_until)
      CROSS JOIN LATERAL regulator.name_evidence(b.name, b.id, e.name, e.masked, e.institution_id) x
      WHERE x.score >= name_match_threshold()$$,
    'screening by name finds every entry that scoring every pair puts at or above the threshold (masks hiding region or sequence, with the institution)');
DELETE FROM regulator.name_entry WHERE id IN (20, 21);
-- the same against a batch of people employed by institution 9 (张伟, a
-- minority name with a middle dot, a name in Latin letters) and entries
-- naming that institution without a number: only the same name after
-- name_normalize reaches the threshold there (45 + 25), found by equality
-- of the keys, in every written form (traditional, full-width space, dots
-- of other code points, Latin letters in other case and spacing); a name
-- alone (no institution) or a name that normalises to nothing never
INSERT INTO regulator.employee (id, cnid, name, institution_id, position, hired, left_on) VALUES
    (10, '650102198001010039', '阿依古丽·买买提', 9, '柜员', '2020-01-01', NULL),
    (11, '330102198505050072', 'Zhang Wei', 9, '柜员', '2020-01-01', NULL),
    (12, '330102198505050099', '·', 9, '柜员', '2020-01-01', NULL);
CREATE TABLE tap_batch_forms AS SELECT cnid AS id, id::text AS ref, name FROM regulator.employee WHERE id IN (1, 10, 11, 12);
CREATE VIEW tap_pairs AS
SELECT b.ref, e.id AS entry_id, x.score FROM tap_batch_forms b
JOIN regulator.name_entry e ON e.valid @> '2024-03-31'::date AND e.recorded_from <= '2024-03-31'
                           AND (e.recorded_until IS NULL OR '2024-03-31' < e.recorded_until)
CROSS JOIN LATERAL regulator.name_evidence(b.name, b.id, e.name, e.masked, e.institution_id) x
WHERE x.score >= name_match_threshold();
-- and what screening by name reports for the same batch
CREATE VIEW tap_screened AS
SELECT ref, entry_id, score FROM regulator.screening_matches('tap_batch_forms', '2024-03-31', '2024-03-31')
WHERE name IS NOT NULL;
INSERT INTO regulator.name_entry (id, list, name, masked, institution_id, decision, reason, valid, recorded_from) VALUES
    (30, 'ban_names', '張偉', NULL, 9, '浙金罚决字〔2023〕30号', '禁止从业', '[2023-06-01,2028-06-01)', '2024-03-01'),
    (31, 'ban_names', '张　伟', NULL, 9, '浙金罚决字〔2023〕31号', '禁止从业', '[2023-06-01,2028-06-01)', '2024-03-01'),
    (32, 'ban_names', '阿依古丽•买买提', NULL, 9, '浙金罚决字〔2023〕32号', '禁止从业', '[2023-06-01,2028-06-01)', '2024-03-01'),
    (33, 'ban_names', '阿依古丽 ・ 买买提', NULL, 9, '浙金罚决字〔2023〕33号', '禁止从业', '[2023-06-01,2028-06-01)', '2024-03-01'),
    (34, 'ban_names', 'ZHANG  WEI', NULL, 9, '浙金罚决字〔2023〕34号', '禁止从业', '[2023-06-01,2028-06-01)', '2024-03-01'),
    (35, 'ban_names', 'zhang wei', NULL, NULL, '浙金罚决字〔2023〕35号', '禁止从业', '[2023-06-01,2028-06-01)', '2024-03-01'),
    (36, 'ban_names', '•', NULL, 9, '浙金罚决字〔2023〕36号', '禁止从业', '[2023-06-01,2028-06-01)', '2024-03-01');
SELECT set_eq(
    'SELECT * FROM tap_screened WHERE entry_id >= 30',
    $$VALUES ('1', 30::bigint, 70), ('1', 31, 70), ('10', 32, 70), ('10', 33, 70), ('11', 34, 70)$$,
    'entries without a number naming the institution: the same name in every written form');
SELECT set_eq(
    'SELECT * FROM tap_screened',
    'SELECT * FROM tap_pairs',
    'and screening by name finds every entry that scoring every pair puts at or above the threshold');
DELETE FROM regulator.name_entry WHERE id >= 30;
-- no institution, a mask hiding a region digit or a sequence position but
-- showing the birth date: the number gives up to 53, so a two-character
-- name one character different (20, no key in common) or a one-character
-- name reaches the threshold (73, 70)
INSERT INTO regulator.name_entry (id, list, name, masked, institution_id, decision, reason, valid, recorded_from) VALUES
    (22, 'debtor_names', '李伟', '*1010519491231002X', NULL, '(2023)京0105执22号', '失信被执行人', '[2023-01-01,)', '2024-03-01'),
    (23, 'debtor_names', '张', '11010519491231*02X', NULL, '(2023)京0105执23号', '失信被执行人', '[2023-01-01,)', '2024-03-01');
SELECT set_eq(
    'SELECT * FROM tap_screened WHERE entry_id IN (22, 23)',
    $$VALUES ('1', 22::bigint, 73), ('1', 23, 70)$$,
    'a mask showing the birth date but hiding a region digit or a sequence position, no institution: a two-character name one character different');
SELECT set_eq(
    'SELECT * FROM tap_screened',
    'SELECT * FROM tap_pairs',
    'and screening by name finds every entry that scoring every pair puts at or above the threshold (masks showing the birth date)');
DELETE FROM regulator.name_entry WHERE id IN (22, 23);
DELETE FROM regulator.employee WHERE id >= 10;
-- as published before the entries were recorded, and after the ban ended
SELECT is_empty($$SELECT FROM regulator.screening_matches('tap_batch', '2024-03-31', '2024-02-29')$$,
                'lists as published before the entries: no hits');
SELECT is((SELECT count(*)::int FROM regulator.screening_matches('tap_batch', '2028-07-01', '2024-03-31')), 2,
          'after the ban''s validity only the debtor entries match');
-- a batch without names is screened by number only; naming a list published
-- by name for it is an error
SELECT is_empty($$SELECT FROM regulator.screening_matches('tap_batch_numbers', '2024-03-31', '2024-03-31')$$,
                'a batch without a name column: no matches by name');
SELECT throws_ok($$CALL regulator.screen('tap_batch_numbers', 'tap', lists => ARRAY['debtor_names'],
                                         at => '2024-03-31', published => '2024-03-31')$$,
                 '22023', 'batch tap_batch_numbers has no name column to screen lists published by name',
                 'screening a list published by name needs a name column');

-- a run records the hits with their evidence and the publications it used
CALL regulator.screen('tap_batch', 'tap: new hires', at => '2024-03-31', published => '2024-03-31') \g /dev/null
SELECT results_eq(
    $$SELECT h.ref, h.entry_id, h.name, h.score, h.evidence FROM regulator.screening_hit h
      WHERE h.run_id = (SELECT max(id) FROM regulator.screening_run) ORDER BY h.ref, h.entry_id$$,
    $$SELECT ref, entry_id, name, score, evidence FROM regulator.screening_matches('tap_batch', '2024-03-31', '2024-03-31')
      ORDER BY ref, entry_id$$,
    'the run records every match with its name, score and evidence');
SELECT is((SELECT matches FROM regulator.screening_run ORDER BY id DESC LIMIT 1), 3, 'the run counts the hits by name');
SELECT results_eq(
    $$SELECT list, publication FROM regulator.screening_run_list
      WHERE run_id = (SELECT max(id) FROM regulator.screening_run) AND list LIKE '%names' ORDER BY list$$,
    $$VALUES ('ban_names', '2024-03-01'::date), ('debtor_names', '2024-03-01'::date)$$,
    'the run records the publications of the lists published by name');
SELECT results_eq(
    $$SELECT person, score, evidence FROM regulator.screening_hit_log
      WHERE run_id = (SELECT max(id) FROM regulator.screening_run) ORDER BY ref, score DESC$$,
    $$VALUES ('110105********002X', 87, ARRAY['traditional', 'region', 'birth year', 'sex', 'sequence']),
             ('110105********002X', 75, ARRAY['exact', 'region', 'sex', 'sequence']),
             ('330102********0338', 70, ARRAY['exact', 'institution'])$$,
    'the audit log others read shows score and evidence with the number masked');
SELECT hasnt_column('regulator', 'screening_hit_log', 'name', 'the audit log others read leaves the name screened out');

-- reviews: the namesake is cleared after reading the court's file; the case
-- comes back when the review expires
INSERT INTO regulator.screening_review (subject, list, decision, reviewer, reason, reviewed_at, expires)
VALUES ('330102199001010338', 'ban_names', 'confirmed', 'tap', 'the same person', '2024-04-02 10:00+08', NULL),
       ('11010519491231002X', 'debtor_names', 'cleared', 'tap', 'another person of that name', '2024-04-02 11:00+08',
        '2025-04-02');
SELECT results_eq(
    $$SELECT ref, entry_id, status FROM regulator.screening_matches('tap_batch', '2024-05-31', '2024-03-31')
      ORDER BY ref, entry_id$$,
    $$VALUES ('1', 1::bigint, 'cleared'), ('1', 6::bigint, 'cleared'), ('3', 3::bigint, 'confirmed')$$,
    'reviews of hits by name apply per person and list');
SELECT is_empty($$SELECT FROM regulator.screening_hits('tap_batch', '2024-05-31', '2024-03-31') WHERE ref = '1'$$,
                'a cleared hit by name is left out of the hits to work on');
SELECT is((SELECT count(*)::int FROM regulator.screening_hits('tap_batch', '2025-04-02', '2024-03-31') WHERE ref = '1'), 2,
          'and is back once the review expires');
-- an entry recorded after the review reopens the case
INSERT INTO regulator.list_publication (list, published, entries, added, removed) VALUES ('debtor_names', '2024-05-01', 4, 1, 0);
INSERT INTO regulator.name_entry (id, list, name, masked, institution_id, decision, reason, valid, recorded_from) VALUES
    (7, 'debtor_names', 'ZHANG Wei', '1101051949******2X', NULL, '(2024)京0105执7号', '失信被执行人', '[2024-04-01,)', '2024-05-01');
SELECT results_eq(
    $$SELECT entry_id, score, evidence, status FROM regulator.screening_hits('tap_batch', '2024-05-31', '2024-05-31')
      WHERE ref = '1'$$,
    $$VALUES (7::bigint, 72, ARRAY['pinyin', 'region', 'birth year', 'sex', 'sequence'], 'open')$$,
    'an entry recorded after the review is open; a mask hiding the sequence is found through the name keys');

-- the audit: an officer records the run's hits as they are, nothing else
CREATE ROLE tap_officer;
GRANT USAGE ON SCHEMA regulator TO tap_officer;
-- what screening by number needs, and name_entry; not regulator.employee
-- (every employee's ID number): regulator.employed_by answers the one
-- question screening by name asks about employment
GRANT SELECT ON regulator.blacklist_version, regulator.list, regulator.list_publication, regulator.screening_review,
                regulator.name_entry, tap_batch TO tap_officer;
GRANT EXECUTE ON FUNCTION regulator.employed_by(cnid, integer) TO tap_officer;
-- employed_by answers from regulator.employee: not for anyone with USAGE
-- on the schema (who could otherwise probe ID numbers against institutions)
CREATE ROLE tap_reader;
GRANT USAGE ON SCHEMA regulator TO tap_reader;
SET ROLE tap_reader;
SELECT throws_ok($$SELECT regulator.employed_by('330102199001010338', 7)$$, '42501',
                 'permission denied for function employed_by',
                 'employed_by is not executable by everyone (no EXECUTE for PUBLIC)');
RESET ROLE;
SELECT ok((SELECT p.prosecdef AND p.proconfig = ARRAY['search_path=pg_catalog, pg_temp']
           FROM pg_proc p WHERE p.oid = 'regulator.employed_by(cnid, integer)'::regprocedure),
          'employed_by runs with the owner''s rights and a pinned search path');
SET ROLE tap_officer;
CALL regulator.screen('tap_batch', 'tap: by an officer', at => '2024-03-31', published => '2024-03-31') \g /dev/null
SELECT is((SELECT count(*)::int FROM regulator.screening_hit_log
           WHERE run_id = (SELECT max(run_id) FROM regulator.screening_run_log)), 3,
          'an officer''s run records the hits by name');
SELECT results_eq(
    $$SELECT ref, list, entry_id, score, evidence FROM regulator.screening_matches('tap_batch', '2024-03-31', '2024-03-31')
      WHERE list = 'ban_names'$$,
    $$VALUES ('3', 'ban_names', 3::bigint, 70, ARRAY['exact', 'institution'])$$,
    'an officer without SELECT on regulator.employee screens by name, with the institution''s evidence');
SELECT throws_ok('SELECT count(*) FROM regulator.employee', '42501', 'permission denied for table employee',
                 'and still cannot read regulator.employee');
SELECT results_eq(
    $$SELECT regulator.employed_by('330102199001010338', 7), regulator.employed_by('330102199001010338', 8),
             regulator.employed_by('330102199001010338', NULL)$$,
    $$VALUES (true, false, NULL::boolean)$$,
    'employed_by answers yes or no for one person and institution');
RESET ROLE;
INSERT INTO regulator.blacklist (subject, valid, id, list, reason, recorded_from)
VALUES ('330103199202020010', '[2023-01-01,)', 100, 'dishonest_debtor', '失信被执行人', '2024-03-01');
SET ROLE tap_officer;
INSERT INTO regulator.screening_run (purpose, batch, at, published, batch_size, invalid, matches, cleared)
VALUES ('tap: own run', 'x', '2024-03-31', '2024-03-31', 0, 0, 0, 0);
CREATE TEMP TABLE tap_run AS SELECT max(run_id) AS id FROM regulator.screening_run_log;
SELECT throws_ok(
    $$INSERT INTO regulator.screening_hit (run_id, ref, subject, list, entry_id, valid, recorded_from, status, name, score, evidence)
      SELECT id, '4', '330103199202020010', 'debtor_names', 1, '[2023-01-01,)', '2024-03-01', 'open', '张伟', 87,
             ARRAY['traditional', 'region', 'birth year', 'sex', 'sequence'] FROM tap_run$$,
    '42501', 'a screening hit by name must be a version of a list entry with the evidence it gives',
    'a hit by name with evidence the number does not give is refused');
SELECT throws_ok(
    $$INSERT INTO regulator.screening_hit (run_id, ref, subject, list, entry_id, valid, recorded_from, status, name, score, evidence)
      SELECT id, '3', '330102199001010338', 'ban_names', 5, '[2023-06-01,2028-06-01)', '2024-03-01', 'open', '李强', 70,
             ARRAY['exact', 'institution'] FROM tap_run$$,
    '42501', 'a screening hit by name must be a version of a list entry with the evidence it gives',
    'a hit by name with an inflated score (a name alone made a hit) is refused');
SELECT lives_ok(
    $$INSERT INTO regulator.screening_hit (run_id, ref, subject, list, entry_id, valid, recorded_from, status, name, score, evidence)
      SELECT id, '3', '330102199001010338', 'ban_names', 5, '[2023-06-01,2028-06-01)', '2024-03-01', 'open', '李强', 45,
             ARRAY['exact'] FROM tap_run$$,
    'a hit by name with the evidence name and number give is accepted (even under the threshold: the officer''s call)');
SELECT throws_ok(
    $$INSERT INTO regulator.screening_hit (run_id, ref, subject, list, entry_id, valid, recorded_from, status, score, evidence)
      SELECT r.id, '9', v.subject, v.list, v.id, v.valid, lower(v.recorded), 'open', 50, ARRAY['number']
      FROM tap_run r, regulator.blacklist_version v$$,
    '42501', 'a screening hit by number scores 100 with the evidence {number}',
    'a hit by number with a score other than 100 is refused');
RESET ROLE;

-- publishing a list by name (regulator.publish): ban_names as published on
-- 2024-06-01 — entry 3 unchanged, 4 changed (its name as written), 5
-- withdrawn, a new one (王芳 with a masked number) — and on 2024-07-01 — 3
-- withdrawn, 4 unchanged, the new one changed (its reason), another new one
-- (张伟 without a number, the institution that employs him)
CREATE TABLE tap_ban AS
SELECT e.id, e.name, e.masked::text AS masked, e.institution_id, e.decision, e.reason, e.valid
FROM regulator.name_entry e WHERE e.list = 'ban_names' AND e.recorded_until IS NULL;
UPDATE tap_ban SET name = '李强' WHERE id = 4;
DELETE FROM tap_ban WHERE id = 5;
INSERT INTO tap_ban VALUES (NULL, '王芳', '3301031992****0010', NULL, '浙金罚决字〔2024〕8号', '禁止从业', '[2024-05-01,2029-05-01)');
CALL regulator.publish('ban_names', '2024-06-01', 'tap_ban');
DELETE FROM tap_ban WHERE id = 3;
UPDATE tap_ban SET id = 8, reason = '禁止从业（复议维持）' WHERE id IS NULL;
INSERT INTO tap_ban VALUES (NULL, '张伟', NULL, 9, '浙金罚决字〔2024〕9号', '禁止从业', '[2024-06-01,2029-06-01)');
CALL regulator.publish('ban_names', '2024-07-01', 'tap_ban');
SELECT results_eq(
    $$SELECT id, name, recorded_from, recorded_until FROM regulator.name_entry WHERE list = 'ban_names'
      ORDER BY id, recorded_from$$,
    $$VALUES (3::bigint, '李强', '2024-03-01'::date, '2024-07-01'::date),
             (4, 'LI Qiang', '2024-03-01', '2024-06-01'), (4, '李强', '2024-06-01', NULL),
             (5, '李强', '2024-03-01', '2024-06-01'),
             (8, '王芳', '2024-06-01', '2024-07-01'), (8, '王芳', '2024-07-01', NULL),
             (9, '张伟', '2024-07-01', NULL)$$,
    'publish by name: withdrawn and changed versions end on the publication date, new versions start there, unchanged ones stay');
SELECT results_eq(
    $$SELECT published, entries, added, removed FROM regulator.list_publication WHERE list = 'ban_names' ORDER BY published$$,
    $$VALUES ('2024-03-01'::date, 3, 3, 0), ('2024-06-01', 3, 2, 2), ('2024-07-01', 3, 2, 2)$$,
    'publish by name registers each publication: entries, added (new and changed), removed (withdrawn and changed)');
SELECT results_eq(
    $$SELECT ref, entry_id, recorded_from, score FROM regulator.screening_matches('tap_batch', '2024-07-15', '2024-05-31', ARRAY['ban_names'])$$,
    $$VALUES ('3', 3::bigint, '2024-03-01'::date, 70)$$,
    'the list as published on 2024-05-31: the first publication''s versions');
SELECT results_eq(
    $$SELECT ref, entry_id, recorded_from, score FROM regulator.screening_matches('tap_batch', '2024-07-15', '2024-06-01', ARRAY['ban_names'])$$,
    $$VALUES ('3', 3::bigint, '2024-03-01'::date, 70), ('3', 4, '2024-06-01', 70), ('4', 8, '2024-06-01', 87)$$,
    'as published on 2024-06-01: the changed entry''s new version and the new entry');
SELECT results_eq(
    $$SELECT ref, entry_id, recorded_from, score, evidence, reason
      FROM regulator.screening_matches('tap_batch', '2024-07-15', '2024-07-01', ARRAY['ban_names'])$$,
    $$VALUES ('1', 9::bigint, '2024-07-01'::date, 70, ARRAY['exact', 'institution'], '禁止从业'),
             ('3', 4, '2024-06-01', 70, ARRAY['exact', 'institution'], '禁止从业'),
             ('4', 8, '2024-07-01', 87, ARRAY['exact', 'region', 'birth year', 'sex', 'sequence'], '禁止从业（复议维持）')$$,
    'as published on 2024-07-01: the withdrawn entry is gone, the changed one in its new version, the new one found');
-- refusals: nothing is published
CREATE TABLE tap_ban_nodecision AS SELECT id, name, masked, institution_id, reason, valid FROM tap_ban;
SELECT throws_ok($$CALL regulator.publish('ban_names', '2024-08-01', 'tap_ban_nodecision')$$,
                 '42703', 'publication tap_ban_nodecision of list ban_names has no column decision',
                 'publish: a missing column is an error');
CREATE TABLE tap_ban_typed AS SELECT id, name, masked, institution_id, 1 AS decision, reason, valid FROM tap_ban;
SELECT throws_ok($$CALL regulator.publish('ban_names', '2024-08-01', 'tap_ban_typed')$$,
                 '42804', 'column decision of publication tap_ban_typed is of type integer',
                 'publish: a column of another type is an error');
UPDATE tap_ban SET masked = '1101051949**13002X' WHERE id = 8;
SELECT throws_ok($$CALL regulator.publish('ban_names', '2024-08-01', 'tap_ban')$$,
                 '22P02', 'invalid masked ID number in publication tap_ban of list ban_names',
                 'publish: a bad masked number is an error');
CREATE FUNCTION pg_temp.publish_error_detail() RETURNS text LANGUAGE plpgsql AS $$
DECLARE d text;
BEGIN
    CALL regulator.publish('ban_names', '2024-08-01', 'tap_ban');
    RETURN NULL;
EXCEPTION WHEN invalid_text_representation THEN
    GET STACKED DIAGNOSTICS d = PG_EXCEPTION_DETAIL;
    RETURN d;
END $$;
SELECT alike(pg_temp.publish_error_detail(),
            'Entry 8 (%), masked ''1101051949**13002X'': invalid masked_cnid "1101051949**13002X": no number fitting the visible digits has check character "X".%',
            'publish: the bad masked number''s detail names the entry, the number and why');
SELECT throws_ok($$CALL regulator.publish('ban_names', '2024-06-15', 'tap_ban_typed')$$,
                 '22023', 'list ban_names already has a publication on or after 2024-06-15',
                 'publish by name: publications in date order');
SELECT throws_ok($$CALL regulator.publish('industry_ban', '2024-08-01', 'tap_ban')$$,
                 '22023', 'list industry_ban is published by ID number, but tap_ban gives entries by name',
                 'publish: entries by name for a list published by number are an error');
CREATE TABLE tap_pub (id bigint, subject text, reason text, valid daterange, listed_by integer);
SELECT throws_ok($$CALL regulator.publish('ban_names', '2024-08-01', 'tap_pub')$$,
                 '22023', 'list ban_names is published by name, but tap_pub gives entries by ID number',
                 'publish: entries by number for a list published by name are an error');
INSERT INTO tap_ban_typed SELECT * FROM tap_ban_typed WHERE id = 4;
ALTER TABLE tap_ban_typed ALTER COLUMN decision TYPE text;
SELECT throws_ok($$CALL regulator.publish('ban_names', '2024-08-01', 'tap_ban_typed')$$,
                 '23505', 'entry 4 appears more than once in publication tap_ban_typed of list ban_names',
                 'publish: an entry given twice is an error');
SELECT is((SELECT count(*)::int FROM regulator.name_entry WHERE list = 'ban_names'), 7, 'the refused publications changed nothing');
-- an entry published again after its withdrawal keeps its id; a new one
-- published with it takes the next id
CREATE TABLE tap_ban_again AS
SELECT e.id, e.name, e.masked::text AS masked, e.institution_id, e.decision, e.reason, e.valid
FROM regulator.name_entry e WHERE e.list = 'ban_names' AND (e.recorded_until IS NULL OR (e.id = 3 AND e.recorded_until = '2024-07-01'));
INSERT INTO tap_ban_again VALUES (NULL, '赵六', NULL, NULL, '浙金罚决字〔2024〕10号', '禁止从业', '[2024-07-01,2029-07-01)');
CALL regulator.publish('ban_names', '2024-08-01', 'tap_ban_again');
SELECT results_eq(
    $$SELECT id, name, (SELECT max(id) FROM regulator.name_entry WHERE recorded_from < '2024-08-01')
      FROM regulator.name_entry WHERE recorded_from = '2024-08-01' ORDER BY id$$,
    $$VALUES (3::bigint, '李强', 9::bigint), (10, '赵六', 9)$$,
    'publish by name: an entry published again keeps its id, a new one takes the next');
-- by number: a new entry never takes the id of a withdrawn one
INSERT INTO tap_pub VALUES (NULL, cnid_from_parts(330102, '1970-01-01', 1)::text, '机构内部黑名单', '[2024-01-01,)', NULL),
                           (NULL, cnid_from_parts(330102, '1970-01-01', 2)::text, '机构内部黑名单', '[2024-01-01,)', NULL);
CALL regulator.publish('internal', '2024-06-01', 'tap_pub');
UPDATE tap_pub p SET id = b.id FROM regulator.blacklist b WHERE b.subject = to_cnid(p.subject);
DELETE FROM tap_pub WHERE id = (SELECT max(id) FROM tap_pub);
INSERT INTO tap_pub VALUES (NULL, cnid_from_parts(330102, '1970-01-01', 3)::text, '机构内部黑名单', '[2024-01-01,)', NULL);
CALL regulator.publish('internal', '2024-07-01', 'tap_pub');
SELECT is((SELECT count(DISTINCT subject)::int FROM regulator.blacklist_version v
           GROUP BY id ORDER BY count(DISTINCT subject) DESC LIMIT 1), 1,
          'publish by number: a new entry does not reuse the id of a withdrawn one');
-- by number: an entry published with an id of the list's own choosing and
-- a new one without an id get distinct ids (the new id is drawn above the
-- publication's ids too)
CREATE TABLE tap_pub2 (LIKE tap_pub);
INSERT INTO tap_pub2 VALUES
    ((SELECT greatest(max(b.id), max(h.id)) + 1 FROM regulator.blacklist b, regulator.blacklist_history h),
     cnid_from_parts(330102, '1970-01-01', 6)::text, '禁业', '[2024-01-01,)', NULL),
    (NULL, cnid_from_parts(330102, '1970-01-01', 5)::text, '禁业', '[2024-01-01,)', NULL);
SELECT lives_ok($$CALL regulator.publish('industry_ban', '2024-09-01', 'tap_pub2')$$,
                'publish by number: an entry with an id of its own and a new one without');
SELECT is((SELECT count(DISTINCT id)::int FROM regulator.blacklist WHERE recorded_from = '2024-09-01'), 2,
          'and they get distinct ids');

SELECT * FROM finish();
ROLLBACK;
