-- 各产业链当季主要指标与上季覆盖率(园区筛选时为链×园交叉),用于汇报材料的产业链分布与“两个覆盖”。One row per chain.
-- params: quarter_end, park_id
-- rows: chain_id
SELECT c.chain_id, c.name AS chain_name, c.coverage_mode,
       k.n_enterprises, k.n_sme, k.n_xjr, k.n_lgsx, k.n_base,
       k.org_coverage_rate, k.work_coverage_rate, k.appeal_resolved_rate,
       k.n_appeals_overdue, k.n_secretaries, k.n_pairings,
       p.org_coverage_rate AS prev_org_coverage_rate,
       p.work_coverage_rate AS prev_work_coverage_rate
FROM mart_kpi k
JOIN chains c USING (chain_id)
JOIN dim_quarter q USING (quarter_end)
LEFT JOIN mart_kpi p
  ON p.quarter_end = q.prev_quarter_end AND p.chain_id = k.chain_id AND p.park_id = k.park_id
WHERE k.quarter_end = $quarter_end AND k.park_id = $park_id
ORDER BY c.chain_id;
