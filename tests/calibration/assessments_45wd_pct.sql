SELECT d, 100 * avg(CASE WHEN ca.working_day_number - cs.working_day_number <= 45 THEN 1 ELSE 0 END)
FROM months JOIN ssd_cin_assessments a ON cina_assessment_auth_date BETWEEN s AND d
JOIN calendar cs ON cs.day = cina_assessment_start_date JOIN calendar ca ON ca.day = cina_assessment_auth_date
GROUP BY d
