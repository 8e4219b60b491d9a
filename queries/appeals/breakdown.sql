-- 诉求办理按承办单位、诉求类别、诉求来源分组:本季收到、累计办结率、本季平均办结天数、超期未办结、满意度。One row per (dim, key).
-- params: quarter_end, chain_id, park_id
-- dim: 'handler' 承办单位 | 'category' 类别 | 'source' 来源。办结率为累计口径(收到 ≤ Q 中办结 ≤ Q 的占比);未办结、超期取自 mart_open_appeal。
WITH q AS (
    SELECT CAST($quarter_end AS DATE) AS qe, CAST(date_trunc('quarter', CAST($quarter_end AS DATE)) AS DATE) AS qs
), a AS (
    SELECT a.handler_unit_id, a.category, a.source, a.received_on, a.due_on, a.satisfaction,
           a.received_on >= q.qs AS is_received_q,
           o.appeal_id IS NULL AS is_resolved,
           a.resolved_on BETWEEN q.qs AND q.qe AS is_resolved_q,
           CAST(a.resolved_on - a.received_on AS DOUBLE) AS resolve_days,
           coalesce(o.is_overdue, false) AS is_overdue
    FROM appeals a
    CROSS JOIN q
    LEFT JOIN mart_open_appeal o ON o.quarter_end = q.qe AND o.appeal_id = a.appeal_id
    WHERE a.received_on <= q.qe
      AND ($chain_id = '*' OR coalesce(a.chain_id, '-') = $chain_id)
      AND ($park_id = '*' OR coalesce(a.park_id, '-') = $park_id)
), g AS (
    SELECT CASE WHEN GROUPING(handler_unit_id) = 0 THEN 'handler'
                WHEN GROUPING(category) = 0 THEN 'category' ELSE 'source' END AS dim,
           coalesce(handler_unit_id, category, source) AS key,
           count(*) FILTER (WHERE is_received_q) AS n_received,
           count(*) AS n_cum_received,
           count(*) FILTER (WHERE is_resolved) AS n_cum_resolved,
           count(*) FILTER (WHERE is_resolved_q) AS n_resolved,
           avg(resolve_days) FILTER (WHERE is_resolved_q) AS avg_resolve_days,
           count(*) FILTER (WHERE NOT is_resolved) AS n_open,
           count(*) FILTER (WHERE is_overdue) AS n_overdue,
           avg(satisfaction) FILTER (WHERE is_resolved_q) AS avg_satisfaction
    FROM a
    GROUP BY GROUPING SETS ((handler_unit_id), (category), (source))
)
SELECT g.dim, g.key,
       CASE WHEN g.dim = 'handler' THEN coalesce(u.name, g.key) ELSE g.key END AS label,
       g.n_received, g.n_cum_received, g.n_cum_resolved,
       g.n_cum_resolved / nullif(g.n_cum_received, 0) AS resolved_rate,
       g.n_resolved, g.avg_resolve_days, g.n_open, g.n_overdue, g.avg_satisfaction
FROM g
LEFT JOIN units u ON g.dim = 'handler' AND u.unit_id = g.key
ORDER BY g.dim, g.n_overdue DESC, g.n_cum_received DESC, g.key;
