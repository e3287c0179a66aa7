-- demo/generate.sql — a deterministic synthetic data generator for the
-- reference model (demo/schema.sql).
--
--   CALL regulator.generate('district');             -- ~60 institutions, ~5k employees, 3 years
--   CALL regulator.generate('province', seed => 7, factor => 0.25);
--
-- Same scale, seed and factor give the same rows, byte for byte: every
-- "random" choice is a hash of (seed, stream, key) through hashint8extended,
-- never random() — so rows do not depend on the plan, the order of
-- evaluation or parallelism.  (PostgreSQL's hash functions differ between
-- little- and big-endian machines; on one architecture the data is fixed.)
--
-- Shapes: most institutions green or blue, a few red-line cases; a
-- skewed number of violations per employee (most have none, a few many),
-- violations falling by about 30% a year, satisfaction rising by about
-- 1.2 points a year; employees dismissed for a red line are put on the
-- industry ban list and some are hired by another institution while the ban
-- runs, as are some people banned elsewhere; every resident ID and every
-- unified social credit code is valid with its right check character (the
-- types reject anything else), and the organisation code inside each credit
-- code passes its own GB 11714 check.

-- A uniform number in [0, 1) from (seed, stream, key).
CREATE FUNCTION regulator.rnd(seed integer, stream integer, k bigint) RETURNS double precision
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN ((hashint8extended(k, seed::bigint * 1000 + stream) >> 11) & 4503599627370495)::double precision
       / 4503599627370496.0;

-- Zhejiang's county-level areas (city, district, a region code 33CCNN).
CREATE FUNCTION regulator.areas() RETURNS TABLE (idx integer, city text, district text, region integer)
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT (row_number() OVER (ORDER BY c.ord, d.ord))::int,
           c.name, c.name || d.name, 330000 + c.ord * 100 + 1 + d.ord::int
    FROM unnest(ARRAY['杭州市','宁波市','温州市','嘉兴市','湖州市','绍兴市','金华市','衢州市','舟山市','台州市','丽水市'],
                ARRAY['上城区 拱墅区 西湖区 滨江区 萧山区 余杭区 临平区 钱塘区 富阳区 临安区 桐庐县 淳安县 建德市',
                      '海曙区 江北区 北仑区 镇海区 鄞州区 奉化区 余姚市 慈溪市 象山县 宁海县',
                      '鹿城区 龙湾区 瓯海区 洞头区 瑞安市 乐清市 永嘉县 平阳县 苍南县 文成县 泰顺县',
                      '南湖区 秀洲区 嘉善县 海盐县 海宁市 平湖市 桐乡市',
                      '吴兴区 南浔区 德清县 长兴县 安吉县',
                      '越城区 柯桥区 上虞区 新昌县 诸暨市 嵊州市',
                      '婺城区 金东区 武义县 浦江县 磐安县 兰溪市 义乌市 东阳市 永康市',
                      '柯城区 衢江区 常山县 开化县 龙游县 江山市',
                      '定海区 普陀区 岱山县 嵊泗县',
                      '椒江区 黄岩区 路桥区 三门县 天台县 仙居县 温岭市 临海市 玉环市',
                      '莲都区 青田县 缙云县 遂昌县 松阳县 云和县 庆元县 景宁县 龙泉市'])
             WITH ORDINALITY AS c(name, districts, ord),
         LATERAL unnest(string_to_array(c.districts, ' ')) WITH ORDINALITY AS d(name, ord)
$$;

-- Birth regions of people: every Zhejiang area plus ten elsewhere.
CREATE FUNCTION regulator.person_regions() RETURNS integer[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN (SELECT array_agg(region ORDER BY idx) FROM regulator.areas())
       || ARRAY[110105, 310115, 320102, 340104, 360102, 410102, 430102, 441302, 510104, 350102, 370102];

-- The resident ID of person number p (0 <= p < 1.46e9): an affine bijection
-- of p spreads the people over 100 birth regions x 14,600 birth dates
-- (1960-1999) x 1,000 sequence numbers, so distinct p give distinct numbers.
CREATE FUNCTION regulator.person_cnid(seed integer, p bigint) RETURNS cnid
LANGUAGE sql STABLE STRICT PARALLEL SAFE
RETURN cnid_from_parts((regulator.person_regions())[1 + ((p * 2654435761 + seed) % 1460000000) % 100],
                       date '1960-01-01' + (((p * 2654435761 + seed) % 1460000000) / 100 % 14600)::integer,
                       (((p * 2654435761 + seed) % 1460000000) / 1460000)::integer);

-- A 9-character organisation code (GB 11714: 8 digits and a check character,
-- weights 3 7 9 10 5 8 4 2) for institution number i; distinct i < 10^8 give
-- distinct codes.
CREATE FUNCTION regulator.org_code(i bigint) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN (SELECT d || CASE c WHEN 10 THEN 'X' WHEN 11 THEN '0' ELSE c::text END
        FROM (SELECT d, 11 - (SELECT sum(substr(d, k, 1)::int * (ARRAY[3,7,9,10,5,8,4,2])[k]) % 11
                             FROM generate_series(1, 8) k)::int AS c
              FROM (SELECT lpad(((i * 48271 + 31415926) % 100000000)::text, 8, '0') AS d) a) b);

-- Surnames and given-name characters, most frequent first.
CREATE FUNCTION regulator.surnames() RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN regexp_split_to_array('王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤单解区仇查', '')
       || ARRAY['欧阳', '诸葛', '司马', '上官'];
CREATE FUNCTION regulator.given_names() RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN regexp_split_to_array('伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀英霞平刚桂华建国文辉力玉兰萍红鹏飞斌宇浩凯健俊帆帅旭宁龙林欣佳雪梅莉慧婷晶颖琳倩丹玲燕彬波亮成峰志宏海东春金荣晓小子一嘉思雨梓涵轩博晨阳瑞泽诗怡心悦语彤晴昊天然铭睿欢青松德福生祥发胜贵江山云永新利清安立武兵民长庆义忠哲坤柏维薇玮炜卫巍', '');

-- An element of `a` with Zipf-like frequency for u uniform in [0, 1): the
-- element of rank r with probability about 1/r.
CREATE FUNCTION regulator.zipf_pick(a text[], u double precision) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN a[floor(power(cardinality(a) + 1, u))::int];

-- regulator.person_name for the hash k of the number.
CREATE FUNCTION regulator.name_of_key(seed integer, k bigint) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE WHEN regulator.rnd(seed, 90, k) < 0.02 THEN
                (ARRAY['阿依古丽', '买买提', '阿不都', '热依拉', '古丽', '艾合买提', '努尔', '帕提古丽', '吐尔逊', '阿里木'])
                    [1 + floor(10 * regulator.rnd(seed, 91, k))::int]
                || '·' || (ARRAY['买买提', '艾力', '吐尔逊', '阿不都拉', '热合曼', '玉素甫', '依明', '尼亚孜', '哈斯木', '艾则孜'])
                    [1 + floor(10 * regulator.rnd(seed, 92, k))::int]
            ELSE regulator.zipf_pick(regulator.surnames(), regulator.rnd(seed, 93, k))
                 || regulator.zipf_pick(regulator.given_names(), regulator.rnd(seed, 94, k))
                 || CASE WHEN regulator.rnd(seed, 95, k) < 0.6
                         THEN regulator.zipf_pick(regulator.given_names(), regulator.rnd(seed, 96, k)) ELSE '' END
       END;

-- The name of the person with resident ID `subject`: a surname and one or
-- two given-name characters drawn with Zipf-like frequencies (rank r about
-- 1/r: 王 李 张 common, 张伟 shared by many), 2% minority names with a
-- middle dot.  A function of the number, so every employment of a person
-- and every list entry of that person give the same name.  One expression
-- over the number's hash (regulator.name_of_key): not declared STRICT so
-- that the planner inlines it (a NULL number or seed gives NULL all the
-- same), which makes naming a million people 10x faster than running a
-- SQL function per row.
CREATE FUNCTION regulator.person_name(seed integer, subject cnid) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN regulator.name_of_key(seed, hashtextextended(subject::text, seed));

-- A resident ID as a published list masks it: the birth date hidden, 4, 6
-- or 8 positions (k = 0, 1, 2) ending at position 14.
CREATE FUNCTION regulator.mask_birth(id cnid, k integer) RETURNS masked_cnid
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN overlay(id::text PLACING repeat('*', 4 + 2 * k) FROM 11 - 2 * k)::masked_cnid;

-- name_entry's foreign keys and secondary indexes (a GIN index on the name
-- keys without a pending list) set aside for the generator's bulk insert
-- (aside = true), or made again, as they were defined, with their names
-- and comments (false), in the same transaction: one check and one index
-- build instead of a lookup and an index insertion per row.  An error in
-- between rolls the drops back with everything else.
CREATE PROCEDURE regulator.generate_name_entry_aside(aside boolean)
LANGUAGE plpgsql AS $proc$
DECLARE
    ddl text;
