-- 本季“吐槽大会”场次及每场收集的诉求:件数、截至季末办结件数、按类别分布。One row per 吐槽大会 meeting held in the quarter.
-- params: quarter_end, chain_id, park_id
WITH q AS (
    SELECT CAST($quarter_end AS DATE) AS qe, CAST(date_trunc('quarter', CAST($quarter_end AS DATE)) AS DATE) AS qs
), m AS (
    SELECT m.meeting_id, m.chain_id, m.park_id, m.held_on, m.n_attendees
    FROM meetings m, q
    WHERE m.kind = '吐槽大会' AND m.held_on BETWEEN q.qs AND q.qe
      AND ($chain_id = '*' OR m.chain_id = $chain_id)
      AND ($park_id = '*' OR m.park_id = $park_id)
), cat AS (
    SELECT a.meeting_id, a.category, count(*) AS n,
           count(*) FILTER (WHERE a.resolved_on <= q.qe) AS n_resolved
    FROM appeals a, q
    WHERE a.meeting_id IN (SELECT meeting_id FROM m) AND a.received_on <= q.qe
    GROUP BY ALL
), per AS (
    SELECT meeting_id, sum(n) AS n_appeals, sum(n_resolved) AS n_resolved,
           string_agg(category || ' ' || CAST(n AS VARCHAR), ' · ' ORDER BY n DESC, category) AS by_category
    FROM cat
    GROUP BY meeting_id
)
SELECT m.meeting_id, m.held_on, m.chain_id, c.name AS chain_name, m.park_id, p.name AS park_name,
       m.n_attendees,
       CAST(coalesce(per.n_appeals, 0) AS INTEGER) AS n_appeals,
       CAST(coalesce(per.n_resolved, 0) AS INTEGER) AS n_resolved,
       coalesce(per.n_resolved, 0) / nullif(per.n_appeals, 0) AS resolved_rate,
       coalesce(per.by_category, '') AS by_category
FROM m
LEFT JOIN per ON per.meeting_id = m.meeting_id
LEFT JOIN chains c ON c.chain_id = m.chain_id
LEFT JOIN parks p ON p.park_id = m.park_id
ORDER BY m.held_on DESC, m.meeting_id;
