-- assessments_seen_5wd_pct: Assessments where the child was seen within 5 working days
-- Of assessments started in the month, the share where a visit with the child seen is recorded within 5 working days of the start date.
-- unit percent, kind flow, polarity higher, area assessment, theme purposeful_contact
-- source: local practice standard (a setting)
-- counting: Judged at the snapshot's as-at date: an assessment whose 5th working day has not passed by then and whose child is not yet seen is not yet in the denominator (a later snapshot brings it in). Working days count from the start day (day 0).
-- cohort assessments_started: Child and family assessments started in the window, with the first time the child was seen (a CIN visit with the child seen) on or after the start.

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
  SELECT p.period, a.cina_assessment_start_date AS ref_date, a.cina_person_id AS person_id,
         a.cina_assessment_id AS assessment_id, a.cina_assessment_start_date AS start_date,
         (SELECT min(v.cinv_cin_visit_date) FROM ssd_cin_visits AS v
           WHERE v.cinv_person_id = a.cina_person_id AND v.cinv_cin_visit_seen = 'Y'
             AND v.cinv_cin_visit_date >= a.cina_assessment_start_date) AS first_seen
  FROM periods AS p
  JOIN ssd_cin_assessments AS a
    ON a.cina_assessment_start_date BETWEEN p.w_start AND p.p_end
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
    add_wd(c.start_date, 5) AS due_by
  FROM cohort AS c
)
SELECT u.*, coalesce((first_seen IS NOT NULL AND first_seen <= due_by), false) AS counted
FROM units AS u
WHERE first_seen <= due_by OR due_by < as_at();

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
