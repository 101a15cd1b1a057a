-- cl_pathway_plan_timely_pct: Care leavers with an up-to-date pathway plan
-- Of care leavers at month end, the share whose pathway plan was reviewed in the 6 months up to month end.
-- unit percent, kind snapshot, polarity higher, area care_leavers, theme corporate_parenting
-- source: local practice standard (a setting)
-- counting: A review is due 6 months after the latest (pathway plans begin while the young person is still looked after, so a review before leaving care counts), or 6 months after leaving care if none is recorded; overdue when that date is before month end (a review 6 months before month end is still in time).
-- cohort care_leavers: Care leavers (relevant and former relevant) aged 17 to 21 at the month end, from their status that month (ext_care_leaver_status), one row each, with the day they left care (the end of their latest period of care in the extract, or, with none, the first month end they are recorded as a care leaver).

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
  SELECT p.period, p.p_end AS ref_date, s.clst_person_id AS person_id,
         coalesce((SELECT max(e.clae_cla_episode_ceased_date) FROM ssd_cla_episodes AS e
                    WHERE e.clae_person_id = s.clst_person_id
                      AND e.clae_cla_episode_ceased_date <= p.p_end),
                  (SELECT min(f.clst_month_end) FROM ext_care_leaver_status AS f
                    WHERE f.clst_person_id = s.clst_person_id)) AS left_care,
         age(pe.pers_dob, p.p_end) AS age, s.clst_activity AS activity,
         s.clst_in_touch AS in_touch, s.clst_accom_suitable AS accom_suitable,
         s.clst_latest_contact AS latest_contact,
         s.clst_pathway_plan_review_date AS pathway_review
  FROM periods AS p
  JOIN ext_care_leaver_status AS s ON s.clst_month_end = p.p_end
  JOIN ssd_person AS pe ON pe.pers_person_id = s.clst_person_id
  WHERE coalesce(s.clst_eligibility, 'FORMER_RELEVANT') IN ('RELEVANT', 'FORMER_RELEVANT')
    AND age(pe.pers_dob, p.p_end) BETWEEN 17 AND 21
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
    CAST(coalesce(c.pathway_review, c.left_care) + INTERVAL 6 MONTH AS DATE) AS due
  FROM cohort AS c
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
