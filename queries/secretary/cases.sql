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
      AND ($park_id = '*' OR e.park_id = $park_id)
      AND ($chain_id = '*' OR s.enterprise_id IN (SELECT enterprise_id FROM enterprise_chains WHERE chain_id = $chain_id))
    ORDER BY o.occurred_on DESC, o.outcome_id DESC
    LIMIT $limit
), names AS (
    SELECT e.enterprise_id, e.name FROM enterprises e WHERE e.enterprise_id IN (SELECT enterprise_id FROM rows)
), ch AS (
    SELECT ec.enterprise_id, string_agg(c.name, '、' ORDER BY c.chain_id) AS chain_names
    FROM enterprise_chains ec JOIN chains c USING (chain_id)
    WHERE ec.enterprise_id IN (SELECT enterprise_id FROM rows)
    GROUP BY ec.enterprise_id
)
SELECT r.outcome_id, r.title, r.kind, r.n, r.occurred_on, r.secretary_id, r.secretary_name,
       r.enterprise_id, n.name AS enterprise_name, u.name AS unit_name, u.unit_type, coalesce(p.name, '园区外') AS park_name,
       coalesce(ch.chain_names, '—') AS chain_names, r.n_total
FROM rows r
LEFT JOIN names n ON n.enterprise_id = r.enterprise_id
LEFT JOIN units u ON u.unit_id = r.source_unit_id
LEFT JOIN parks p ON p.park_id = r.park_id
LEFT JOIN ch ON ch.enterprise_id = r.enterprise_id
ORDER BY r.occurred_on DESC, r.outcome_id DESC;
