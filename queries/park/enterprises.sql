-- 一个园区季末在营企业名单(产业链筛选时限该链;链主/核心在前,再按营业收入),含所属产业链及角色、规模、从业人员、党组织形式与有效荣誉;最多 $limit 家。One row per enterprise.
-- 企业属性取自 dim_enterprise,范围取自桥表 dim_scope_enterprise。
-- params: quarter_end, park_id, chain_id, limit
SELECT e.enterprise_id, e.name, e.uscc, e.chain_roles AS chains, e.size, e.employees,
       e.revenue_10k, eq.org_type, eq.n_members, eq.has_secretary,
       concat_ws('、',
           CASE WHEN eq.is_xjr THEN '小巨人' END, CASE WHEN eq.is_dxgj THEN '单项冠军' END,
           CASE WHEN eq.is_lgsx THEN '两高四新' END, CASE WHEN eq.is_gxjs THEN '高新技术企业' END,
           CASE WHEN eq.is_sjzjtx THEN '省级专精特新' END, CASE WHEN eq.is_cxx THEN '创新型中小企业' END) AS honors
FROM mart_enterprise_quarter eq
JOIN dim_enterprise e ON e.enterprise_id = eq.enterprise_id
WHERE eq.quarter_end = $quarter_end
  AND eq.enterprise_id IN (SELECT enterprise_id FROM dim_scope_enterprise WHERE chain_id = $chain_id AND park_id = $park_id)
ORDER BY e.role_rank, e.revenue_10k DESC, e.enterprise_id
LIMIT $limit;
