SELECT d, count(*) FROM months JOIN ssd_cla_reviews ON clar_cla_review_date > d - INTERVAL 12 MONTH
AND clar_cla_review_date <= d GROUP BY d
