-- 数据集市(第一阶段):季度快照与各口径指标,建库时计算一次。Run after the raw tables are loaded.
-- 范围键:chain_id / park_id 为 '*' 表示"全部"(全区、全部园区)。

-- 季度维表。One row per quarter present in the party survey.
CREATE TABLE dim_quarter AS
SELECT quarter_end,
       CAST(year(quarter_end) AS INTEGER) AS year,
       CAST(quarter(quarter_end) AS INTEGER) AS quarter,
       CAST(year(quarter_end) AS VARCHAR) || 'Q' || CAST(quarter(quarter_end) AS VARCHAR) AS label,
       CAST(date_trunc('quarter', quarter_end) AS DATE) AS quarter_start,
       CAST(date_trunc('quarter', quarter_end) - INTERVAL 1 DAY AS DATE) AS prev_quarter_end,
       CAST(last_day(quarter_end - INTERVAL 1 YEAR) AS DATE) AS yoy_quarter_end,
       CAST(date_trunc('year', quarter_end) AS DATE) AS year_start,
       quarter(quarter_end) / 4.0 AS year_share
FROM (SELECT DISTINCT quarter_end FROM enterprise_party)
ORDER BY quarter_end;

-- 范围维表:全区、各产业链、各园区及链×园交叉。One row per (chain_id, park_id) scope.
CREATE TABLE dim_scope AS
SELECT c.chain_id, p.park_id
FROM (SELECT '*' AS chain_id UNION ALL SELECT chain_id FROM chains) c
CROSS JOIN (SELECT '*' AS park_id UNION ALL SELECT park_id FROM parks) p;

-- 有效荣誉:某季末仍有效的认定。One row per (quarter_end, enterprise_id, honor).
CREATE TABLE mart_honor_valid AS
SELECT DISTINCT q.quarter_end, h.enterprise_id, h.honor
FROM honors h
JOIN dim_quarter q
  ON h.awarded_on <= q.quarter_end
 AND (h.expires_on IS NULL OR h.expires_on > q.quarter_end)
 AND (h.revoked_on IS NULL OR h.revoked_on > q.quarter_end);

-- 企业季度快照:在营企业在每个季末的规模、党建与荣誉状态。One row per enterprise per quarter in operation.
CREATE TABLE mart_enterprise_quarter AS
WITH hon AS (
    SELECT quarter_end, enterprise_id,
           bool_or(honor = '小巨人') AS is_xjr,
           bool_or(honor = '单项冠军') AS is_dxgj,
           bool_or(honor = '两高四新') AS is_lgsx,
           bool_or(honor = '高新技术企业') AS is_gxjs,
           bool_or(honor = '省级专精特新') AS is_sjzjtx,
           bool_or(honor = '创新型中小企业') AS is_cxx
    FROM mart_honor_valid
    GROUP BY ALL
), sec AS (
    SELECT q.quarter_end, s.enterprise_id, count(*) AS n_secretaries
    FROM secretaries s
    JOIN dim_quarter q ON s.started_on <= q.quarter_end AND (s.ended_on IS NULL OR s.ended_on > q.quarter_end)
    GROUP BY ALL
)
SELECT q.quarter_end, e.enterprise_id, e.park_id,
       e.size IN ('中', '小', '微') AS is_sme,
       e.employees >= 10 AS is_base,
       coalesce(p.org_type, '无') AS org_type,
       coalesce(p.n_members, 0) AS n_members,
       coalesce(p.n_new_members, 0) AS n_new_members,
       coalesce(p.has_liaison, false) AS has_liaison,
       coalesce(p.has_union, false) AS has_union,
       coalesce(p.has_youth_league, false) AS has_youth_league,
       coalesce(s.n_secretaries, 0) > 0 AS has_secretary,
       coalesce(h.is_xjr, false) AS is_xjr,
       coalesce(h.is_dxgj, false) AS is_dxgj,
       coalesce(h.is_lgsx, false) AS is_lgsx,
       coalesce(h.is_gxjs, false) AS is_gxjs,
       coalesce(h.is_sjzjtx, false) AS is_sjzjtx,
       coalesce(h.is_cxx, false) AS is_cxx
FROM dim_quarter q
JOIN enterprises e
  ON e.founded_on <= q.quarter_end AND (e.closed_on IS NULL OR e.closed_on > q.quarter_end)
