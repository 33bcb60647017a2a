-- Every scheme of one indicator's period judged against a minimum that binds each of them (the plan's
-- 20% affordable homes in every SCF scheme), in the store rather than row by row in Python: how many
-- schemes there are (a figure or a missing-value symbol), how many have no figure, how many are below
-- $minimum, and those below it, lowest first (ties by scheme name, then place code), at most $at_most
-- of them (NULL: every one). A scheme's share is its current value: the numerator over the denominator
-- where the value was left empty, else the value given (checked on upload to agree with the two). A
-- missing figure is not zero: it is counted as missing and is never below. One row when none is below,
-- with NULL for the scheme. Now, or as a board pack saw it: see upload_counts.
WITH scheme AS (
    SELECT o.breakdown_value AS project, o.geography_code, o.value AS share
    FROM current_observation(CAST($as_of_upload AS INTEGER), CAST($undone_uploads AS INTEGER[])) AS o
    WHERE o.indicator_id = $indicator_id
      AND list_contains($geographies, o.geography_code)
      AND o.breakdown_dimension = 'project'
      AND o.period_end = CAST($period_end AS DATE)
),
counted AS (
    SELECT
        count(*) AS schemes,
        count(*) FILTER (WHERE share IS NULL) AS missing,
        count(*) FILTER (WHERE share < $minimum) AS below
    FROM scheme
),
lowest AS (
    SELECT project, geography_code, share
    FROM scheme
    WHERE share < $minimum
    ORDER BY share, project, geography_code
    LIMIT CAST($at_most AS BIGINT)
)
SELECT c.schemes, c.missing, c.below, l.project, l.geography_code, l.share
FROM counted AS c
LEFT JOIN lowest AS l ON true
ORDER BY l.share, l.project, l.geography_code
