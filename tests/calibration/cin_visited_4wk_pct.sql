WITH open AS (SELECT DISTINCT d, cinp_person_id AS p FROM months JOIN ssd_cin_plans
    ON cinp_cin_plan_start_date <= d AND (cinp_cin_plan_end_date IS NULL OR cinp_cin_plan_end_date > d))
SELECT d, 100 * avg(CASE WHEN EXISTS (SELECT 1 FROM ssd_cin_visits v WHERE v.cinv_person_id = p
    AND v.cinv_cin_visit_seen = 'Y' AND v.cinv_cin_visit_date <= d AND v.cinv_cin_visit_date > d - INTERVAL 28 DAY)
    THEN 1 ELSE 0 END) FROM open GROUP BY d
