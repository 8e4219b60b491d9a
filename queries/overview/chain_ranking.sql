-- 各产业链当季主要指标与环比、年度目标滞后/关注项数,用于产业链排名;另含一行 chain_id = '-'(未归链:诉求未登记产业链、企业不属任何链),用于与全区合计对账。One row per chain, plus the 未归链 row (园区筛选时为链×园交叉)。
-- params: quarter_end, park_id
-- rows: chain_id
SELECT k.chain_id, coalesce(c.name, '未归链') AS chain_name, k.chain_id = '-' AS is_remainder,
       k.n_enterprises, k.n_sme, k.n_xjr, k.n_lgsx, k.n_base,
       k.org_coverage_rate, k.work_coverage_rate, k.n_secretaries, k.n_problems_solved,
       k.n_appeals_received, k.appeal_resolved_rate, k.n_appeals_open, k.n_appeals_overdue, k.n_pairings,
       p.n_enterprises AS prev_n_enterprises, p.org_coverage_rate AS prev_org_coverage_rate,
       (SELECT count(*) FILTER (WHERE s.status = '红') FROM mart_target_status s
         WHERE s.quarter_end = k.quarter_end AND s.chain_id = k.chain_id AND s.park_id = k.park_id) AS n_red,
       (SELECT count(*) FILTER (WHERE s.status = '黄') FROM mart_target_status s
         WHERE s.quarter_end = k.quarter_end AND s.chain_id = k.chain_id AND s.park_id = k.park_id) AS n_yellow
FROM mart_kpi k
LEFT JOIN chains c USING (chain_id)
JOIN dim_quarter q USING (quarter_end)
LEFT JOIN mart_kpi p ON p.quarter_end = q.prev_quarter_end AND p.chain_id = k.chain_id AND p.park_id = k.park_id
WHERE k.quarter_end = $quarter_end AND k.park_id = $park_id AND k.chain_id <> '*'
ORDER BY is_remainder, k.n_enterprises DESC, k.chain_id;
