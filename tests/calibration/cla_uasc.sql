SELECT d, count(DISTINCT clae_person_id) FROM months JOIN ssd_cla_episodes
ON clae_cla_episode_start_date <= d AND (clae_cla_episode_ceased_date IS NULL OR clae_cla_episode_ceased_date > d)
JOIN ssd_immigration_status ON immi_person_id = clae_person_id AND immi_immigration_status = 'UASC'
AND immi_immigration_status_start_date <= d AND (immi_immigration_status_end_date IS NULL OR immi_immigration_status_end_date > d)
GROUP BY d
