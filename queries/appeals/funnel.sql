-- 诉求闭环漏斗:本季收到 → 其中已转办(转办日期 ≤ 季末)→ 其中截至季末已办结。One row per stage (3 rows).
-- params: quarter_end, chain_id, park_id
WITH q AS (
    SELECT CAST($quarter_end AS DATE) AS qe, CAST(date_trunc('quarter', CAST($quarter_end AS DATE)) AS DATE) AS qs
), a AS (
    SELECT a.transferred_on IS NOT NULL AND a.transferred_on <= q.qe AS is_transferred,
           a.resolved_on IS NOT NULL AND a.resolved_on <= q.qe AS is_resolved
    FROM appeals a, q
    WHERE a.received_on BETWEEN q.qs AND q.qe
      AND ($chain_id = '*' OR a.chain_id = $chain_id)
      AND ($park_id = '*' OR a.park_id = $park_id)
), c AS (
    SELECT count(*) AS n_received,
           count(*) FILTER (WHERE is_transferred) AS n_transferred,
           count(*) FILTER (WHERE is_transferred AND is_resolved) AS n_resolved
    FROM a
)
SELECT 1 AS stage_order, '收集' AS stage, n_received AS n, n_received AS n_base FROM c
UNION ALL SELECT 2, '转办', n_transferred, n_received FROM c
UNION ALL SELECT 3, '其中已办结', n_resolved, n_received FROM c
ORDER BY stage_order;
