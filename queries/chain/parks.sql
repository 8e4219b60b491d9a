-- 一条产业链在各园区的企业分布与主要指标,另含 park_id = '-' 的“未入园”一行(该链不在任何园区的企业),各行合计等于该链全部企业。One row per park that has enterprises of the chain, plus the 未入园 row.
-- params: quarter_end, chain_id
-- rows: park_id
SELECT k.park_id, coalesce(p.name, '未入园') AS park_name, k.park_id = '-' AS is_remainder,
       k.n_enterprises, k.n_xjr, k.org_coverage_rate, k.work_coverage_rate, k.n_appeals_overdue
FROM mart_kpi k
LEFT JOIN parks p ON p.park_id = k.park_id
WHERE k.quarter_end = $quarter_end AND k.chain_id = $chain_id AND k.park_id <> '*' AND k.n_enterprises > 0
ORDER BY k.n_enterprises DESC, k.park_id;
