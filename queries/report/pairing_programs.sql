-- 红联共建本季活动按项目(红领精英/红创人才/红联众创)汇总:活动次数、参与人次、成果数;链按结对登记的产业链,园按企业所在园区。One row per program with activities this quarter.
-- params: quarter_end, chain_id, park_id
SELECT a.program, count(*) AS n_activities, CAST(sum(a.n_participants) AS BIGINT) AS n_participants, CAST(sum(a.n_results) AS BIGINT) AS n_results
FROM pairing_activities a
JOIN pairings p USING (pairing_id)
JOIN enterprises e ON e.enterprise_id = p.enterprise_id
WHERE a.held_on BETWEEN CAST(date_trunc('quarter', $quarter_end) AS DATE) AND $quarter_end
  AND ($chain_id = '*' OR p.chain_id = $chain_id)
  AND ($park_id = '*' OR e.park_id = $park_id)
GROUP BY ALL
ORDER BY a.program;
