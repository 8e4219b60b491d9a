-- 截至季末未办结的诉求(可按链/园筛选),含承办单位、已办天数与是否超期,超期的在前。One row per open appeal.
-- params: quarter_end, chain_id, park_id
SELECT a.appeal_id, a.enterprise_id, e.name AS enterprise_name, a.chain_id, c.name AS chain_name,
       a.park_id, p.name AS park_name, a.source, a.category, a.received_on, a.due_on,
       u.name AS handler_unit_name,
       CAST($quarter_end - a.received_on AS INTEGER) AS days_open,
       a.due_on < $quarter_end AS is_overdue,
       greatest(CAST($quarter_end - a.due_on AS INTEGER), 0) AS days_overdue
FROM appeals a
JOIN enterprises e USING (enterprise_id)
LEFT JOIN chains c ON c.chain_id = a.chain_id
LEFT JOIN parks p ON p.park_id = a.park_id
LEFT JOIN units u ON u.unit_id = a.handler_unit_id
WHERE a.received_on <= $quarter_end
  AND (a.resolved_on IS NULL OR a.resolved_on > $quarter_end)
  AND ($chain_id = '*' OR a.chain_id = $chain_id)
  AND ($park_id = '*' OR a.park_id = $park_id)
ORDER BY is_overdue DESC, days_overdue DESC, days_open DESC, a.appeal_id;
