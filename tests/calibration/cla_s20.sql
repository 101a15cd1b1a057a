SELECT d, count(DISTINCT lega_person_id) FROM months JOIN ssd_legal_status
ON lega_legal_status_start_date <= d AND (lega_legal_status_end_date IS NULL OR lega_legal_status_end_date > d)
WHERE lega_legal_status = 'V2' GROUP BY d
