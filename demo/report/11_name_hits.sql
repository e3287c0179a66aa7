-- 11. 姓名筛查命中 Hits by name: the lists published with names and masked numbers
-- The courts publish dishonest debtors by name with the birth date of the
-- ID number masked (3303241976****2118); bans give a name, the institution
-- and the decision, often no number.  The year's new hires were screened
-- against them too: a hit needs the name (as written, in traditional
-- characters, in pinyin, with another middle dot, or one character typed
-- wrong) and more evidence - the visible digits of the number, or the
-- institution the ban names.  A name alone (张伟 is shared by some 300,000
-- people) is never a hit.  Each hit shows its score (from 70 up), the
-- evidence that agreed with the points each gave (they add up to the
-- score), and the review: a reviewer clears a namesake whose visible digits
-- happen to agree after reading the court's file.

-- The view report.name_hits (demo/report_views.sql) holds the query.
SELECT * FROM report.name_hits
ORDER BY score DESC, hired, person, list, listed_name;
