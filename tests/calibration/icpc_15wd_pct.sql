SELECT d, 100 * avg(CASE WHEN ci.working_day_number - cs.working_day_number <= 15 THEN 1 ELSE 0 END)
FROM months JOIN ssd_initial_cp_conference i ON icpc_icpc_date BETWEEN s AND d
JOIN ssd_s47_enquiry e ON e.s47e_s47_enquiry_id = i.icpc_s47_enquiry_id
JOIN calendar cs ON cs.day = e.s47e_s47_start_date JOIN calendar ci ON ci.day = i.icpc_icpc_date GROUP BY d
