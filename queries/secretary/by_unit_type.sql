-- 季末在岗第一书记按派出单位类型:人数、派出单位数、服务企业数、本季成效数量之和(链/园范围按派驻企业归属)。One row per unit type (含 0 人的类型).
-- 在岗:任职开始 ≤ Q 且(未离任或离任 > Q)。
-- params: quarter_end, chain_id, park_id
WITH s AS (
    SELECT s.secretary_id, s.source_unit_id, s.enterprise_id, u.unit_type
    FROM secretaries s
    JOIN enterprises e ON e.enterprise_id = s.enterprise_id
    JOIN units u ON u.unit_id = s.source_unit_id
    WHERE s.started_on <= $quarter_end AND (s.ended_on IS NULL OR s.ended_on > $quarter_end)
      AND s.enterprise_id IN (SELECT enterprise_id FROM dim_scope_enterprise WHERE chain_id = $chain_id AND park_id = $park_id)
), o AS (
    SELECT o.secretary_id, sum(o.n) AS n
    FROM secretary_outcomes o
    WHERE o.occurred_on BETWEEN CAST(date_trunc('quarter', $quarter_end) AS DATE) AND $quarter_end
    GROUP BY o.secretary_id
), types(unit_type, ord) AS (
    VALUES ('经济部门', 1), ('行业党委', 2), ('镇街', 3), ('国企', 4), ('其他', 5)
)
SELECT t.unit_type, t.ord,
       count(s.secretary_id) AS n_secretaries,
       count(DISTINCT s.source_unit_id) AS n_units,
       count(DISTINCT s.enterprise_id) AS n_enterprises,
       CAST(coalesce(sum(o.n), 0) AS BIGINT) AS n_outcomes
FROM types t
LEFT JOIN s ON s.unit_type = t.unit_type
LEFT JOIN o ON o.secretary_id = s.secretary_id
GROUP BY t.unit_type, t.ord
HAVING t.unit_type <> '其他' OR count(s.secretary_id) > 0
ORDER BY t.ord;
