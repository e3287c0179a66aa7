-- 7. 新员工名单筛查 Screening of the year's new hires
-- Every month the new hires were screened against every list as published
-- then, and each run recorded in the append-only audit.  Per institution with
-- a hit, and for all: the year's new hires, the runs, the hits (a person may
-- hit several lists) and the people hit, and where the reviews stood at the
-- year end - cleared (false positives: numbers typed wrong on a list, bans
-- lifted), confirmed, open (never reviewed, or the review expired) - with
-- the publications the runs screened against.

-- The view report.new_hire_screening (demo/report_views.sql) holds the query.
SELECT * FROM report.new_hire_screening
ORDER BY institution = 'all', open DESC, hits DESC, institution;
