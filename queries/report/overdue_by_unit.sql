-- 截至季末超期未办结诉求(取自 mart_open_appeal)按承办单位汇总:件数、最长与平均超期天数。One row per handler unit with overdue appeals.
-- params: quarter_end, chain_id, park_id
SELECT o.handler_unit_id AS unit_id,
       coalesce(u.name, o.handler_unit_id) AS unit_name,
       coalesce(u.unit_type, '其他') AS unit_type,
       count(*) AS n_overdue,
       max(o.days_overdue) AS max_days_overdue,
       round(avg(o.days_overdue), 1) AS avg_days_overdue
FROM mart_open_appeal o
LEFT JOIN units u ON u.unit_id = o.handler_unit_id
WHERE o.quarter_end = $quarter_end AND o.is_overdue
  AND ($chain_id = '*' OR coalesce(o.chain_id, '-') = $chain_id)
  AND ($park_id = '*' OR coalesce(o.park_id, '-') = $park_id)
GROUP BY ALL
ORDER BY n_overdue DESC, max_days_overdue DESC, unit_id;
