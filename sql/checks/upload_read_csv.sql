-- An uploaded file of values read by DuckDB in one pass: each record with its line in the file,
-- whether its text is plain (printable ASCII, no double quote, as many fields as the header: then
-- splitting at commas reads it exactly as the csv module does) and its fields by name, spaces trimmed.
-- By position: upload_lines (from the file's bytes) lists every line that is not empty, in order, and
-- DuckDB keeps one record per such line (a short one padded: its width is told from its commas) or
-- stops with an error, and the file takes the Python path. `present` is false where the two sides did not pair up.
-- A column the file does not have is given a place past the end of the record, so it reads as empty.
-- $trim is false when no field of the file can start or end with a space (setcheck.padded): trimming a
-- million rows' fields is a third of this statement's time, and a constant condition costs nothing.
CREATE TEMP TABLE upload_fields AS
WITH numbered AS (
    SELECT n.line, n.plain, r.present AND n.line IS NOT NULL AS present, list_value(*COLUMNS(r.* EXCLUDE (present))) AS f
    FROM (
        SELECT *, true AS present
        FROM read_csv(
            $path,
            header = false,
            auto_detect = false,
            sep = ',',
            quote = '"',
            escape = '"',
            new_line = $new_line,
            columns = $columns,
            null_padding = true,
            max_line_size = $max_line_size,
            buffer_size = $buffer_size
        )
    ) AS r
    POSITIONAL JOIN upload_lines AS n
)
SELECT
    line,
    plain,
    coalesce(present, false) AS present,
    (CASE WHEN $trim THEN trim(coalesce(f[$i_ind], '')) ELSE coalesce(f[$i_ind], '') END) AS indicator_id,
    (CASE WHEN $trim THEN trim(coalesce(f[$i_per], '')) ELSE coalesce(f[$i_per], '') END) AS period_text,
    (CASE WHEN $trim THEN trim(coalesce(f[$i_geo], '')) ELSE coalesce(f[$i_geo], '') END) AS place_text,
    (CASE WHEN $trim THEN trim(coalesce(f[$i_val], '')) ELSE coalesce(f[$i_val], '') END) AS value_text,
    (CASE WHEN $trim THEN trim(coalesce(f[$i_num], '')) ELSE coalesce(f[$i_num], '') END) AS numerator_text,
    (CASE WHEN $trim THEN trim(coalesce(f[$i_den], '')) ELSE coalesce(f[$i_den], '') END) AS denominator_text,
    (CASE WHEN $trim THEN trim(coalesce(f[$i_dim], '')) ELSE coalesce(f[$i_dim], '') END) AS dimension_text,
    (CASE WHEN $trim THEN trim(coalesce(f[$i_bval], '')) ELSE coalesce(f[$i_bval], '') END) AS group_text,
    lower((CASE WHEN $trim THEN trim(coalesce(f[$i_status], '')) ELSE coalesce(f[$i_status], '') END)) AS status_text,
    (CASE WHEN $trim THEN trim(coalesce(f[$i_note], '')) ELSE coalesce(f[$i_note], '') END) AS note,
    (CASE WHEN $trim THEN trim(coalesce(f[$i_low], '')) ELSE coalesce(f[$i_low], '') END) AS lower_text,
    (CASE WHEN $trim THEN trim(coalesce(f[$i_up], '')) ELSE coalesce(f[$i_up], '') END) AS upper_text,
    (CASE WHEN $trim THEN trim(coalesce(f[$i_conf], '')) ELSE coalesce(f[$i_conf], '') END) AS confidence_text
FROM numbered
WHERE line IS NULL OR line > 1
