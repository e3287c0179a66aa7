-- names: Chinese names in every written form, join keys, match scores

-- one written form: full-width, spaces, the middle-dot family, traditional
-- and variant characters, Latin case
SELECT n AS written, name_normalize(n) AS normalized
FROM (VALUES (1, '张伟'), (2, '張偉'), (3, '张 伟'), (4, '张　伟'), (5, ' 张伟 '),
             (6, 'ＺＨＡＮＧ　Ｗｅｉ'), (7, 'Zhang  Wei'), (8, 'ZHANG, Wei'),
             (9, '阿依古丽·买买提'), (10, '阿依古丽•买买提'), (11, '阿依古丽‧买买提'),
             (12, '阿依古丽・买买提'), (13, '阿依古丽 · 买买提'), (14, '阿依古丽∙买买提'),
             (15, '陳峯'), (16, '李淸華'), (17, '歐陽修'), (18, '王喆'),
             (19, '·张伟·'), (20, ''), (21, '   '), (22, 'Lü Xiaohua'),
             (23, E'张\u200b伟'), (24, '鄭秀英')) t(k, n)
ORDER BY k;

-- pinyin keys: surname first for Han names, every reading of the surname,
-- compound surnames, both orders for Latin names, ü as u
SELECT n AS written, name_pinyin(n) AS pinyin
FROM (VALUES (1, '张伟'), (2, 'ZHANG Wei'), (3, 'Wei Zhang'), (4, '曾国藩'), (5, '单雄信'),
             (6, '解晓东'), (7, '区小英'), (8, '仇英'), (9, '朴槿惠'), (10, '查良镛'),
             (11, '欧阳修'), (12, '诸葛亮'), (13, 'OUYANG Xiu'), (14, '吕小华'),
             (15, 'LYU Xiaohua'), (16, 'LV Xiaohua'), (17, 'Xiao-Hua Lu'),
             (18, '阿依古丽·买买提'), (19, 'Ayiguli Maimaiti'), (20, '峯'), (21, '')) t(k, n)
ORDER BY k;

-- the join keys: the same name in every form shares a key; one character
-- different shares a key from three characters on; different people do not
SELECT a, b, name_keys(a) && name_keys(b) AS share_a_key
FROM (VALUES (1, '张伟', '張偉'), (2, '张伟', 'ZHANG Wei'), (3, '张伟', 'Wei Zhang'),
             (4, '曾国藩', 'Ceng Guofan'), (5, '曾国藩', 'Zeng Guofan'),
             (6, '阿依古丽·买买提', 'Ayiguli Maimaiti'), (7, '阿依古丽•买买提', '阿依古丽・买买提'),
             (8, '王小明', '王晓明'), (9, '王小明', '王大明'), (10, '王小明', '王明'),
             (11, '王小明', '王小明华'), (12, '张伟', '张敏'), (13, '张伟', '李伟'),
             (14, '王小明', '李小红')) t(k, a, b)
ORDER BY k;
SELECT cardinality(name_keys('王小明')) AS keys_3, cardinality(name_keys('张伟')) AS keys_2,
       name_keys('') AS keys_empty;

