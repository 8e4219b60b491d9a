-- 季末在结对的红联共建按产业链:结对数、结对单位数、本季活动次数。One row per chain with an active pairing at Q.
-- params: quarter_end, chain_id, park_id
-- rows: chain_id
WITH q AS (
    SELECT CAST($quarter_end AS DATE) AS qe, CAST(date_trunc('quarter', CAST($quarter_end AS DATE)) AS DATE) AS qs
), p AS (
    SELECT p.pairing_id, p.unit_id, p.chain_id,
           p.started_on <= q.qe AND (p.ended_on IS NULL OR p.ended_on > q.qe) AS is_active
    FROM pairings p
    JOIN enterprises e ON e.enterprise_id = p.enterprise_id, q
    WHERE ($chain_id = '*' OR p.chain_id = $chain_id)
      AND ($park_id = '*' OR e.park_id = $park_id)
), act AS (
    SELECT p.chain_id, count(*) AS n_activities
    FROM pairing_activities a JOIN p ON p.pairing_id = a.pairing_id, q
    WHERE a.held_on BETWEEN q.qs AND q.qe
    GROUP BY p.chain_id
), c AS (
    SELECT chain_id, count(*) AS n_pairings, count(DISTINCT unit_id) AS n_units
    FROM p WHERE is_active GROUP BY chain_id
)
SELECT c.chain_id, ch.name AS chain_name, c.n_pairings, c.n_units, coalesce(act.n_activities, 0) AS n_activities
FROM c
JOIN chains ch ON ch.chain_id = c.chain_id
LEFT JOIN act ON act.chain_id = c.chain_id
ORDER BY c.n_pairings DESC, c.chain_id;
