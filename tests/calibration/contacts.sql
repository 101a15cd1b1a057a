SELECT d, count(*) FROM months JOIN ssd_contacts ON cont_contact_date BETWEEN s AND d GROUP BY d
