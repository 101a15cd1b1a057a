WITH open AS (SELECT DISTINCT d, p FROM months JOIN (
    SELECT cinp_person_id AS p, cinp_cin_plan_start_date AS a, cinp_cin_plan_end_date AS b FROM ssd_cin_plans
    UNION ALL SELECT cppl_person_id, cppl_cp_plan_start_date, cppl_cp_plan_end_date FROM ssd_cp_plans
    UNION ALL SELECT clae_person_id, clae_cla_episode_start_date, clae_cla_episode_ceased_date FROM ssd_cla_episodes)
    ON a <= d AND (b IS NULL OR b > d))
SELECT d, 100 * avg(CASE WHEN EXISTS (SELECT 1 FROM ext_case_supervisions WHERE csup_person_id = p
    AND csup_supervision_date <= d AND csup_supervision_date > d - INTERVAL 28 DAY) THEN 1 ELSE 0 END) FROM open GROUP BY d
