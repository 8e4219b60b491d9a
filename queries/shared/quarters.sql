-- 可选季度列表(最新在前)。One row per quarter.
-- params: none
SELECT quarter_end, label, year, quarter, prev_quarter_end, yoy_quarter_end, year_share
FROM dim_quarter
ORDER BY quarter_end DESC;
