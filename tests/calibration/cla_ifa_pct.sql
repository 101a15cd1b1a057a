WITH open AS (SELECT DISTINCT d, clae_person_id AS p FROM months JOIN ssd_cla_episodes
    ON clae_cla_episode_start_date <= d AND (clae_cla_episode_ceased_date IS NULL OR clae_cla_episode_ceased_date > d))
SELECT d, 100 * avg(CASE WHEN EXISTS (SELECT 1 FROM ssd_cla_placement WHERE clap_person_id = p
    AND clap_cla_placement_start_date <= d AND (clap_cla_placement_end_date IS NULL OR clap_cla_placement_end_date > d)
    AND clap_cla_placement_type LIKE 'U%' AND clap_cla_placement_provider IN ('PR4', 'PR5')) THEN 1 ELSE 0 END) FROM open GROUP BY d
