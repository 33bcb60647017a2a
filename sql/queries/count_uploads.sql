SELECT count(*) AS uploads FROM upload
