-- The current value of every key of every indicator, as a release counts them (see upload_counts):
-- every place, period and breakdown, in a fixed order so the open data files are the same each time.
SELECT
    o.indicator_id, o.geography_code, o.breakdown_dimension, o.breakdown_value, o.period,
    o.period_start, o.period_end, o.value, o.numerator, o.denominator, o.missing, o.status, o.note,
    o.illustrative, o.source, o.upload_id
FROM current_observation(CAST($as_of_upload AS INTEGER), CAST($undone_uploads AS INTEGER[])) AS o
ORDER BY o.indicator_id, o.geography_code, o.breakdown_dimension, o.breakdown_value, o.period_start,
    o.period_end
