-- 各产业链季末有效认定企业数(园区筛选时为链×园交叉),用于梯度培育分链热力表。One row per chain.
-- params: quarter_end, park_id
-- rows: chain_id
SELECT c.chain_id, c.name AS chain_name,
       k.n_cxx, k.n_sjzjtx, k.n_xjr, k.n_dxgj, k.n_lgsx, k.n_gxjs, k.n_enterprises
FROM mart_kpi k
JOIN chains c USING (chain_id)
WHERE k.quarter_end = $quarter_end AND k.park_id = $park_id
ORDER BY k.n_xjr DESC, k.n_sjzjtx DESC, c.chain_id;
