-- 各产业链季末有效认定企业数(园区筛选时为链×园交叉),用于梯度培育分链热力表。One row per chain, plus the 未归链 row.
-- 另含 chain_id = '-' 的“未归链”一行(余项),各行与全区对账。
-- params: quarter_end, park_id
-- rows: chain_id
SELECT k.chain_id, coalesce(c.name, '未归链') AS chain_name, k.chain_id = '-' AS is_remainder,
       k.n_cxx, k.n_sjzjtx, k.n_xjr, k.n_dxgj, k.n_lgsx, k.n_gxjs, k.n_enterprises
FROM mart_kpi k
LEFT JOIN chains c USING (chain_id)
WHERE k.quarter_end = $quarter_end AND k.park_id = $park_id AND k.chain_id <> '*'
ORDER BY is_remainder, k.n_xjr DESC, k.n_sjzjtx DESC, c.chain_id;
