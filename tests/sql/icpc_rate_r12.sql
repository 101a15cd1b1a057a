-- icpc_rate_r12: Initial child protection conferences per 10,000 children (rolling 12 months)
-- Initial child protection conferences held in the 12 months ending with the month (each conference, transfer-in conferences included), per 10,000 of the ONS 0-17 population.
-- unit rate_per_10k, kind rolling12, polarity context, area child_protection, theme right_service, DfE benchmark ISCP_Conf
-- source: DfE Characteristics of children in need; LAIT ISCP_Conf
-- counting: Each conference counts, as DfE's rate counts conferences taking place (not children): a child with two conferences in the 12 months counts twice, and a transfer-in conference counts. icpc_held and icpc_15wd_pct leave transfer-in conferences out.
-- cohort icpc_conferences: Initial child protection conferences held in the window, one row per conference, transfer-in conferences included (as DfE counts conferences for its rate).

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
  SELECT p.period, i.icpc_icpc_date AS ref_date, i.icpc_person_id AS person_id,
         i.icpc_icpc_id AS icpc_id
  FROM periods AS p
  JOIN ssd_initial_cp_conference AS i ON i.icpc_icpc_date BETWEEN p.w_start AND p.p_end
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
SELECT u.*, coalesce((TRUE), false) AS counted
FROM units AS u;

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
       count(*) AS numerator,
       NULL AS denominator
FROM windows AS w JOIN grouped AS u ON u.period BETWEEN strftime(w.w_start, '%Y-%m') AND w.period
GROUP BY GROUPING SETS ((w.period))
ORDER BY w.period, level, _service_id NULLS LAST, _team_id NULLS LAST, _worker_id NULLS LAST;
