-- 季末在岗第一书记名册:姓名、派出单位及类型、派驻企业、所属产业链、园区、任职开始日期、本季成效与解决问题数(链/园范围按派驻企业归属)。One row per secretary in post.
-- 在岗:任职开始 ≤ Q 且(未离任或离任 > Q)。
-- params: quarter_end, chain_id, park_id
WITH s AS (
    SELECT s.secretary_id, s.name, s.source_unit_id, s.enterprise_id, s.started_on, e.park_id
    FROM secretaries s
    JOIN enterprises e ON e.enterprise_id = s.enterprise_id
    WHERE s.started_on <= $quarter_end AND (s.ended_on IS NULL OR s.ended_on > $quarter_end)
      AND s.enterprise_id IN (SELECT enterprise_id FROM dim_scope_enterprise WHERE chain_id = $chain_id AND park_id = $park_id)
), o AS (
    SELECT o.secretary_id, sum(o.n) AS n_outcomes,
           coalesce(sum(o.n) FILTER (WHERE o.kind = '解决问题'), 0) AS n_problems,
           count(*) FILTER (WHERE o.is_case) AS n_cases
    FROM secretary_outcomes o
    WHERE o.occurred_on BETWEEN CAST(date_trunc('quarter', $quarter_end) AS DATE) AND $quarter_end
      AND o.secretary_id IN (SELECT secretary_id FROM s)
    GROUP BY o.secretary_id
)
SELECT s.secretary_id, s.name AS secretary_name, u.name AS unit_name, u.unit_type,
       s.enterprise_id, n.name, n.uscc, n.chain_names, n.park_name, s.started_on,
       CAST(coalesce(o.n_outcomes, 0) AS BIGINT) AS n_outcomes, CAST(coalesce(o.n_problems, 0) AS BIGINT) AS n_problems,
       coalesce(o.n_cases, 0) AS n_cases
FROM s
LEFT JOIN units u ON u.unit_id = s.source_unit_id
JOIN dim_enterprise n ON n.enterprise_id = s.enterprise_id
LEFT JOIN o ON o.secretary_id = s.secretary_id
ORDER BY list_position(['经济部门', '行业党委', '镇街', '国企', '其他'], u.unit_type), u.name, s.started_on, s.secretary_id;
