-- 第一书记各类成效按季度(截至所选季度的 12 个季度):发生日期在该季度内的成效数量 n 之和(链/园范围按派驻企业归属,不论是否仍在岗)。One row per (quarter, kind).
-- params: quarter_end, chain_id, park_id
WITH q AS (
    SELECT quarter_end, label, quarter_start FROM dim_quarter WHERE quarter_end <= $quarter_end
), s AS (
    SELECT s.secretary_id
    FROM secretaries s
    WHERE s.enterprise_id IN (SELECT enterprise_id FROM dim_scope_enterprise WHERE chain_id = $chain_id AND park_id = $park_id)
), kinds(kind, ord) AS (
    VALUES ('解决问题', 1), ('政策宣讲', 2), ('党建指导', 3), ('发展党员', 4), ('技术攻关', 5), ('人才引进', 6)
), agg AS (
    SELECT q.quarter_end, o.kind, sum(o.n) AS n, count(*) FILTER (WHERE o.is_case) AS n_cases
    FROM secretary_outcomes o
    JOIN s USING (secretary_id)
    JOIN q ON o.occurred_on BETWEEN q.quarter_start AND q.quarter_end
    GROUP BY ALL
)
SELECT q.quarter_end, q.label AS quarter_label, k.kind, k.ord,
       CAST(coalesce(a.n, 0) AS BIGINT) AS n, coalesce(a.n_cases, 0) AS n_cases
FROM q
CROSS JOIN kinds k
LEFT JOIN agg a ON a.quarter_end = q.quarter_end AND a.kind = k.kind
ORDER BY q.quarter_end, k.ord;
