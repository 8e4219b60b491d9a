-- 各园区当季主要指标与上季覆盖率(产业链筛选时为链×园交叉),用于汇报材料的园区概况与“两个覆盖”。One row per park.
-- params: quarter_end, chain_id
-- rows: park_id
SELECT p.park_id, p.name AS park_name, p.has_park_chief, p.mechanism,
       k.n_enterprises, k.n_sme, k.n_xjr, k.n_lgsx, k.n_base,
       k.org_coverage_rate, k.work_coverage_rate, k.appeal_resolved_rate,
       k.n_appeals_overdue, k.n_secretaries, k.n_pairings,
       pq.org_coverage_rate AS prev_org_coverage_rate,
       pq.work_coverage_rate AS prev_work_coverage_rate
FROM mart_kpi k
JOIN parks p USING (park_id)
JOIN dim_quarter q USING (quarter_end)
LEFT JOIN mart_kpi pq
  ON pq.quarter_end = q.prev_quarter_end AND pq.chain_id = k.chain_id AND pq.park_id = k.park_id
WHERE k.quarter_end = $quarter_end AND k.chain_id = $chain_id
ORDER BY p.park_id;
