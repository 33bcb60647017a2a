INSERT INTO release (
    id, release_time, built_at, include_illustrative, as_of_upload, undone_uploads, uploads, manifest
) VALUES (
    $id, $release_time, $built_at, $include_illustrative, $as_of_upload,
    CAST($undone_uploads AS INTEGER[]), CAST($uploads AS INTEGER[]), $manifest
)
