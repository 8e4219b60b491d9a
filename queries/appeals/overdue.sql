-- 超期未办结诉求清单:截至季末未办结且办理期限早于季末,按超期天数从多到少。One row per overdue appeal.
-- params: quarter_end, chain_id, park_id
SELECT a.appeal_id, a.enterprise_id, e.name, e.uscc, a.handler_unit_id, u.name AS handler_unit_name,
       a.category, a.source, a.chain_id, coalesce(c.name, '—') AS chain_name, a.park_id, coalesce(p.name, '—') AS park_name,
       a.received_on, a.transferred_on, a.due_on,
       CAST(CAST($quarter_end AS DATE) - a.due_on AS INTEGER) AS days_overdue
FROM appeals a
JOIN enterprises e ON e.enterprise_id = a.enterprise_id
LEFT JOIN units u ON u.unit_id = a.handler_unit_id
LEFT JOIN chains c ON c.chain_id = a.chain_id
LEFT JOIN parks p ON p.park_id = a.park_id
WHERE a.received_on <= $quarter_end
  AND (a.resolved_on IS NULL OR a.resolved_on > $quarter_end)
  AND a.due_on < $quarter_end
  AND ($chain_id = '*' OR a.chain_id = $chain_id)
  AND ($park_id = '*' OR a.park_id = $park_id)
ORDER BY days_overdue DESC, a.appeal_id;
