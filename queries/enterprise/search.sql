-- 企业检索:名称或统一社会信用代码包含关键字(空关键字 = 全部),限当前链/园范围;链主、核心企业优先,再按营收,最多 50 家。One row per enterprise.
-- params: search, chain_id, park_id
WITH lead AS (
    SELECT ec.enterprise_id, min(CASE ec.role WHEN '链主' THEN 1 ELSE 2 END) AS role_rank
    FROM enterprise_chains ec
    WHERE ec.role IN ('链主', '核心') AND ($chain_id = '*' OR ec.chain_id = $chain_id)
    GROUP BY ec.enterprise_id
), top AS (
    SELECT e.enterprise_id, coalesce(lead.role_rank, 3) AS role_rank, e.revenue_10k
    FROM enterprises e
    LEFT JOIN lead ON lead.enterprise_id = e.enterprise_id
    WHERE ($search = '' OR e.name LIKE '%' || $search || '%' OR e.uscc LIKE '%' || upper($search) || '%')
      AND e.enterprise_id IN (SELECT enterprise_id FROM dim_scope_enterprise WHERE chain_id = $chain_id AND park_id = $park_id)
    ORDER BY role_rank, e.revenue_10k DESC, e.enterprise_id
    LIMIT 50
)
SELECT e.enterprise_id, e.name, e.uscc, e.park_name, e.street, e.size, e.employees, e.revenue_10k,
       e.chain_id_roles AS chain_roles
FROM top
JOIN dim_enterprise e ON e.enterprise_id = top.enterprise_id
ORDER BY top.role_rank, top.revenue_10k DESC, top.enterprise_id;
