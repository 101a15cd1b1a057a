SELECT d, count(DISTINCT miss_person_id) FROM months JOIN ssd_missing ON miss_missing_episode_start_date
BETWEEN s AND d AND miss_missing_episode_type = 'M' GROUP BY d
