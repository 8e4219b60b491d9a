-- 季末在岗第一书记名册:姓名、派出单位及类型、派驻企业、所属产业链、园区、任职开始日期、本季成效与解决问题数(链/园范围按派驻企业归属)。One row per secretary in post.
-- 在岗:任职开始 ≤ Q 且(未离任或离任 > Q)。
-- params: quarter_end, chain_id, park_id
WITH s AS (
    SELECT s.secretary_id, s.name, s.source_unit_id, s.enterprise_id, s.started_on, e.park_id
    FROM secretaries s
    JOIN enterprises e ON e.enterprise_id = s.enterprise_id
    WHERE s.started_on <= $quarter_end AND (s.ended_on IS NULL OR s.ended_on > $quarter_end)
      AND ($park_id = '*' OR e.park_id = $park_id)
      AND ($chain_id = '*' OR s.enterprise_id IN (SELECT enterprise_id FROM enterprise_chains WHERE chain_id = $chain_id))
), o AS (
    SELECT o.secretary_id, sum(o.n) AS n_outcomes,
           coalesce(sum(o.n) FILTER (WHERE o.kind = '解决问题'), 0) AS n_problems,
           count(*) FILTER (WHERE o.is_case) AS n_cases
    FROM secretary_outcomes o
    WHERE o.occurred_on BETWEEN CAST(date_trunc('quarter', $quarter_end) AS DATE) AND $quarter_end
      AND o.secretary_id IN (SELECT secretary_id FROM s)
    GROUP BY o.secretary_id
), names AS (
    SELECT e.enterprise_id, e.name, e.uscc FROM enterprises e WHERE e.enterprise_id IN (SELECT enterprise_id FROM s)
), ch AS (
    SELECT ec.enterprise_id, string_agg(c.name, '、' ORDER BY c.chain_id) AS chain_names
    FROM enterprise_chains ec JOIN chains c USING (chain_id)
    WHERE ec.enterprise_id IN (SELECT enterprise_id FROM s)
    GROUP BY ec.enterprise_id
)
SELECT s.secretary_id, s.name AS secretary_name, u.name AS unit_name, u.unit_type,
       s.enterprise_id, n.name, n.uscc, coalesce(ch.chain_names, '—') AS chain_names, coalesce(p.name, '园区外') AS park_name, s.started_on,
       CAST(coalesce(o.n_outcomes, 0) AS BIGINT) AS n_outcomes, CAST(coalesce(o.n_problems, 0) AS BIGINT) AS n_problems,
       coalesce(o.n_cases, 0) AS n_cases
FROM s
LEFT JOIN units u ON u.unit_id = s.source_unit_id
LEFT JOIN names n ON n.enterprise_id = s.enterprise_id
LEFT JOIN o ON o.secretary_id = s.secretary_id
LEFT JOIN ch ON ch.enterprise_id = s.enterprise_id
LEFT JOIN parks p ON p.park_id = s.park_id
ORDER BY list_position(['经济部门', '行业党委', '镇街', '国企', '其他'], u.unit_type), u.name, s.started_on, s.secretary_id;
