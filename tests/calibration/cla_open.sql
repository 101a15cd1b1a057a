SELECT d, count(DISTINCT clae_person_id) FROM months JOIN ssd_cla_episodes
ON clae_cla_episode_start_date <= d AND (clae_cla_episode_ceased_date IS NULL OR clae_cla_episode_ceased_date > d) GROUP BY d
