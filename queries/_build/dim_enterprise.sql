-- 企业维表:清单共用的企业属性——名称、统一社会信用代码、园区名(无则“园区外”)、所属产业链及链上角色、规模。One row per (enterprise_id).
-- role_rank:0 链主、1 核心、2 配套、3 不在链上(取各链中最靠前的角色),用于“链主、核心在前”的排序。
CREATE TABLE dim_enterprise AS
WITH ch AS (
    SELECT ec.enterprise_id,
           string_agg(c.name, '、' ORDER BY ec.chain_id) AS chain_names,
           string_agg(c.name || CASE WHEN ec.role = '配套' THEN '' ELSE '(' || ec.role || ')' END, '、'
                      ORDER BY ec.chain_id) AS chain_roles,
           string_agg(ec.chain_id || ' ' || ec.role, '、' ORDER BY ec.chain_id) AS chain_id_roles,
           min(CASE ec.role WHEN '链主' THEN 0 WHEN '核心' THEN 1 ELSE 2 END) AS role_rank
    FROM enterprise_chains ec
    JOIN chains c USING (chain_id)
    GROUP BY ec.enterprise_id
)
SELECT e.enterprise_id, e.name, e.uscc, e.park_id, coalesce(p.name, '园区外') AS park_name,
       e.street, e.size, e.employees, e.revenue_10k, e.founded_on, e.closed_on,
       coalesce(ch.chain_names, '—') AS chain_names,
       coalesce(ch.chain_roles, '—') AS chain_roles,
       coalesce(ch.chain_id_roles, '') AS chain_id_roles,
       coalesce(ch.role_rank, 3) AS role_rank
FROM enterprises e
LEFT JOIN parks p ON p.park_id = e.park_id
LEFT JOIN ch ON ch.enterprise_id = e.enterprise_id
ORDER BY e.enterprise_id;