LEFT JOIN enterprise_party p ON p.enterprise_id = e.enterprise_id AND p.quarter_end = q.quarter_end
LEFT JOIN hon h ON h.enterprise_id = e.enterprise_id AND h.quarter_end = q.quarter_end
LEFT JOIN sec s ON s.enterprise_id = e.enterprise_id AND s.quarter_end = q.quarter_end
ORDER BY q.quarter_end, e.enterprise_id;

-- 企业类指标(按范围聚合)。One row per (quarter_end, chain_id, park_id) that has enterprises.
CREATE TABLE mart_kpi_enterprise AS
WITH scoped AS (
    SELECT '*' AS chain_id, '*' AS park_id, eq.* EXCLUDE (park_id) FROM mart_enterprise_quarter eq
    UNION ALL
    SELECT '*', eq.park_id, eq.* EXCLUDE (park_id) FROM mart_enterprise_quarter eq WHERE eq.park_id IS NOT NULL
    UNION ALL
    SELECT ec.chain_id, '*', eq.* EXCLUDE (park_id)
    FROM mart_enterprise_quarter eq JOIN enterprise_chains ec USING (enterprise_id)
    UNION ALL
    SELECT ec.chain_id, eq.park_id, eq.* EXCLUDE (park_id)
    FROM mart_enterprise_quarter eq JOIN enterprise_chains ec USING (enterprise_id)
    WHERE eq.park_id IS NOT NULL
)
SELECT quarter_end, chain_id, park_id,
       count(*) AS n_enterprises,
       count(*) FILTER (WHERE is_sme) AS n_sme,
       count(*) FILTER (WHERE is_xjr) AS n_xjr,
       count(*) FILTER (WHERE is_dxgj) AS n_dxgj,
       count(*) FILTER (WHERE is_lgsx) AS n_lgsx,
       count(*) FILTER (WHERE is_gxjs) AS n_gxjs,
       count(*) FILTER (WHERE is_sjzjtx) AS n_sjzjtx,
       count(*) FILTER (WHERE is_cxx) AS n_cxx,
       count(*) FILTER (WHERE is_base) AS n_base,
       count(*) FILTER (WHERE is_base AND org_type <> '无') AS n_base_org,
       count(*) FILTER (WHERE is_base AND org_type = '单独组建') AS n_base_own_org,
       count(*) FILTER (WHERE is_base AND (org_type <> '无' OR has_liaison OR has_secretary)) AS n_base_work,
       count(*) FILTER (WHERE is_base AND n_members >= 3 AND org_type <> '单独组建') AS n_should_own_org,
       count(*) FILTER (WHERE is_base AND org_type = '无' AND NOT has_liaison AND NOT has_secretary) AS n_base_gap,
       coalesce(sum(n_members) FILTER (WHERE is_base), 0) AS n_party_members,
       coalesce(sum(n_new_members) FILTER (WHERE is_base), 0) AS n_new_members
FROM scoped
GROUP BY ALL;

