-- 4. 黑名单 Blacklist hits across institutions
-- People employed while on a list (industry ban, dishonest debtor, another
-- institution's own list) that another institution or authority put them
-- on: hired while listed, or listed at the year end and still employed.
-- "new" marks a hire of the report year; "earlier" a hire of a previous year
-- who is still, or was, employed while listed (a case carried over).

-- listed() screens every employment against the blacklist table, whose
-- blacklist index answers almost every "not listed" without reading it; the
-- few hits are then joined to the entries for the details.
WITH y AS (SELECT max(year) AS year, make_date(max(year), 1, 1) AS year_start,
                  make_date(max(year), 12, 31) AS year_end
           FROM regulator.scheme_year),
hits AS (
    SELECT e.*
    FROM regulator.employee e, y
    WHERE e.hired <= y.year_end
      AND (listed(e.cnid, 'regulator.blacklist', e.hired)
           OR (e.left_on IS NULL AND listed(e.cnid, 'regulator.blacklist', y.year_end))))
SELECT cnid_mask(h.cnid) AS person,
       i.name AS employer,
       h.position,
       h.hired,
       CASE WHEN h.hired >= y.year_start THEN 'new' ELSE 'earlier' END AS hire,
       h.left_on,
       b.list,
       b.reason,
       lower(b.valid) AS listed_from,
       upper(b.valid) AS listed_until,
       coalesce(lb.name, '(other authority)') AS listed_by,
       (least(coalesce(h.left_on, y.year_end), coalesce(upper(b.valid), y.year_end))
        - greatest(h.hired, lower(b.valid))) AS days_overlap
FROM hits h
CROSS JOIN y
JOIN regulator.blacklist b
  ON b.subject = h.cnid
 AND b.valid && daterange(h.hired, coalesce(h.left_on, y.year_end), '[]')
 AND b.listed_by IS DISTINCT FROM h.institution_id
JOIN regulator.institution i ON i.id = h.institution_id
LEFT JOIN regulator.institution lb ON lb.id = b.listed_by
ORDER BY h.hired >= y.year_start DESC, CASE b.list WHEN 'industry_ban' THEN 1 WHEN 'internal' THEN 2 ELSE 3 END,
         h.hired, person, b.id;
