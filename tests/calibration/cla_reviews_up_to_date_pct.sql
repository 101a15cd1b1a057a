WITH open AS (SELECT DISTINCT d, clae_cla_id AS c, clae_entered_care_date AS e FROM months
    JOIN ssd_cla_episodes ON clae_cla_episode_start_date <= d AND (clae_cla_episode_ceased_date IS NULL OR clae_cla_episode_ceased_date > d)),
last AS (SELECT d, c, e, max(clar_cla_review_date) AS lr, count(clar_cla_review_date) AS n FROM open
    LEFT JOIN ssd_cla_reviews ON clar_cla_id = c AND clar_cla_review_date <= d GROUP BY d, c, e)
SELECT d, 100 * avg(CASE WHEN n = 0 THEN (SELECT day FROM calendar WHERE working_day_number =
        (SELECT working_day_number FROM calendar WHERE day = e) + 20 AND is_working_day) >= d
    WHEN n = 1 THEN lr + INTERVAL 3 MONTH >= d ELSE lr + INTERVAL 6 MONTH >= d END::INT) FROM last GROUP BY d
