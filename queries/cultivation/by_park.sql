-- 各园区季末有效认定企业数(产业链筛选时为链×园交叉),用于梯度培育分园区表。One row per park.
-- params: quarter_end, chain_id
-- rows: park_id
SELECT p.park_id, p.name AS park_name,
       k.n_cxx, k.n_sjzjtx, k.n_xjr, k.n_dxgj, k.n_lgsx, k.n_gxjs, k.n_enterprises
FROM mart_kpi k
JOIN parks p USING (park_id)
WHERE k.quarter_end = $quarter_end AND k.chain_id = $chain_id
ORDER BY k.n_xjr DESC, k.n_sjzjtx DESC, p.park_id;
