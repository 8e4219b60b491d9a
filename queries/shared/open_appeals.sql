-- 截至季末未办结的诉求(取自 mart_open_appeal,可按诉求登记的链/园筛选),含承办单位、已办天数与是否超期,超期的在前。One row per open appeal.
-- params: quarter_end, chain_id, park_id
SELECT o.appeal_id, o.enterprise_id, e.name AS enterprise_name, o.chain_id, c.name AS chain_name,
       o.park_id, p.name AS park_name, o.source, o.category, o.received_on, o.due_on,
       u.name AS handler_unit_name, o.days_open, o.is_overdue, o.days_overdue, o.overdue_bucket_label
FROM mart_open_appeal o
JOIN dim_enterprise e ON e.enterprise_id = o.enterprise_id
LEFT JOIN chains c ON c.chain_id = o.chain_id
LEFT JOIN parks p ON p.park_id = o.park_id
LEFT JOIN units u ON u.unit_id = o.handler_unit_id
WHERE o.quarter_end = $quarter_end
  AND ($chain_id = '*' OR coalesce(o.chain_id, '-') = $chain_id)
  AND ($park_id = '*' OR coalesce(o.park_id, '-') = $park_id)
ORDER BY o.is_overdue DESC, o.days_overdue DESC, o.days_open DESC, o.appeal_id;
