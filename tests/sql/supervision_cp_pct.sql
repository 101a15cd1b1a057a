-- supervision_cp_pct: Children on CP plans with case supervision in timescale
-- Of children in cpp_open, the share with a case supervision recorded in the 4 weeks up to month end.
-- unit percent, kind snapshot, polarity higher, area workforce, theme management_support
-- source: local practice standard (a setting)
-- counting: A supervision is due 28 days after the latest since the current CP plan began, or 28 days after it began if there is none yet; the child is overdue when that date is before month end. So a child whose CP plan began less than 4 weeks ago is not yet due, and a supervision 28 days before month end is still in time (the due date is the last day).
-- cohort cp_open: Children on a child protection plan at the month end, one row each, with their current plan (the latest to start).

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
  SELECT p.period, p.p_end AS ref_date, pl.cppl_person_id AS person_id,
         arg_max(pl.cppl_cp_plan_id, pl.cppl_cp_plan_start_date) AS plan_id,
         max(pl.cppl_cp_plan_start_date) AS plan_start
  FROM periods AS p
  JOIN ssd_cp_plans AS pl
    ON pl.cppl_cp_plan_start_date <= p.p_end
   AND (pl.cppl_cp_plan_end_date IS NULL OR pl.cppl_cp_plan_end_date > p.p_end)
  WHERE coalesce(pl.cppl_cp_plan_ola, 'N') <> 'Y'
  GROUP BY p.period, p.p_end, pl.cppl_person_id
),
numbered AS (SELECT row_number() OVER () AS unit_id, * FROM cohort)
SELECT n.*, a.worker_id AS _worker_id, a.team_id AS _team_id
FROM numbered AS n LEFT JOIN allocations AS a ON a.person_id = n.person_id
  AND a.a_start <= n.ref_date AND (a.a_end IS NULL OR a.a_end > n.ref_date)
QUALIFY row_number() OVER (PARTITION BY n.unit_id ORDER BY a.a_start DESC NULLS LAST, a.worker_id) = 1;

-- 2. the units: the denominator, `counted` if in the numerator
CREATE TEMP TABLE units AS
WITH layer1 AS (
  SELECT c.*,
    (SELECT max(s.csup_supervision_date) FROM ext_case_supervisions AS s WHERE s.csup_person_id = c.person_id AND s.csup_supervision_date >= c.plan_start AND s.csup_supervision_date <= c.ref_date) AS last_supervision
  FROM cohort AS c
), units AS (
  SELECT c.*,
    CAST(coalesce(c.last_supervision, c.plan_start) + INTERVAL 28 DAY AS DATE) AS due
  FROM layer1 AS c
)
SELECT u.*, coalesce((due >= ref_date), false) AS counted
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
       count(*) FILTER (WHERE counted) AS numerator,
       count(*) AS denominator
FROM windows AS w JOIN grouped AS u ON u.period = w.period
GROUP BY GROUPING SETS ((w.period))
ORDER BY w.period, level, _service_id NULLS LAST, _team_id NULLS LAST, _worker_id NULLS LAST;
