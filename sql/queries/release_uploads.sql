-- Every upload that wrote figures, with the moment each may first be published (its embargo, or when
-- it was uploaded) and whether it is illustrative: kpi publish counts the committed ones whose moment
-- is not after its release time (and illustrative ones only when asked).
SELECT
    id, kind, outcome, uploaded_at, coalesce(embargoed_until, uploaded_at) AS release_time,
    coalesce(illustrative, false) AS illustrative
FROM upload
WHERE outcome IN ('committed', 'undone')
ORDER BY id
