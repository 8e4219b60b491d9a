-- 某范围各季度全部主要指标(全区/产业链/园区/链×园),用于指标卡、环比同比与趋势。One row per quarter up to $quarter_end.
-- params: quarter_end, chain_id, park_id
SELECT *
FROM mart_kpi
WHERE chain_id = $chain_id AND park_id = $park_id AND quarter_end <= $quarter_end
ORDER BY quarter_end;
