-- cla_iha_20wd_pct: Initial health assessments within 20 working days
-- Of children who started to be looked after in the 12 months ending with the month and have been looked after 20 working days, the share with an initial health assessment within 20 working days of entering care.
-- unit percent, kind rolling12, polarity higher, area looked_after, theme corporate_parenting
-- source: Statutory guidance, Promoting the health and wellbeing of looked-after children (2015)
-- counting: Judged at the snapshot's as-at date: a child whose 20th working day in care has not passed by then and who has no initial health assessment yet is not yet in the denominator, nor is a child who left care before it.
-- cohort cla_started: Children whose period of care began in the window (a change of placement or legal status is not a new period), one row per child and month (a child who starts twice in a month is counted once, with the first), short breaks (V3, V4 at the start) left out.

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
  SELECT p.period, e.clae_entered_care_date AS ref_date,
         e.clae_person_id AS person_id, e.clae_cla_id AS cla_id,
         e.clae_entered_care_date AS entered_care,
         (SELECT CASE WHEN count(*) = count(o.clae_cla_episode_ceased_date)
                      THEN max(o.clae_cla_episode_ceased_date) END
            FROM ssd_cla_episodes AS o WHERE o.clae_cla_id = e.clae_cla_id) AS left_care
  FROM periods AS p
  JOIN ssd_cla_episodes AS e ON e.clae_entered_care_date BETWEEN p.w_start AND p.p_end
  WHERE coalesce(legal_status_on(e.clae_person_id, e.clae_entered_care_date), '')
        NOT IN ('V3', 'V4')
  QUALIFY row_number() OVER (PARTITION BY p.period, e.clae_person_id
                             ORDER BY e.clae_entered_care_date, e.clae_cla_id,
                                      e.clae_cla_episode_start_date) = 1
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
    add_wd(c.entered_care, 20) AS due_by,
    (SELECT min(h.clah_health_check_date) FROM ssd_cla_health AS h WHERE h.clah_person_id = c.person_id AND h.clah_health_check_type = 'IHA' AND h.clah_health_check_date >= c.entered_care) AS first_iha
  FROM cohort AS c
)
SELECT u.*, coalesce((first_iha IS NOT NULL AND first_iha <= due_by), false) AS counted
FROM units AS u
WHERE (first_iha <= due_by OR due_by < as_at()) AND (left_care IS NULL OR left_care >= due_by);

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
