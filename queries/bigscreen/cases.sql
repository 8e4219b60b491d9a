-- 大屏:第一书记典型案例(secretary_outcomes.is_case),截至季末最新在前;链范围按派驻企业所属产业链,园区范围按企业所在园区。One row per case outcome.
-- params: quarter_end, chain_id, park_id, limit
SELECT o.outcome_id, o.occurred_on, o.kind, o.n, o.title,
       s.name AS secretary_name, u.name AS source_unit_name,
       e.name AS enterprise_name, e.park_id
FROM secretary_outcomes o
JOIN secretaries s ON s.secretary_id = o.secretary_id
JOIN enterprises e ON e.enterprise_id = s.enterprise_id
LEFT JOIN units u ON u.unit_id = s.source_unit_id
WHERE o.is_case
  AND o.occurred_on <= $quarter_end
  AND s.enterprise_id IN (SELECT enterprise_id FROM dim_scope_enterprise WHERE chain_id = $chain_id AND park_id = $park_id)
ORDER BY o.occurred_on DESC, o.outcome_id
LIMIT $limit;
