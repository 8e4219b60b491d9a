-- 各园区季末有效认定企业数(产业链筛选时为链×园交叉),用于梯度培育分园区表。One row per park, plus the 未入园 row.
-- 另含 park_id = '-' 的“未入园”一行(余项),各行与全区对账。
-- params: quarter_end, chain_id
-- rows: park_id
SELECT k.park_id, coalesce(p.name, '未入园') AS park_name, k.park_id = '-' AS is_remainder,
       k.n_cxx, k.n_sjzjtx, k.n_xjr, k.n_dxgj, k.n_lgsx, k.n_gxjs, k.n_enterprises
FROM mart_kpi k
LEFT JOIN parks p USING (park_id)
WHERE k.quarter_end = $quarter_end AND k.chain_id = $chain_id AND k.park_id <> '*'
ORDER BY is_remainder, k.n_xjr DESC, k.n_sjzjtx DESC, p.park_id;
