SELECT d, count(*) FROM months JOIN ssd_s47_enquiry ON s47e_s47_start_date BETWEEN s AND d GROUP BY d
