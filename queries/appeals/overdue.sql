-- 超期未办结诉求清单:截至季末未办结且办理期限早于季末(取自 mart_open_appeal),按超期天数从多到少。One row per overdue appeal.
-- params: quarter_end, chain_id, park_id
SELECT o.appeal_id, o.enterprise_id, e.name, e.uscc, o.handler_unit_id, coalesce(u.name, o.handler_unit_id) AS handler_unit_name,
       o.category, o.source, o.chain_id, coalesce(c.name, '未归链') AS chain_name, o.park_id, coalesce(p.name, '未入园') AS park_name,
       o.received_on, o.transferred_on, o.due_on, o.days_overdue, o.overdue_bucket_label
FROM mart_open_appeal o
JOIN dim_enterprise e ON e.enterprise_id = o.enterprise_id
LEFT JOIN units u ON u.unit_id = o.handler_unit_id
LEFT JOIN chains c ON c.chain_id = o.chain_id
LEFT JOIN parks p ON p.park_id = o.park_id
WHERE o.quarter_end = $quarter_end AND o.is_overdue
  AND ($chain_id = '*' OR coalesce(o.chain_id, '-') = $chain_id)
  AND ($park_id = '*' OR coalesce(o.park_id, '-') = $park_id)
ORDER BY o.days_overdue DESC, o.appeal_id;
