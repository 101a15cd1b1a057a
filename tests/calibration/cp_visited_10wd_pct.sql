WITH open AS (SELECT DISTINCT d, cppl_person_id AS p FROM months JOIN ssd_cp_plans
    ON cppl_cp_plan_start_date <= d AND (cppl_cp_plan_end_date IS NULL OR cppl_cp_plan_end_date > d))
SELECT d, 100 * avg(CASE WHEN EXISTS (SELECT 1 FROM ssd_cp_visits v JOIN calendar cv ON cv.day = v.cppv_cp_visit_date
    WHERE v.cppv_person_id = p AND v.cppv_cp_visit_seen = 'Y' AND v.cppv_cp_visit_date <= d
    AND cv.working_day_number > {wdn_d} - 10) THEN 1 ELSE 0 END) FROM open GROUP BY d
