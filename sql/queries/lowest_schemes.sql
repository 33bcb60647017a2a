-- The scheme view of one indicator's period (the Indicator page): the $at_most lowest schemes, those with
-- no figure last (ties by scheme name, then place code), and on every row what the chart's title and
-- description state of them all: how many schemes there are, how many are below $minimum, how many have
-- no figure, the lowest and highest share of those that meet it, and the first $at_most names with no
-- figure. The store counts them, so a period of 25,000 schemes costs the page its few rows. One row with
-- NULL scheme columns when the period has no schemes.
WITH scheme AS (
    SELECT
        o.breakdown_value AS project, o.geography_code, o.period, o.period_end, o.numerator, o.denominator,
        o.value AS share, o.missing, o.status
    FROM current_observation(CAST(NULL AS INTEGER), CAST([] AS INTEGER[])) AS o
    WHERE o.indicator_id = $indicator_id
      AND list_contains($geographies, o.geography_code)
      AND o.breakdown_dimension = 'project'
      AND o.period_end = CAST($period_end AS DATE)
),
counted AS (
    SELECT
        count(*) AS schemes,
        count(*) FILTER (WHERE share < $minimum) AS below,
        count(*) FILTER (WHERE share IS NULL) AS no_figure,
        min(share) FILTER (WHERE share >= $minimum) AS lowest_meeting,
        max(share) FILTER (WHERE share >= $minimum) AS highest_meeting,
        (array_agg(project ORDER BY project, geography_code) FILTER (WHERE share IS NULL))[
            1:CAST($at_most AS INTEGER)
        ] AS no_figure_names
    FROM scheme
),
lowest AS (
    SELECT *
    FROM scheme
    ORDER BY share NULLS LAST, project, geography_code
    LIMIT $at_most
)
SELECT
    c.schemes, c.below, c.no_figure, c.lowest_meeting, c.highest_meeting, c.no_figure_names,
    l.project, l.geography_code, l.period, l.period_end, l.numerator, l.denominator, l.share, l.missing,
    l.status
FROM counted AS c
LEFT JOIN lowest AS l ON true
ORDER BY l.share NULLS LAST, l.project, l.geography_code
