-- A store made before 024: an upload is illustrative when its values were stored as illustrative.
UPDATE upload
SET illustrative = EXISTS (
    SELECT 1 FROM observation AS o WHERE o.upload_id = upload.id AND o.illustrative
)
