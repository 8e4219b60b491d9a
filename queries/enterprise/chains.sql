-- 单个企业所在产业链及角色(链主/核心/配套)。One row per chain the enterprise sits on.
-- params: enterprise_id
SELECT ec.chain_id, c.name AS chain_name, ec.role
FROM enterprise_chains ec
JOIN chains c ON c.chain_id = ec.chain_id
WHERE ec.enterprise_id = $enterprise_id
ORDER BY CASE ec.role WHEN '链主' THEN 1 WHEN '核心' THEN 2 ELSE 3 END, ec.chain_id;
