-- 一个园区内各产业链的企业数与主要指标。One row per chain with enterprises in the park.
-- params: quarter_end, park_id
-- rows: chain_id
SELECT c.chain_id, c.name AS chain_name, k.n_enterprises, k.n_xjr,
       k.org_coverage_rate, k.work_coverage_rate, k.n_appeals_overdue
FROM mart_kpi k
JOIN chains c USING (chain_id)
WHERE k.quarter_end = $quarter_end AND k.park_id = $park_id AND k.n_enterprises > 0
ORDER BY k.n_enterprises DESC, c.chain_id;
