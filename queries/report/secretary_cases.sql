-- 第一书记典型案例(截至季末,本季的在前、较新的在前,同一标题只取一条),按派驻企业所在链/园归属。One row per case kept (at most $limit).
-- params: quarter_end, chain_id, park_id, limit
WITH cases AS (
    SELECT o.outcome_id, o.title, o.kind, o.n, o.occurred_on,
           o.occurred_on >= CAST(date_trunc('quarter', $quarter_end) AS DATE) AS in_quarter,
           s.name AS secretary_name, coalesce(u.name, s.source_unit_id) AS source_unit_name,
           e.name AS enterprise_name
    FROM secretary_outcomes o
    JOIN secretaries s USING (secretary_id)
    JOIN enterprises e ON e.enterprise_id = s.enterprise_id
    LEFT JOIN units u ON u.unit_id = s.source_unit_id
    WHERE o.is_case AND o.occurred_on <= $quarter_end
      AND s.enterprise_id IN (SELECT enterprise_id FROM dim_scope_enterprise WHERE chain_id = $chain_id AND park_id = $park_id)
    QUALIFY row_number() OVER (PARTITION BY o.title ORDER BY o.occurred_on DESC, o.outcome_id) = 1
)
SELECT * FROM cases
ORDER BY in_quarter DESC, occurred_on DESC, outcome_id
LIMIT $limit;
