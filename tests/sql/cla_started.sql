-- cla_started: Children starting to be looked after in the month
-- Distinct children whose period of care started in the month (a new period, not a change of placement or legal status), short breaks (V3, V4) excluded; a child who starts twice in the month is counted once.
-- unit count, kind flow, polarity context, area looked_after, theme corporate_parenting, DfE benchmark LACnum_Start
-- source: DfE CLA statistics; LAIT LACnum_Start
-- differs from DfE's figure: Set beside DfE's year through its 12 months, the months' counts add up, so a child who started to be looked after twice in those 12 months counts twice; DfE counts children who started in the year, once each.
-- cohort cla_started: Children whose period of care began in the window (a change of placement or legal status is not a new period), one row per child and month (a child who starts twice in a month is counted once, with the first), short breaks (V3, V4 at the start) left out.

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
       NULL AS denominator
FROM windows AS w JOIN grouped AS u ON u.period = w.period
GROUP BY GROUPING SETS ((w.period))
ORDER BY w.period, level, _service_id NULLS LAST, _team_id NULLS LAST, _worker_id NULLS LAST;
