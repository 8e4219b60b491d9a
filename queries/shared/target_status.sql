-- 某一范围(全区 / 一条链 / 一个园区)某季度各项年度目标的判断,取自 mart_target_status(唯一口径)。One row per metric with a target.
-- params: quarter_end, chain_id, park_id
SELECT metric, label, kind, unit, base_on, base, actual, expected, target_value, planned, year_share,
       status, status_rank, gap, gap_share, forecast, forecast_rate, scope_type, scope_id, scope_name,
       responsible_title, responsible_unit, responsible
FROM mart_target_status
WHERE quarter_end = $quarter_end AND chain_id = $chain_id AND park_id = $park_id
ORDER BY sort;
