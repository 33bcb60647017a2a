-- The current value of every key, now or at a past point: now, the rows flagged current (kept by every
-- upload and undo, so a read costs what it returns); at a past point (a board pack's as-of, or an undo
-- preview leaving an upload out), the rule itself (ranked_observation). Only one branch returns rows.
CREATE OR REPLACE MACRO current_observation(as_of_upload, undone_uploads) AS TABLE
    SELECT o.*
    FROM observation AS o
    WHERE as_of_upload IS NULL AND len(undone_uploads) = 0 AND o.is_current
    UNION ALL
    SELECT r.*
    FROM ranked_observation(as_of_upload, undone_uploads) AS r
    WHERE as_of_upload IS NOT NULL OR len(undone_uploads) > 0
