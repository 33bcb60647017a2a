-- An uploaded file of values read by DuckDB in one pass: each record with its line in the file,
-- whether its text is plain (printable ASCII, no double quote, as many fields as the header: then
-- splitting at commas reads it exactly as the csv module does) and its fields by name, spaces trimmed.
-- By position: upload_lines (from the file's bytes) lists every line that is not empty, in order, and
-- DuckDB keeps one record per such line (a short one padded: its width is told from its commas) or
-- stops with an error, and the file takes the Python path. `present` is false where the two sides did not pair up.
-- A column the file does not have is given a place past the end of the record, so it reads as empty.
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
    trim(coalesce(f[$i_ind], '')) AS indicator_id,
    trim(coalesce(f[$i_per], '')) AS period_text,
    trim(coalesce(f[$i_geo], '')) AS place_text,
    trim(coalesce(f[$i_val], '')) AS value_text,
    trim(coalesce(f[$i_num], '')) AS numerator_text,
    trim(coalesce(f[$i_den], '')) AS denominator_text,
    trim(coalesce(f[$i_dim], '')) AS dimension_text,
    trim(coalesce(f[$i_bval], '')) AS group_text,
    lower(trim(coalesce(f[$i_status], ''))) AS status_text,
    trim(coalesce(f[$i_note], '')) AS note,
    trim(coalesce(f[$i_low], '')) AS lower_text,
    trim(coalesce(f[$i_up], '')) AS upper_text,
    trim(coalesce(f[$i_conf], '')) AS confidence_text
FROM numbered
WHERE line IS NULL OR line > 1
