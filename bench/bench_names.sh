# bench/bench_names.sh — screening staff against a published list by name and
# masked number (issue 21): speed against the best plain-SQL alternative,
# and quality (recall, precision, confusion matrix per written form) on
# generated data with ground truth.  Sourced by bench/run.sh.
#
#   BENCH names_masked  NAMES_STAFF staff x NAMES_LIST entries, name + masked
#                       number: ours = equality join on cnid_block /
#                       masked_cnid_block, ~ and name_match >= threshold; baseline =
#                       the same block join written on text (substr) with
#                       LIKE and fuzzystrmatch's levenshtein <= 1 on the names
#                       (pg_trgm gives no trigrams for Chinese text in a C-locale
#                       database, so similarity() cannot serve)
#   BENCH names_masked_number_only  the same join against the plain SQL that
#                       reaches our recall: the text block join with LIKE
#                       and no name test (plain SQL cannot recognise a
#                       traditional or pinyin name, so keeping recall >= 99%
#                       means dropping the name test); its precision is
#                       quoted beside it
#   BENCH names_only    NAMES_ONLY_STAFF x NAMES_ONLY_LIST, a list without
#                       numbers (industry bans): ours = equality join on
#                       unnest(name_keys), baseline = levenshtein <= 1 over
#                       every pair
#   BENCH names_masked_trgm_utf8  the same join against pg_trgm where it does
#                       see Chinese: a UTF-8 database with LC_CTYPE C.UTF-8,
#                       the text block join with LIKE and levenshtein <= 1 OR
#                       similarity >= 0.3 (recall and precision in a NOTE)
#   NOTE  names_floor   reading the staff once with one key per person, the
#                       least any screening of every person costs: the
#                       ceiling of any ratio against names_masked's baseline
#   NOTE  names_quality_<form>  planted, found, recall per form (ours, the
#                       levenshtein baseline, the number-only baseline);
#                       names_confusion_<form> tp fn fp tn; near misses hit;
#                       precision over all hits above the threshold
#
# The data (deterministic, setseed): surnames and given-name characters with
# Zipf-like frequencies (王 李 张 about 7% each, as in the census), given names
# of one or two characters, 2% minority names with a middle dot; numbers
# from 220 county codes of one province (60%) and others, birth 1960-2002.
# The list: 10% planted true matches in eight forms (exact, traditional,
# variant character, pinyin surname first, pinyin given name first, another
# middle dot, a one-character typo: another character in a three-character
# name, a homophone in a two-character one), each with 4, 6 or 8 masked
# positions in rotation; 5% planted near misses (the same name with another
# birth date and sequence; a homophone with another number); the rest
# unrelated entries.  The pinyin forms are written with name_pinyin (ICU):
# they test order, case and spacing, not ICU's readings.
NAMES_STAFF=${NAMES_STAFF:-1000000}
NAMES_LIST=${NAMES_LIST:-1000000}
NAMES_ONLY_STAFF=${NAMES_ONLY_STAFF:-40000}
NAMES_ONLY_LIST=${NAMES_ONLY_LIST:-4000}

bench_sql "CREATE EXTENSION IF NOT EXISTS fuzzystrmatch; CREATE EXTENSION IF NOT EXISTS pg_trgm"
psql -X -q -v ON_ERROR_STOP=1 -d "$BENCH_DB" -v staff="$NAMES_STAFF" -v list="$NAMES_LIST" <<'SQL' >/dev/null
SET client_min_messages = warning;
DROP STATISTICS IF EXISTS nb_staff_block, nb_staff_text_block;
DROP TABLE IF EXISTS nb_staff, nb_list, nb_list_text, nb_staff_text, nb_hits, nb_hits_base, nb_pool_s, nb_pool_g, nb_homophone;
SELECT setseed(0.21);
-- surname pool: rank r weighs 1/r (Zipf), 1000 slots
CREATE TABLE nb_pool_s AS
WITH s AS (SELECT c, r FROM unnest(regexp_split_to_array(
    '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤单解区仇查', '')) WITH ORDINALITY t(c, r)
   UNION ALL SELECT c, 60 FROM unnest(ARRAY['欧阳', '诸葛', '司马', '上官']) c)
