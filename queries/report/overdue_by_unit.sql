-- 截至季末超期未办结诉求按承办单位汇总(件数、最长超期天数)。One row per handler unit with overdue appeals.
-- params: quarter_end, chain_id, park_id
SELECT a.handler_unit_id AS unit_id,
       coalesce(u.name, a.handler_unit_id) AS unit_name,
       coalesce(u.unit_type, '其他') AS unit_type,
       count(*) AS n_overdue,
       max(CAST($quarter_end - a.due_on AS INTEGER)) AS max_days_overdue,
       round(avg(CAST($quarter_end - a.due_on AS INTEGER)), 1) AS avg_days_overdue
FROM appeals a
LEFT JOIN units u ON u.unit_id = a.handler_unit_id
WHERE a.received_on <= $quarter_end
  AND (a.resolved_on IS NULL OR a.resolved_on > $quarter_end)
  AND a.due_on < $quarter_end
  AND ($chain_id = '*' OR a.chain_id = $chain_id)
  AND ($park_id = '*' OR a.park_id = $park_id)
GROUP BY ALL
ORDER BY n_overdue DESC, max_days_overdue DESC, unit_id;
