-- 各园区当季主要指标(产业链筛选时为链×园交叉),用于园区对比。One row per park.
-- params: quarter_end, chain_id
-- rows: park_id
SELECT p.park_id, p.name AS park_name, p.has_park_chief,
       k.n_enterprises, k.n_sme, k.n_xjr, k.n_lgsx, k.n_base,
       k.org_coverage_rate, k.work_coverage_rate, k.n_secretaries,
       k.n_appeals_received, k.appeal_resolved_rate, k.n_appeals_overdue, k.n_pairings,
       (SELECT count(*) FILTER (WHERE s.status = '红') FROM mart_target_status s
         WHERE s.quarter_end = k.quarter_end AND s.chain_id = k.chain_id AND s.park_id = k.park_id) AS n_red
FROM mart_kpi k
JOIN parks p USING (park_id)
WHERE k.quarter_end = $quarter_end AND k.chain_id = $chain_id
ORDER BY k.n_enterprises DESC, p.park_id;
