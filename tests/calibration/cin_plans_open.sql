SELECT d, count(DISTINCT cinp_person_id) FROM months JOIN ssd_cin_plans
ON cinp_cin_plan_start_date <= d AND (cinp_cin_plan_end_date IS NULL OR cinp_cin_plan_end_date > d) GROUP BY d
