-- How many of an upload's records passed every set check: the rows the set checks speak for (the
-- others are counted as Python reads them again).
SELECT count(*) FILTER (WHERE ok) AS rows
FROM upload_checked
