-- 红联共建活动按“六红工程”项目(红领精英/红创人才/红联众创)分季度:活动次数、参与人次、成果数。One row per (quarter, program) for the 12 quarters up to Q.
-- params: quarter_end, chain_id, park_id
WITH qs AS (
    SELECT quarter_end, label AS quarter_label, quarter_start
    FROM dim_quarter
    WHERE quarter_end <= $quarter_end
    ORDER BY quarter_end DESC
    LIMIT 12
), prog AS (
    SELECT * FROM (VALUES (1, '红领精英'), (2, '红创人才'), (3, '红联众创')) v(program_order, program)
), p AS (
    SELECT p.pairing_id
    FROM pairings p
    JOIN enterprises e ON e.enterprise_id = p.enterprise_id
    WHERE ($chain_id = '*' OR p.chain_id = $chain_id)
      AND ($park_id = '*' OR e.park_id = $park_id)
), act AS (
    SELECT CAST(last_day(date_trunc('quarter', a.held_on) + INTERVAL 2 MONTH) AS DATE) AS quarter_end, a.program,
           count(*) AS n_activities, sum(a.n_participants) AS n_participants, sum(a.n_results) AS n_results
    FROM pairing_activities a
    WHERE a.pairing_id IN (SELECT pairing_id FROM p) AND a.held_on <= $quarter_end
    GROUP BY ALL
)
SELECT qs.quarter_end, qs.quarter_label, prog.program_order, prog.program,
       coalesce(act.n_activities, 0) AS n_activities,
       CAST(coalesce(act.n_participants, 0) AS BIGINT) AS n_participants,
       CAST(coalesce(act.n_results, 0) AS BIGINT) AS n_results
FROM qs CROSS JOIN prog
LEFT JOIN act ON act.quarter_end = qs.quarter_end AND act.program = prog.program
ORDER BY qs.quarter_end, prog.program_order;
