-- 红联共建类指标(链按结对登记的产业链,园按企业所在园区,不在园区的归 '-' 未入园)。One row per (quarter_end, chain_id, park_id).
CREATE TABLE mart_kpi_pairing AS
WITH p AS (
    SELECT p.*, coalesce(e.park_id, '-') AS park_id FROM pairings p JOIN enterprises e USING (enterprise_id)
), scoped AS (
    SELECT '*' AS chain_id, '*' AS park_id, p.* EXCLUDE (chain_id, park_id) FROM p
    UNION ALL SELECT '*', p.park_id, p.* EXCLUDE (chain_id, park_id) FROM p
    UNION ALL SELECT p.chain_id, '*', p.* EXCLUDE (chain_id, park_id) FROM p
    UNION ALL SELECT p.chain_id, p.park_id, p.* EXCLUDE (chain_id, park_id) FROM p
), active AS (
    SELECT q.quarter_end, s.chain_id, s.park_id, count(*) AS n_pairings, count(DISTINCT s.unit_id) AS n_pairing_units
    FROM scoped s
    JOIN dim_quarter q ON s.started_on <= q.quarter_end AND (s.ended_on IS NULL OR s.ended_on > q.quarter_end)
    GROUP BY ALL
), acts AS (
    SELECT q.quarter_end, s.chain_id, s.park_id,
           count(*) FILTER (WHERE a.held_on >= q.quarter_start) AS n_pairing_activities,
           count(*) FILTER (WHERE a.held_on >= q.year_start) AS n_pairing_activities_ytd
    FROM pairing_activities a
    JOIN scoped s USING (pairing_id)
    JOIN dim_quarter q ON a.held_on <= q.quarter_end AND a.held_on >= q.year_start
    GROUP BY ALL
)
SELECT coalesce(a.quarter_end, x.quarter_end) AS quarter_end,
       coalesce(a.chain_id, x.chain_id) AS chain_id,
       coalesce(a.park_id, x.park_id) AS park_id,
       coalesce(a.n_pairings, 0) AS n_pairings,
       coalesce(a.n_pairing_units, 0) AS n_pairing_units,
       coalesce(x.n_pairing_activities, 0) AS n_pairing_activities,
       coalesce(x.n_pairing_activities_ytd, 0) AS n_pairing_activities_ytd
FROM active a
FULL JOIN acts x ON a.quarter_end = x.quarter_end AND a.chain_id = x.chain_id AND a.park_id = x.park_id;