-- 第一书记类指标(按派驻企业所在链/园归属)。One row per (quarter_end, chain_id, park_id).
CREATE TABLE mart_kpi_secretary AS
WITH s AS (
    SELECT s.*, e.park_id FROM secretaries s JOIN enterprises e USING (enterprise_id)
), scoped AS (
    SELECT '*' AS chain_id, '*' AS park_id, s.* EXCLUDE (park_id) FROM s
    UNION ALL SELECT '*', s.park_id, s.* EXCLUDE (park_id) FROM s WHERE s.park_id IS NOT NULL
    UNION ALL SELECT ec.chain_id, '*', s.* EXCLUDE (park_id) FROM s JOIN enterprise_chains ec USING (enterprise_id)
    UNION ALL SELECT ec.chain_id, s.park_id, s.* EXCLUDE (park_id) FROM s JOIN enterprise_chains ec USING (enterprise_id)
              WHERE s.park_id IS NOT NULL
), active AS (
    SELECT q.quarter_end, sc.chain_id, sc.park_id,
           count(*) AS n_secretaries,
           count(DISTINCT sc.enterprise_id) AS n_secretary_enterprises,
           count(DISTINCT sc.source_unit_id) AS n_secretary_units
    FROM scoped sc
    JOIN dim_quarter q ON sc.started_on <= q.quarter_end AND (sc.ended_on IS NULL OR sc.ended_on > q.quarter_end)
    GROUP BY ALL
), outcomes AS (
    SELECT q.quarter_end, sc.chain_id, sc.park_id,
           coalesce(sum(o.n) FILTER (WHERE o.kind = '解决问题' AND o.occurred_on >= q.quarter_start), 0) AS n_problems_solved,
           coalesce(sum(o.n) FILTER (WHERE o.kind = '解决问题' AND o.occurred_on >= q.year_start), 0) AS n_problems_solved_ytd,
           coalesce(sum(o.n) FILTER (WHERE o.kind = '解决问题'), 0) AS n_problems_solved_cum,
           coalesce(sum(o.n) FILTER (WHERE o.occurred_on >= q.quarter_start), 0) AS n_outcomes,
           count(*) FILTER (WHERE o.is_case AND o.occurred_on >= q.quarter_start) AS n_cases
    FROM secretary_outcomes o
    JOIN scoped sc USING (secretary_id)
    JOIN dim_quarter q ON o.occurred_on <= q.quarter_end
    GROUP BY ALL
)
SELECT coalesce(a.quarter_end, o.quarter_end) AS quarter_end,
       coalesce(a.chain_id, o.chain_id) AS chain_id,
       coalesce(a.park_id, o.park_id) AS park_id,
       coalesce(a.n_secretaries, 0) AS n_secretaries,
       coalesce(a.n_secretary_enterprises, 0) AS n_secretary_enterprises,
       coalesce(a.n_secretary_units, 0) AS n_secretary_units,
       coalesce(o.n_problems_solved, 0) AS n_problems_solved,
       coalesce(o.n_problems_solved_ytd, 0) AS n_problems_solved_ytd,
       coalesce(o.n_problems_solved_cum, 0) AS n_problems_solved_cum,
       coalesce(o.n_outcomes, 0) AS n_outcomes,
       coalesce(o.n_cases, 0) AS n_cases
FROM active a
FULL JOIN outcomes o ON a.quarter_end = o.quarter_end AND a.chain_id = o.chain_id AND a.park_id = o.park_id;

-- 诉求类指标(按诉求登记的链/园归属)。One row per (quarter_end, chain_id, park_id).
CREATE TABLE mart_kpi_appeal AS
WITH scoped AS (
    SELECT '*' AS chain_id, '*' AS park_id, a.* EXCLUDE (chain_id, park_id) FROM appeals a
    UNION ALL SELECT '*', a.park_id, a.* EXCLUDE (chain_id, park_id) FROM appeals a WHERE a.park_id IS NOT NULL
    UNION ALL SELECT a.chain_id, '*', a.* EXCLUDE (chain_id, park_id) FROM appeals a WHERE a.chain_id IS NOT NULL
    UNION ALL SELECT a.chain_id, a.park_id, a.* EXCLUDE (chain_id, park_id) FROM appeals a
              WHERE a.chain_id IS NOT NULL AND a.park_id IS NOT NULL
)
SELECT q.quarter_end, s.chain_id, s.park_id,
       count(*) FILTER (WHERE s.received_on >= q.quarter_start) AS n_appeals_received,
       count(*) FILTER (WHERE s.resolved_on >= q.quarter_start AND s.resolved_on <= q.quarter_end) AS n_appeals_resolved,
       count(*) AS n_appeals_cum_received,
       count(*) FILTER (WHERE s.resolved_on <= q.quarter_end) AS n_appeals_cum_resolved,
       count(*) FILTER (WHERE (s.resolved_on IS NULL OR s.resolved_on > q.quarter_end)) AS n_appeals_open,
       count(*) FILTER (WHERE (s.resolved_on IS NULL OR s.resolved_on > q.quarter_end) AND s.due_on < q.quarter_end) AS n_appeals_overdue,
       avg(s.resolved_on - s.received_on) FILTER (WHERE s.resolved_on >= q.quarter_start AND s.resolved_on <= q.quarter_end) AS avg_resolve_days,
       count(*) FILTER (WHERE s.received_on >= q.quarter_start AND s.source = '吐槽大会') AS n_appeals_tucao
FROM scoped s
JOIN dim_quarter q ON s.received_on <= q.quarter_end
GROUP BY ALL;

