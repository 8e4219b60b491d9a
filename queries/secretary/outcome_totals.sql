-- 第一书记各类成效合计:本季(发生日期在所选季度内)、本年累计(年初至 Q)、累计(≤ Q)的数量 n 之和与典型案例数(链/园范围按派驻企业归属)。One row per kind.
-- params: quarter_end, chain_id, park_id
WITH s AS (
    SELECT s.secretary_id
    FROM secretaries s
    WHERE s.enterprise_id IN (SELECT enterprise_id FROM dim_scope_enterprise WHERE chain_id = $chain_id AND park_id = $park_id)
), o AS (
    SELECT o.* FROM secretary_outcomes o JOIN s USING (secretary_id) WHERE o.occurred_on <= $quarter_end
), kinds(kind, ord) AS (
    VALUES ('解决问题', 1), ('政策宣讲', 2), ('党建指导', 3), ('发展党员', 4), ('技术攻关', 5), ('人才引进', 6)
)
SELECT k.kind, k.ord,
       CAST(coalesce(sum(o.n) FILTER (WHERE o.occurred_on >= CAST(date_trunc('quarter', $quarter_end) AS DATE)), 0) AS BIGINT) AS n_quarter,
       CAST(coalesce(sum(o.n) FILTER (WHERE o.occurred_on >= CAST(date_trunc('year', $quarter_end) AS DATE)), 0) AS BIGINT) AS n_ytd,
       CAST(coalesce(sum(o.n), 0) AS BIGINT) AS n_cum,
       count(o.outcome_id) FILTER (WHERE o.is_case) AS n_cases_cum,
       count(o.outcome_id) FILTER (WHERE o.is_case AND o.occurred_on >= CAST(date_trunc('quarter', $quarter_end) AS DATE)) AS n_cases_quarter
FROM kinds k
LEFT JOIN o ON o.kind = k.kind
GROUP BY k.kind, k.ord
ORDER BY k.ord;