SELECT row_number() OVER () AS slot, c FROM s, generate_series(1, greatest(1, (1000 / 3.5 / r)::int));
CREATE TABLE nb_pool_g AS
SELECT row_number() OVER () AS slot, c FROM unnest(regexp_split_to_array(
    '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀英霞平刚桂华建国文辉力玉兰萍红鹏飞斌宇浩凯健俊帆帅旭宁龙林欣佳雪梅莉慧婷晶颖琳倩丹玲燕彬波亮成峰志宏海东春金荣晓小子一嘉思雨梓涵轩博晨阳瑞泽诗怡心悦语彤晴昊天然铭睿欢青松德福生祥发胜贵江山云永新利清安立武兵民长庆义忠哲坤柏维薇玮炜卫巍', '')) WITH ORDINALITY t(c, r),
     generate_series(1, greatest(1, (40 / sqrt(r))::int));
-- homophones among the given-name characters (by their pinyin)
CREATE TABLE nb_homophone AS
SELECT a.c AS c, b.c AS h FROM (SELECT DISTINCT c FROM nb_pool_g) a JOIN (SELECT DISTINCT c FROM nb_pool_g) b
  ON name_pinyin(a.c) = name_pinyin(b.c) AND a.c <> b.c;

CREATE TEMP TABLE nb_pools AS
SELECT (SELECT array_agg(c ORDER BY slot) FROM nb_pool_s) AS ps, (SELECT array_agg(c ORDER BY slot) FROM nb_pool_g) AS pg;
CREATE FUNCTION pg_temp.pick(a text[], r float8) RETURNS text LANGUAGE sql IMMUTABLE AS
$$ SELECT a[1 + (r * cardinality(a))::int % cardinality(a)] $$;
CREATE TABLE nb_staff (id cnid PRIMARY KEY, name text NOT NULL);
WITH g AS (
  SELECT i, random() AS r1, random() AS r2, random() AS r3, random() AS r4, random() AS r5,
         random() AS r6, random() AS r7, random() AS r8
  FROM generate_series(1, (:staff * 1.02)::int) i)
INSERT INTO nb_staff
SELECT cnid_from_parts(
         CASE WHEN r1 < 0.6 THEN 330000 + (1 + (r2 * 11)::int % 11) * 100 + 1 + (r3 * 20)::int % 20
              ELSE (ARRAY[11, 31, 32, 34, 35, 36, 37, 41, 44, 51])[1 + (r2 * 10)::int % 10] * 10000
                   + 100 + (r3 * 20)::int % 20 + 1 END,
         date '1960-01-01' + (r4 * 15700)::int, (r5 * 1000)::int % 1000),
       CASE WHEN r6 < 0.02 THEN
              (ARRAY['阿依古丽', '买买提', '阿不都', '热依拉', '古丽', '艾合买提', '努尔', '帕提古丽', '吐尔逊', '阿里木'])[1 + (r7 * 10)::int % 10]
              || '·' || (ARRAY['买买提', '艾力', '吐尔逊', '阿不都拉', '热合曼', '玉素甫', '依明', '尼亚孜', '哈斯木', '艾则孜'])[1 + (r8 * 10)::int % 10]
            ELSE pg_temp.pick(ps, r7) || pg_temp.pick(pg, r8)
                 || CASE WHEN r6 < 0.6 THEN pg_temp.pick(pg, (r6 * 7919) - floor(r6 * 7919)) ELSE '' END
       END
FROM g, nb_pools
ON CONFLICT DO NOTHING;
DELETE FROM nb_staff WHERE id IN (SELECT id FROM nb_staff ORDER BY id OFFSET :staff);

-- the list: planted true matches, near misses, unrelated entries
CREATE TABLE nb_list (entry int PRIMARY KEY, name text, masked masked_cnid, truth cnid, form text);
CREATE FUNCTION pg_temp.mask(id cnid, k int) RETURNS masked_cnid LANGUAGE sql IMMUTABLE AS
$$ SELECT overlay(id::text PLACING repeat('*', 4 + 2 * k) FROM 11 - 2 * k)::masked_cnid $$;
CREATE FUNCTION pg_temp.cap(t text) RETURNS text LANGUAGE sql IMMUTABLE AS
$$ SELECT upper(left(t, 1)) || substr(t, 2) $$;
CREATE TEMP TABLE picks AS
SELECT row_number() OVER (ORDER BY random()) AS k, id, name FROM nb_staff;
CREATE INDEX ON picks (k);
-- eight forms of true matches, (list / 10 / 8) each
CREATE TEMP TABLE forms (f int, form text);
INSERT INTO forms VALUES (0, 'exact'), (1, 'traditional'), (2, 'variant'), (3, 'pinyin_surname_first'),
                         (4, 'pinyin_given_first'), (5, 'middle_dot'), (6, 'typo'), (7, 'typo_homophone');
