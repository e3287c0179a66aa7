-- assessment: three assessors, weighted composition, renormalised weights,
-- red lines found by any assessor.

CREATE TABLE assessment_rows (inst int, assessor text, score iscore);
INSERT INTO assessment_rows VALUES
  -- all three assessors: 0.2*90 + 0.5*80 + 0.3*85 = 83.50; bonus 0.2*2 + 0.5*1 = 0.90
  (1, 'self', '90+2'), (1, 'inspection', '80+1'), (1, 'third_party', '85+0'),
  -- inspection missing: (0.2*90 + 0.3*85) / 0.5 = 87.00
  (2, 'self', '90+0'), (2, 'third_party', '85+0'),
  -- a red line found only by the third party vetoes the result
  (3, 'self', '95+3'), (3, 'inspection', '93+2'), (3, 'third_party', '90+0!1'),
  -- rows of one assessor are summed first (per-norm rows): self = 50+40
  (4, 'self', '50+1'), (4, 'self', '40+1'), (4, '检查组考评', '88+0'), (4, '第三方测评', '86+0'),
  -- the most hits any one assessor found, not their sum
  (5, 'self', '70+0!1'), (5, 'inspection', '70+0!2'),
  -- half-even rounding of the weighted mean: (0.2*0.01 + 0.5*0.02) / 0.7 = 0.01714.. -> 0.02
  (6, 'self', '0.01+0'), (6, 'inspection', '0.02+0');
SELECT inst, assess(assessor, score, scheme()) AS assessment,
       score(assess(assessor, score, scheme())) AS score,
       assessors(assess(assessor, score, scheme())) AS n
FROM assessment_rows GROUP BY inst ORDER BY inst;

SELECT assessor_score(a, 'self') AS self, assessor_score(a, 'inspection') AS inspection,
       assessor_weight(a, 'third_party') AS w3, assessor_weight(a, '第三方测评') AS w3_zh
FROM (SELECT assess(assessor, score, scheme()) a FROM assessment_rows WHERE inst = 2) t;

-- text form round-trips
SELECT bool_and(a::text::assessment::text = a::text AND score(a::text::assessment) = score(a)) AS round_trips
FROM (SELECT assess(assessor, score, scheme()) a FROM assessment_rows GROUP BY inst) t;
SELECT 'self:90.00+2.00;inspection:-;third_party:85.00+0.00;weights:0.2000/0.5000/0.3000'::assessment;
-- malformed
SELECT 'self:90+2;inspection:-;third_party:-;weights:0.2/0.5/0.2'::assessment;
SELECT 'self:90+2;third_party:-;inspection:-;weights:0.2/0.5/0.3'::assessment;
SELECT 'self:90;inspection:-;third_party:-;weights:0.2/0.5/0.3'::assessment;
SELECT 'self:90+2;inspection:-;third_party:-;weights:0.2/0.5/0.3;'::assessment;
SELECT 'self:90+2;inspection:-;third_party:-;weights:0.25555/0.5/0.3'::assessment;
SELECT 'self:90+2;inspection:-;third_party:-'::assessment;
-- white space is not part of a part: a TAB, a trailing blank, a newline
SELECT E'self:90+2\t;inspection:-;third_party:-;weights:0.2/0.5/0.3'::assessment;
SELECT 'self:90+2 ;inspection:-;third_party:-;weights:0.2/0.5/0.3'::assessment;
SELECT E'self:90+2;inspection:\n80+0;third_party:-;weights:0.2/0.5/0.3'::assessment;
SELECT 'self: 90+2;inspection:-;third_party:-;weights:0.2/0.5/0.3'::assessment;

-- bad rows
SELECT assess(a, s, scheme()) FROM (VALUES ('auditor', '1+0'::iscore)) t(a, s);
SELECT assess(a, s, scheme()) FROM (VALUES (NULL, '1+0'::iscore)) t(a, s);
SELECT assess(a, s, NULL) FROM (VALUES ('self', '1+0'::iscore)) t(a, s);
SELECT assess(a, s, r) FROM (VALUES ('self', '1+0'::iscore, scheme()),
                                   ('inspection', '1+0', scheme(w_self => 0.3, w_inspection => 0.4))) t(a, s, r);
