-- 应单独组建未组建:党建统计基数企业中季末党员 ≥ 3 人但未单独组建党组织(联合组建或无)的企业,按党员数从多到少,最多 $limit 行;n_total 为总行数。One row per enterprise.
-- 基数 = 季末在营且从业人员 ≥ 10 人的企业。
-- params: quarter_end, chain_id, park_id, limit
WITH rows AS (
    SELECT eq.enterprise_id, eq.park_id, eq.org_type, eq.n_members, eq.has_liaison, eq.has_secretary,
           count(*) OVER () AS n_total
    FROM mart_enterprise_quarter eq
    WHERE eq.quarter_end = $quarter_end AND eq.is_base
      AND eq.n_members >= 3 AND eq.org_type <> '单独组建'
      AND eq.enterprise_id IN (SELECT enterprise_id FROM dim_scope_enterprise WHERE chain_id = $chain_id AND park_id = $park_id)
    ORDER BY eq.n_members DESC, eq.enterprise_id
    LIMIT $limit
)
SELECT r.enterprise_id, e.name, e.uscc, e.employees, e.street, r.org_type, r.n_members,
       r.has_liaison, r.has_secretary, e.chain_names, e.park_name, r.n_total
FROM rows r
JOIN dim_enterprise e ON e.enterprise_id = r.enterprise_id
ORDER BY r.n_members DESC, r.enterprise_id;
