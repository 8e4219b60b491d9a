-- 链主培育扶持(财政、用地、项目、标准)与专班、党建规划完成情况,按产业链和年度汇总(至所选季度所在年度)。One row per chain × year.
-- params: quarter_end, chain_id
SELECT p.chain_id, c.name AS chain_name, p.year,
       count(*) AS n_masters,
       count(*) FILTER (WHERE p.has_task_force) AS n_task_force,
       count(*) FILTER (WHERE p.has_party_plan) AS n_party_plan,
       avg(p.score) AS avg_score,
       sum(p.fiscal_support_10k) AS fiscal_support_10k,
       sum(p.land_mu) AS land_mu,
       CAST(sum(p.n_projects) AS BIGINT) AS n_projects,
       CAST(sum(p.n_standards) AS BIGINT) AS n_standards
FROM chain_master_plans p
JOIN chains c ON c.chain_id = p.chain_id
WHERE p.year <= year($quarter_end)
  AND ($chain_id = '*' OR p.chain_id = $chain_id)
GROUP BY ALL
ORDER BY p.chain_id, p.year;