BEGIN
    IF aside = (to_regclass('pg_temp.gen_name_entry_ddl') IS NOT NULL) THEN
        RAISE EXCEPTION 'name_entry''s foreign keys and indexes are %', CASE WHEN aside THEN 'already set aside' ELSE 'not set aside' END
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = 'Call regulator.generate_name_entry_aside(true), then (false), in one transaction.';
    END IF;
    IF aside THEN
        CREATE TEMP TABLE gen_name_entry_ddl ON COMMIT DROP AS
        SELECT row_number() OVER (ORDER BY kind, oid) AS ord, make, drop
        FROM (SELECT 1 AS kind, c.oid,
                     format('ALTER TABLE regulator.name_entry ADD CONSTRAINT %I %s', c.conname, pg_get_constraintdef(c.oid)) AS make,
                     format('ALTER TABLE regulator.name_entry DROP CONSTRAINT %I', c.conname) AS drop
              FROM pg_constraint c
              WHERE c.conrelid = 'regulator.name_entry'::regclass AND c.contype = 'f'
              UNION ALL
              SELECT 2, i.indexrelid, pg_get_indexdef(i.indexrelid), format('DROP INDEX %s', i.indexrelid::regclass)
              FROM pg_index i
              WHERE i.indrelid = 'regulator.name_entry'::regclass
                AND NOT EXISTS (SELECT FROM pg_constraint c WHERE c.conindid = i.indexrelid)
              UNION ALL   -- their comments, made again after them
              SELECT 3, c.oid, format('COMMENT ON CONSTRAINT %I ON regulator.name_entry IS %L', c.conname, d.description), NULL
              FROM pg_constraint c
              JOIN pg_description d ON d.classoid = 'pg_constraint'::regclass AND d.objoid = c.oid AND d.objsubid = 0
              WHERE c.conrelid = 'regulator.name_entry'::regclass AND c.contype = 'f'
              UNION ALL
              SELECT 4, i.indexrelid, format('COMMENT ON INDEX %s IS %L', i.indexrelid::regclass, d.description), NULL
              FROM pg_index i
              JOIN pg_description d ON d.classoid = 'pg_class'::regclass AND d.objoid = i.indexrelid AND d.objsubid = 0
              WHERE i.indrelid = 'regulator.name_entry'::regclass
                AND NOT EXISTS (SELECT FROM pg_constraint c WHERE c.conindid = i.indexrelid)) d;
        FOR ddl IN SELECT g.drop FROM gen_name_entry_ddl g WHERE g.drop IS NOT NULL ORDER BY g.ord LOOP
            EXECUTE ddl;
        END LOOP;
    ELSE
        FOR ddl IN SELECT g.make FROM gen_name_entry_ddl g ORDER BY g.ord LOOP
            EXECUTE ddl;
        END LOOP;
        DROP TABLE gen_name_entry_ddl;
    END IF;
END
$proc$;

-- Progress of the generator, for demo/load.sh on a terminal: phase k of n,
-- the rows of the phase's table, the share of phases done and the time since
-- the start, as a NOTICE (rows are counted only when notices are shown).
CREATE PROCEDURE regulator.generate_progress(k integer, n integer, what text, tbl regclass, t0 timestamptz)
LANGUAGE plpgsql AS $$
DECLARE
    rows bigint;
BEGIN
    IF current_setting('client_min_messages') NOT IN ('debug5', 'debug4', 'debug3', 'debug2', 'debug1', 'log', 'notice') THEN
        RETURN;
    END IF;
    EXECUTE format('SELECT count(*) FROM %s', tbl) INTO rows;
    RAISE NOTICE 'load: phase %/% %: % rows in %, % %% of the generator, % s',
        k, n, what, rows, tbl, round(100.0 * k / n), round(extract(epoch FROM clock_timestamp() - t0), 1);
END $$;

CREATE PROCEDURE regulator.generate(scale text DEFAULT 'district', seed integer DEFAULT 2024,
                                    factor numeric DEFAULT 1)
LANGUAGE plpgsql AS $proc$
DECLARE
    n_inst     integer;
    staff_mult numeric;
    n_ext      integer;     -- blacklist entries of people from outside the data
    last_year  constant integer := 2024;
    first_year constant integer := 2022;
    y_end      constant date := date '2024-12-31';
    y_start    constant date := date '2022-01-01';
    n          bigint;
    t0         timestamptz := clock_timestamp();
