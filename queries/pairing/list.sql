-- 季末在结对的红联共建清单:机关单位、结对企业、产业链、开始日期、本季活动次数与参与人次、最近活动日期。One row per active pairing at Q.
-- params: quarter_end, chain_id, park_id
WITH q AS (
    SELECT CAST($quarter_end AS DATE) AS qe, CAST(date_trunc('quarter', CAST($quarter_end AS DATE)) AS DATE) AS qs
), p AS (
    SELECT p.*, e.name, e.uscc, e.park_id
    FROM pairings p
    JOIN enterprises e ON e.enterprise_id = p.enterprise_id, q
    WHERE p.started_on <= q.qe AND (p.ended_on IS NULL OR p.ended_on > q.qe)
      AND ($chain_id = '*' OR p.chain_id = $chain_id)
      AND ($park_id = '*' OR e.park_id = $park_id)
), act AS (
    SELECT a.pairing_id,
           count(*) FILTER (WHERE a.held_on >= q.qs) AS n_activities,
           CAST(coalesce(sum(a.n_participants) FILTER (WHERE a.held_on >= q.qs), 0) AS BIGINT) AS n_participants,
           max(a.held_on) AS last_activity_on
    FROM pairing_activities a, q
    WHERE a.pairing_id IN (SELECT pairing_id FROM p) AND a.held_on <= q.qe
    GROUP BY a.pairing_id
)
SELECT p.pairing_id, p.unit_id, u.name AS unit_name, p.enterprise_id, p.name, p.uscc, p.chain_id,
       c.name AS chain_name, coalesce(pk.name, '—') AS park_name, p.started_on,
       coalesce(act.n_activities, 0) AS n_activities, coalesce(act.n_participants, 0) AS n_participants,
       act.last_activity_on
FROM p
JOIN units u ON u.unit_id = p.unit_id
JOIN chains c ON c.chain_id = p.chain_id
LEFT JOIN parks pk ON pk.park_id = p.park_id
LEFT JOIN act ON act.pairing_id = p.pairing_id
ORDER BY u.name, p.started_on, p.pairing_id;
