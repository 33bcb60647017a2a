-- The current value of every key (indicator, place, breakdown, period): its row from the newest
-- upload that counts (see upload_counts). The one definition of "current" every read of values uses;
-- DuckDB pushes a caller's filter on the key columns inside, so a read of one series ranks only it.
CREATE OR REPLACE MACRO current_observation(as_of_upload, undone_uploads) AS TABLE
    SELECT o.*
    FROM observation AS o
    JOIN upload AS u ON u.id = o.upload_id
    WHERE upload_counts(u.id, u.outcome, as_of_upload, undone_uploads)
    QUALIFY row_number() OVER (
        PARTITION BY o.indicator_id, o.geography_code, o.breakdown_dimension, o.breakdown_value,
                     o.period_start, o.period_end
        ORDER BY o.upload_id DESC
    ) = 1
