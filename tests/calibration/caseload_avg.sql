SELECT d, count(*) / count(DISTINCT invo_professional_id) FROM months JOIN ssd_involvements
ON invo_involvement_start_date <= d AND (invo_involvement_end_date IS NULL OR invo_involvement_end_date > d)
WHERE invo_professional_role_id IN ('ALLOCATED_CASE_WORKER', 'PERSONAL_ADVISOR') GROUP BY d
