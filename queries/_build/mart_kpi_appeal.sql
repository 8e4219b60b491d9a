-- 诉求类指标(按诉求登记的链/园归属;未登记的归 '-' 未归链 / 未入园;未办结与超期取自 mart_open_appeal)。One row per (quarter_end, chain_id, park_id).
CREATE TABLE mart_kpi_appeal AS
WITH a AS (
    SELECT a.* EXCLUDE (chain_id, park_id), coalesce(a.chain_id, '-') AS chain_id, coalesce(a.park_id, '-') AS park_id
    FROM appeals a
), scoped AS (
    SELECT '*' AS chain_id, '*' AS park_id, a.* EXCLUDE (chain_id, park_id) FROM a
    UNION ALL SELECT '*', a.park_id, a.* EXCLUDE (chain_id, park_id) FROM a
    UNION ALL SELECT a.chain_id, '*', a.* EXCLUDE (chain_id, park_id) FROM a
    UNION ALL SELECT a.chain_id, a.park_id, a.* EXCLUDE (chain_id, park_id) FROM a
), flows AS (
    SELECT q.quarter_end, s.chain_id, s.park_id,
           count(*) FILTER (WHERE s.received_on >= q.quarter_start) AS n_appeals_received,
           count(*) FILTER (WHERE s.resolved_on >= q.quarter_start AND s.resolved_on <= q.quarter_end) AS n_appeals_resolved,
           count(*) AS n_appeals_cum_received,
           count(*) FILTER (WHERE s.resolved_on <= q.quarter_end) AS n_appeals_cum_resolved,
           avg(s.resolved_on - s.received_on) FILTER (WHERE s.resolved_on >= q.quarter_start AND s.resolved_on <= q.quarter_end) AS avg_resolve_days,
           count(*) FILTER (WHERE s.received_on >= q.quarter_start AND s.source = '吐槽大会') AS n_appeals_tucao
    FROM scoped s
    JOIN dim_quarter q ON s.received_on <= q.quarter_end
    GROUP BY ALL
), o AS (
    SELECT quarter_end, coalesce(chain_id, '-') AS chain_id, coalesce(park_id, '-') AS park_id, is_overdue
    FROM mart_open_appeal
), open_scoped AS (
    SELECT quarter_end, '*' AS chain_id, '*' AS park_id, is_overdue FROM o
    UNION ALL SELECT quarter_end, '*', park_id, is_overdue FROM o
    UNION ALL SELECT quarter_end, chain_id, '*', is_overdue FROM o
    UNION ALL SELECT quarter_end, chain_id, park_id, is_overdue FROM o
), open AS (
    SELECT quarter_end, chain_id, park_id,
           count(*) AS n_appeals_open,
           count(*) FILTER (WHERE is_overdue) AS n_appeals_overdue
    FROM open_scoped
    GROUP BY ALL
)
SELECT f.quarter_end, f.chain_id, f.park_id,
       f.n_appeals_received, f.n_appeals_resolved, f.n_appeals_cum_received, f.n_appeals_cum_resolved,
       coalesce(o.n_appeals_open, 0) AS n_appeals_open,
       coalesce(o.n_appeals_overdue, 0) AS n_appeals_overdue,
       f.avg_resolve_days, f.n_appeals_tucao
FROM flows f
LEFT JOIN open o ON o.quarter_end = f.quarter_end AND o.chain_id = f.chain_id AND o.park_id = f.park_id;