INSERT INTO nb_list
SELECT row_number() OVER (), x.name, pg_temp.mask(x.id, (row_number() OVER ())::int % 3), x.id, x.form
FROM (
  -- exact and traditional: any staff
  SELECT id, name, 'exact' AS form FROM picks WHERE k <= :list / 80
  UNION ALL
  SELECT id, translate(name, '万东严丽义于云伟兰军冯凯刘刚区华单卢卫发叶吕吴国孙宁帅庆张强悦晓杨杰欢汤泽涛炜玮红维罗胜艳苏范荣蒋许诗语谢谭贵贺贾赵轩辉邓邹郑钟钱铭长闫阳陆陈静韦韩顾颖飞马鹏黄龙龚',
                             '萬東嚴麗義於雲偉蘭軍馮凱劉剛區華單盧衛發葉呂吳國孫寧帥慶張強悅曉楊傑歡湯澤濤煒瑋紅維羅勝艷蘇範榮蔣許詩語謝譚貴賀賈趙軒輝鄧鄒鄭鐘錢銘長閆陽陸陳靜韋韓顧穎飛馬鵬黃龍龔'), 'traditional'
  FROM picks WHERE k > :list / 80 AND k <= 2 * :list / 80
  UNION ALL
  -- variant characters: staff whose name has 峰 哲 坤 清 青 柏
  (SELECT id, translate(name, '峰哲坤清青柏', '峯喆堃淸靑栢'), 'variant'
   FROM picks WHERE k > 2 * :list / 80 AND name ~ '[峰哲坤清青柏]' ORDER BY k LIMIT :list / 80)
  UNION ALL
  SELECT id, upper(split_part(p, ' ', 1)) || ' ' || pg_temp.cap(split_part(p, ' ', 2)), 'pinyin_surname_first'
  FROM picks, LATERAL (SELECT (name_pinyin(name))[1] AS p) q
  WHERE k > 3 * :list / 80 AND k <= 4 * :list / 80 AND name !~ '·'
  UNION ALL
  SELECT id, pg_temp.cap(split_part(p, ' ', 2)) || ' ' || pg_temp.cap(split_part(p, ' ', 1)), 'pinyin_given_first'
  FROM picks, LATERAL (SELECT (name_pinyin(name))[1] AS p) q
  WHERE k > 4 * :list / 80 AND k <= 5 * :list / 80 AND name !~ '·'
  UNION ALL
  (SELECT id, replace(name, '·', (ARRAY['•', '・', '‧', ' · ', '∙'])[1 + (k % 5)::int]), 'middle_dot'
   FROM picks WHERE k > 5 * :list / 80 AND name ~ '·' ORDER BY k LIMIT :list / 80)
  UNION ALL
  -- a typo in a three-character name: another given-name character
  (SELECT id, overlay(name PLACING pg_temp.pick(pg, ((k * 0.618034) - floor(k * 0.618034))::float8) FROM 3 FOR 1), 'typo'
   FROM picks, nb_pools WHERE k > 6 * :list / 80 AND char_length(name) = 3 AND name !~ '·'
     AND substr(name, 3, 1) <> pg_temp.pick(pg, ((k * 0.618034) - floor(k * 0.618034))::float8)
   ORDER BY k LIMIT :list / 80)
  UNION ALL
  -- a homophone typed for the given name of a two-character name (pinyin input)
  (SELECT DISTINCT ON (k) id, left(name, 1) || h.h, 'typo_homophone'
   FROM picks JOIN nb_homophone h ON h.c = substr(name, 2, 1)
   WHERE k > 7 * :list / 80 AND char_length(name) = 2
   ORDER BY k, h.h LIMIT :list / 80)
) x;
-- near misses: the same name, another birth date and sequence; a homophone
-- with another number in the same county
INSERT INTO nb_list
SELECT (SELECT max(entry) FROM nb_list) + row_number() OVER (), name, pg_temp.mask(other, (k % 3)::int), NULL, form
FROM (
  SELECT k, name, cnid_from_parts(cnid_region(id)::int, cnid_birth_date(id) + 1 + (k % 3000)::int, ((k * 31) % 1000)::int) AS other,
         'near_same_name' AS form
  FROM picks WHERE k > 8 * :list / 80 AND k <= 8 * :list / 80 + :list / 40
  UNION ALL
  (SELECT DISTINCT ON (k) k, left(name, 1) || h.h, cnid_from_parts(cnid_region(id)::int, cnid_birth_date(id) - 1 - (k % 3000)::int, ((k * 37) % 1000)::int),
         'near_homophone'
   FROM picks JOIN nb_homophone h ON h.c = substr(name, 2, 1)
   WHERE k > 8 * :list / 80 + :list / 40 AND char_length(name) = 2
   ORDER BY k, h.h LIMIT :list / 40)
) n;
-- unrelated entries: names and numbers drawn like the staff's
INSERT INTO nb_list
SELECT (SELECT max(entry) FROM nb_list) + i,
       pg_temp.pick(ps, r1) || pg_temp.pick(pg, r2)
       || CASE WHEN r3 < 0.6 THEN pg_temp.pick(pg, (r3 * 7919) - floor(r3 * 7919)) ELSE '' END,
       pg_temp.mask(cnid_from_parts(330000 + (1 + (r4 * 11)::int % 11) * 100 + 1 + (r5 * 20)::int % 20,
                                    date '1960-01-01' + (r6 * 15700)::int, (r3 * 1000)::int % 1000), i % 3),
       NULL, 'unrelated'
