-- 大屏:各产业链当季主要指标与目标预警数(园区为 '*' 时为全区),用于产业链排名。One row per chain.
-- params: quarter_end, park_id
SELECT c.chain_id AS item_id, c.name AS item_name,
       k.n_enterprises, k.n_xjr, k.n_lgsx, k.org_coverage_rate, k.work_coverage_rate,
       k.n_secretaries, k.appeal_resolved_rate,
       coalesce(s.n_red, 0) AS n_red, coalesce(s.n_yellow, 0) AS n_yellow
FROM chains c
LEFT JOIN mart_kpi k
       ON k.chain_id = c.chain_id AND k.park_id = $park_id AND k.quarter_end = $quarter_end
LEFT JOIN (
    SELECT chain_id, count(*) FILTER (WHERE status = '红') AS n_red,
           count(*) FILTER (WHERE status = '黄') AS n_yellow
    FROM mart_target_status
    WHERE quarter_end = $quarter_end AND park_id = $park_id
    GROUP BY chain_id
) s ON s.chain_id = c.chain_id
ORDER BY coalesce(k.n_enterprises, 0) DESC, c.chain_id;
