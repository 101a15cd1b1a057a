WITH open AS (SELECT DISTINCT d, clae_person_id AS p FROM months JOIN ssd_cla_episodes
    ON clae_entered_care_date <= d - INTERVAL 42 DAY AND (clae_cla_episode_ceased_date IS NULL OR clae_cla_episode_ceased_date > d))
SELECT d, 100 * avg(CASE WHEN EXISTS (SELECT 1 FROM ssd_cla_visits v WHERE v.clav_person_id = p
    AND v.clav_cla_visit_seen = 'Y' AND v.clav_cla_visit_date <= d AND v.clav_cla_visit_date > d - INTERVAL 42 DAY)
    THEN 1 ELSE 0 END) FROM open GROUP BY d
