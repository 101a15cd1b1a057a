SELECT d, 100 * avg(CASE WHEN icpc_icpc_outcome_cp_flag = 'Y' THEN 1 ELSE 0 END)
FROM months JOIN ssd_initial_cp_conference ON icpc_icpc_date BETWEEN s AND d GROUP BY d
