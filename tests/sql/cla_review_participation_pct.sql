-- cla_review_participation_pct: Children aged 4+ participating in their review
-- Of CLA reviews held in the 12 months ending with the month for children aged 4 or over, the share where the child participated (participation codes PN1 to PN6 as the SSDA903 defines them: attended and spoke, or conveyed views another way); PN0 (under 4) is out of the denominator and PN7 (no views conveyed) is not participation.
-- unit percent, kind rolling12, polarity higher, area looked_after, theme corporate_parenting
-- source: SSDA903 review participation codes
-- cohort cla_reviews_held: Looked-after children's reviews held in the window (cancelled ones left out).

-- 1. the cohort, one row per unit per month, attributed to the worker holding the
--    child's case on ref_date (computed once, shared by every KPI over it)
CREATE TEMP TABLE cohort AS
WITH periods AS (
  SELECT strftime(m, '%Y-%m') AS period, CAST(m AS DATE) AS p_start,
         CAST(m + INTERVAL 1 MONTH - INTERVAL 1 DAY AS DATE) AS p_end,
         CAST(m AS DATE) AS w_start
  FROM range(DATE '2025-04-01', DATE '2026-03-01' + INTERVAL 1 DAY, INTERVAL 1 MONTH) AS months(m)
),
cohort AS (
  SELECT p.period, r.clar_cla_review_date AS ref_date, e.person_id,
         r.clar_cla_review_id AS review_id, r.clar_cla_review_participation AS participation,
         (SELECT pe.pers_dob FROM ssd_person AS pe WHERE pe.pers_person_id = e.person_id) AS dob
  FROM periods AS p
  JOIN ssd_cla_reviews AS r ON r.clar_cla_review_date BETWEEN p.w_start AND p.p_end
  JOIN (SELECT clae_cla_id, any_value(clae_person_id) AS person_id FROM ssd_cla_episodes
        GROUP BY clae_cla_id) AS e ON e.clae_cla_id = r.clar_cla_id
  WHERE coalesce(r.clar_cla_review_cancelled, 'N') <> 'Y'
),
numbered AS (SELECT row_number() OVER () AS unit_id, * FROM cohort)
SELECT n.*, a.worker_id AS _worker_id, a.team_id AS _team_id
FROM numbered AS n LEFT JOIN allocations AS a ON a.person_id = n.person_id
  AND a.a_start <= n.ref_date AND (a.a_end IS NULL OR a.a_end > n.ref_date)
QUALIFY row_number() OVER (PARTITION BY n.unit_id ORDER BY a.a_start DESC NULLS LAST, a.worker_id) = 1;

-- 2. the units: the denominator, `counted` if in the numerator
CREATE TEMP TABLE units AS
WITH units AS (
  SELECT c.*
  FROM cohort AS c
)
SELECT u.*, coalesce((participation IN ('PN1', 'PN2', 'PN3', 'PN4', 'PN5', 'PN6')), false) AS counted
FROM units AS u
WHERE age(dob, ref_date) >= 4 AND coalesce(participation, '') <> 'PN0';

-- 3. numerator and denominator for each month's window
WITH windows AS (
  SELECT strftime(m, '%Y-%m') AS period, CAST(m AS DATE) AS p_start,
         CAST(m + INTERVAL 1 MONTH - INTERVAL 1 DAY AS DATE) AS p_end,
         CAST(m - INTERVAL 11 MONTH AS DATE) AS w_start
  FROM range(DATE '2026-03-01', DATE '2026-03-01' + INTERVAL 1 DAY, INTERVAL 1 MONTH) AS months(m)
),
grouped AS (
  SELECT u.*, t.service_id AS _service_id
  FROM units AS u
  LEFT JOIN teams AS t ON t.team_id = u._team_id
)
SELECT w.period, 'authority' AS level, NULL AS _service_id, NULL AS _team_id, NULL AS _worker_id,
       count(*) FILTER (WHERE counted) AS numerator,
       count(*) AS denominator
FROM windows AS w JOIN grouped AS u ON u.period BETWEEN strftime(w.w_start, '%Y-%m') AND w.period
GROUP BY GROUPING SETS ((w.period))
ORDER BY w.period, level, _service_id NULLS LAST, _team_id NULLS LAST, _worker_id NULLS LAST;
