-- cla_health_assessment_pct: Health assessments up to date (looked after 12+ months)
-- Of children in cla_open who have been looked after continuously for 12 months or more, the share whose health assessments are up to date: one in the 12 months up to month end, or, for a child under 5, two in those 12 months (one every 6 months).
-- unit percent, kind snapshot, polarity higher, area looked_after, theme corporate_parenting, DfE benchmark LACHealth%
-- source: DfE CLA statistics (outcomes); LAIT LACHealth%; Promoting the health and wellbeing of looked-after children 2015
-- counting: A health assessment is an initial or review health assessment (IHA, RHA). The next is due 12 months after the latest (for a child under 5 at month end, 12 months after the one before the latest, so that two fall in any 12 months); a child with fewer than that was due 12 months after entering care. The child is up to date while the due date is not before month end (an assessment due on the last day is in time).
-- differs from DfE's figure: DfE counts the children looked after for 12 months at 31 March who had their health assessments in the year; Scrutineer judges every month end, so its March figure is the one to set beside DfE's.
-- cohort cla_open: Children looked after at the month end, one row each, with the current period of care (its id and the date it began) and the legal status and placement open then. Children looked after under a series of short-term breaks (legal status V3 or V4) are left out, as DfE counts children looked after.

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
  WITH open_episodes AS (
    SELECT p.period, p.p_end, e.clae_person_id AS person_id, e.clae_cla_id AS cla_id,
           e.clae_entered_care_date AS entered_care, e.clae_cla_episode_start_date AS start
    FROM periods AS p
    JOIN ssd_cla_episodes AS e
      ON e.clae_cla_episode_start_date <= p.p_end
     AND (e.clae_cla_episode_ceased_date IS NULL OR e.clae_cla_episode_ceased_date > p.p_end)),
  children AS (
    SELECT o.period, o.p_end AS ref_date, o.person_id,
           arg_max(o.cla_id, o.start) AS cla_id, max(o.entered_care) AS entered_care,
           legal_status_on(o.person_id, o.p_end) AS legal_status,
           (SELECT arg_max(pl.clap_cla_placement_id, pl.clap_cla_placement_start_date)
              FROM ssd_cla_placement AS pl
             WHERE pl.clap_person_id = o.person_id AND pl.clap_cla_placement_start_date <= o.p_end
               AND (pl.clap_cla_placement_end_date IS NULL
                    OR pl.clap_cla_placement_end_date > o.p_end)) AS placement_id
    FROM open_episodes AS o
    GROUP BY o.period, o.p_end, o.person_id)
  SELECT * FROM children WHERE coalesce(legal_status, '') NOT IN ('V3', 'V4')
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
    (SELECT list(h.clah_health_check_date ORDER BY h.clah_health_check_date DESC) FROM ssd_cla_health AS h WHERE h.clah_person_id = c.person_id AND h.clah_health_check_type IN ('IHA', 'RHA') AND h.clah_health_check_date <= c.ref_date) AS assessments,
    (SELECT age(pe.pers_dob, c.ref_date) FROM ssd_person AS pe WHERE pe.pers_person_id = c.person_id) AS age
  FROM cohort AS c
), units AS (
  SELECT c.*,
    c.assessments[1] AS last_health_assessment,
    CAST(coalesce(c.assessments[CASE WHEN c.age < 5 THEN 2 ELSE 1 END], c.entered_care) + INTERVAL 12 MONTH AS DATE) AS due
  FROM layer1 AS c
)
SELECT u.*, coalesce((due >= ref_date), false) AS counted
FROM units AS u
WHERE entered_care <= ref_date - INTERVAL 12 MONTH;

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