-- 红联共建类指标(链按结对登记的产业链,园按企业所在园区)。One row per (quarter_end, chain_id, park_id).
CREATE TABLE mart_kpi_pairing AS
WITH p AS (
    SELECT p.*, e.park_id FROM pairings p JOIN enterprises e USING (enterprise_id)
), scoped AS (
    SELECT '*' AS chain_id, '*' AS park_id, p.* EXCLUDE (chain_id, park_id) FROM p
    UNION ALL SELECT '*', p.park_id, p.* EXCLUDE (chain_id, park_id) FROM p WHERE p.park_id IS NOT NULL
    UNION ALL SELECT p.chain_id, '*', p.* EXCLUDE (chain_id, park_id) FROM p
    UNION ALL SELECT p.chain_id, p.park_id, p.* EXCLUDE (chain_id, park_id) FROM p WHERE p.park_id IS NOT NULL
), active AS (
    SELECT q.quarter_end, s.chain_id, s.park_id, count(*) AS n_pairings, count(DISTINCT s.unit_id) AS n_pairing_units
    FROM scoped s
    JOIN dim_quarter q ON s.started_on <= q.quarter_end AND (s.ended_on IS NULL OR s.ended_on > q.quarter_end)
    GROUP BY ALL
), acts AS (
    SELECT q.quarter_end, s.chain_id, s.park_id,
           count(*) FILTER (WHERE a.held_on >= q.quarter_start) AS n_pairing_activities,
           count(*) FILTER (WHERE a.held_on >= q.year_start) AS n_pairing_activities_ytd
    FROM pairing_activities a
    JOIN scoped s USING (pairing_id)
    JOIN dim_quarter q ON a.held_on <= q.quarter_end AND a.held_on >= q.year_start
    GROUP BY ALL
)
SELECT coalesce(a.quarter_end, x.quarter_end) AS quarter_end,
       coalesce(a.chain_id, x.chain_id) AS chain_id,
       coalesce(a.park_id, x.park_id) AS park_id,
       coalesce(a.n_pairings, 0) AS n_pairings,
       coalesce(a.n_pairing_units, 0) AS n_pairing_units,
       coalesce(x.n_pairing_activities, 0) AS n_pairing_activities,
       coalesce(x.n_pairing_activities_ytd, 0) AS n_pairing_activities_ytd
FROM active a
FULL JOIN acts x ON a.quarter_end = x.quarter_end AND a.chain_id = x.chain_id AND a.park_id = x.park_id;

-- 会议类指标(按会议登记的链/园)。One row per (quarter_end, chain_id, park_id).
CREATE TABLE mart_kpi_meeting AS
WITH scoped AS (
    SELECT '*' AS chain_id, '*' AS park_id, m.* EXCLUDE (chain_id, park_id) FROM meetings m
    UNION ALL SELECT '*', m.park_id, m.* EXCLUDE (chain_id, park_id) FROM meetings m WHERE m.park_id IS NOT NULL
    UNION ALL SELECT m.chain_id, '*', m.* EXCLUDE (chain_id, park_id) FROM meetings m WHERE m.chain_id IS NOT NULL
    UNION ALL SELECT m.chain_id, m.park_id, m.* EXCLUDE (chain_id, park_id) FROM meetings m
              WHERE m.chain_id IS NOT NULL AND m.park_id IS NOT NULL
)
SELECT q.quarter_end, s.chain_id, s.park_id,
       count(*) FILTER (WHERE s.kind = '专题会议') AS n_topic_meetings,
       count(*) FILTER (WHERE s.kind = '党建联席会议') AS n_joint_meetings,
       count(*) FILTER (WHERE s.kind = '战略咨询会议') AS n_strategy_meetings,
       count(*) FILTER (WHERE s.kind = '吐槽大会') AS n_tucao_meetings,
       count(*) FILTER (WHERE s.kind = '联合调度会') AS n_dispatch_meetings
FROM scoped s
JOIN dim_quarter q ON s.held_on BETWEEN q.quarter_start AND q.quarter_end
GROUP BY ALL;

