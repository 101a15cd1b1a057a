"""Monthly levels of the synthetic authority, measured straight from a snapshot.

The KPI engine will compute these indicators properly; until it lands, this module holds
the few simple SQL measures the generator's calibration test compares with BRIEF.md §8.
Each query returns one row per month end `d` (month from `s`).
"""

from __future__ import annotations

MONTHS = """
    SELECT CAST(m AS DATE) AS s, CAST(m + INTERVAL 1 MONTH - INTERVAL 1 DAY AS DATE) AS d
    FROM range(DATE '{first}', DATE '{last}' + INTERVAL 1 DAY, INTERVAL 1 MONTH) t(m)
"""
WDN = "(SELECT working_day_number FROM calendar WHERE day = {})"

MEASURES: dict[str, str] = {
    "contacts": "SELECT d, count(*) FROM months JOIN ssd_contacts ON cont_contact_date BETWEEN s AND d GROUP BY d",
    "contacts_not_referred_pct": """SELECT d, 100 * avg(CASE WHEN cont_contact_outcome_json <> 'REFERRAL' THEN 1 ELSE 0 END)
        FROM months JOIN ssd_contacts ON cont_contact_date BETWEEN s AND d
        WHERE cont_contact_outcome_json IS NOT NULL GROUP BY d""",
    "referrals": "SELECT d, count(*) FROM months JOIN ssd_cin_episodes ON cine_referral_date BETWEEN s AND d GROUP BY d",
    "rereferrals_pct": """SELECT d, 100 * avg(CASE WHEN EXISTS (SELECT 1 FROM ssd_cin_episodes p
            WHERE p.cine_person_id = r.cine_person_id AND p.cine_referral_date < r.cine_referral_date
            AND p.cine_referral_date >= r.cine_referral_date - INTERVAL 12 MONTH) THEN 1 ELSE 0 END)
        FROM months JOIN ssd_cin_episodes r ON r.cine_referral_date > d - INTERVAL 12 MONTH AND r.cine_referral_date <= d
        GROUP BY d""",
    "assessments_45wd_pct": """SELECT d, 100 * avg(CASE WHEN ca.working_day_number - cs.working_day_number <= 45 THEN 1 ELSE 0 END)
        FROM months JOIN ssd_cin_assessments a ON cina_assessment_auth_date BETWEEN s AND d
        JOIN calendar cs ON cs.day = cina_assessment_start_date JOIN calendar ca ON ca.day = cina_assessment_auth_date
        GROUP BY d""",
    "s47": "SELECT d, count(*) FROM months JOIN ssd_s47_enquiry ON s47e_s47_start_date BETWEEN s AND d GROUP BY d",
    "icpc": "SELECT d, count(*) FROM months JOIN ssd_initial_cp_conference ON icpc_icpc_date BETWEEN s AND d GROUP BY d",
    "icpc_15wd_pct": """SELECT d, 100 * avg(CASE WHEN ci.working_day_number - cs.working_day_number <= 15 THEN 1 ELSE 0 END)
        FROM months JOIN ssd_initial_cp_conference i ON icpc_icpc_date BETWEEN s AND d
        JOIN ssd_s47_enquiry e ON e.s47e_s47_enquiry_id = i.icpc_s47_enquiry_id
        JOIN calendar cs ON cs.day = e.s47e_s47_start_date JOIN calendar ci ON ci.day = i.icpc_icpc_date GROUP BY d""",
    "icpc_to_plan_pct": """SELECT d, 100 * avg(CASE WHEN icpc_icpc_outcome_cp_flag = 'Y' THEN 1 ELSE 0 END)
        FROM months JOIN ssd_initial_cp_conference ON icpc_icpc_date BETWEEN s AND d GROUP BY d""",
    "cp_open": """SELECT d, count(DISTINCT cppl_person_id) FROM months JOIN ssd_cp_plans
        ON cppl_cp_plan_start_date <= d AND (cppl_cp_plan_end_date IS NULL OR cppl_cp_plan_end_date > d) GROUP BY d""",
    "cp_visited_10wd_pct": """WITH open AS (SELECT DISTINCT d, cppl_person_id AS p FROM months JOIN ssd_cp_plans
            ON cppl_cp_plan_start_date <= d AND (cppl_cp_plan_end_date IS NULL OR cppl_cp_plan_end_date > d))
        SELECT d, 100 * avg(CASE WHEN EXISTS (SELECT 1 FROM ssd_cp_visits v JOIN calendar cv ON cv.day = v.cppv_cp_visit_date
            WHERE v.cppv_person_id = p AND v.cppv_cp_visit_seen = 'Y' AND v.cppv_cp_visit_date <= d
            AND cv.working_day_number > {wdn_d} - 10) THEN 1 ELSE 0 END) FROM open GROUP BY d""",
    "cla_open": """SELECT d, count(DISTINCT clae_person_id) FROM months JOIN ssd_cla_episodes
        ON clae_cla_episode_start_date <= d AND (clae_cla_episode_ceased_date IS NULL OR clae_cla_episode_ceased_date > d) GROUP BY d""",
    "cla_uasc": """SELECT d, count(DISTINCT clae_person_id) FROM months JOIN ssd_cla_episodes
        ON clae_cla_episode_start_date <= d AND (clae_cla_episode_ceased_date IS NULL OR clae_cla_episode_ceased_date > d)
        JOIN ssd_immigration_status ON immi_person_id = clae_person_id AND immi_immigration_status = 'UASC'
        AND immi_immigration_status_start_date <= d AND (immi_immigration_status_end_date IS NULL OR immi_immigration_status_end_date > d)
        GROUP BY d""",
    "cla_s20": """SELECT d, count(DISTINCT lega_person_id) FROM months JOIN ssd_legal_status
        ON lega_legal_status_start_date <= d AND (lega_legal_status_end_date IS NULL OR lega_legal_status_end_date > d)
        WHERE lega_legal_status = 'V2' GROUP BY d""",
    "cla_visited_6wk_pct": """WITH open AS (SELECT DISTINCT d, clae_person_id AS p FROM months JOIN ssd_cla_episodes
            ON clae_entered_care_date <= d - INTERVAL 42 DAY AND (clae_cla_episode_ceased_date IS NULL OR clae_cla_episode_ceased_date > d))
        SELECT d, 100 * avg(CASE WHEN EXISTS (SELECT 1 FROM ssd_cla_visits v WHERE v.clav_person_id = p
            AND v.clav_cla_visit_seen = 'Y' AND v.clav_cla_visit_date <= d AND v.clav_cla_visit_date > d - INTERVAL 42 DAY)
            THEN 1 ELSE 0 END) FROM open GROUP BY d""",
    "cla_reviews_up_to_date_pct": """WITH open AS (SELECT DISTINCT d, clae_cla_id AS c, clae_entered_care_date AS e FROM months
            JOIN ssd_cla_episodes ON clae_cla_episode_start_date <= d AND (clae_cla_episode_ceased_date IS NULL OR clae_cla_episode_ceased_date > d)),
        last AS (SELECT d, c, e, max(clar_cla_review_date) AS lr, count(clar_cla_review_date) AS n FROM open
            LEFT JOIN ssd_cla_reviews ON clar_cla_id = c AND clar_cla_review_date <= d GROUP BY d, c, e)
        SELECT d, 100 * avg(CASE WHEN n = 0 THEN (SELECT day FROM calendar WHERE working_day_number =
                (SELECT working_day_number FROM calendar WHERE day = e) + 20 AND is_working_day) >= d
            WHEN n = 1 THEN lr + INTERVAL 3 MONTH >= d ELSE lr + INTERVAL 6 MONTH >= d END::INT) FROM last GROUP BY d""",
    "cla_3plus_placements_pct": """WITH open AS (SELECT DISTINCT d, clae_person_id AS p FROM months JOIN ssd_cla_episodes
            ON clae_cla_episode_start_date <= d AND (clae_cla_episode_ceased_date IS NULL OR clae_cla_episode_ceased_date > d))
        SELECT d, 100 * avg(CASE WHEN (SELECT count(*) FROM ssd_cla_placement WHERE clap_person_id = p
            AND clap_cla_placement_start_date <= d AND (clap_cla_placement_end_date IS NULL OR clap_cla_placement_end_date > d - INTERVAL 12 MONTH)) >= 3
            THEN 1 ELSE 0 END) FROM open GROUP BY d""",
    "cla_ifa_pct": """WITH open AS (SELECT DISTINCT d, clae_person_id AS p FROM months JOIN ssd_cla_episodes
            ON clae_cla_episode_start_date <= d AND (clae_cla_episode_ceased_date IS NULL OR clae_cla_episode_ceased_date > d))
        SELECT d, 100 * avg(CASE WHEN EXISTS (SELECT 1 FROM ssd_cla_placement WHERE clap_person_id = p
            AND clap_cla_placement_start_date <= d AND (clap_cla_placement_end_date IS NULL OR clap_cla_placement_end_date > d)
            AND clap_cla_placement_type LIKE 'U%' AND clap_cla_placement_provider IN ('PR4', 'PR5')) THEN 1 ELSE 0 END) FROM open GROUP BY d""",
    "cin_plans_open": """SELECT d, count(DISTINCT cinp_person_id) FROM months JOIN ssd_cin_plans
        ON cinp_cin_plan_start_date <= d AND (cinp_cin_plan_end_date IS NULL OR cinp_cin_plan_end_date > d) GROUP BY d""",
    "cin_visited_4wk_pct": """WITH open AS (SELECT DISTINCT d, cinp_person_id AS p FROM months JOIN ssd_cin_plans
            ON cinp_cin_plan_start_date <= d AND (cinp_cin_plan_end_date IS NULL OR cinp_cin_plan_end_date > d))
        SELECT d, 100 * avg(CASE WHEN EXISTS (SELECT 1 FROM ssd_cin_visits v WHERE v.cinv_person_id = p
            AND v.cinv_cin_visit_seen = 'Y' AND v.cinv_cin_visit_date <= d AND v.cinv_cin_visit_date > d - INTERVAL 28 DAY)
            THEN 1 ELSE 0 END) FROM open GROUP BY d""",
    "early_help_open": """SELECT d, count(DISTINCT earl_person_id) FROM months JOIN ssd_early_help_episodes
        ON earl_episode_start_date <= d AND (earl_episode_end_date IS NULL OR earl_episode_end_date > d) GROUP BY d""",
    "care_leavers": """SELECT d, count(DISTINCT clst_person_id) FROM months JOIN ext_care_leaver_status ON clst_month_end = d
        JOIN ssd_person ON pers_person_id = clst_person_id WHERE date_diff('year', pers_dob, d) - CASE WHEN
        strftime(pers_dob, '%m%d') > strftime(d, '%m%d') THEN 1 ELSE 0 END BETWEEN 17 AND 21 GROUP BY d""",
    "care_leavers_neet_17_18_pct": """SELECT d, 100 * avg(CASE WHEN clst_activity IN ('G4', 'G5', 'G6') THEN 1 ELSE 0 END)
        FROM months JOIN ext_care_leaver_status ON clst_month_end = d JOIN ssd_person ON pers_person_id = clst_person_id
        WHERE clst_activity <> '0' AND date_diff('year', pers_dob, d) - CASE WHEN strftime(pers_dob, '%m%d') > strftime(d, '%m%d')
        THEN 1 ELSE 0 END BETWEEN 17 AND 18 GROUP BY d""",
    "supervision_4wk_pct": """WITH open AS (SELECT DISTINCT d, p FROM months JOIN (
            SELECT cinp_person_id AS p, cinp_cin_plan_start_date AS a, cinp_cin_plan_end_date AS b FROM ssd_cin_plans
            UNION ALL SELECT cppl_person_id, cppl_cp_plan_start_date, cppl_cp_plan_end_date FROM ssd_cp_plans
            UNION ALL SELECT clae_person_id, clae_cla_episode_start_date, clae_cla_episode_ceased_date FROM ssd_cla_episodes)
            ON a <= d AND (b IS NULL OR b > d))
        SELECT d, 100 * avg(CASE WHEN EXISTS (SELECT 1 FROM ext_case_supervisions WHERE csup_person_id = p
            AND csup_supervision_date <= d AND csup_supervision_date > d - INTERVAL 28 DAY) THEN 1 ELSE 0 END) FROM open GROUP BY d""",
    "caseload_avg": """SELECT d, count(*) / count(DISTINCT invo_professional_id) FROM months JOIN ssd_involvements
        ON invo_involvement_start_date <= d AND (invo_involvement_end_date IS NULL OR invo_involvement_end_date > d)
        WHERE invo_professional_role_id IN ('ALLOCATED_CASE_WORKER', 'PERSONAL_ADVISOR') GROUP BY d""",
    "cla_reviews_year": """SELECT d, count(*) FROM months JOIN ssd_cla_reviews ON clar_cla_review_date > d - INTERVAL 12 MONTH
        AND clar_cla_review_date <= d GROUP BY d""",
    "cla_missing": """SELECT d, count(DISTINCT miss_person_id) FROM months JOIN ssd_missing ON miss_missing_episode_start_date
        BETWEEN s AND d AND miss_missing_episode_type = 'M' GROUP BY d""",
}


def measure(con: object, first: str, last: str) -> dict[str, dict[str, float]]:
    """{measure: {YYYY-MM: value}} for every month from `first` to `last` (YYYY-MM-DD)."""
    import duckdb

    assert isinstance(con, duckdb.DuckDBPyConnection)
    con.execute(f"CREATE OR REPLACE TEMP TABLE months AS {MONTHS.format(first=first, last=last)}")
    result: dict[str, dict[str, float]] = {}
    for name, sql in MEASURES.items():
        rows = con.execute(sql.replace("{wdn_d}", WDN.format("d"))).fetchall()
        result[name] = {f"{d:%Y-%m}": float(v) for d, v in rows}
    return result
