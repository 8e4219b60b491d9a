-- 工作覆盖的实现途径:党建统计基数企业按覆盖方式互斥分组(单独组建/联合组建/无组织但有联络员/无组织仅第一书记/双覆盖空白),并统计工会、共青团。One row per way (ord = 显示顺序).
-- 基数 = 季末在营且从业人员 ≥ 10 人的企业;链按企业所属产业链,园区按企业所在园区。
-- params: quarter_end, chain_id, park_id
WITH b AS (
    SELECT eq.*
    FROM mart_enterprise_quarter eq
    WHERE eq.quarter_end = $quarter_end AND eq.is_base
      AND eq.enterprise_id IN (SELECT enterprise_id FROM dim_scope_enterprise WHERE chain_id = $chain_id AND park_id = $park_id)
), w AS (
    SELECT CASE WHEN org_type = '单独组建' THEN 1
                WHEN org_type = '联合组建' THEN 2
                WHEN has_liaison AND has_secretary THEN 3
                WHEN has_liaison THEN 4
                WHEN has_secretary THEN 5
                ELSE 6 END AS ord,
           has_union, has_youth_league
    FROM b
), ways(ord, way, is_work) AS (
    VALUES (1, '单独组建党组织', true), (2, '联合组建党组织', true), (3, '无组织 · 联络员 + 第一书记', true),
           (4, '无组织 · 仅党建指导员/联络员', true), (5, '无组织 · 仅第一书记', true), (6, '双覆盖空白', false)
)
SELECT ways.ord, ways.way, ways.is_work,
       count(w.ord) AS n,
       count(w.ord) FILTER (WHERE w.has_union) AS n_union,
       count(w.ord) FILTER (WHERE w.has_youth_league) AS n_youth_league,
       count(w.ord) FILTER (WHERE w.has_union OR w.has_youth_league) AS n_union_or_youth
FROM ways
LEFT JOIN w ON w.ord = ways.ord
GROUP BY ALL
ORDER BY ways.ord;
