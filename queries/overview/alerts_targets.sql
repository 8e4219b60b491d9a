-- 预警:当季年度目标进度为红/黄的链、园(含全区)。One row per (scope, metric) not green.
-- params: quarter_end
-- rows: chain_id, park_id
SELECT s.chain_id, c.name AS chain_name, s.park_id, p.name AS park_name,
       s.metric, s.actual, s.target_value, s.progress, s.year_share, s.status
FROM mart_target_status s
LEFT JOIN chains c ON c.chain_id = s.chain_id
LEFT JOIN parks p ON p.park_id = s.park_id
WHERE s.quarter_end = $quarter_end AND s.status <> '绿'
  AND (s.chain_id = '*' OR s.park_id = '*')
ORDER BY s.status DESC, s.progress, s.chain_id, s.park_id, s.metric;
