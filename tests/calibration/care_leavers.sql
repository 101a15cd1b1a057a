SELECT d, count(DISTINCT clst_person_id) FROM months JOIN ext_care_leaver_status ON clst_month_end = d
JOIN ssd_person ON pers_person_id = clst_person_id WHERE date_diff('year', pers_dob, d) - CASE WHEN
strftime(pers_dob, '%m%d') > strftime(d, '%m%d') THEN 1 ELSE 0 END BETWEEN 17 AND 21 GROUP BY d
