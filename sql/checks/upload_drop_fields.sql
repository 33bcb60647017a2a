-- The upload's fields are checked now (upload_checked holds what is kept): their memory is given back.
DROP TABLE upload_fields