BEGIN
    IF scale = 'district' THEN
        n_inst := round(60 * factor); staff_mult := 1; n_ext := round(3000 * factor);
    ELSIF scale = 'province' THEN
        n_inst := round(3000 * factor); staff_mult := 3.7; n_ext := round(980000 * factor);
    ELSE
        RAISE EXCEPTION 'unknown scale "%"', scale USING HINT = 'Use ''district'' or ''province''.';
    END IF;
    IF seed < 0 THEN
        RAISE EXCEPTION 'seed must not be negative';
    END IF;
    IF n_inst < 4 THEN
        RAISE EXCEPTION 'factor % leaves too few institutions', factor;
    END IF;
    IF EXISTS (SELECT FROM regulator.institution) THEN
        RAISE EXCEPTION 'the reference model already holds data' USING HINT = 'Load into an empty schema.';
    END IF;

    -- areas of this scale: the district scale is one city (台州市, most
    -- institutions in 路桥区), the province all of Zhejiang
    CREATE TEMP TABLE gen_area ON COMMIT DROP AS
    SELECT a.*, w, sum(w) OVER (ORDER BY idx) - w AS cum_lo, sum(w) OVER () AS total_w
    FROM regulator.areas() a,
         LATERAL (SELECT CASE WHEN scale = 'province' THEN 1
                              WHEN a.district = '台州市路桥区' THEN 12 ELSE 1 END AS w) ww
    WHERE scale = 'province' OR a.city = '台州市';

    ---------------------------------------------------------------- institutions
    CREATE TEMP TABLE gen_inst ON COMMIT DROP AS
    WITH base AS (
        SELECT i,
               CASE WHEN r < 0.38 THEN 'bank' WHEN r < 0.66 THEN 'insurance'
                    WHEN r < 0.80 THEN 'securities' ELSE 'private_lending' END AS sector,
               regulator.rnd(seed, 2, i) AS r2, regulator.rnd(seed, 3, i) AS r3,
               regulator.rnd(seed, 4, i) AS r4
        FROM generate_series(1, n_inst) i, LATERAL (SELECT regulator.rnd(seed, 1, i) AS r) x),
    placed AS (
        SELECT b.*, a.district, a.region,
               CASE b.sector
                 WHEN 'bank' THEN (ARRAY['农业银行','工商银行','建设银行','中国银行','邮储银行','农商银行',
                                         '泰隆银行','民泰银行','交通银行','招商银行','浙商银行'])[1 + floor(b.r3 * 11)::int]
                 WHEN 'insurance' THEN (ARRAY['人保财险','平安财险','太保财险','国寿财险','中国人寿',
                                              '太平洋人寿','泰康人寿'])[1 + floor(b.r3 * 7)::int]
                 WHEN 'securities' THEN (ARRAY['浙商证券','财通证券','国信证券','华泰证券','中信证券'])[1 + floor(b.r3 * 5)::int]
                 ELSE (ARRAY['小额贷款公司','民间融资服务中心','融资担保公司'])[1 + floor(b.r3 * 3)::int] END AS brand,
               CASE b.sector WHEN 'bank' THEN '支行' WHEN 'insurance' THEN '支公司'
                             WHEN 'securities' THEN '营业部' ELSE '' END AS suffix
        FROM base b
        JOIN gen_area a ON floor(b.r2 * a.total_w) >= a.cum_lo AND floor(b.r2 * a.total_w) < a.cum_lo + a.w)
    SELECT i, sector, district, region, r4,
           regexp_replace(district, '^..市', '') || brand || suffix
             || CASE WHEN rn > 1 THEN '(' || rn || ')' ELSE '' END AS name,
           -- quality 0.70..0.95, most near the top; it improves a little each year
           0.95 - 0.24 * power(r4, 2.5) AS q,
           greatest(3, round(staff_mult * CASE sector
                WHEN 'bank' THEN 60 + 190 * regulator.rnd(seed, 5, i)
                WHEN 'insurance' THEN 20 + 100 * regulator.rnd(seed, 5, i)
                WHEN 'securities' THEN 10 + 50 * regulator.rnd(seed, 5, i)
                ELSE 4 + 16 * regulator.rnd(seed, 5, i) END))::int AS staff
    FROM (SELECT p.*, row_number() OVER (PARTITION BY district, brand ORDER BY i) AS rn FROM placed p) p;
    ALTER TABLE gen_inst ADD COLUMN n_left integer, ADD COLUMN first_emp bigint;
    UPDATE gen_inst SET n_left = round(staff * (0.06 + 0.08 * regulator.rnd(seed, 6, i)));
    UPDATE gen_inst g SET first_emp = s.first_emp
    FROM (SELECT i, 1 + sum(staff + n_left) OVER (ORDER BY i) - (staff + n_left) AS first_emp FROM gen_inst) s
    WHERE s.i = g.i;

    INSERT INTO regulator.institution (id, uscc, name, sector, district, assets, staff)
    SELECT i, uscc_from_parts('91' || region || regulator.org_code(i)), name, sector, district,
           round((CASE sector WHEN 'bank' THEN 800000 WHEN 'insurance' THEN 60000
                              WHEN 'securities' THEN 40000 ELSE 8000 END)
                 * exp(2 * regulator.rnd(seed, 7, i) - 1)::numeric * staff_mult, 2),
           staff
    FROM gen_inst;

    CALL regulator.generate_progress(1, 10, 'institutions', 'regulator.institution', t0);
    ---------------------------------------------------------------- schemes
    INSERT INTO regulator.assessment_year
    SELECT y, make_date(y + 1, 1, 31) FROM generate_series(first_year, last_year) y;
    INSERT INTO regulator.scheme_version (id, rules, effective, published, note) VALUES
        (1, scheme(), daterange(make_date(first_year, 1, 1), date '2024-01-01'), make_date(first_year, 1, 15),
         'the default rules'),
        -- 2024: the third party's weight raised at the inspection team's expense
        (2, scheme(w_self => 0.2, w_inspection => 0.4, w_third_party => 0.4), daterange('2024-01-01', NULL),
         date '2024-01-15', 'third party 0.4, inspection 0.4');

    ---------------------------------------------------------------- assessments
    -- each assessor scores each norm: basic points near quality x full marks
    -- (self-assessment lenient, third party strict), bonus points only for
    -- the best, red-line hits for a few institution-years (found by the
    -- inspection team, often by the third party, rarely admitted).
    CREATE TEMP TABLE gen_redline ON COMMIT DROP AS
    SELECT g.i, y AS year, regulator.rnd(seed, 12, g.i * 10 + y) AS r
    FROM gen_inst g, generate_series(first_year, last_year) y
    WHERE regulator.rnd(seed, 11, g.i * 10 + y) < 0.02 + 0.6 * (0.95 - g.q) * power(0.8, y - first_year);

    INSERT INTO regulator.assessment_result (institution_id, year, assessor, indicator, points)
    SELECT g.i, y, who, ind.code,
           CASE ind.class
             WHEN 'basic' THEN round(2 * ind.full_marks * least(1, greatest(0,
                   g.q + 0.012 * (y - first_year) + bias
                   + 0.16 * (regulator.rnd(seed, 13, ((g.i * 10 + y) * 4 + k) * 40 + ord) - 0.5)))) / 2
             WHEN 'bonus' THEN round(2 * ind.full_marks * least(1, greatest(0,
                   3.2 * (g.q - 0.78) + bias
                   + 0.5 * (regulator.rnd(seed, 14, ((g.i * 10 + y) * 4 + k) * 40 + ord) - 0.5)))) / 2
             ELSE CASE WHEN rl.i IS NOT NULL AND ind.code = CASE WHEN rl.r < 0.7 THEN '10.1' ELSE '10.2' END
                        AND (who = 'inspection' OR (who = 'third_party' AND rl.r > 0.3)
                             OR (who = 'self' AND rl.r > 0.9))
                       THEN 1 ELSE 0 END
           END
    FROM gen_inst g
    CROSS JOIN generate_series(first_year, last_year) y
    CROSS JOIN (VALUES (1, 'self', 0.035), (2, 'inspection', -0.01), (3, 'third_party', -0.02)) w(k, who, bias)
    CROSS JOIN LATERAL (SELECT i.*, row_number() OVER (ORDER BY item, norm) AS ord
                        FROM regulator.indicator_year i WHERE i.year = y) ind
    LEFT JOIN gen_redline rl ON rl.i = g.i AND rl.year = y
    -- some small lenders were not visited by the third party that year
    WHERE NOT (who = 'third_party' AND g.sector = 'private_lending'
               AND regulator.rnd(seed, 15, g.i * 10 + y) < 0.35);

    CALL regulator.generate_progress(2, 10, 'assessments', 'regulator.assessment_result', t0);
    ---------------------------------------------------------------- employees
    -- every employee's name a function of the number (regulator.person_name:
    -- the same in every employment), given as the row is written
    INSERT INTO regulator.employee (id, cnid, name, institution_id, position, hired, left_on, cadre)
    SELECT e, c, regulator.person_name(seed, c), g.i, pos, hired,
           -- departures fall in 2022-2024, at least a month after the hire
           CASE WHEN k >= g.staff THEN greatest(date '2022-01-01' + floor(1095 * regulator.rnd(seed, 22, e))::int,
                                                hired + 30 + (e % 300)::int) END,
           pos IN ('行长', '部门负责人') OR regulator.rnd(seed, 23, e) < 0.03
    FROM gen_inst g,
         LATERAL generate_series(0, g.staff + g.n_left - 1) k,
         LATERAL (SELECT g.first_emp + k AS e) ee,
         -- OFFSET 0: the number computed once per row, not once per use
         -- (the name and the hiring date use it too)
         LATERAL (SELECT regulator.person_cnid(seed, e) AS c,
                         CASE WHEN k = 0 THEN '行长'
                              WHEN k < 1 + g.staff / 25 THEN '部门负责人'
                              ELSE (ARRAY['柜员','柜员','客户经理','客户经理','信贷员','会计','风险合规',
                                          '理赔员','综合管理','纪检专员'])[1 + floor(10 * regulator.rnd(seed, 24, e))::int]
                         END AS pos OFFSET 0) x,
         -- hired 2003..2024 (more recently more often), aged 22 at least
         LATERAL (SELECT least(greatest(date '2003-01-01' + floor(7600 * power(regulator.rnd(seed, 21, e), 0.7))::int,
                                        cnid_birth_date(c) + 8036), date '2024-06-30') AS hired) h;
    UPDATE regulator.employee SET left_on = NULL WHERE left_on > y_end;

    CALL regulator.generate_progress(3, 10, 'employees', 'regulator.employee', t0);
    ---------------------------------------------------------------- events
    -- per employee: about 9.5 events over a full 2022-2024 window; a violation
    -- propensity that is heavily skewed (power 4 of a uniform), violations
    -- falling by 30% a year; the most at-risk sometimes touch a red line.
    INSERT INTO regulator.event (id, employee_id, module, points, at, source)
    SELECT e.id * 64 + j, e.id,
           CASE WHEN NOT t.viol THEN CASE WHEN t.rm < 0.45 THEN '清廉宣传' WHEN t.rm < 0.80 THEN '清廉建设'
                                          ELSE '重点工作' END
                WHEN w.vprob > 0.45 AND t.rm < 0.015 THEN '红线'
                WHEN t.rm < 0.20 THEN '纪检监察'
                WHEN t.rm < 0.55 THEN '员工管理'
                ELSE '合规建设' END,
           CASE WHEN NOT t.viol THEN CASE WHEN t.rm < 0.45 THEN 1.00 WHEN t.rm < 0.80 THEN 2.00 ELSE 1.50 END
                WHEN w.vprob > 0.45 AND t.rm < 0.015 THEN -20.00
                WHEN t.rm < 0.20 THEN -(5 + 5 * floor(2 * t.rm / 0.2))
                WHEN t.rm < 0.55 THEN -(2 + floor(4 * t.rm))
                ELSE -(1 + floor(8 * (t.rm - 0.55))) END,
           t.at,
           CASE WHEN NOT t.viol THEN CASE WHEN t.rm < 0.45 THEN 'training' WHEN t.rm < 0.80 THEN 'integrity_archive'
                                          ELSE 'credit_audit' END
                WHEN w.vprob > 0.45 AND t.rm < 0.015 THEN 'discipline_inspection'
                WHEN t.rm < 0.20 THEN 'discipline_inspection'
                WHEN t.rm < 0.55 THEN CASE WHEN t.rm < 0.4 THEN 'complaint' ELSE 'integrity_archive' END
                WHEN t.rm < 0.8 THEN 'accounting_audit' ELSE 'credit_audit' END
    FROM regulator.employee e
    CROSS JOIN LATERAL (SELECT greatest(e.hired, y_start) AS lo, coalesce(e.left_on, y_end) AS hi,
                               0.55 * power(regulator.rnd(seed, 31, e.id), 4) AS vprob) w
    CROSS JOIN LATERAL generate_series(1, least(60, greatest(0, round((w.hi - w.lo) / 1096.0
                                       * (5.5 + 10 * regulator.rnd(seed, 32, e.id))))::int)) j
    CROSS JOIN LATERAL (SELECT (w.lo + floor((w.hi - w.lo + 1) * regulator.rnd(seed, 33, e.id * 64 + j))::int)
                               + make_interval(secs => 8 * 3600 + floor(36000 * regulator.rnd(seed, 34, e.id * 64 + j)))
                               AS ts) t0
    CROSS JOIN LATERAL (SELECT t0.ts AT TIME ZONE 'Asia/Shanghai' AS at,
                               regulator.rnd(seed, 35, e.id * 64 + j)
                                 < w.vprob * power(0.7, extract(year FROM t0.ts) - 2022) AS viol,
                               regulator.rnd(seed, 36, e.id * 64 + j) AS rm) t;

    CALL regulator.generate_progress(4, 10, 'events', 'regulator.event', t0);
    -- a red line: dismissed 30 days later (events after that vanish), put on
    -- the industry ban list for 3-5 years and on the institution's own list
    CREATE TEMP TABLE gen_red ON COMMIT DROP AS
    SELECT DISTINCT ON (e.cnid) e.cnid, e.id AS employee_id, e.institution_id,
           (ev.at AT TIME ZONE 'Asia/Shanghai')::date AS red_on
    FROM regulator.event ev JOIN regulator.employee e ON e.id = ev.employee_id
    WHERE ev.module = '红线'
    ORDER BY e.cnid, ev.at, e.id;
    UPDATE regulator.employee e SET left_on = r.red_on + 30
    FROM gen_red r WHERE r.employee_id = e.id AND (e.left_on IS NULL OR e.left_on > r.red_on + 30);
    DELETE FROM regulator.event ev USING regulator.employee e
    WHERE e.id = ev.employee_id AND (ev.at AT TIME ZONE 'Asia/Shanghai')::date > e.left_on;
    INSERT INTO regulator.event (id, employee_id, module, points, at, source)
    SELECT r.employee_id * 64 + 63, r.employee_id, '黑名单', -30.00,
           (r.red_on + 29 + time '10:00') AT TIME ZONE 'Asia/Shanghai', 'discipline_inspection'
    FROM gen_red r;
    INSERT INTO regulator.blacklist (id, subject, list, reason, valid, listed_by, recorded_from)
    SELECT 2 * r.employee_id, r.cnid, 'industry_ban', '红线: 重大违规, 禁止从业',
           daterange(r.red_on + 30, (r.red_on + 30 + make_interval(years => 3 + (r.employee_id % 3)::int))::date),
           r.institution_id, regulator.first_publication(r.red_on + 30)
    FROM gen_red r;
    INSERT INTO regulator.blacklist (id, subject, list, reason, valid, listed_by, recorded_from)
    SELECT 2 * r.employee_id + 1, r.cnid, 'internal', '清廉积分黑名单公示',
           daterange(r.red_on + 30, (r.red_on + 30 + interval '2 years')::date), r.institution_id,
           regulator.first_publication(r.red_on + 30)
    FROM gen_red r;

    CALL regulator.generate_progress(5, 10, 'red lines', 'regulator.blacklist', t0);
    ---------------------------------------------------------------- other lists
    -- people from elsewhere: dishonest debtors, bans by other regulators,
    -- other institutions' lists; every 17th has a second, later entry on the
    -- same list (never overlapping: the exclusion constraint would refuse it)
    CREATE TEMP TABLE gen_ext ON COMMIT DROP AS
    SELECT k, regulator.person_cnid(seed, 500000000 + k) AS subject,
           CASE WHEN r < 0.55 THEN 'dishonest_debtor' WHEN r < 0.85 THEN 'industry_ban' ELSE 'internal' END AS list,
           date '2015-01-01' + floor(3650 * regulator.rnd(seed, 42, k))::int AS lo,
           regulator.rnd(seed, 43, k) AS rl,
           CASE WHEN regulator.rnd(seed, 44, k) < 0.6 THEN 1 + floor(n_inst * regulator.rnd(seed, 45, k))::int END AS by_inst
    FROM generate_series(1, n_ext) k, LATERAL (SELECT regulator.rnd(seed, 41, k) AS r) x;
    ALTER TABLE gen_ext ADD COLUMN hi date;
    UPDATE gen_ext SET hi = CASE list
        WHEN 'industry_ban' THEN (lo + make_interval(years => 3 + floor(8 * rl)::int))::date
        WHEN 'internal' THEN (lo + make_interval(years => 1 + floor(4 * rl)::int))::date
        ELSE CASE WHEN rl < 0.2 THEN NULL ELSE lo + 365 + floor(1100 * rl)::int END END;
    INSERT INTO regulator.blacklist (id, subject, list, reason, valid, listed_by, recorded_from)
    SELECT 1000000000000 + 2 * k, subject, list,
           CASE list WHEN 'dishonest_debtor' THEN '失信被执行人'
                     WHEN 'industry_ban' THEN (ARRAY['违规放贷, 禁止从业', '挪用客户资金, 禁止从业',
                                                     '虚构保险理赔, 禁止从业', '内幕交易, 市场禁入'])[1 + (k % 4)::int]
                     ELSE '机构内部黑名单' END,
           daterange(lo, hi), CASE WHEN list <> 'dishonest_debtor' THEN by_inst END,
           regulator.first_publication(lo)
    FROM gen_ext
    UNION ALL
    SELECT 1000000000000 + 2 * k + 1, subject, list, '再次列入',
           daterange(hi + 30 + (k % 300)::int, hi + 400 + (k % 700)::int),
           CASE WHEN list <> 'dishonest_debtor' THEN by_inst END,
           regulator.first_publication(hi + 30 + (k % 300)::int)
    FROM gen_ext WHERE k % 17 = 0 AND hi IS NOT NULL;

    -- the lists published by name are written in bulk: their foreign keys
    -- and secondary indexes are set aside until every entry is written
    -- (regulator.generate_screening makes them again before its runs)
    CALL regulator.generate_name_entry_aside(true);

    -- the same people as the lists published by name give them (issue 21):
    -- the courts give a debtor's name with the birth date masked (4, 6 or 8
    -- positions); a ban gives the name, the decision's number and, for bans
    -- of this data's institutions, the institution, half of them no ID number
    INSERT INTO regulator.name_entry (id, list, name, masked, institution_id, decision, reason, valid, recorded_from)
    SELECT 5000000000000 + 2 * k, CASE list WHEN 'dishonest_debtor' THEN 'debtor_names' ELSE 'ban_names' END,
           regulator.person_name(seed, subject),
           CASE WHEN list = 'dishonest_debtor' OR k % 2 = 0 THEN regulator.mask_birth(subject, (k % 3)::int) END,
           CASE WHEN list = 'industry_ban' THEN by_inst END,
           CASE list WHEN 'dishonest_debtor' THEN format('(%s)浙%s执%s号', extract(year FROM lo), 1001 + k % 90, k)
                     ELSE format('浙金罚决字〔%s〕%s号', extract(year FROM lo), 1 + k % 200) END,
           CASE list WHEN 'dishonest_debtor' THEN '失信被执行人' ELSE '禁止从业' END,
           daterange(lo, hi), regulator.first_publication(lo)
    FROM gen_ext WHERE list IN ('dishonest_debtor', 'industry_ban');
    INSERT INTO regulator.planted_name (entry_id, subject, form, planted)
    SELECT 5000000000000 + 2 * k, subject, 'exact', false FROM gen_ext WHERE list IN ('dishonest_debtor', 'industry_ban');
    INSERT INTO regulator.planted_name (entry_id, subject, form, planted)
    SELECT 5000000000000 + 2 * r.employee_id + 1, r.cnid, 'exact', false FROM gen_red r;
    INSERT INTO regulator.name_entry (id, list, name, masked, institution_id, decision, reason, valid, recorded_from)
    SELECT 5000000000000 + 2 * r.employee_id + 1, 'ban_names', regulator.person_name(seed, r.cnid), NULL, r.institution_id,
           format('浙金罚决字〔%s〕%s号', extract(year FROM r.red_on + 30), 201 + r.employee_id % 300),
           '重大违规, 禁止从业', daterange(r.red_on + 30, (r.red_on + 30 + make_interval(years => 3 + (r.employee_id % 3)::int))::date),
           regulator.first_publication(r.red_on + 30)
    FROM gen_red r;

    CALL regulator.generate_progress(6, 10, 'blacklist', 'regulator.blacklist', t0);
    ---------------------------------------------------------------- hires of listed people
    -- some dismissed red-line employees find work at another institution
    -- while their ban runs; so do some people banned or listed elsewhere;
    -- others are hired after their ban ended (not a hit)
    SELECT coalesce(max(id), 0) INTO n FROM regulator.employee;
    INSERT INTO regulator.employee (id, cnid, name, institution_id, position, hired, left_on, cadre)
    SELECT n + row_number() OVER (ORDER BY src, key), cnid, regulator.person_name(seed, cnid), inst, pos, hired, NULL, false
    FROM (
        SELECT 1 AS src, r.employee_id AS key, r.cnid,
               1 + ((r.institution_id + 1 + floor((n_inst - 1) * regulator.rnd(seed, 51, r.employee_id))::int - 1) % n_inst) AS inst,
               '客户经理' AS pos, r.red_on + 90 + floor(200 * regulator.rnd(seed, 52, r.employee_id))::int AS hired
        FROM gen_red r WHERE regulator.rnd(seed, 53, r.employee_id) < 0.4
        UNION ALL
        SELECT 2, k, subject,
               1 + ((coalesce(by_inst, 0) + floor((n_inst - 1) * regulator.rnd(seed, 54, k))::int) % n_inst),
               (ARRAY['信贷员', '客户经理', '理赔员'])[1 + (k % 3)::int],
               CASE WHEN regulator.rnd(seed, 55, k) < 0.75
                    THEN greatest(lo, date '2021-01-01') + floor(regulator.rnd(seed, 56, k) * 300)::int   -- during the ban
                    ELSE hi + 10 + (k % 200)::int END                                                    -- after it
        FROM gen_ext
        WHERE list IN ('industry_ban', 'dishonest_debtor') AND regulator.rnd(seed, 57, k) < 0.012
          AND greatest(lo, date '2021-01-01') + 300 < coalesce(hi, y_end)
    ) h
    WHERE hired <= date '2024-10-31';

    CALL regulator.generate_progress(7, 10, 'hires of listed people', 'regulator.employee', t0);
    ---------------------------------------------------------------- feedback code
    INSERT INTO regulator.feedback (id, institution_id, employee_id, kind, at, rating, verified)
    SELECT ((g.i * 8 + (y - first_year)) * 256 + j), g.i,
           CASE WHEN kind = 'complaint' AND regulator.rnd(seed, 63, key) < 0.5
                THEN g.first_emp + floor(g.staff * regulator.rnd(seed, 64, key))::int END,
           kind,
           ((make_date(y, 1, 1) + floor(365 * regulator.rnd(seed, 65, key))::int)
               + make_interval(secs => 9 * 3600 + floor(30000 * regulator.rnd(seed, 66, key)))) AT TIME ZONE 'Asia/Shanghai',
           CASE WHEN kind = 'rating' THEN
                CASE WHEN rr < 0.86 + 0.3 * (g.q - 0.85) + 0.012 * (y - first_year)
                     THEN CASE WHEN rr < 0.55 THEN 5 ELSE 4 END
                     ELSE 1 + floor(3 * regulator.rnd(seed, 67, key))::int END END,
           CASE WHEN kind = 'complaint' THEN regulator.rnd(seed, 68, key) < 0.4 END
    FROM gen_inst g
    CROSS JOIN generate_series(first_year, last_year) y
    CROSS JOIN LATERAL generate_series(1, 40 + floor(160 * regulator.rnd(seed, 61, g.i * 10 + y))::int) j
    CROSS JOIN LATERAL (SELECT ((g.i * 8 + (y - first_year)) * 256 + j)::bigint AS key) kk
    CROSS JOIN LATERAL (SELECT regulator.rnd(seed, 62, key) AS rk, regulator.rnd(seed, 69, key) AS rr) r
    CROSS JOIN LATERAL (SELECT CASE WHEN rk < 0.06 * power(0.8, y - first_year) + 0.04 * (0.95 - g.q)
                                    THEN 'complaint'
                                    WHEN rk < 0.16 THEN 'feedback' ELSE 'rating' END AS kind) kd;

    -- a verified complaint naming an employee costs that employee 3 points
    INSERT INTO regulator.event (id, employee_id, module, points, at, source)
    SELECT 4000000000000000 + f.id, f.employee_id, '员工管理', -3.00, f.at + interval '7 days', 'complaint'
    FROM regulator.feedback f JOIN regulator.employee e ON e.id = f.employee_id
    WHERE f.verified AND f.at + interval '7 days' < timestamptz '2025-01-01 00:00+08'
      AND (e.left_on IS NULL OR e.left_on >= ((f.at + interval '7 days') AT TIME ZONE 'Asia/Shanghai')::date);
    CALL regulator.generate_progress(8, 10, 'feedback', 'regulator.feedback', t0);
    CALL regulator.generate_screening(seed);
    CALL regulator.generate_progress(9, 10, 'screening workflow', 'regulator.screening_hit', t0);

    ---------------------------------------------------------------- flows for early warning
    CALL regulator.generate_flows(seed);
    CALL regulator.generate_progress(10, 10, 'clients, loans and transfers', 'regulator.transfer', t0);
