SELECT d, 100 * avg(CASE WHEN cont_contact_outcome_json <> 'REFERRAL' THEN 1 ELSE 0 END)
FROM months JOIN ssd_contacts ON cont_contact_date BETWEEN s AND d
WHERE cont_contact_outcome_json IS NOT NULL GROUP BY d
