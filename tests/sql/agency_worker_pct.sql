-- agency_worker_pct: Agency social workers
-- Of the full-time equivalent of children's social workers at month end, the share who are agency workers (agency FTE divided by agency plus employed FTE), as DfE's workforce census measures it.
-- unit percent, kind snapshot, polarity lower, area workforce, theme performance_culture, DfE benchmark Work_Force_Agecy_Rate
-- source: DfE Children's social work workforce census; LAIT Work_Force_Agecy_Rate
-- counting: The social workers are the registered social workers holding at least one case at month end; a worker with no full-time equivalence recorded counts as full time.
-- differs from DfE's figure: DfE's census counts every children's social worker in post at 30 September, holding cases or not; the SSD records no employment dates, so Scrutineer knows those in post by the cases they hold, and leaves out managers and others who hold none.
-- cohort social_workers: Registered social workers (a Social Work England registration number recorded) who are the allocated case worker of at least one child at the month end, one row each, with the children they hold, their full-time equivalence and whether they are agency workers. Personal advisors and case holders who are not registered social workers are left out.

-- 1. the cohort, one row per unit per month, attributed to the worker holding the
--    child's case on ref_date (computed once, shared by every KPI over it)
CREATE TEMP TABLE cohort AS
WITH periods AS (
  SELECT strftime(m, '%Y-%m') AS period, CAST(m AS DATE) AS p_start,
         CAST(m + INTERVAL 1 MONTH - INTERVAL 1 DAY AS DATE) AS p_end,
         CAST(m AS DATE) AS w_start
  FROM range(DATE '2026-03-01', DATE '2026-03-01' + INTERVAL 1 DAY, INTERVAL 1 MONTH) AS months(m)
),
cohort AS (
  SELECT p.period, p.p_end AS ref_date, CAST(NULL AS VARCHAR) AS person_id, a.worker_id,
         any_value(a.team_id) AS team_id, count(DISTINCT a.person_id) AS cases,
         any_value(w.fte) AS fte, any_value(w.agency) AS agency
  FROM periods AS p
  JOIN allocations AS a ON a.a_start <= p.p_end AND (a.a_end IS NULL OR a.a_end > p.p_end)
  JOIN workers AS w ON w.worker_id = a.worker_id
  WHERE a.role = 'ALLOCATED_CASE_WORKER' AND w.registered
  GROUP BY p.period, p.p_end, a.worker_id
),
numbered AS (SELECT row_number() OVER () AS unit_id, * FROM cohort)
SELECT n.*, coalesce(n.worker_id, a.worker_id) AS _worker_id, coalesce(n.team_id, a.team_id) AS _team_id
FROM numbered AS n LEFT JOIN allocations AS a ON a.person_id = n.person_id
  AND a.a_start <= n.ref_date AND (a.a_end IS NULL OR a.a_end > n.ref_date)
QUALIFY row_number() OVER (PARTITION BY n.unit_id ORDER BY a.a_start DESC NULLS LAST, a.worker_id) = 1;

-- 2. the units: the denominator, `counted` if in the numerator
CREATE TEMP TABLE units AS
WITH units AS (
  SELECT c.*
  FROM cohort AS c
)
SELECT u.*, coalesce((coalesce(agency, false)), false) AS counted
FROM units AS u;

-- 3. numerator and denominator for each month's window
WITH windows AS (
  SELECT strftime(m, '%Y-%m') AS period, CAST(m AS DATE) AS p_start,
         CAST(m + INTERVAL 1 MONTH - INTERVAL 1 DAY AS DATE) AS p_end,
         CAST(m AS DATE) AS w_start
  FROM range(DATE '2026-03-01', DATE '2026-03-01' + INTERVAL 1 DAY, INTERVAL 1 MONTH) AS months(m)
),
grouped AS (
  SELECT u.*, t.service_id AS _service_id
  FROM units AS u
  LEFT JOIN teams AS t ON t.team_id = u._team_id
)
SELECT w.period, 'authority' AS level, NULL AS _service_id, NULL AS _team_id, NULL AS _worker_id,
       sum(coalesce(fte, 1.0)) FILTER (WHERE counted) AS numerator,
       sum(coalesce(fte, 1.0)) AS denominator
FROM windows AS w JOIN grouped AS u ON u.period = w.period
GROUP BY GROUPING SETS ((w.period))
ORDER BY w.period, level, _service_id NULLS LAST, _team_id NULLS LAST, _worker_id NULLS LAST;