END
$proc$;
COMMENT ON PROCEDURE regulator.generate(text, integer, numeric) IS
    'fill the reference model with deterministic synthetic data: scale district or province, a seed, a size factor';

-- ====================================================================
-- The screening workflow (issue 12): publications of the lists, superseded
-- versions of entries, audited screening runs of the year's new hires and
-- the reviews that followed them.  Called at the end of generate(), in
-- its transaction: it makes name_entry's foreign key and indexes again from
-- what generate_name_entry_aside(true) set aside there (a temporary table
-- dropped at commit), so it cannot be called on its own.
-- ===========================================================================

-- The publication that first carried an entry whose validity starts on d.
-- Every list is published on the first of every month; the regulator kept
-- the publications from 2021-01-01 to 2024-12-01 (the last of the data's
-- world).  An entry decided in a month appears in the next publication;
-- everything decided before 2021 in the first one kept, everything the data
-- holds beyond 2024-12 (bans decided in advance) in the last one.
CREATE FUNCTION regulator.first_publication(d date) RETURNS date
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN least(date '2024-12-01', greatest(date '2021-01-01', (date_trunc('month', d) + interval '1 month')::date));

CREATE PROCEDURE regulator.generate_screening(seed integer)
LANGUAGE plpgsql AS $proc$
DECLARE
    m   integer;
    lo  date;
    hi  date;
    run bigint;
