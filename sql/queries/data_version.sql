SELECT
    max(id) AS last_upload_id,
    count(*) FILTER (WHERE outcome = 'undone') AS undone_uploads,
    greatest(max(uploaded_at), max(undone_at)) AS last_change_at
FROM upload
