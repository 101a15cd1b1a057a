-- cpp_ended_2yrs_pct: Child protection plans ending that lasted 2 years or more
-- Of CP plans ended in the 12 months ending with the month, the share that lasted 2 years or more, with the duration in days counted as DfE counts it (state the day count used and cite DfE's methodology).
-- unit percent, kind rolling12, polarity lower, area child_protection, theme effective_assessment, DfE benchmark CPPlans2yrs
-- source: DfE Characteristics of children in need; LAIT CPPlans2yrs
-- counting: The length is the number of days from the plan's start date to its end date, the time between the two dates as DfE's methodology for its table D7 (child protection plans ending in the year, by length of time) states it; "2 years or more" is 730 days or more, so a plan that spans a 29 February reaches it a day before its second anniversary.
-- differs from DfE's figure: DfE's methodology does not say how many days make two years; 730 is Scrutineer's reading, and differs from a calendar anniversary only for a plan that spans 29 February.
-- cohort cp_ended: Child protection plans ending in the window.

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
  SELECT p.period, pl.cppl_cp_plan_end_date AS ref_date, pl.cppl_person_id AS person_id,
         pl.cppl_cp_plan_id AS plan_id, pl.cppl_cp_plan_start_date AS plan_start,
         pl.cppl_cp_plan_end_date AS plan_end
  FROM periods AS p
  JOIN ssd_cp_plans AS pl ON pl.cppl_cp_plan_end_date BETWEEN p.w_start AND p.p_end
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
  SELECT c.*,
    date_diff('day', c.plan_start, c.plan_end) AS days
  FROM cohort AS c
)
SELECT u.*, coalesce((days >= 730), false) AS counted
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
