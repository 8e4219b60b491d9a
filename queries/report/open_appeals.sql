-- 截至季末未办结的诉求,超期的在前(按超期天数、再按已办天数从多到少);每条链前 $limit 件及范围内前 $limit 件。One row per open appeal kept.
-- params: quarter_end, chain_id, park_id, limit
WITH open AS (
    SELECT a.appeal_id, a.chain_id, a.park_id, a.source, a.category, a.received_on, a.due_on,
           e.name AS enterprise_name,
           coalesce(u.name, a.handler_unit_id) AS handler_unit_name,
           CAST($quarter_end - a.received_on AS INTEGER) AS days_open,
           greatest(CAST($quarter_end - a.due_on AS INTEGER), 0) AS days_overdue,
           a.due_on < $quarter_end AS is_overdue
    FROM appeals a
    JOIN enterprises e USING (enterprise_id)
    LEFT JOIN units u ON u.unit_id = a.handler_unit_id
    WHERE a.received_on <= $quarter_end
      AND (a.resolved_on IS NULL OR a.resolved_on > $quarter_end)
      AND ($chain_id = '*' OR a.chain_id = $chain_id)
      AND ($park_id = '*' OR a.park_id = $park_id)
), ranked AS (
    SELECT *,
           row_number() OVER (PARTITION BY chain_id ORDER BY days_overdue DESC, days_open DESC, appeal_id) AS rank_in_chain,
           row_number() OVER (ORDER BY days_overdue DESC, days_open DESC, appeal_id) AS rank_in_scope
    FROM open
)
SELECT * FROM ranked
WHERE rank_in_chain <= $limit OR rank_in_scope <= $limit
ORDER BY days_overdue DESC, days_open DESC, appeal_id;
