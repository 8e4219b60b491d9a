-- 各园区当季主要指标与年度目标滞后项数,用于园区对比;另含一行 park_id = '-'(未入园:企业不在任何园区、诉求未登记园区),用于与全区合计对账。One row per park, plus the 未入园 row (产业链筛选时为链×园交叉)。
-- params: quarter_end, chain_id
-- rows: park_id
SELECT k.park_id, coalesce(p.name, '未入园') AS park_name, k.park_id = '-' AS is_remainder, p.has_park_chief,
       k.n_enterprises, k.n_sme, k.n_xjr, k.n_lgsx, k.n_base,
       k.org_coverage_rate, k.work_coverage_rate, k.n_secretaries,
       k.n_appeals_received, k.appeal_resolved_rate, k.n_appeals_open, k.n_appeals_overdue, k.n_pairings,
       (SELECT count(*) FILTER (WHERE s.status = '红') FROM mart_target_status s
         WHERE s.quarter_end = k.quarter_end AND s.chain_id = k.chain_id AND s.park_id = k.park_id) AS n_red,
       (SELECT count(*) FILTER (WHERE s.status = '黄') FROM mart_target_status s
         WHERE s.quarter_end = k.quarter_end AND s.chain_id = k.chain_id AND s.park_id = k.park_id) AS n_yellow
FROM mart_kpi k
LEFT JOIN parks p USING (park_id)
WHERE k.quarter_end = $quarter_end AND k.chain_id = $chain_id AND k.park_id <> '*'
ORDER BY is_remainder, k.n_enterprises DESC, k.park_id;
