-- cpp_second_pct: Second or subsequent child protection plans
-- Of CP plans started in the 12 months ending with the month, the share for a child who had been the subject of a CP plan before, at any time and in any authority: an earlier plan in the extract, or a previous-plan count recorded for the child (as the CIN census's NumberOfPreviousCPP).
-- unit percent, kind rolling12, polarity lower, area child_protection, theme effective_assessment, DfE benchmark PrevRegCPR
-- source: DfE Characteristics of children in need; LAIT PrevRegCPR
-- counting: The previous-plan count is ext_previous_cp_plans (filled from the CIN census's NumberOfPreviousCPP when a census is imported); a plan with neither an earlier plan in the extract nor a count above 0 is a first plan.
-- differs from DfE's figure: Without ext_previous_cp_plans, a plan whose child's earlier plan began before the extract's records, or in another authority, counts as a first plan: the figure is then lower than DfE's, which the census's count informs.
-- cohort cp_started: Child protection plans starting in the window, with the child's latest earlier plan in the extract if any, and the count of earlier plans recorded with the plan (the CIN census's NumberOfPreviousCPP: plans before the records began, or in another authority).

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
  SELECT p.period, pl.cppl_cp_plan_start_date AS ref_date, pl.cppl_person_id AS person_id,
         pl.cppl_cp_plan_id AS plan_id, pl.cppl_cp_plan_start_date AS plan_start,
         (SELECT max(e.cppl_cp_plan_start_date) FROM ssd_cp_plans AS e
           WHERE e.cppl_person_id = pl.cppl_person_id
             AND e.cppl_cp_plan_start_date < pl.cppl_cp_plan_start_date) AS earlier_plan_start,
         (SELECT r.cppp_previous_cp_plans FROM ext_previous_cp_plans AS r
           WHERE r.cppp_cp_plan_id = pl.cppl_cp_plan_id) AS previous_plans
  FROM periods AS p
  JOIN ssd_cp_plans AS pl ON pl.cppl_cp_plan_start_date BETWEEN p.w_start AND p.p_end
  WHERE coalesce(pl.cppl_cp_plan_ola, 'N') <> 'Y'
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
SELECT u.*, coalesce((earlier_plan_start IS NOT NULL OR coalesce(previous_plans, 0) > 0), false) AS counted
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
       count(*) FILTER (WHERE counted) AS numerator,
       count(*) AS denominator
FROM windows AS w JOIN grouped AS u ON u.period BETWEEN strftime(w.w_start, '%Y-%m') AND w.period
GROUP BY GROUPING SETS ((w.period))
ORDER BY w.period, level, _service_id NULLS LAST, _team_id NULLS LAST, _worker_id NULLS LAST;