-- the match score and its reasons; the threshold
SELECT name_match_threshold() AS threshold;
SELECT k, a, b, id, mask, m.score, m.reasons, m.score >= name_match_threshold() AS hit
FROM (VALUES
  (1, '张伟', '张伟', NULL::cnid, NULL::masked_cnid),                   -- a name alone: low
  (2, '张伟', '張偉', NULL, NULL),
  (3, '陈峰', '陳峯', NULL, NULL),
  (4, '张伟', 'ZHANG Wei', NULL, NULL),
  (5, '王小明', '王大明', NULL, NULL),
  (6, '张伟', '张敏', NULL, NULL),
  (7, '张伟', '李强', NULL, NULL),
  (8, '张伟', '张伟', '11010519491231002X', '110105********002X'),    -- name and masked number
  (9, '张伟', 'Wei Zhang', '11010519491231002X', '110105********002X'),
  (10, '王小明', '王大明', '11010519491231002X', '1101051949****002X'),
  (11, '张伟', '張偉', '11010519491231002X', '11010519491231002X'),
  (12, '张伟', '张伟', '11010519491231002X', '1101051950****002X'),   -- another birth year
  (13, '张伟', '张伟', '11010519491231002X', '110105********0021'),    -- another sequence
  (14, '李强', '张伟', '11010519491231002X', '110105********002X'),    -- a number alone
  (15, '张伟', '张敏', '11010519491231002X', '110105********002X'),    -- two characters, one different
  (16, '张伟', '张伟', '11010519491231002X', NULL),                    -- one number only
  (17, NULL, '张伟', '11010519491231002X', '110105********002X'),
  (18, '阿依古丽·买买提', '阿依古丽•买买提', NULL, NULL),                -- another middle dot
  (19, 'ZHANG Wei', 'ＺＨＡＮＧ　ＷＥＩ', NULL, NULL)                    -- full width, case
) t(k, a, b, id, mask), LATERAL name_match(a, b, id, mask) m
ORDER BY k;
SELECT * FROM name_match('张伟', '张伟', '11010519491231002X');  -- defaults
SELECT * FROM name_match(NULL, NULL);

-- name_match_lines: every point of the score has its line, in the order of
-- the reasons; one to three visible birth digits are a reason of their own
-- ("birth digits": they were points without a reason)
SELECT * FROM name_match_lines('张伟', '張偉', '11010519491231002X', '1101051949****002X');
SELECT * FROM name_match_lines('张伟', '张伟', '11010519491231002X', '1101051950****002X');
SELECT * FROM name_match('欧阳小明', '欧阳晓明', '11010519491231002X', '11010519******002X');
SELECT * FROM name_match_lines('欧阳小明', '欧阳晓明', '11010519491231002X', '11010519******002X');
SELECT count(*) AS pairs,
       bool_and(m.score = (SELECT coalesce(sum(l.points), 0) FROM name_match_lines(a, b, id, mask) l)) AS lines_add_up,
       bool_and(m.reasons = ARRAY(SELECT l.reason FROM name_match_lines(a, b, id, mask) l)) AS same_reasons,
       bool_and(m.score = 0 OR cardinality(m.reasons) > 0) AS no_score_without_reason
FROM unnest(ARRAY['张伟', '張偉', 'ZHANG Wei', 'Wei Zhang', '张卫', '张敏', '欧阳小明', '欧阳晓明', '陈峯', '陈峰',
                  '阿依古丽·买买提', NULL]) a,
     unnest(ARRAY['张伟', '張偉', 'ZHANG Wei', '张卫', '欧阳小明', '陈峰', '阿依古丽•买买提', NULL]) b,
     unnest(ARRAY['11010519491231002X', NULL]::cnid[]) id,
     unnest(ARRAY['110105********002X', '1101051949****002X', '1101051950****002X', '11010519******002X',
                  '110105**********2X', '1101051949******2X', '11010519491231002X', '3303241976****2118',
                  '**************002X', NULL]::masked_cnid[]) mask,
     LATERAL name_match(a, b, id, mask) m;

-- bad input: a clear error
SELECT name_normalize(repeat('张', 300));
SELECT name_keys(repeat('a', 300));
SELECT * FROM name_match('张伟', repeat('伟', 300));
-- NFKC expands some characters many times (U+FDFA to 18): normalised,
-- then measured, not an ICU buffer error
SELECT name_normalize(repeat(U&'\FDFA', 3)) = repeat(name_normalize(U&'\FDFA'), 3) AS expanded;
SELECT name_normalize(repeat(U&'\FDFA', 20));

-- labels
SELECT p.oid::regprocedure AS function, p.provolatile, p.proisstrict, p.proparallel
FROM pg_proc p
WHERE p.proname IN ('name_normalize', 'name_pinyin', 'name_keys', 'name_match', 'name_match_lines',
                    'name_match_threshold', 'name_icu_version')
ORDER BY p.oid::regprocedure::text;
