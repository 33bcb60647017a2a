-- The row checks of ../shared/spec/upload-format.md over every record of a file of values at once.
-- `ok` marks a row that passes every check and whose text is plain (printable ASCII: trimming spaces
-- here is then exactly what the Python checks do); it carries its staged values. Every other row that
-- is not blank is checked again by metrics/upload/values.py, which writes its messages, so a report is
-- the same whichever path a row takes. The catalogue's meanings come from lookup tables built once per
-- distinct text (upload_indicators, upload_periods, upload_places, upload_groups, upload_symbols).
-- A confidence interval (lower, upper, confidence) passes only where metrics/upload/bounds.py finds nothing.
CREATE TEMP TABLE upload_checked AS
WITH fields AS (
    SELECT
        *,
        indicator_id || period_text || place_text || value_text || numerator_text || denominator_text
        || dimension_text || group_text || status_text || note || lower_text || upper_text
        || confidence_text = '' AS blank
    FROM upload_fields
),
looked_up AS (
    SELECT
        x.*,
        i.unit,
        i.is_share,
        i.estimate,
        i.low,
        i.high,
        p.period,
        p.period_start,
        p.period_end,
        g.geography_code,
        b.breakdown_dimension,
        b.breakdown_value,
        m.missing,
        x.numerator_text <> '' OR x.denominator_text <> '' AS has_pair,
        -- plain numbers only (no thousands separators, no %: those are read in Python, with a warning)
        CASE WHEN regexp_full_match(x.value_text, '-?[0-9]+(\.[0-9]+)?')
             THEN TRY_CAST(x.value_text AS DOUBLE) END AS v,
        CASE WHEN regexp_full_match(x.numerator_text, '-?[0-9]+(\.[0-9]+)?')
             THEN TRY_CAST(x.numerator_text AS DOUBLE) END AS n,
        CASE WHEN regexp_full_match(x.denominator_text, '-?[0-9]+(\.[0-9]+)?')
             THEN TRY_CAST(x.denominator_text AS DOUBLE) END AS d,
        CASE WHEN regexp_full_match(x.lower_text, '-?[0-9]+(\.[0-9]+)?')
             THEN TRY_CAST(x.lower_text AS DOUBLE) END AS lo,
        CASE WHEN regexp_full_match(x.upper_text, '-?[0-9]+(\.[0-9]+)?')
             THEN TRY_CAST(x.upper_text AS DOUBLE) END AS hi,
        CASE WHEN regexp_full_match(x.confidence_text, '-?[0-9]+(\.[0-9]+)?')
             THEN TRY_CAST(x.confidence_text AS DOUBLE) END AS cf
    FROM fields AS x
    LEFT JOIN upload_indicators AS i ON i.indicator_id = x.indicator_id
    LEFT JOIN upload_periods AS p ON p.indicator_id = x.indicator_id AND p.period_text = x.period_text
    LEFT JOIN upload_places AS g ON g.place_text = x.place_text
    LEFT JOIN upload_groups AS b
      ON b.indicator_id = x.indicator_id
     AND b.dimension_text = x.dimension_text
     AND b.group_text = x.group_text
    LEFT JOIN upload_symbols AS m ON m.symbol_text = lower(x.value_text)
),
judged AS (
    SELECT
        *,
        -- the value's own checks: finite, below the largest, within its unit and declared range
        v IS NOT NULL AND abs(v) < $largest
        AND CASE unit
                WHEN 'count' THEN v >= 0 AND v = floor(v)
                WHEN 'money' THEN v >= 0
                WHEN 'percent' THEN v BETWEEN 0 AND 100
                WHEN 'rate_per_100k' THEN v >= 0
                ELSE true
            END
        AND (low IS NULL OR v BETWEEN low AND high) AS value_ok,
        -- the interval's bounds: the same checks as the value's (metrics/upload/bounds.py)
        lo IS NOT NULL AND abs(lo) < $largest
        AND CASE unit
                WHEN 'count' THEN lo >= 0 AND lo = floor(lo)
                WHEN 'money' THEN lo >= 0
                WHEN 'percent' THEN lo BETWEEN 0 AND 100
                WHEN 'rate_per_100k' THEN lo >= 0
                ELSE true
            END
        AND (low IS NULL OR lo BETWEEN low AND high)
        AND hi IS NOT NULL AND abs(hi) < $largest
        AND CASE unit
                WHEN 'count' THEN hi >= 0 AND hi = floor(hi)
                WHEN 'money' THEN hi >= 0
                WHEN 'percent' THEN hi BETWEEN 0 AND 100
                WHEN 'rate_per_100k' THEN hi >= 0
                ELSE true
            END
        AND (low IS NULL OR hi BETWEEN low AND high)
        AND cf IS NOT NULL AND cf > 0 AND cf < 100
        AND lo <= hi AS bounds_ok,
        -- the value the interval must hold: as given, or worked out from a share's pair
        CASE WHEN has_pair AND value_text = '' THEN n / d * 100 ELSE v END AS held,
        -- a numerator and a denominator: whole, 0 or more, the denominator above zero and not below the numerator
        n IS NOT NULL AND d IS NOT NULL AND abs(n) < $largest AND abs(d) < $largest
        AND n >= 0 AND n = floor(n) AND d > 0 AND d = floor(d) AND n <= d AS pair_ok
    FROM looked_up
)
SELECT
    line,
    plain,
    blank,
    plain AND NOT blank
    AND unit IS NOT NULL
    AND period_start IS NOT NULL
    AND geography_code IS NOT NULL
    AND breakdown_value IS NOT NULL
    AND status_text IN ('', 'provisional', 'final')
    AND length(note) <= $note_limit
    AND CASE
            WHEN has_pair THEN is_share AND missing IS NULL AND pair_ok
                 AND (value_text = '' OR (value_ok AND abs(v - n / d * 100) <= $agreement))
            WHEN missing IS NOT NULL THEN true
            WHEN value_text = '' THEN false
            ELSE value_ok
        END
    AND CASE
            WHEN lower_text = '' AND upper_text = '' AND confidence_text = '' THEN true
            ELSE estimate AND missing IS NULL AND bounds_ok AND lo <= held AND held <= hi
        END AS ok,
    indicator_id,
    geography_code,
    period,
    period_start,
    period_end,
    breakdown_dimension,
    breakdown_value,
    CASE WHEN missing IS NOT NULL THEN NULL WHEN has_pair AND value_text = '' THEN n / d * 100 ELSE v END AS value,
    CASE WHEN has_pair THEN n END AS numerator,
    CASE WHEN has_pair THEN d END AS denominator,
    missing,
    coalesce(nullif(status_text, ''), 'provisional') AS status,
    nullif(note, '') AS note,
    CASE WHEN lower_text <> '' THEN lo END AS lower,
    CASE WHEN upper_text <> '' THEN hi END AS upper,
    CASE WHEN confidence_text <> '' THEN cf END AS confidence
FROM judged