BEGIN
    -- the year's new hires: about 8% of each institution's staff joined in
    -- January to October 2024 (people not seen before, no events yet)
    INSERT INTO regulator.employee (id, cnid, name, institution_id, position, hired, left_on, cadre)
    SELECT (SELECT max(id) FROM regulator.employee) + row_number() OVER (ORDER BY i.id, k),
           c.cnid, regulator.person_name(seed, c.cnid), i.id,
           (ARRAY['柜员', '客户经理', '信贷员', '理赔员', '会计', '综合管理'])
               [1 + floor(6 * regulator.rnd(seed, 86, i.id * 1000 + k))::int],
           date '2024-01-01' + floor(305 * regulator.rnd(seed, 87, i.id * 1000 + k))::int, NULL, false
    FROM regulator.institution i
    CROSS JOIN LATERAL generate_series(1, greatest(1, round(0.08 * i.staff))::int) k
    CROSS JOIN LATERAL (SELECT regulator.person_cnid(seed, 800000000 + i.id * 1000 + k) AS cnid OFFSET 0) c   -- once per row
    ORDER BY i.id, k;

    -- planted on the lists published by name (issue 21): about 5% of the
    -- year's new hires on the courts' list in a written form of their name
    -- (as written, traditional, pinyin in either order, another middle dot,
    -- one character typed wrong in a three-character name), with 4, 6 or 8
    -- positions of the number masked; 1.5% someone else of the same name with
    -- another number (a near miss: the number differs); 1% someone else of
    -- the same name whose number shows the same region, sequence and check
    -- character (the mask hides the whole birth date: a hit only the court's
    -- file can clear)
    CREATE TEMP TABLE gen_name_plant ON COMMIT DROP AS
    SELECT e.id, e.cnid, e.name, e.hired, k.kind,
           CASE k.kind
                WHEN 'true' THEN e.cnid
                WHEN 'other_number' THEN cnid_from_parts(cnid_region(e.cnid)::int, cnid_birth_date(e.cnid) + 1 + (e.id % 3000)::int,
                                                         ((e.id * 31) % 1000)::int)
                ELSE (SELECT o FROM generate_series(1, 400) j,
                           LATERAL (SELECT cnid_from_parts(cnid_region(e.cnid)::int, cnid_birth_date(e.cnid) - 365 * 3 - j,
                                                           substr(e.cnid::text, 15, 3)::int) AS o) oo
                      WHERE right(o::text, 1) = right(e.cnid::text, 1) ORDER BY j LIMIT 1) END AS listed
    FROM regulator.employee e
    CROSS JOIN LATERAL (SELECT regulator.rnd(seed, 97, e.id) AS u) x
    CROSS JOIN LATERAL (SELECT CASE WHEN x.u < 0.05 THEN 'true' WHEN x.u < 0.065 THEN 'other_number'
                                    ELSE 'same_visible_digits' END AS kind) k
    WHERE e.hired >= date '2024-01-01' AND x.u < 0.075;
    INSERT INTO regulator.name_entry (id, list, name, masked, institution_id, decision, reason, valid, recorded_from)
    SELECT 5900000000000 + p.id, 'debtor_names', f.name, f.masked, NULL,
           format('(%s)浙%s执%s号', extract(year FROM l.listed_on), 1001 + p.id % 90, p.id), '失信被执行人',
           daterange(l.listed_on, NULL), regulator.first_publication(l.listed_on)
    FROM gen_name_plant p
    CROSS JOIN LATERAL (SELECT (p.hired - 40 - (p.id % 300)::int) AS listed_on) l
    CROSS JOIN LATERAL (SELECT CASE WHEN p.kind <> 'true' THEN 'exact'
                                    WHEN p.name ~ '·' THEN 'middle_dot'
                                    ELSE (ARRAY['exact', 'traditional', 'pinyin_surname_first', 'pinyin_given_first',
                                                'typo'])[1 + (p.id % 5)::int] END AS form0) f0
    CROSS JOIN LATERAL (SELECT CASE WHEN f0.form0 = 'typo' AND char_length(p.name) < 3 THEN 'traditional'
                                    ELSE f0.form0 END AS form) f1
    CROSS JOIN LATERAL (SELECT
        CASE f1.form
             WHEN 'exact' THEN p.name
             WHEN 'middle_dot' THEN replace(p.name, '·', (ARRAY['•', '・', ' · ', '‧'])[1 + (p.id % 4)::int])
             WHEN 'traditional' THEN translate(p.name,
                 '万东严丽义于云伟兰军冯凯刘刚区华单卢卫发叶吕吴国孙宁帅庆张强悦晓杨杰欢汤泽涛炜玮红维罗胜艳苏范荣蒋许诗语谢谭贵贺贾赵轩辉邓邹郑钟钱铭长闫阳陆陈静韦韩顾颖飞马鹏黄龙龚',
                 '萬東嚴麗義於雲偉蘭軍馮凱劉剛區華單盧衛發葉呂吳國孫寧帥慶張強悅曉楊傑歡湯澤濤煒瑋紅維羅勝艷蘇範榮蔣許詩語謝譚貴賀賈趙軒輝鄧鄒鄭鐘錢銘長閆陽陸陳靜韋韓顧穎飛馬鵬黃龍龔')
             WHEN 'pinyin_surname_first' THEN upper(split_part(py, ' ', 1)) || ' ' || initcap(split_part(py, ' ', 2))
             WHEN 'pinyin_given_first' THEN initcap(split_part(py, ' ', 2)) || ' ' || upper(split_part(py, ' ', 1))
             WHEN 'typo' THEN overlay(p.name PLACING CASE WHEN substr(p.name, 3, 1) = '明' THEN '敏' ELSE '明' END FROM 3 FOR 1)
        END AS name,
        regulator.mask_birth(p.listed, CASE WHEN p.kind = 'same_visible_digits' THEN 2 ELSE (p.id % 3)::int END) AS masked
        FROM (SELECT (name_pinyin(p.name))[1] AS py) y) f;
    INSERT INTO regulator.planted_name (entry_id, subject, form, planted)
    SELECT 5900000000000 + p.id,
           p.listed,
           CASE WHEN p.kind = 'true' THEN
                CASE WHEN e.name = p.name THEN 'exact'
                     WHEN p.name ~ '·' THEN 'middle_dot'
                     WHEN e.name ~ '^[A-Z]+ ' THEN 'pinyin_surname_first'
                     WHEN e.name ~ '^[A-Z][a-z]+ ' THEN 'pinyin_given_first'
                     WHEN name_normalize(e.name) = name_normalize(p.name) THEN 'traditional'
                     ELSE 'typo' END
                ELSE 'near_' || p.kind END,
           true
    FROM gen_name_plant p JOIN regulator.name_entry e ON e.id = 5900000000000 + p.id;

    -- bans shortened by a court: about 5% of the industry bans were first
    -- published two years longer and corrected 3-14 publications later
    CREATE TEMP TABLE gen_court ON COMMIT DROP AS
    SELECT b.id, (b.recorded_from + make_interval(months => 3 + floor(12 * regulator.rnd(seed, 81, b.id))::int))::date
               AS corrected
    FROM regulator.blacklist b
    WHERE b.list = 'industry_ban' AND upper(b.valid) IS NOT NULL
      AND b.recorded_from BETWEEN date '2021-02-01' AND date '2024-06-01'
      AND regulator.rnd(seed, 80, b.id) < 0.05;
    INSERT INTO regulator.blacklist_history (id, subject, list, reason, valid, listed_by, recorded_from, recorded_until)
    SELECT b.id, b.subject, b.list, b.reason, daterange(lower(b.valid), (upper(b.valid) + interval '2 years')::date),
           b.listed_by, b.recorded_from, c.corrected
    FROM regulator.blacklist b JOIN gen_court c USING (id)
    ORDER BY b.id;
    UPDATE regulator.blacklist b SET recorded_from = c.corrected FROM gen_court c WHERE c.id = b.id;

    -- numbers typed wrong: about 3% of the year's new hires appear on the
    -- dishonest-debtor list in the publication of their hiring month, by
    -- someone else's mistyped number, withdrawn two publications later
    INSERT INTO regulator.blacklist_history (id, subject, list, reason, valid, listed_by, recorded_from, recorded_until)
    SELECT 3000000000000 + e.id, e.cnid, 'dishonest_debtor', '失信被执行人', daterange(e.hired - 120, NULL), NULL,
           date_trunc('month', e.hired)::date, (date_trunc('month', e.hired) + interval '2 months')::date
    FROM regulator.employee e
    WHERE e.hired >= date '2024-01-01' AND regulator.rnd(seed, 82, e.id) < 0.03
    ORDER BY e.id;

    -- the publications: size, additions and removals of every list, monthly
    INSERT INTO regulator.list_publication (list, published, entries, added, removed)
    SELECT l.name, m.p,
           sum(coalesce(a.n, 0) - coalesce(r.n, 0)) OVER (PARTITION BY l.name ORDER BY m.p),
           coalesce(a.n, 0), coalesce(r.n, 0)
    FROM regulator.list l
    CROSS JOIN LATERAL (SELECT d::date AS p FROM generate_series(date '2021-01-01', date '2024-12-01', interval '1 month') d) m
    LEFT JOIN (SELECT x.list, x.recorded_from AS p, count(*) AS n
               FROM (SELECT list, recorded_from FROM regulator.blacklist
                     UNION ALL SELECT list, recorded_from FROM regulator.blacklist_history
                     UNION ALL SELECT list, recorded_from FROM regulator.name_entry) x
               GROUP BY 1, 2) a ON a.list = l.name AND a.p = m.p
    LEFT JOIN (SELECT x.list, x.recorded_until AS p, count(*) AS n
               FROM (SELECT list, recorded_until FROM regulator.blacklist_history
                     UNION ALL SELECT list, recorded_until FROM regulator.name_entry WHERE recorded_until IS NOT NULL) x
               GROUP BY 1, 2) r
           ON r.list = l.name AND r.p = m.p;

    -- monthly runs: at every month end of 2024 the new hires of the month are
    -- screened against every list as published then; the reviewers decide on
    -- the hits within days (a typed-wrong number is cleared, most true hits
    -- confirmed, a few cleared after a court lifted the ban, some left open)
    CREATE TEMP TABLE gen_batch (cnid cnid, ref bigint, name text) ON COMMIT DROP;
    -- screening by name looks employees up by number (the institution a ban
    -- names): an index for the runs, dropped before demo/constraints.sql
    -- adds the DBA's own
    CREATE INDEX gen_employee_cnid ON regulator.employee (cnid);
    -- every name entry is written: its foreign keys and indexes again
    CALL regulator.generate_name_entry_aside(false);
    ANALYZE regulator.employee, regulator.name_entry;
    FOR m IN 1..12 LOOP
        lo := make_date(2024, m, 1);
        hi := (lo + interval '1 month')::date - 1;
        TRUNCATE gen_batch;
        INSERT INTO gen_batch SELECT e.cnid, e.id, e.name FROM regulator.employee e WHERE e.hired BETWEEN lo AND hi;
        CREATE TEMP TABLE gen_match ON COMMIT DROP AS
            SELECT * FROM regulator.screening_matches('pg_temp.gen_batch', hi, hi, NULL);
        INSERT INTO regulator.screening_run (ran_at, ran_by, purpose, batch, at, published,
                                             batch_size, invalid, matches, cleared)
        SELECT (hi + time '17:30') AT TIME ZONE 'Asia/Shanghai', 'screening_officer', 'new hires',
               format('regulator.employee hired %s..%s', lo, hi), hi, hi,
               (SELECT count(*) FROM gen_batch), 0, count(*), count(*) FILTER (WHERE status = 'cleared')
        FROM gen_match
        RETURNING id INTO run;
        INSERT INTO regulator.screening_run_list (run_id, list, publication, entries)
        SELECT run, p.list, p.published, p.entries
        FROM regulator.list_publication p
        WHERE p.published = regulator.publication_in_force(p.list, hi)
        ORDER BY p.list;
        INSERT INTO regulator.screening_hit (run_id, ref, subject, list, entry_id, valid, recorded_from, status, review_id,
                                             name, score, evidence)
        SELECT run, g.ref, g.subject, g.list, g.entry_id, g.valid, g.recorded_from, g.status, g.review_id,
               g.name, g.score, g.evidence
        FROM gen_match g ORDER BY g.ref, g.list, g.entry_id;
        INSERT INTO regulator.screening_review (subject, list, decision, reviewer, reason, reviewed_at, expires)
        SELECT g.subject, g.list, d.decision, 'reviewer_' || (ARRAY['li', 'zhou', 'chen'])[1 + (g.entry_id % 3)::int],
               d.reason, t.at, CASE d.decision WHEN 'cleared' THEN (t.at AT TIME ZONE 'Asia/Shanghai')::date + d.days END
        FROM gen_match g
        CROSS JOIN LATERAL (SELECT regulator.rnd(seed, 83, g.entry_id * 7 + g.ref::bigint) AS r) x
        -- what the reviewer finds in the court's file or the decision
        CROSS JOIN LATERAL (SELECT EXISTS (SELECT FROM regulator.planted_name p
                                           WHERE p.entry_id = g.entry_id AND p.subject = g.subject) AS same) truth
        CROSS JOIN LATERAL (SELECT ((hi + 2 + floor(8 * x.r)::int) + time '10:00') AT TIME ZONE 'Asia/Shanghai' AS at) t
        CROSS JOIN LATERAL (SELECT * FROM (VALUES
                ('cleared', '名单号码录入错误, 发布机关已更正 (number typed wrong on the list)', 365,
                 g.name IS NULL AND g.entry_id >= 3000000000000),
                ('confirmed', '核实为同一人, 已通报用人机构 (same person, employer informed)', NULL,
                 g.name IS NULL AND g.entry_id < 3000000000000 AND x.r < 0.55),
                ('cleared', '禁业决定已被法院撤销 (ban lifted by a court)', 180,
                 g.name IS NULL AND g.entry_id < 3000000000000 AND x.r >= 0.55 AND x.r < 0.7),
                -- by name: the reviewer reads the court's file or the decision
                ('cleared', '同名, 号码可见部分相符, 经核对法院文书或处罚决定非同一人 (same name, visible digits agree; the court''s file or the decision shows another person)', 365,
                 g.name IS NOT NULL AND NOT truth.same),
                ('confirmed', '经核对法院文书或处罚决定为同一人, 已通报用人机构 (the court''s file or the decision shows the same person, employer informed)', NULL,
                 g.name IS NOT NULL AND truth.same AND x.r < 0.75)) v(decision, reason, days, applies)
            WHERE v.applies) d
        WHERE g.status = 'open' AND (t.at AT TIME ZONE 'Asia/Shanghai')::date <= date '2024-12-31'
        ORDER BY g.ref, g.list, g.entry_id;
        DROP TABLE gen_match;
    END LOOP;
    DROP INDEX regulator.gen_employee_cnid;
