-- 该企业的红联共建结对:机关单位、产业链、起止日期、季末是否在结对、累计与本季活动次数、最近活动。One row per pairing.
-- params: enterprise_id, quarter_end
WITH p AS (SELECT * FROM pairings WHERE enterprise_id = $enterprise_id AND started_on <= $quarter_end)
SELECT p.pairing_id, u.name AS unit_name, p.chain_id, c.name AS chain_name, p.started_on, p.ended_on,
       (p.ended_on IS NULL OR p.ended_on > $quarter_end) AS is_active,
       count(a.activity_id) AS n_activities_cum,
       count(a.activity_id) FILTER (WHERE a.held_on >= CAST(date_trunc('quarter', CAST($quarter_end AS DATE)) AS DATE)) AS n_activities,
       max(a.held_on) AS last_activity_on
FROM p
LEFT JOIN units u ON u.unit_id = p.unit_id
LEFT JOIN chains c ON c.chain_id = p.chain_id
LEFT JOIN pairing_activities a ON a.pairing_id = p.pairing_id AND a.held_on <= $quarter_end
GROUP BY ALL
ORDER BY p.started_on DESC, p.pairing_id;
