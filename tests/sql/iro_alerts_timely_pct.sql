-- iro_alerts_timely_pct: IRO alerts responded to within timescale
-- Of alert stages due a response in the 12 months ending with the month, the share responded to by the due date.
-- unit percent, kind rolling12, polarity higher, area iro, theme corporate_parenting
-- source: local practice standard (a setting)
-- cohort qa_alert_stages_due: Levels of IRO alerts whose response fell due in the window, one row each (an alert that escalated has a row for each level it reached); attributed on the day of the response, or the as-at date while there is none, so a late response shows how many days late.
-- (from the quality-assurance records: the qa_* tables of the records store)

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
  SELECT p.period, coalesce(s.responded_date, as_at()) AS ref_date, a.person_id,
         s.alert_ref, s.level,
         s.started_date, s.due_date, s.responded_date
  FROM periods AS p
  JOIN qa_iro_alert_stages AS s ON s.due_date BETWEEN p.w_start AND p.p_end
  JOIN qa_iro_alerts AS a ON a.alert_ref = s.alert_ref
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
SELECT u.*, coalesce((responded_date IS NOT NULL AND responded_date <= due_date), false) AS counted
FROM units AS u
WHERE due_date <= as_at();

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
