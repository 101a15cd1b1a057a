-- cla_ceased: Children ceasing to be looked after in the month
-- Distinct children whose period of care ended in the month, short breaks (V3, V4) excluded.
-- unit count, kind flow, polarity context, area looked_after, theme corporate_parenting, DfE benchmark LACceased
-- source: DfE CLA statistics; LAIT LACceased
-- differs from DfE's figure: Set beside DfE's year through its 12 months, the months' counts add up, so a child who ceased to be looked after twice in those 12 months counts twice; DfE counts children who ceased in the year, once each.
-- cohort cla_ceased: Children whose period of care ended in the window: the last episode of the period ceased then and none is still open, one row per child and month, short breaks (V3, V4 on the last day in care) left out.

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
  SELECT p.period, c.left_care AS ref_date, c.person_id, c.cla_id, c.left_care
  FROM periods AS p
  JOIN (SELECT e.clae_cla_id AS cla_id, any_value(e.clae_person_id) AS person_id,
               max(e.clae_cla_episode_ceased_date) AS left_care
          FROM ssd_cla_episodes AS e GROUP BY e.clae_cla_id
        HAVING count(*) = count(e.clae_cla_episode_ceased_date)) AS c
    ON c.left_care BETWEEN p.w_start AND p.p_end
  WHERE coalesce(legal_status_on(c.person_id, c.left_care - INTERVAL 1 DAY), '')
        NOT IN ('V3', 'V4')
  QUALIFY row_number() OVER (PARTITION BY p.period, c.person_id ORDER BY c.left_care DESC,
                                                                    c.cla_id) = 1
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
