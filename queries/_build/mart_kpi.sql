-- 综合指标:每个季度×范围一行,所有主要指标与比率(范围见 dim_scope,含 '-' 未归链 / 未入园余项)。One row per (quarter_end, chain_id, park_id).
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