FROM (SELECT i, random() r1, random() r2, random() r3, random() r4, random() r5, random() r6
      FROM generate_series(1, :list - (SELECT count(*) FROM nb_list)::int) i) g, nb_pools;
-- the same data as plain text, for the baseline
CREATE TABLE nb_staff_text AS SELECT id::text AS id, name FROM nb_staff;
CREATE TABLE nb_list_text AS SELECT entry, name, masked::text AS masked FROM nb_list;
-- both sides get what the README recipe gives: an expression index on the
-- list's block key and statistics on the staff's, so that the planner knows
-- the keys are nearly unique and picks a parallel hash join (without them it
-- estimates 200 distinct values and sorts the whole list in every worker)
CREATE INDEX nb_list_block ON nb_list (masked_cnid_block(masked));
CREATE INDEX nb_list_text_block ON nb_list_text ((left(masked, 6) || right(masked, 4)));
CREATE STATISTICS nb_staff_block ON (cnid_block(id)) FROM nb_staff;
CREATE STATISTICS nb_staff_text_block ON (left(id, 6) || right(id, 4)) FROM nb_staff_text;
VACUUM ANALYZE nb_staff, nb_list, nb_staff_text, nb_list_text;
SQL

n_staff=$(psql -X -qAt -d "$BENCH_DB" -c "SELECT count(*) FROM nb_staff")
n_list=$(psql -X -qAt -d "$BENCH_DB" -c "SELECT count(*) FROM nb_list")
bench_note "names_data staff=$n_staff list=$n_list (planted true: $(psql -X -qAt -d "$BENCH_DB" -c "SELECT count(*) FROM nb_list WHERE truth IS NOT NULL"), near misses: $(psql -X -qAt -d "$BENCH_DB" -c "SELECT count(*) FROM nb_list WHERE form LIKE 'near%'"))"

OURS_SQL="DROP TABLE IF EXISTS nb_hits; CREATE UNLOGGED TABLE nb_hits AS
SELECT l.entry, s.id, m.score, m.reasons
  FROM nb_staff s JOIN nb_list l ON masked_cnid_block(l.masked) = cnid_block(s.id)
 CROSS JOIN LATERAL name_match(s.name, l.name, s.id, l.masked) m
 WHERE s.id ~ l.masked AND m.score >= name_match_threshold()"
