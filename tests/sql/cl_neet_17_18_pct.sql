-- cl_neet_17_18_pct: Care leavers aged 17-18 not in education, employment or training
-- Of care leavers whose 17th or 18th birthday fell in the 12 months ending with the month, the share not in education, employment or training at that birthday (activity as recorded from 3 months before to 1 month after it, as the SSDA903 OC3 item); 'information not known' stays in the denominator.
-- unit percent, kind rolling12, polarity lower, area care_leavers, theme corporate_parenting, DfE benchmark EES_CL_NEET_17_18
-- source: DfE CLA statistics, care leavers' activity at 17 and 18 (EES file ees_la_care_leavers_activity.csv)
-- counting: NEET is activity G4, G5 or G6. The activity is the one recorded at the month end nearest the birthday, from 3 months before to 1 month after it; with none then, or recorded as "0", it is not known: in the denominator, not NEET. A 29 February birthday falls on 1 March in other years.
-- cohort care_leaver_birthdays: Care leavers' 17th to 21st birthdays in the window, one row per birthday, with the activity and accommodation recorded at the month end nearest the birthday from 3 months before it to 1 month after (ext_care_leaver_status), as the SSDA903's OC3 item records them; none recorded then is "not known". A young person counts from their first month as a relevant or former relevant care leaver: a birthday before they left care is not a care leaver's birthday.

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
  WITH leavers AS (
    SELECT s.clst_person_id AS person_id, min(s.clst_month_end) AS first_month
    FROM ext_care_leaver_status AS s
    WHERE coalesce(s.clst_eligibility, 'FORMER_RELEVANT') IN ('RELEVANT', 'FORMER_RELEVANT')
    GROUP BY s.clst_person_id
  ), birthdays AS (
    SELECT l.person_id, l.first_month, b.age, birthday(pe.pers_dob, b.age) AS birthday
    FROM leavers AS l
    JOIN ssd_person AS pe ON pe.pers_person_id = l.person_id
    CROSS JOIN (SELECT unnest(range(17, 22)) AS age) AS b
  ), at_birthday AS (
    SELECT d.person_id, d.birthday, arg_min(s.clst_status_id,
           abs(date_diff('day', d.birthday, s.clst_month_end))) AS status_id
    FROM birthdays AS d
    JOIN ext_care_leaver_status AS s ON s.clst_person_id = d.person_id
     AND s.clst_month_end BETWEEN d.birthday - INTERVAL 3 MONTH AND d.birthday + INTERVAL 1 MONTH
    GROUP BY d.person_id, d.birthday
  )
  SELECT p.period, d.birthday AS ref_date, d.person_id, d.age, d.birthday,
         s.clst_activity AS activity, s.clst_accommodation AS accommodation,
         s.clst_accom_suitable AS accom_suitable
  FROM periods AS p
  JOIN birthdays AS d ON d.birthday BETWEEN p.w_start AND p.p_end
  LEFT JOIN at_birthday AS a ON a.person_id = d.person_id AND a.birthday = d.birthday
  LEFT JOIN ext_care_leaver_status AS s ON s.clst_status_id = a.status_id
  WHERE d.first_month <= last_day(d.birthday)
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
SELECT u.*, coalesce((coalesce(activity IN ('G4', 'G5', 'G6'), false)), false) AS counted
FROM units AS u
WHERE age BETWEEN 17 AND 18;

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
