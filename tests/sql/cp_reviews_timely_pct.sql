-- cp_reviews_timely_pct: CP plans reviewed within timescale
-- Of children in cpp_open whose plan has lasted 3 months or more, the share whose every review so far was held on time (first within 3 months of the ICPC, then at most 6 months apart).
-- unit percent, kind snapshot, polarity higher, area child_protection, theme effective_assessment, DfE benchmark CPP_Reviewed_InReqTimeScl
-- source: Working Together to Safeguard Children 2023; LAIT CPP_Reviewed_InReqTimeScl (published as a count)
-- counting: The first review is due 3 months after the plan began, each later one 6 months after the one before (a review on its due date is on time). A child is not counted when a review so far was held after its due date (the list shows the first due date missed) or the next review's due date is before month end.
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
    (SELECT list({'held': h.held, 'due': CAST(coalesce(h.previous + INTERVAL 6 MONTH, c.plan_start + INTERVAL 3 MONTH) AS DATE)} ORDER BY h.held) FROM (SELECT r.cppr_cp_review_date AS held, lag(r.cppr_cp_review_date) OVER (ORDER BY r.cppr_cp_review_date) AS previous FROM ssd_cp_reviews AS r WHERE r.cppr_cp_plan_id = c.plan_id AND r.cppr_cp_review_date <= c.ref_date) AS h) AS reviews
  FROM cohort AS c
), layer2 AS (
  SELECT c.*,
    list_max(list_transform(c.reviews, lambda r: r.held)) AS last_review,
    len(list_filter(c.reviews, lambda r: r.held > r.due)) AS late_reviews,
    list_min(list_transform(list_filter(c.reviews, lambda r: r.held > r.due), lambda r: r.due)) AS first_due_missed
  FROM layer1 AS c
), layer3 AS (
  SELECT c.*,
    CAST(coalesce(c.last_review + INTERVAL 6 MONTH, c.plan_start + INTERVAL 3 MONTH) AS DATE) AS next_due
  FROM layer2 AS c
), units AS (
  SELECT c.*,
    coalesce(c.first_due_missed, c.next_due) AS due
  FROM layer3 AS c
)
SELECT u.*, coalesce((late_reviews = 0 AND next_due >= ref_date), false) AS counted
FROM units AS u
WHERE plan_start <= ref_date - INTERVAL 3 MONTH;

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
