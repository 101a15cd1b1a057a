SELECT d, 100 * avg(CASE WHEN clst_activity IN ('G4', 'G5', 'G6') THEN 1 ELSE 0 END)
FROM months JOIN ext_care_leaver_status ON clst_month_end = d JOIN ssd_person ON pers_person_id = clst_person_id
WHERE clst_activity <> '0' AND date_diff('year', pers_dob, d) - CASE WHEN strftime(pers_dob, '%m%d') > strftime(d, '%m%d')
THEN 1 ELSE 0 END BETWEEN 17 AND 18 GROUP BY d
