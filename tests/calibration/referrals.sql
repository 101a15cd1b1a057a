SELECT d, count(*) FROM months JOIN ssd_cin_episodes ON cine_referral_date BETWEEN s AND d GROUP BY d