BASE_SQL="DROP TABLE IF EXISTS nb_hits_base; CREATE UNLOGGED TABLE nb_hits_base AS
SELECT l.entry, s.id
  FROM nb_staff_text s JOIN nb_list_text l
    ON left(l.masked, 6) || right(l.masked, 4) = left(s.id, 6) || right(s.id, 4)
 WHERE s.id LIKE replace(l.masked, '*', '_') AND levenshtein(s.name, l.name) <= 1"
read -r ours base < <(bench_pair "$OURS_SQL" "$BASE_SQL")
bench_line names_masked "$ours" "$base"
BASE2_SQL="DROP TABLE IF EXISTS nb_hits_number; CREATE UNLOGGED TABLE nb_hits_number AS
SELECT l.entry, s.id
  FROM nb_staff_text s JOIN nb_list_text l
    ON left(l.masked, 6) || right(l.masked, 4) = left(s.id, 6) || right(s.id, 4)
 WHERE s.id LIKE replace(l.masked, '*', '_')"
read -r ours2 base2 < <(bench_pair "$OURS_SQL" "$BASE2_SQL")
bench_line names_masked_number_only "$ours2" "$base2"

# The floor: what any screening of every person costs before it compares
# anything — reading the staff once and computing one key per person (the
# same parallel scan both queries above start with).  No method that looks
# at each of the NAMES_STAFF people can beat baseline / floor.
# Timed alternately with the baseline (both parallel, the same workers), so
# that the ratio compares the same minutes of a shared machine.
read -r floor base_f < <(bench_pair "SELECT count(cnid_block(id)) FROM nb_staff" "$BASE_SQL")
bench_note "names_floor read_staff_and_key_ms=$floor baseline_ms=$base_f ceiling=$(awk -v b="$base_f" -v f="$floor" 'BEGIN { printf "%.2f", b / f }') (the highest ratio any method reading every person could reach against names_masked's baseline)"

# The issue's literal baseline: pg_trgm in a UTF-8 database whose LC_CTYPE
# classifies Han characters as letters (C.UTF-8), where similarity() does
# see Chinese names, combined with levenshtein: the same block join on text,
# LIKE, and levenshtein <= 1 OR similarity >= 0.3.  Timed against ours
# alternately (ours in the C-locale database, which changes nothing for it).
utf8_db=${BENCH_DB}_utf8
utf8_locale=$(locale -a 2>/dev/null | grep -i -m1 '^C\.utf-\?8$' || true)
if [ -z "$utf8_locale" ]; then
    bench_note "names_masked_trgm_utf8 skipped: no C.UTF-8 locale on this machine"
else
    psql -X -q -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $utf8_db" \
         -c "CREATE DATABASE $utf8_db TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE '$utf8_locale'" >/dev/null
    psql -X -q -v ON_ERROR_STOP=1 -d "$utf8_db" >/dev/null <<'SQL'
CREATE EXTENSION pg_trgm; CREATE EXTENSION fuzzystrmatch;
CREATE TABLE nb_staff_text (id text, name text);
CREATE TABLE nb_list_text (entry int, name text, masked text);
CREATE INDEX nb_list_text_block ON nb_list_text ((left(masked, 6) || right(masked, 4)));
SQL
    psql -X -q -d "$BENCH_DB" -c "COPY nb_staff_text TO STDOUT" | psql -X -q -d "$utf8_db" -c "COPY nb_staff_text FROM STDIN"
    psql -X -q -d "$BENCH_DB" -c "COPY nb_list_text TO STDOUT" | psql -X -q -d "$utf8_db" -c "COPY nb_list_text FROM STDIN"
    psql -X -q -d "$utf8_db" -c "CREATE STATISTICS nb_staff_text_block ON (left(id, 6) || right(id, 4)) FROM nb_staff_text" \
         -c "VACUUM ANALYZE nb_staff_text, nb_list_text" >/dev/null
    trgm_ok=$(psql -X -qAt -d "$utf8_db" -c "SELECT similarity('张伟', '张伟') = 1")
    TRGM_SQL="DROP TABLE IF EXISTS nb_hits_trgm; CREATE UNLOGGED TABLE nb_hits_trgm AS
