SELECT d, count(*) FROM months JOIN ssd_initial_cp_conference ON icpc_icpc_date BETWEEN s AND d GROUP BY d
