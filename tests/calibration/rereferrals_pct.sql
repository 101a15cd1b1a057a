SELECT d, 100 * avg(CASE WHEN EXISTS (SELECT 1 FROM ssd_cin_episodes p
    WHERE p.cine_person_id = r.cine_person_id AND p.cine_referral_date < r.cine_referral_date
    AND p.cine_referral_date >= r.cine_referral_date - INTERVAL 12 MONTH) THEN 1 ELSE 0 END)
FROM months JOIN ssd_cin_episodes r ON r.cine_referral_date > d - INTERVAL 12 MONTH AND r.cine_referral_date <= d
GROUP BY d
