-- caseload_avg: Average caseload per social worker
-- Children allocated (allocated case worker involvement open at month end) divided by the number of workers holding at least one case.
-- unit average, kind snapshot, polarity lower, area workforce, theme performance_culture, DfE benchmark Work_Force_AvgNumCase_SW
-- source: DfE Children's social work workforce census; LAIT Work_Force_AvgNumCase_SW
-- cohort allocated_cases: Cases held at the month end: one row per child and the worker holding the case (the allocated case worker or personal advisor).

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
  SELECT DISTINCT p.period, p.p_end AS ref_date, a.person_id, a.worker_id, a.team_id
  FROM periods AS p
  JOIN allocations AS a ON a.a_start <= p.p_end AND (a.a_end IS NULL OR a.a_end > p.p_end)
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
SELECT u.*, coalesce((TRUE), false) AS counted
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
       count(*) AS numerator,
       count(DISTINCT worker_id) AS denominator
FROM windows AS w JOIN grouped AS u ON u.period = w.period
GROUP BY GROUPING SETS ((w.period))
ORDER BY w.period, level, _service_id NULLS LAST, _team_id NULLS LAST, _worker_id NULLS LAST;
