-- 双覆盖空白:党建统计基数企业中季末无党组织(org_type = '无')、无党建指导员/联络员、无在岗第一书记的企业,按从业人员从多到少,最多 $limit 行;n_total 为总行数。One row per enterprise.
-- 基数 = 季末在营且从业人员 ≥ 10 人的企业;第一书记在岗 = 任职开始 ≤ Q 且(未离任或离任 > Q)。
-- params: quarter_end, chain_id, park_id, limit
WITH rows AS (
    SELECT eq.enterprise_id, eq.park_id, eq.n_members, eq.has_union, eq.has_youth_league,
           count(*) OVER () AS n_total
    FROM mart_enterprise_quarter eq
    WHERE eq.quarter_end = $quarter_end AND eq.is_base
      AND eq.org_type = '无' AND NOT eq.has_liaison AND NOT eq.has_secretary
      AND eq.enterprise_id IN (SELECT enterprise_id FROM dim_scope_enterprise WHERE chain_id = $chain_id AND park_id = $park_id)
), top AS (
    SELECT r.*, e.employees
    FROM rows r JOIN dim_enterprise e ON e.enterprise_id = r.enterprise_id
    ORDER BY e.employees DESC, r.enterprise_id
    LIMIT $limit
)
SELECT t.enterprise_id, n.name, n.uscc, t.employees, n.size, n.street, t.n_members,
       t.has_union, t.has_youth_league, n.chain_names, n.park_name, t.n_total
FROM top t
JOIN dim_enterprise n ON n.enterprise_id = t.enterprise_id
ORDER BY t.employees DESC, t.enterprise_id;