-- 综合指标:每个季度×范围一行,所有主要指标与比率。One row per (quarter_end, chain_id, park_id).
CREATE TABLE mart_kpi AS
SELECT q.quarter_end, q.label AS quarter_label, sc.chain_id, sc.park_id,
       coalesce(e.n_enterprises, 0) AS n_enterprises,
       coalesce(e.n_sme, 0) AS n_sme,
       coalesce(e.n_xjr, 0) AS n_xjr,
       coalesce(e.n_dxgj, 0) AS n_dxgj,
       coalesce(e.n_lgsx, 0) AS n_lgsx,
       coalesce(e.n_gxjs, 0) AS n_gxjs,
       coalesce(e.n_sjzjtx, 0) AS n_sjzjtx,
       coalesce(e.n_cxx, 0) AS n_cxx,
       coalesce(e.n_base, 0) AS n_base,
       coalesce(e.n_base_org, 0) AS n_base_org,
       coalesce(e.n_base_own_org, 0) AS n_base_own_org,
       coalesce(e.n_base_work, 0) AS n_base_work,
       coalesce(e.n_should_own_org, 0) AS n_should_own_org,
       coalesce(e.n_base_gap, 0) AS n_base_gap,
       coalesce(e.n_party_members, 0) AS n_party_members,
       coalesce(e.n_new_members, 0) AS n_new_members,
       e.n_base_org / nullif(e.n_base, 0) AS org_coverage_rate,
       e.n_base_own_org / nullif(e.n_base, 0) AS own_org_rate,
       e.n_base_work / nullif(e.n_base, 0) AS work_coverage_rate,
       coalesce(s.n_secretaries, 0) AS n_secretaries,
       coalesce(s.n_secretary_enterprises, 0) AS n_secretary_enterprises,
       coalesce(s.n_secretary_units, 0) AS n_secretary_units,
       coalesce(s.n_problems_solved, 0) AS n_problems_solved,
       coalesce(s.n_problems_solved_ytd, 0) AS n_problems_solved_ytd,
       coalesce(s.n_problems_solved_cum, 0) AS n_problems_solved_cum,
       coalesce(s.n_outcomes, 0) AS n_outcomes,
       coalesce(s.n_cases, 0) AS n_cases,
       coalesce(a.n_appeals_received, 0) AS n_appeals_received,
       coalesce(a.n_appeals_resolved, 0) AS n_appeals_resolved,
       coalesce(a.n_appeals_cum_received, 0) AS n_appeals_cum_received,
       coalesce(a.n_appeals_cum_resolved, 0) AS n_appeals_cum_resolved,
       a.n_appeals_cum_resolved / nullif(a.n_appeals_cum_received, 0) AS appeal_resolved_rate,
       coalesce(a.n_appeals_open, 0) AS n_appeals_open,
       coalesce(a.n_appeals_overdue, 0) AS n_appeals_overdue,
       a.avg_resolve_days,
       coalesce(a.n_appeals_tucao, 0) AS n_appeals_tucao,
       coalesce(p.n_pairings, 0) AS n_pairings,
       coalesce(p.n_pairing_units, 0) AS n_pairing_units,
       coalesce(p.n_pairing_activities, 0) AS n_pairing_activities,
       coalesce(p.n_pairing_activities_ytd, 0) AS n_pairing_activities_ytd,
       coalesce(m.n_topic_meetings, 0) AS n_topic_meetings,
       coalesce(m.n_joint_meetings, 0) AS n_joint_meetings,
       coalesce(m.n_strategy_meetings, 0) AS n_strategy_meetings,
       coalesce(m.n_tucao_meetings, 0) AS n_tucao_meetings,
       coalesce(m.n_dispatch_meetings, 0) AS n_dispatch_meetings
FROM dim_quarter q
CROSS JOIN dim_scope sc
LEFT JOIN mart_kpi_enterprise e ON e.quarter_end = q.quarter_end AND e.chain_id = sc.chain_id AND e.park_id = sc.park_id
LEFT JOIN mart_kpi_secretary s ON s.quarter_end = q.quarter_end AND s.chain_id = sc.chain_id AND s.park_id = sc.park_id
LEFT JOIN mart_kpi_appeal a ON a.quarter_end = q.quarter_end AND a.chain_id = sc.chain_id AND a.park_id = sc.park_id
LEFT JOIN mart_kpi_pairing p ON p.quarter_end = q.quarter_end AND p.chain_id = sc.chain_id AND p.park_id = sc.park_id
LEFT JOIN mart_kpi_meeting m ON m.quarter_end = q.quarter_end AND m.chain_id = sc.chain_id AND m.park_id = sc.park_id
ORDER BY q.quarter_end, sc.chain_id, sc.park_id;
