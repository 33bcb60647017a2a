-- Records and lines that did not pair up when an upload was read (see upload_read_csv): none, or the
-- file is read by the Python path instead.
SELECT count(*) FILTER (WHERE NOT present) FROM upload_fields
