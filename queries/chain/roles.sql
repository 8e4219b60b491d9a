-- 产业链“1+N+X”:季末在营企业按链上角色(链主/核心/配套)计数(园区筛选时限本园区)。One row per chain × role.
-- params: quarter_end, chain_id, park_id
SELECT ec.chain_id, ec.role, count(*) AS n_enterprises
FROM mart_enterprise_quarter eq
JOIN enterprise_chains ec USING (enterprise_id)
WHERE eq.quarter_end = $quarter_end
  AND ($chain_id = '*' OR ec.chain_id = $chain_id)
  AND ($park_id = '*' OR eq.park_id = $park_id)
GROUP BY ec.chain_id, ec.role
ORDER BY ec.chain_id, CASE ec.role WHEN '链主' THEN 0 WHEN '核心' THEN 1 ELSE 2 END;
