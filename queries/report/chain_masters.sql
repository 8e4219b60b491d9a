-- 在营链主企业及其当年培育计划(工作专班、党建规划、评分)与季末党组织状态。One row per (chain, 链主 enterprise).
-- params: quarter_end, chain_id, park_id
SELECT ec.chain_id, e.enterprise_id, e.name AS enterprise_name, e.park_id,
       eq.org_type, eq.n_members,
       m.has_task_force, m.task_force_mode, m.has_party_plan, m.score,
       m.fiscal_support_10k, m.land_mu, m.n_projects, m.n_standards
FROM enterprise_chains ec
JOIN enterprises e USING (enterprise_id)
JOIN mart_enterprise_quarter eq
  ON eq.enterprise_id = ec.enterprise_id AND eq.quarter_end = $quarter_end
LEFT JOIN chain_master_plans m
  ON m.enterprise_id = ec.enterprise_id AND m.chain_id = ec.chain_id AND m.year = year($quarter_end)
WHERE ec.role = '链主'
  AND ($chain_id = '*' OR ec.chain_id = $chain_id)
  AND ($park_id = '*' OR e.park_id = $park_id)
ORDER BY ec.chain_id, m.score DESC NULLS LAST, e.enterprise_id;
