-- 链主培育计划逐年明细(至所选季度所在年度):工作专班方式、党建规划、评分与各项扶持。One row per 链主 enterprise × chain × year.
-- params: quarter_end, chain_id
SELECT p.chain_id, c.name AS chain_name, p.enterprise_id, e.name, p.year,
       p.has_task_force, p.task_force_mode, p.has_party_plan, p.score,
       p.fiscal_support_10k, p.land_mu, p.n_projects, p.n_standards
FROM chain_master_plans p
JOIN chains c ON c.chain_id = p.chain_id
JOIN enterprises e ON e.enterprise_id = p.enterprise_id
WHERE p.year <= year($quarter_end)
  AND ($chain_id = '*' OR p.chain_id = $chain_id)
ORDER BY p.chain_id, p.enterprise_id, p.year;
