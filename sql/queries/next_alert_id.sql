SELECT coalesce(max(id), 0) + 1 AS id FROM alert
