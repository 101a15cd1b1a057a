SELECT d, count(DISTINCT earl_person_id) FROM months JOIN ssd_early_help_episodes
ON earl_episode_start_date <= d AND (earl_episode_end_date IS NULL OR earl_episode_end_date > d) GROUP BY d
