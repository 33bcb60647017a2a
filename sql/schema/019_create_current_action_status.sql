-- The current status of every action and quarter: its row from the newest upload that counts.
-- The action-status twin of current_observation, with the same rule.
CREATE OR REPLACE MACRO current_action_status(as_of_upload, undone_uploads) AS TABLE
    SELECT a.*
    FROM action_status AS a
    JOIN upload AS u ON u.id = a.upload_id
    WHERE upload_counts(u.id, u.outcome, as_of_upload, undone_uploads)
    QUALIFY row_number() OVER (
        PARTITION BY a.action_id, a.period_start, a.period_end ORDER BY a.upload_id DESC
    ) = 1
