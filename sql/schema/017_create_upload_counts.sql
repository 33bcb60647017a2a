-- Whether an upload's rows count, the one rule every read of "current" uses.
-- Now ($as_of_upload NULL): the uploads still committed. As a board pack saw it ($as_of_upload set):
-- the uploads up to that one, committed or undone since (the board saw their figures), less those
-- already undone then. Either way the uploads in undone_uploads are left out: an undo preview asks
-- "current if this upload were undone" by naming it there.
CREATE OR REPLACE MACRO upload_counts(upload_id, outcome, as_of_upload, undone_uploads) AS
    CASE
        WHEN as_of_upload IS NULL THEN outcome = 'committed'
        ELSE upload_id <= as_of_upload AND outcome IN ('committed', 'undone')
    END
    AND NOT list_contains(undone_uploads, upload_id)
