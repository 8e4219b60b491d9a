-- 年度目标判断清单(督办):所选季度、范围内每项年度目标的类型、基数、实际、应达、目标、状态、差距、全年预计与责任单位,滞后在前,同一状态内按全区、产业链、园区与指标顺序。One row per (chain_id, park_id, metric).
-- 范围:chain_id、park_id 均为 '*' 时为全部目标(全区、各产业链、各园区);为某条链或某个园区时只含该链 / 该园区自己的目标。
-- params: quarter_end, chain_id, park_id
-- rows: chain_id, park_id
SELECT quarter_end, quarter_label, year, quarter, year_share, chain_id, park_id, scope_type, scope_id, scope_name,
       metric, label, kind, unit, sort, base_on, base, actual, expected, target_value, planned,
       status, status_rank, gap, gap_share, forecast, forecast_rate,
       responsible_title, responsible_unit, responsible
FROM mart_target_status
WHERE quarter_end = $quarter_end
  AND ($chain_id = '*' OR chain_id = $chain_id)
  AND ($park_id = '*' OR park_id = $park_id)
ORDER BY status_rank, CASE scope_type WHEN 'district' THEN 0 WHEN 'chain' THEN 1 ELSE 2 END,
         chain_id, park_id, sort;