SELECT l.entry, s.id
  FROM nb_staff_text s JOIN nb_list_text l
    ON left(l.masked, 6) || right(l.masked, 4) = left(s.id, 6) || right(s.id, 4)
 WHERE s.id LIKE replace(l.masked, '*', '_')
   AND (levenshtein(s.name, l.name) <= 1 OR similarity(lower(s.name), lower(l.name)) >= 0.3)"
    read -r bo bt < <(BASELINE_DB=$utf8_db bench_pair "$OURS_SQL" "$TRGM_SQL")
    bench_line names_masked_trgm_utf8 "$bo" "$bt"
    psql -X -q -d "$utf8_db" -c "COPY nb_hits_trgm TO STDOUT" |
        psql -X -q -d "$BENCH_DB" -c "SET client_min_messages = warning; DROP TABLE IF EXISTS nb_hits_trgm; CREATE UNLOGGED TABLE nb_hits_trgm (entry int, id text)" \
             -c "COPY nb_hits_trgm FROM STDIN"
    psql -X -qAt -F ' ' -d "$BENCH_DB" -c "
SELECT 'NOTE names_trgm_utf8_quality', 'trigrams_of_han=$trgm_ok', 'hits=' || count(*),
       'true=' || count(*) FILTER (WHERE l.truth::text = t.id),
       'recall=' || round(100.0 * count(*) FILTER (WHERE l.truth::text = t.id)
                          / (SELECT count(*) FROM nb_list WHERE truth IS NOT NULL), 2) || '%',
       'precision=' || round(100.0 * count(*) FILTER (WHERE l.truth::text = t.id) / nullif(count(*), 0), 2) || '%'
  FROM nb_hits_trgm t JOIN nb_list l USING (entry)"
    psql -X -q -d postgres -c "DROP DATABASE $utf8_db" >/dev/null
fi

# quality: per form, planted and found (ours, baseline); near misses hit;
# precision over every hit above the threshold
psql -X -qAt -F ' ' -d "$BENCH_DB" -c "
SELECT 'NOTE names_quality_' || l.form, 'planted=' || count(*),
       'found=' || count(h.entry), 'recall=' || round(100.0 * count(h.entry) / count(*), 2) || '%',
       'baseline_found=' || count(b.entry), 'baseline_recall=' || round(100.0 * count(b.entry) / count(*), 2) || '%',
       'number_only_recall=' || round(100.0 * count(o.entry) / count(*), 2) || '%'
  FROM nb_list l
  LEFT JOIN nb_hits h ON h.entry = l.entry AND h.id = l.truth
  LEFT JOIN nb_hits_base b ON b.entry = l.entry AND b.id = l.truth::text
  LEFT JOIN nb_hits_number o ON o.entry = l.entry AND o.id = l.truth::text
 WHERE l.truth IS NOT NULL GROUP BY l.form ORDER BY l.form"
# the confusion matrix per form: a true positive is the planted person
# found on the entry, a false negative the planted person missed, a false
# positive any other person reported on an entry, a true negative an entry
# without a planted person and without a hit
psql -X -qAt -F ' ' -d "$BENCH_DB" -c "
WITH per AS (
  SELECT l.entry, l.form, l.truth, count(h.id) FILTER (WHERE h.id = l.truth) AS tp,
         count(h.id) FILTER (WHERE h.id <> l.truth OR l.truth IS NULL) AS fp, count(h.id) AS hits
    FROM nb_list l LEFT JOIN nb_hits h ON h.entry = l.entry GROUP BY l.entry, l.form, l.truth)
SELECT 'NOTE names_confusion_' || form, 'tp=' || sum(tp), 'fn=' || count(*) FILTER (WHERE truth IS NOT NULL AND tp = 0),
       'fp=' || sum(fp), 'tn=' || count(*) FILTER (WHERE truth IS NULL AND hits = 0)
  FROM per GROUP BY form ORDER BY form"
psql -X -qAt -F ' ' -d "$BENCH_DB" -c "
SELECT 'NOTE names_quality_all', 'planted=' || count(*), 'found=' || count(h.entry),
       'recall=' || round(100.0 * count(h.entry) / count(*), 2) || '%'
  FROM nb_list l LEFT JOIN nb_hits h ON h.entry = l.entry AND h.id = l.truth WHERE l.truth IS NOT NULL"
