-- 一条产业链近 12 个季度各类会议召开次数(专题会议、党建联席会议、战略咨询会议、吐槽大会)。One row per quarter × meeting kind.
-- params: quarter_end, chain_id
SELECT q.quarter_end, q.label AS quarter_label, k.kind,
       count(m.meeting_id) AS n_meetings,
       CAST(coalesce(sum(m.n_attendees), 0) AS BIGINT) AS n_attendees
FROM dim_quarter q
CROSS JOIN (VALUES ('专题会议'), ('党建联席会议'), ('战略咨询会议'), ('吐槽大会')) k(kind)
LEFT JOIN meetings m
  ON m.kind = k.kind AND m.chain_id = $chain_id
 AND m.held_on BETWEEN q.quarter_start AND q.quarter_end
WHERE q.quarter_end <= $quarter_end
GROUP BY ALL
ORDER BY q.quarter_end, k.kind;
