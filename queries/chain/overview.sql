-- 各产业链当季主要指标、链主名单、1+N+X 企业数与最差目标状态(园区筛选时为链×园交叉);另含 chain_id = '-' 的“未归链”一行(不属任何链的企业、未登记产业链的诉求),用于与全区对账。One row per chain, plus the 未归链 row.
-- params: quarter_end, park_id
-- rows: chain_id
WITH masters AS (
    SELECT ec.chain_id, string_agg(e.name, '、' ORDER BY e.enterprise_id) AS master_names
    FROM enterprise_chains ec
    JOIN enterprises e USING (enterprise_id)
    WHERE ec.role = '链主' AND ($park_id = '*' OR e.park_id = $park_id)
    GROUP BY ec.chain_id
), roles AS (
    SELECT ec.chain_id,
           count(*) FILTER (WHERE ec.role = '链主') AS n_role_master,
           count(*) FILTER (WHERE ec.role = '核心') AS n_role_core,
           count(*) FILTER (WHERE ec.role = '配套') AS n_role_support
    FROM mart_enterprise_quarter eq
    JOIN enterprise_chains ec USING (enterprise_id)
    WHERE eq.quarter_end = $quarter_end AND ($park_id = '*' OR eq.park_id = $park_id)
    GROUP BY ec.chain_id
), status AS (
    SELECT chain_id,
           count(*) AS n_targets,
           count(*) FILTER (WHERE status = '红') AS n_red,
           count(*) FILTER (WHERE status = '黄') AS n_yellow
    FROM mart_target_status
    WHERE quarter_end = $quarter_end AND park_id = $park_id AND chain_id <> '*'
    GROUP BY chain_id
)
SELECT k.chain_id, coalesce(c.name, '未归链') AS chain_name, k.chain_id = '-' AS is_remainder,
       c.leader_title, c.coverage_mode,
       m.master_names,
       coalesce(r.n_role_master, 0) AS n_role_master,
       coalesce(r.n_role_core, 0) AS n_role_core,
       coalesce(r.n_role_support, 0) AS n_role_support,
       k.n_enterprises, k.n_sme, k.n_xjr, k.n_lgsx,
       k.org_coverage_rate, k.work_coverage_rate, k.n_secretaries,
       k.appeal_resolved_rate, k.n_appeals_open, k.n_appeals_overdue, k.n_pairings,
       coalesce(s.n_targets, 0) AS n_targets,
       coalesce(s.n_red, 0) AS n_red,
       coalesce(s.n_yellow, 0) AS n_yellow,
       CASE WHEN s.n_red > 0 THEN '红' WHEN s.n_yellow > 0 THEN '黄'
            WHEN s.n_targets > 0 THEN '绿' END AS target_status
FROM mart_kpi k
LEFT JOIN chains c ON c.chain_id = k.chain_id
LEFT JOIN masters m ON m.chain_id = k.chain_id
LEFT JOIN roles r ON r.chain_id = k.chain_id
LEFT JOIN status s ON s.chain_id = k.chain_id
WHERE k.park_id = $park_id AND k.quarter_end = $quarter_end AND k.chain_id <> '*'
ORDER BY is_remainder, k.chain_id;
