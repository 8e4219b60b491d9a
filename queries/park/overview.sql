-- 各园区当季主要指标、园长制与特色机制、坐标与最差目标状态(产业链筛选时为链×园交叉);另含 park_id = '-' 的“未入园”一行(不在任何园区的企业、未登记园区的诉求),用于与全区对账。One row per park, plus the 未入园 row.
-- params: quarter_end, chain_id
-- rows: park_id
WITH status AS (
    SELECT park_id,
           count(*) AS n_targets,
           count(*) FILTER (WHERE status = '红') AS n_red,
           count(*) FILTER (WHERE status = '黄') AS n_yellow
    FROM mart_target_status
    WHERE quarter_end = $quarter_end AND chain_id = $chain_id AND park_id <> '*'
    GROUP BY park_id
)
SELECT k.park_id, coalesce(p.name, '未入园') AS park_name, k.park_id = '-' AS is_remainder, p.park_type, p.lon, p.lat,
       p.has_park_chief, u.name AS chief_unit_name, p.mechanism,
       k.n_enterprises, k.n_sme, k.n_xjr, k.n_lgsx, k.n_base,
       k.org_coverage_rate, k.work_coverage_rate, k.n_secretaries,
       k.n_appeals_received, k.appeal_resolved_rate, k.n_appeals_open, k.n_appeals_overdue,
       k.n_pairings, k.n_tucao_meetings,
       coalesce(s.n_targets, 0) AS n_targets,
       coalesce(s.n_red, 0) AS n_red,
       coalesce(s.n_yellow, 0) AS n_yellow,
       CASE WHEN s.n_red > 0 THEN '红' WHEN s.n_yellow > 0 THEN '黄'
            WHEN s.n_targets > 0 THEN '绿' END AS target_status
FROM mart_kpi k
LEFT JOIN parks p ON p.park_id = k.park_id
LEFT JOIN units u ON u.unit_id = p.chief_unit_id
LEFT JOIN status s ON s.park_id = k.park_id
WHERE k.chain_id = $chain_id AND k.quarter_end = $quarter_end AND k.park_id <> '*'
ORDER BY is_remainder, k.park_id;
