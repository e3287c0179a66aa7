-- 4. Blacklist hits across institutions.
-- People employed while on a list (industry ban, dishonest debtor, another
-- institution's own list) that another institution or authority put them
-- on.  listed() screens every employment (hired while listed, or listed at
-- the year end and still employed) against the blacklist table, whose
-- blacklist index answers almost every "not listed" without reading it; the
-- few hits are then joined to the entries for the details.
WITH hits AS (
    SELECT e.*
    FROM regulator.employee e
    WHERE listed(e.cnid, 'regulator.blacklist', e.hired)
       OR (e.left_on IS NULL AND listed(e.cnid, 'regulator.blacklist', date '2024-12-31')))
SELECT cnid_mask(h.cnid) AS person,
       i.name AS employer,
       h.position,
       h.hired,
       h.left_on,
       b.list,
       b.reason,
       lower(b.valid) AS listed_from,
       upper(b.valid) AS listed_until,
       coalesce(lb.name, '(other authority)') AS listed_by,
       (least(coalesce(h.left_on, date '2024-12-31'), coalesce(upper(b.valid), date '2024-12-31'))
        - greatest(h.hired, lower(b.valid))) AS days_overlap
FROM hits h
JOIN regulator.blacklist b
  ON b.subject = h.cnid
 AND b.valid && daterange(h.hired, coalesce(h.left_on, date '2024-12-31'), '[]')
 AND b.listed_by IS DISTINCT FROM h.institution_id
JOIN regulator.institution i ON i.id = h.institution_id
LEFT JOIN regulator.institution lb ON lb.id = b.listed_by
ORDER BY CASE b.list WHEN 'industry_ban' THEN 1 WHEN 'internal' THEN 2 ELSE 3 END, h.hired, person, b.id;
