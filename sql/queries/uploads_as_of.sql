-- The uploads a board pack rebuilt "as at" shows data from (see upload_counts).
SELECT id, kind, file_name, user_name, uploaded_at
FROM upload
WHERE upload_counts(id, outcome, CAST($as_of_upload AS INTEGER), CAST($undone_uploads AS INTEGER[]))
ORDER BY id
