-- 某范围某季度各项年度目标的完成进度与红黄绿状态。One row per metric with a target.
-- params: quarter_end, chain_id, park_id
SELECT metric, actual, target_value, progress, year_share, status
FROM mart_target_status
WHERE quarter_end = $quarter_end AND chain_id = $chain_id AND park_id = $park_id
ORDER BY metric;
