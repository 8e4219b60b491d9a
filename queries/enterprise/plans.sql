-- 该企业作为链主的年度培育计划:工作专班、年度党建规划、评分、财政支持、用地、项目与标准。One row per (chain, year).
-- params: enterprise_id, year
SELECT cm.chain_id, c.name AS chain_name, cm.year, cm.has_task_force, cm.task_force_mode, cm.has_party_plan,
       cm.score, cm.fiscal_support_10k, cm.land_mu, cm.n_projects, cm.n_standards
FROM chain_master_plans cm
JOIN chains c ON c.chain_id = cm.chain_id
WHERE cm.enterprise_id = $enterprise_id AND cm.year <= $year
ORDER BY cm.year DESC, cm.chain_id;