psql -X -qAt -F ' ' -d "$BENCH_DB" -c "
SELECT 'NOTE names_near_miss_' || l.form, 'entries=' || count(DISTINCT l.entry),
       'hit=' || count(DISTINCT h.entry), 'baseline_hit=' || count(DISTINCT b.entry),
       'number_only_hit=' || count(DISTINCT o.entry)
  FROM nb_list l LEFT JOIN nb_hits h ON h.entry = l.entry LEFT JOIN nb_hits_base b ON b.entry = l.entry
  LEFT JOIN nb_hits_number o ON o.entry = l.entry
 WHERE l.form LIKE 'near%' GROUP BY l.form ORDER BY l.form"
psql -X -qAt -F ' ' -d "$BENCH_DB" -c "
SELECT 'NOTE names_precision', 'hits=' || count(*),
       'true=' || count(*) FILTER (WHERE l.truth = h.id),
       'false=' || count(*) FILTER (WHERE l.truth IS DISTINCT FROM h.id),
       'precision=' || round(100.0 * count(*) FILTER (WHERE l.truth = h.id) / nullif(count(*), 0), 2) || '%',
       'threshold=' || name_match_threshold()
  FROM nb_hits h JOIN nb_list l USING (entry)"
psql -X -qAt -F ' ' -d "$BENCH_DB" -c "
SELECT 'NOTE names_baseline_precision', 'hits=' || count(*),
       'true=' || count(*) FILTER (WHERE l.truth::text = b.id),
       'precision=' || round(100.0 * count(*) FILTER (WHERE l.truth::text = b.id) / nullif(count(*), 0), 2) || '%'
  FROM nb_hits_base b JOIN nb_list l USING (entry)"
psql -X -qAt -F ' ' -d "$BENCH_DB" -c "
SELECT 'NOTE names_number_only_precision', 'hits=' || count(*),
       'true=' || count(*) FILTER (WHERE l.truth::text = o.id),
       'precision=' || round(100.0 * count(*) FILTER (WHERE l.truth::text = o.id) / nullif(count(*), 0), 2) || '%'
  FROM nb_hits_number o JOIN nb_list l USING (entry)"

# a list without numbers: name keys against every pair's levenshtein
psql -X -q -v ON_ERROR_STOP=1 -d "$BENCH_DB" -v staff="$NAMES_ONLY_STAFF" -v list="$NAMES_ONLY_LIST" <<'SQL' >/dev/null
SET client_min_messages = warning;
DROP TABLE IF EXISTS nb_only_staff, nb_only_list;
CREATE TABLE nb_only_staff AS SELECT id, name FROM nb_staff ORDER BY id LIMIT :staff;
CREATE TABLE nb_only_list AS SELECT entry, name, truth FROM nb_list
 WHERE truth IN (SELECT id FROM nb_only_staff) OR form = 'unrelated' ORDER BY truth IS NULL, entry LIMIT :list;
VACUUM ANALYZE nb_only_staff, nb_only_list;
SQL
OURS_SQL="DROP TABLE IF EXISTS nb_only_hits; CREATE UNLOGGED TABLE nb_only_hits AS
SELECT DISTINCT l.entry, s.id
  FROM (SELECT id, name, unnest(name_keys(name)) AS k FROM nb_only_staff) s
  JOIN (SELECT entry, name, unnest(name_keys(name)) AS k FROM nb_only_list) l ON l.k = s.k"
BASE_SQL="DROP TABLE IF EXISTS nb_only_base; CREATE UNLOGGED TABLE nb_only_base AS
SELECT l.entry, s.id FROM nb_only_staff s, nb_only_list l WHERE levenshtein(s.name, l.name) <= 1"
read -r ours base < <(bench_pair "$OURS_SQL" "$BASE_SQL")
bench_line names_only "$ours" "$base"
psql -X -qAt -F ' ' -d "$BENCH_DB" -c "
SELECT 'NOTE names_only_recall', 'planted=' || count(*),
       'ours=' || count(h.entry), 'baseline=' || count(b.entry),
       'candidate_pairs_ours=' || (SELECT count(*) FROM nb_only_hits),
       'candidate_pairs_baseline=' || (SELECT count(*) FROM nb_only_base)
  FROM nb_only_list l
  LEFT JOIN nb_only_hits h ON h.entry = l.entry AND h.id = l.truth
  LEFT JOIN nb_only_base b ON b.entry = l.entry AND b.id = l.truth
 WHERE l.truth IS NOT NULL"
