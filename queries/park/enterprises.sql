-- 一个园区季末在营企业名单(产业链筛选时限该链;链主/核心在前,再按营业收入),含所属产业链及角色、规模、从业人员、党组织形式与有效荣誉;最多 $limit 家。One row per enterprise.
-- params: quarter_end, park_id, chain_id, limit
WITH ent AS (
    SELECT eq.*
    FROM mart_enterprise_quarter eq
    WHERE eq.quarter_end = $quarter_end AND eq.park_id = $park_id
      AND ($chain_id = '*' OR eq.enterprise_id IN (SELECT enterprise_id FROM enterprise_chains WHERE chain_id = $chain_id))
), ch AS (
    SELECT ec.enterprise_id,
           string_agg(c.name || CASE WHEN ec.role = '配套' THEN '' ELSE '(' || ec.role || ')' END, '、'
                      ORDER BY ec.chain_id) AS chains,
           min(CASE ec.role WHEN '链主' THEN 0 WHEN '核心' THEN 1 ELSE 2 END) AS role_rank
    FROM enterprise_chains ec
    JOIN chains c USING (chain_id)
    WHERE ec.enterprise_id IN (SELECT enterprise_id FROM ent)
    GROUP BY ec.enterprise_id
)
SELECT e.enterprise_id, e.name, e.uscc, coalesce(ch.chains, '—') AS chains, e.size, e.employees,
       e.revenue_10k, ent.org_type, ent.n_members, ent.has_secretary,
       concat_ws('、',
           CASE WHEN ent.is_xjr THEN '小巨人' END, CASE WHEN ent.is_dxgj THEN '单项冠军' END,
           CASE WHEN ent.is_lgsx THEN '两高四新' END, CASE WHEN ent.is_gxjs THEN '高新技术企业' END,
           CASE WHEN ent.is_sjzjtx THEN '省级专精特新' END, CASE WHEN ent.is_cxx THEN '创新型中小企业' END) AS honors
FROM ent
JOIN enterprises e USING (enterprise_id)
LEFT JOIN ch USING (enterprise_id)
ORDER BY coalesce(ch.role_rank, 3), e.revenue_10k DESC, e.enterprise_id
LIMIT $limit;
