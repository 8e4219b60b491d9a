-- 范围→企业桥表:每家企业属于哪些范围——全区、所属各产业链(无则 '-' 未归链)、所在园区(无则 '-' 未入园)及其交叉。One row per (chain_id, park_id, enterprise_id).
-- 链按 enterprise_chains(一企可属多链),园按 enterprises.park_id;面板查询以此筛选范围内企业,不再各自重写。
CREATE TABLE dim_scope_enterprise AS
WITH ec AS (
    SELECT e.enterprise_id, coalesce(e.park_id, '-') AS park_id, coalesce(c.chain_id, '-') AS chain_id
    FROM enterprises e
    LEFT JOIN enterprise_chains c USING (enterprise_id)
), rows AS (
    SELECT DISTINCT '*' AS chain_id, '*' AS park_id, enterprise_id FROM ec
    UNION ALL SELECT DISTINCT '*', park_id, enterprise_id FROM ec
    UNION ALL SELECT chain_id, '*', enterprise_id FROM ec
    UNION ALL SELECT chain_id, park_id, enterprise_id FROM ec
)
SELECT * FROM rows
ORDER BY chain_id, park_id, enterprise_id;
