-- 大屏:各园区坐标与当季主要指标(产业链为 '*' 时为全部企业,否则为该链在园区内的企业),用于园区地图与园区排名。One row per park.
-- params: quarter_end, chain_id
SELECT p.park_id AS item_id, p.name AS item_name, p.park_type, p.lon, p.lat, p.has_park_chief,
       k.n_enterprises, k.n_xjr, k.n_lgsx, k.org_coverage_rate, k.work_coverage_rate,
       k.n_secretaries, k.appeal_resolved_rate,
       coalesce(s.n_red, 0) AS n_red, coalesce(s.n_yellow, 0) AS n_yellow
FROM parks p
LEFT JOIN mart_kpi k
       ON k.park_id = p.park_id AND k.chain_id = $chain_id AND k.quarter_end = $quarter_end
LEFT JOIN (
    SELECT park_id, count(*) FILTER (WHERE status = '红') AS n_red,
           count(*) FILTER (WHERE status = '黄') AS n_yellow
    FROM mart_target_status
    WHERE quarter_end = $quarter_end AND chain_id = $chain_id
    GROUP BY park_id
) s ON s.park_id = p.park_id
ORDER BY coalesce(k.n_enterprises, 0) DESC, p.park_id;