END
$proc$;
COMMENT ON PROCEDURE regulator.generate_screening(integer) IS
    'the screening workflow''s data: corrected and withdrawn list entries, monthly publications, audited runs of the year''s new hires, reviews';

-- Clients, loans, accounts and transfers for early warning (2024), with a few
-- planted patterns and near misses recorded in regulator.planted_warning.
-- Called at the end of regulator.generate.  Background flows never come
-- near a rule: employees move at most 10,000 in and 15,000 out per
-- transfer, four and six times a year, and never with a client; clients
-- move money with everyone else.
CREATE PROCEDURE regulator.generate_flows(seed integer)
LANGUAGE plpgsql AS $proc$
DECLARE
    rate       numeric;
    n_emp      bigint;
BEGIN
    SELECT count(*) INTO n_emp FROM regulator.employee;
    -- planted cases per kind: about 3 at district scale, 1 in 2,000 staff
    -- at province scale
    rate := CASE WHEN n_emp < 20000 THEN 0.0006 ELSE 0.0005 END;

    -- clients: one and a half per member of staff, numbered per institution
    INSERT INTO regulator.client (id, cnid, institution_id)
    SELECT c, regulator.person_cnid(seed, 700000000 + c), inst
    FROM (SELECT row_number() OVER (ORDER BY i.id, k) AS c, i.id AS inst
          FROM regulator.institution i, generate_series(1, greatest(2, round(i.staff * 1.5))::int) k) x;
    CREATE TEMP TABLE gen_cli ON COMMIT DROP AS
    SELECT institution_id, min(id) AS first, count(*) AS n FROM regulator.client GROUP BY institution_id;

    -- loans: each credit officer in service in 2024 manages one to four
    INSERT INTO regulator.loan (id, client_id, officer_id, amount, granted, due)
    SELECT e.id * 8 + k, gc.first + floor(gc.n * regulator.rnd(seed, 71, e.id * 8 + k))::bigint, e.id,
           round((50000 + 1950000 * power(regulator.rnd(seed, 72, e.id * 8 + k), 3))::numeric, -2),
           g, g + 365 * (1 + floor(3 * regulator.rnd(seed, 74, e.id * 8 + k))::int)
    FROM regulator.employee e
    JOIN gen_cli gc ON gc.institution_id = e.institution_id
    CROSS JOIN LATERAL generate_series(1, 1 + floor(4 * regulator.rnd(seed, 70, e.id))::int) k
    CROSS JOIN LATERAL (SELECT greatest(e.hired, date '2022-01-01')
                               + floor(900 * regulator.rnd(seed, 73, e.id * 8 + k))::int AS g) gg
    WHERE e.position IN ('信贷员', '客户经理') AND (e.left_on IS NULL OR e.left_on > date '2024-12-31')
      AND gg.g < date '2024-10-01';

    -- accounts: employees (id = employee id), clients (1e10 + client id),
    -- 5,000 others (2e10 + k)
    INSERT INTO regulator.account (id, owner_kind, employee_id)
    SELECT id, 'employee', id FROM regulator.employee;
    INSERT INTO regulator.account (id, owner_kind, client_id)
    SELECT 10000000000 + id, 'client', id FROM regulator.client;
    INSERT INTO regulator.account (id, owner_kind)
    SELECT 20000000000 + k, 'other' FROM generate_series(1, 5000) k;

    -- background: employees in service in 2024, 4 inflows and 6 outflows
    INSERT INTO regulator.transfer (id, from_account, to_account, amount, at)
    SELECT e.id * 16 + k,
           CASE WHEN k <= 4 THEN 20000000001 + floor(5000 * regulator.rnd(seed, 75, e.id * 16 + k))::bigint ELSE e.id END,
           CASE WHEN k <= 4 THEN e.id ELSE 20000000001 + floor(5000 * regulator.rnd(seed, 75, e.id * 16 + k))::bigint END,
           CASE WHEN k <= 4 THEN round((200 + 9800 * power(regulator.rnd(seed, 76, e.id * 16 + k), 2))::numeric, 2)
                ELSE round((50 + 14950 * power(regulator.rnd(seed, 76, e.id * 16 + k), 3))::numeric, 2) END,
           timestamptz '2024-01-01 00:00+08' + make_interval(secs => floor(31535000 * regulator.rnd(seed, 77, e.id * 16 + k)))
    FROM regulator.employee e CROSS JOIN generate_series(1, 10) k
    WHERE e.hired <= date '2024-01-01' AND (e.left_on IS NULL OR e.left_on > date '2024-12-31');
    -- background: each client three transfers with others, either way
    INSERT INTO regulator.transfer (id, from_account, to_account, amount, at)
    SELECT 100000000000 + c.id * 4 + k,
           CASE WHEN k = 1 THEN 20000000001 + floor(5000 * regulator.rnd(seed, 78, c.id * 4 + k))::bigint ELSE 10000000000 + c.id END,
           CASE WHEN k = 1 THEN 10000000000 + c.id ELSE 20000000001 + floor(5000 * regulator.rnd(seed, 78, c.id * 4 + k))::bigint END,
           round((100 + 199900 * power(regulator.rnd(seed, 79, c.id * 4 + k), 3))::numeric, 2),
           timestamptz '2024-01-01 00:00+08' + make_interval(secs => floor(31535000 * regulator.rnd(seed, 80, c.id * 4 + k)))
    FROM regulator.client c CROSS JOIN generate_series(1, 3) k;

    -- planted patterns and near misses: employees in service all 2024 drawn
    -- by one hash into disjoint bands (a case per band and employee)
    CREATE TEMP TABLE gen_plant ON COMMIT DROP AS
    SELECT e.id, e.institution_id, e.position IN ('信贷员', '客户经理') AS officer,
           floor(regulator.rnd(seed, 90, e.id) / rate)::int AS band
    FROM regulator.employee e
    WHERE e.hired <= date '2024-01-01' AND (e.left_on IS NULL OR e.left_on > date '2024-12-31');
    DELETE FROM gen_plant WHERE band > 7;
    -- EW1: officer and own borrower (band 0 planted, 4 near miss: 600 < 1000)
    CREATE TEMP TABLE gen_pl1 ON COMMIT DROP AS
    SELECT DISTINCT ON (p.id) p.id, p.band, l.client_id, d
    FROM gen_plant p
    JOIN regulator.loan l ON l.officer_id = p.id
    CROSS JOIN LATERAL (SELECT greatest(l.granted, date '2024-01-10') + (p.id % 60)::int AS d) dd
    WHERE p.band IN (0, 4) AND p.officer AND dd.d < least(l.due, date '2024-12-01')
    ORDER BY p.id, l.id;
    INSERT INTO regulator.transfer (id, from_account, to_account, amount, at)
    SELECT 200000000000 + p.id * 8 + 1, 10000000000 + p.client_id, p.id,
           CASE WHEN p.band = 0 THEN 8000.00 ELSE 600.00 END, (p.d + time '14:00') AT TIME ZONE 'Asia/Shanghai'
    FROM gen_pl1 p
    UNION ALL
    SELECT 200000000000 + p.id * 8 + 2, p.id, 10000000000 + p.client_id, 3000.00,
           (p.d + 20 + time '15:30') AT TIME ZONE 'Asia/Shanghai'
    FROM gen_pl1 p WHERE p.band = 0;
    INSERT INTO regulator.planted_warning SELECT 'EW1', id, band = 0 FROM gen_pl1;
    -- EW2: money from two clients of the institution, not the employee's
    -- borrowers (band 1: 15,000 + 12,000 in ten days; band 5: 9,000 once)
    CREATE TEMP TABLE gen_pl2 ON COMMIT DROP AS
    SELECT p.id, p.band, gc.first + (p.id % gc.n) AS c1, gc.first + ((p.id + 1) % gc.n) AS c2,
           date '2024-03-01' + (p.id % 200)::int AS d
    FROM gen_plant p JOIN gen_cli gc ON gc.institution_id = p.institution_id
    WHERE p.band IN (1, 5) AND NOT p.officer AND gc.n >= 2;
    INSERT INTO regulator.transfer (id, from_account, to_account, amount, at)
    SELECT 200000000000 + p.id * 8 + 3, 10000000000 + p.c1, p.id,
           CASE WHEN p.band = 1 THEN 15000.00 ELSE 9000.00 END, (p.d + time '11:00') AT TIME ZONE 'Asia/Shanghai'
    FROM gen_pl2 p
    UNION ALL
    SELECT 200000000000 + p.id * 8 + 4, 10000000000 + p.c2, p.id, 12000.00,
           (p.d + 10 + time '16:00') AT TIME ZONE 'Asia/Shanghai'
    FROM gen_pl2 p WHERE p.band = 1;
    INSERT INTO regulator.planted_warning SELECT 'EW2', id, band = 1 FROM gen_pl2;
    -- EW3: four transfers of 48,000-49,900 on four days (band 2); two in a
    -- week and a third a month later (band 6)
    INSERT INTO regulator.transfer (id, from_account, to_account, amount, at)
    SELECT 300000000000 + p.id * 8 + k, p.id, 20000000001 + (p.id * 7 + k) % 5000,
           48000.00 + (p.id * 437 + k * 611) % 1900,
           ((date '2024-04-01' + (p.id % 180)::int + CASE WHEN p.band = 6 AND k = 3 THEN 30 ELSE k END)
             + time '10:00') AT TIME ZONE 'Asia/Shanghai'
    FROM gen_plant p CROSS JOIN generate_series(1, 4) k
    WHERE (p.band = 2) OR (p.band = 6 AND k <= 3);
    INSERT INTO regulator.planted_warning SELECT 'EW3', id, band = 2 FROM gen_plant WHERE band IN (2, 6);
    -- EW4: 320,000 from outside in one go (band 3); 50,000 (band 7: with at most four background
    -- inflows of 10,000 it stays under the 100,000 floor whatever their dates)
    INSERT INTO regulator.transfer (id, from_account, to_account, amount, at)
    SELECT 300000000000 + p.id * 8 + 6, 20000000001 + (p.id * 13) % 5000, p.id,
           CASE WHEN p.band = 3 THEN 320000.00 ELSE 50000.00 END,
           ((date '2024-06-01' + (p.id % 150)::int) + time '09:30') AT TIME ZONE 'Asia/Shanghai'
    FROM gen_plant p WHERE p.band IN (3, 7);
    INSERT INTO regulator.planted_warning SELECT 'EW4', id, band = 3 FROM gen_plant WHERE band IN (3, 7);
END
$proc$;
