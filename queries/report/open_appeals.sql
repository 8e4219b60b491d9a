-- 截至季末未办结的诉求(取自 mart_open_appeal),超期的在前(按超期天数、再按已办天数从多到少);每条链前 $limit 件及范围内前 $limit 件。One row per open appeal kept.
-- params: quarter_end, chain_id, park_id, limit
WITH open AS (
    SELECT o.appeal_id, o.chain_id, o.park_id, o.source, o.category, o.received_on, o.due_on,
           e.name AS enterprise_name,
           coalesce(u.name, o.handler_unit_id) AS handler_unit_name,
           o.days_open, o.days_overdue, o.is_overdue
    FROM mart_open_appeal o
    JOIN dim_enterprise e ON e.enterprise_id = o.enterprise_id
    LEFT JOIN units u ON u.unit_id = o.handler_unit_id
    WHERE o.quarter_end = $quarter_end
      AND ($chain_id = '*' OR coalesce(o.chain_id, '-') = $chain_id)
      AND ($park_id = '*' OR coalesce(o.park_id, '-') = $park_id)
), ranked AS (
    SELECT *,
           row_number() OVER (PARTITION BY chain_id ORDER BY days_overdue DESC, days_open DESC, appeal_id) AS rank_in_chain,
           row_number() OVER (ORDER BY days_overdue DESC, days_open DESC, appeal_id) AS rank_in_scope
    FROM open
)
SELECT * FROM ranked
WHERE rank_in_chain <= $limit OR rank_in_scope <= $limit
ORDER BY days_overdue DESC, days_open DESC, appeal_id;
