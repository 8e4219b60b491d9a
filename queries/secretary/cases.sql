-- 典型案例:发生日期 ≤ Q 的第一书记典型案例成效(链/园范围按派驻企业归属),从新到旧,最多 $limit 行;n_total 为总数。One row per case.
-- params: quarter_end, chain_id, park_id, limit
WITH rows AS (
    SELECT o.outcome_id, o.title, o.kind, o.n, o.occurred_on,
           s.secretary_id, s.name AS secretary_name, s.enterprise_id, s.source_unit_id, e.park_id,
           count(*) OVER () AS n_total
    FROM secretary_outcomes o
    JOIN secretaries s USING (secretary_id)
    JOIN enterprises e ON e.enterprise_id = s.enterprise_id
    WHERE o.is_case AND o.occurred_on <= $quarter_end
      AND s.enterprise_id IN (SELECT enterprise_id FROM dim_scope_enterprise WHERE chain_id = $chain_id AND park_id = $park_id)
    ORDER BY o.occurred_on DESC, o.outcome_id DESC
    LIMIT $limit
)
SELECT r.outcome_id, r.title, r.kind, r.n, r.occurred_on, r.secretary_id, r.secretary_name,
       r.enterprise_id, n.name AS enterprise_name, u.name AS unit_name, u.unit_type, n.park_name,
       n.chain_names, r.n_total
FROM rows r
JOIN dim_enterprise n ON n.enterprise_id = r.enterprise_id
LEFT JOIN units u ON u.unit_id = r.source_unit_id
ORDER BY r.occurred_on DESC, r.outcome_id DESC;
