-- 一条产业链的链主与核心企业(季末在营;园区筛选时限本园区),含规模、党组织与有效荣誉。One row per enterprise.
-- params: quarter_end, chain_id, park_id
SELECT e.enterprise_id, e.name, e.uscc, ec.role,
       e.park_name, e.street, e.size, e.employees, e.revenue_10k,
       eq.org_type, eq.n_members, eq.has_secretary,
       concat_ws('、',
           CASE WHEN eq.is_xjr THEN '小巨人' END, CASE WHEN eq.is_dxgj THEN '单项冠军' END,
           CASE WHEN eq.is_lgsx THEN '两高四新' END, CASE WHEN eq.is_gxjs THEN '高新技术企业' END,
           CASE WHEN eq.is_sjzjtx THEN '省级专精特新' END, CASE WHEN eq.is_cxx THEN '创新型中小企业' END) AS honors
FROM enterprise_chains ec
JOIN mart_enterprise_quarter eq ON eq.enterprise_id = ec.enterprise_id AND eq.quarter_end = $quarter_end
JOIN dim_enterprise e ON e.enterprise_id = ec.enterprise_id
WHERE ec.chain_id = $chain_id AND ec.role IN ('链主', '核心')
  AND ec.enterprise_id IN (SELECT enterprise_id FROM dim_scope_enterprise WHERE chain_id = $chain_id AND park_id = $park_id)
ORDER BY CASE ec.role WHEN '链主' THEN 0 ELSE 1 END, e.revenue_10k DESC, e.enterprise_id;
