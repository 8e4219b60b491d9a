-- 季末在结对的各机关单位:结对数、结对企业数、涉及产业链数、本季活动次数、最近一次活动日期。One row per unit with an active pairing at Q.
-- params: quarter_end, chain_id, park_id
-- 范围:链按结对登记的产业链,园区按结对企业所在园区。活动统计该单位在范围内全部结对的活动(held_on ≤ Q)。
WITH q AS (
    SELECT CAST($quarter_end AS DATE) AS qe, CAST(date_trunc('quarter', CAST($quarter_end AS DATE)) AS DATE) AS qs
), p AS (
    SELECT p.pairing_id, p.unit_id, p.enterprise_id, p.chain_id,
           p.started_on <= q.qe AND (p.ended_on IS NULL OR p.ended_on > q.qe) AS is_active
    FROM pairings p
    JOIN enterprises e ON e.enterprise_id = p.enterprise_id, q
    WHERE ($chain_id = '*' OR p.chain_id = $chain_id)
      AND ($park_id = '*' OR e.park_id = $park_id)
), act AS (
    SELECT p.unit_id,
           count(*) FILTER (WHERE a.held_on >= q.qs) AS n_activities,
           CAST(coalesce(sum(a.n_participants) FILTER (WHERE a.held_on >= q.qs), 0) AS BIGINT) AS n_participants,
           max(a.held_on) AS last_activity_on
    FROM pairing_activities a
    JOIN p ON p.pairing_id = a.pairing_id, q
    WHERE a.held_on <= q.qe
    GROUP BY p.unit_id
), u AS (
    SELECT unit_id, count(*) AS n_pairings, count(DISTINCT enterprise_id) AS n_enterprises,
           count(DISTINCT chain_id) AS n_chains
    FROM p WHERE is_active
    GROUP BY unit_id
)
SELECT u.unit_id, un.name AS unit_name, un.unit_type, u.n_pairings, u.n_enterprises, u.n_chains,
       coalesce(act.n_activities, 0) AS n_activities, coalesce(act.n_participants, 0) AS n_participants,
       act.last_activity_on
FROM u
JOIN units un ON un.unit_id = u.unit_id
LEFT JOIN act ON act.unit_id = u.unit_id
ORDER BY u.n_pairings DESC, u.unit_id;
