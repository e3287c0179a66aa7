-- 4. 黑名单 Blacklist hits across institutions
-- People employed while on a list (industry ban, dishonest debtor, another
-- institution's own list) that another institution or authority put them
-- on: hired while listed, or listed at the year end and still employed.
-- "new" marks a hire of the report year; "earlier" a hire of a previous year
-- who is still, or was, employed while listed (a case carried over).

-- The view report.blacklist_hits (demo/report_views.sql) holds the query.
SELECT * FROM report.blacklist_hits
ORDER BY hire DESC, CASE list WHEN 'industry_ban' THEN 1 WHEN 'internal' THEN 2 ELSE 3 END, hired, person, listed_from;
