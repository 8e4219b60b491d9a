-- 会议类指标(按会议登记的链/园,未登记的归 '-')。One row per (quarter_end, chain_id, park_id).
CREATE TABLE mart_kpi_meeting AS
WITH m AS (
    SELECT m.* EXCLUDE (chain_id, park_id), coalesce(m.chain_id, '-') AS chain_id, coalesce(m.park_id, '-') AS park_id
    FROM meetings m
), scoped AS (
    SELECT '*' AS chain_id, '*' AS park_id, m.* EXCLUDE (chain_id, park_id) FROM m
    UNION ALL SELECT '*', m.park_id, m.* EXCLUDE (chain_id, park_id) FROM m
    UNION ALL SELECT m.chain_id, '*', m.* EXCLUDE (chain_id, park_id) FROM m
    UNION ALL SELECT m.chain_id, m.park_id, m.* EXCLUDE (chain_id, park_id) FROM m
)
SELECT q.quarter_end, s.chain_id, s.park_id,
       count(*) FILTER (WHERE s.kind = '专题会议') AS n_topic_meetings,
       count(*) FILTER (WHERE s.kind = '党建联席会议') AS n_joint_meetings,
       count(*) FILTER (WHERE s.kind = '战略咨询会议') AS n_strategy_meetings,
       count(*) FILTER (WHERE s.kind = '吐槽大会') AS n_tucao_meetings,
       count(*) FILTER (WHERE s.kind = '联合调度会') AS n_dispatch_meetings
FROM scoped s
JOIN dim_quarter q ON s.held_on BETWEEN q.quarter_start AND q.quarter_end
GROUP BY ALL;
