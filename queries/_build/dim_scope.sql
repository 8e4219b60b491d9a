-- 范围维表:全区、各产业链、各园区及链×园交叉。One row per (chain_id, park_id).
-- 范围键:'*' = 全部(全区 / 全部园区);'-' = 无(未归链 / 未入园),用于分链、分园明细与合计对账的余项。
CREATE TABLE dim_scope AS
SELECT c.chain_id, p.park_id
FROM (SELECT '*' AS chain_id UNION ALL SELECT '-' UNION ALL SELECT chain_id FROM chains) c
CROSS JOIN (SELECT '*' AS park_id UNION ALL SELECT '-' UNION ALL SELECT park_id FROM parks) p
ORDER BY c.chain_id, p.park_id;
