-- test/upgrade/data.sql — every stored value and every view, as text, in a
-- fixed order: run before and after ALTER EXTENSION UPDATE, outputs equal.
\set ON_ERROR_STOP 1
\pset null '<NULL>'
SELECT * FROM up_scores ORDER BY id;
SELECT * FROM up_bans ORDER BY subject, valid;
SELECT * FROM up_league ORDER BY id;
SELECT * FROM up_summary;
SET enable_seqscan = off;
SELECT id FROM up_scores WHERE s = iscore(12.50, 3, 0);
SELECT id FROM up_scores WHERE org = '91350100M000100Y43'::uscc ORDER BY id LIMIT 3;
SELECT count(*) FROM up_bans WHERE subject = (SELECT who FROM up_scores WHERE id = 5);
SELECT * FROM up_user_objects;
SELECT p.oid::regprocedure AS user_api_kept_in_place FROM pg_proc p
 WHERE p.proname IN ('iscore_plus', 'is_valid_uscc') ORDER BY p.proname;
SELECT * FROM up_portrait_rules ORDER BY year;
SELECT * FROM up_portrait_grades ORDER BY id, year;
