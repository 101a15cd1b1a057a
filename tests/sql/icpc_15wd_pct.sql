-- icpc_15wd_pct: ICPCs held within 15 working days of the start of the Section 47 enquiry
-- Of ICPCs held in the month (per child; transfer-in conferences excluded), the share held at most 15 working days after the start of the S47 enquiry that led to it; an ICPC dated before its S47 start is a data error and is left out, as DfE does.
-- unit percent, kind flow, polarity higher, area child_protection, theme effective_assessment, DfE benchmark CP_conf_15days
-- source: DfE Characteristics of children in need (table C4); LAIT CP_conf_15days
-- counting: Working days are counted from the S47 start to the conference (the start day is day 0), with England's bank holidays; a conference with no S47 enquiry in the extract has no start to count from and is left out of the denominator, as is one dated before it.
-- cohort icpcs: Initial child protection conferences held in the window, one row per child (transfer-in conferences left out), with the start of the S47 enquiry that led to each.

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
  SELECT p.period, i.icpc_icpc_date AS ref_date, i.icpc_person_id AS person_id,
         i.icpc_icpc_id AS icpc_id, i.icpc_icpc_date AS icpc_date,
         i.icpc_icpc_outcome_cp_flag AS outcome_cp,
         (SELECT s.s47e_s47_start_date FROM ssd_s47_enquiry AS s
           WHERE s.s47e_s47_enquiry_id = i.icpc_s47_enquiry_id) AS s47_start
  FROM periods AS p
  JOIN ssd_initial_cp_conference AS i ON i.icpc_icpc_date BETWEEN p.w_start AND p.p_end
  WHERE coalesce(i.icpc_icpc_transfer_in, 'N') <> 'Y'
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
    wdn(c.icpc_date) - wdn(c.s47_start) AS working_days
  FROM cohort AS c
)
SELECT u.*, coalesce((working_days <= 15), false) AS counted
FROM units AS u
WHERE s47_start IS NOT NULL AND icpc_date >= s47_start;

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
