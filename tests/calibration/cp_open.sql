SELECT d, count(DISTINCT cppl_person_id) FROM months JOIN ssd_cp_plans
ON cppl_cp_plan_start_date <= d AND (cppl_cp_plan_end_date IS NULL OR cppl_cp_plan_end_date > d) GROUP BY d
