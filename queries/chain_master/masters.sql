-- 各产业链链主企业(链上角色为链主或列入链主培育计划)及所选季度所在年度的工作专班、党建规划、评分与扶持;含上年对比与季末党建状态。One row per chain × 链主 enterprise.
-- params: quarter_end, chain_id
WITH m AS (
    SELECT enterprise_id, chain_id FROM enterprise_chains WHERE role = '链主'
    UNION
    SELECT enterprise_id, chain_id FROM chain_master_plans WHERE year <= year($quarter_end)
)
SELECT m.chain_id, c.name AS chain_name, m.enterprise_id, e.name, e.uscc,
       e.park_name, e.size, e.employees, e.revenue_10k,
       year($quarter_end) AS year,
       p.has_task_force, p.task_force_mode, p.has_party_plan, p.score,
       p.fiscal_support_10k, p.land_mu, p.n_projects, p.n_standards,
       py.score AS prev_score, py.fiscal_support_10k AS prev_fiscal_support_10k,
       py.land_mu AS prev_land_mu, py.n_projects AS prev_n_projects, py.n_standards AS prev_n_standards,
       eq.org_type, eq.n_members
FROM m
JOIN chains c ON c.chain_id = m.chain_id
JOIN dim_enterprise e ON e.enterprise_id = m.enterprise_id
LEFT JOIN chain_master_plans p
  ON p.enterprise_id = m.enterprise_id AND p.chain_id = m.chain_id AND p.year = year($quarter_end)
LEFT JOIN chain_master_plans py
  ON py.enterprise_id = m.enterprise_id AND py.chain_id = m.chain_id AND py.year = year($quarter_end) - 1
LEFT JOIN mart_enterprise_quarter eq ON eq.enterprise_id = m.enterprise_id AND eq.quarter_end = $quarter_end
WHERE ($chain_id = '*' OR m.chain_id = $chain_id)
ORDER BY m.chain_id, e.revenue_10k DESC, m.enterprise_id;