SELECT score(assess(a, s, scheme(w_self => 0, w_inspection => 0.7))) FROM (VALUES ('self', '1+0'::iscore)) t(a, s);
SELECT assess(a, s, scheme()) IS NULL AS null_scores_skipped FROM (VALUES ('self', NULL::iscore)) t(a, s);
SELECT assessor_score('self:1.00+0.00;inspection:-;third_party:-;weights:1/0/0', 'boss');
-- binary COPY round trip, and malformed binary values rejected
CREATE TABLE assessment_copy (a assessment);
COPY (SELECT assess(assessor, score, scheme()) FROM assessment_rows GROUP BY inst ORDER BY inst)
  TO '/tmp/integrity_regress_assessment.bin' (FORMAT binary);
COPY assessment_copy FROM '/tmp/integrity_regress_assessment.bin' (FORMAT binary);
SELECT count(*) AS copied, bool_and(c.a::text = t.a::text) AS equal
FROM (SELECT a, row_number() OVER () AS n FROM assessment_copy) c
JOIN (SELECT assess(assessor, score, scheme())::text AS a, row_number() OVER (ORDER BY inst) AS n
      FROM assessment_rows GROUP BY inst) t USING (n);
CREATE FUNCTION pg_temp.copy_file(payload text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM lo_unlink(oid) FROM pg_largeobject_metadata WHERE oid = 424243;
    PERFORM lo_from_bytea(424243, decode('5047434f50590aff0d0a00' || '00000000' || '00000000'
        || '0001' || lpad(to_hex(length(payload) / 2), 8, '0') || payload || 'ffff', 'hex'));
    PERFORM lo_export(424243, '/tmp/integrity_regress_assessment_bad.bin');
    PERFORM lo_unlink(424243);
END $$;
-- layout: version, assessor bits, three int4 weights, three (int8, int8, int4) scores
-- a good one: self 1.00+0.00 only, weights 1/0/0
SELECT pg_temp.copy_file('01' || '01' || '00002710' || '00000000' || '00000000'
    || '0000000000000064' || '0000000000000000' || '00000000'
    || repeat('00', 40));
COPY assessment_copy FROM '/tmp/integrity_regress_assessment_bad.bin' (FORMAT binary);
SELECT a FROM assessment_copy WHERE assessors(a) = 1 AND assessor_weight(a, 'self') = 1;
-- unknown version
SELECT pg_temp.copy_file('02' || '01' || '00002710' || '00000000' || '00000000'
    || '0000000000000064' || '0000000000000000' || '00000000' || repeat('00', 40));
COPY assessment_copy FROM '/tmp/integrity_regress_assessment_bad.bin' (FORMAT binary);
-- weights that do not sum to 1
SELECT pg_temp.copy_file('01' || '01' || '00002710' || '00000001' || '00000000'
    || '0000000000000064' || '0000000000000000' || '00000000' || repeat('00', 40));
COPY assessment_copy FROM '/tmp/integrity_regress_assessment_bad.bin' (FORMAT binary);
-- an absent assessor with points
SELECT pg_temp.copy_file('01' || '01' || '00002710' || '00000000' || '00000000'
    || '0000000000000064' || '0000000000000000' || '00000000'
    || '0000000000000001' || repeat('00', 32));
COPY assessment_copy FROM '/tmp/integrity_regress_assessment_bad.bin' (FORMAT binary);
-- an assessor set out of range, a truncated value
SELECT pg_temp.copy_file('01' || '08' || '00002710' || '00000000' || '00000000' || repeat('00', 60));
COPY assessment_copy FROM '/tmp/integrity_regress_assessment_bad.bin' (FORMAT binary);
SELECT pg_temp.copy_file('01' || '01' || '00002710');
COPY assessment_copy FROM '/tmp/integrity_regress_assessment_bad.bin' (FORMAT binary);
SELECT integrity_internal.assess_combine('self:1+0;inspection:-;third_party:-;weights:1/0/0', 'self:1+0;inspection:-;third_party:-;weights:1/0/0');
DROP TABLE assessment_copy;
DROP TABLE assessment_rows;
