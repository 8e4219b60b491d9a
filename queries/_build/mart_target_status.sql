-- 年度目标判断(督办的唯一口径):每个季末 Q、每个设有当年目标的范围与指标,给出类型、年初基数、实际、时序目标(应达)、年度目标、状态、差距、全年预计与责任单位。One row per (quarter_end, chain_id, park_id, metric).
-- “时间过半、任务过半”:s = 季度数 ÷ 4。流量指标(年内累计)基数 0、应达 = 目标 × s;存量与比率指标基数 = 上年 12 月 31 日的值(数据首个季末更晚时取首个季末),应达 = 基数 + (目标 − 基数) × s。
-- 状态:实际 ≥ 目标或 ≥ 应达 → 绿(正常);实际 ≥ 应达 − 10% × 全年计划量(流量 = 目标,存量/比率 = |目标 − 基数|)→ 黄(关注);否则 → 红(滞后)。
-- 全年预计:流量 实际 ÷ s;存量/比率 基数 + (实际 − 基数) ÷ s。差距 = 实际 − 应达(负数为落后)。
-- 责任:产业链为链长职务与牵头部门,园区为园长单位,全区为全区。范围键 '*' 为全部(与 mart_kpi 相同)。
CREATE TABLE mart_target_status AS
WITH k AS (
    UNPIVOT (
        SELECT quarter_end, chain_id, park_id,
               n_xjr::DOUBLE AS n_xjr, n_lgsx::DOUBLE AS n_lgsx,
               org_coverage_rate, work_coverage_rate, appeal_resolved_rate,
               n_problems_solved_ytd::DOUBLE AS n_problems_solved_ytd,
               n_pairing_activities_ytd::DOUBLE AS n_pairing_activities_ytd
        FROM mart_kpi
        WHERE chain_id <> '-' AND park_id <> '-'
    ) ON n_xjr, n_lgsx, org_coverage_rate, work_coverage_rate, appeal_resolved_rate,
         n_problems_solved_ytd, n_pairing_activities_ytd
    INTO NAME metric VALUE actual
), t AS (
    SELECT t.year, t.metric, coalesce(t.chain_id, '*') AS chain_id, coalesce(t.park_id, '*') AS park_id,
           t.target_value
    FROM targets t
), j AS (
    SELECT q.quarter_end, q.label AS quarter_label, q.year, q.quarter, q.year_share,
           t.chain_id, t.park_id, t.metric, m.label, m.kind, m.unit, m.sort,
           greatest(make_date(q.year - 1, 12, 31), (SELECT min(quarter_end) FROM dim_quarter)) AS base_on,
           k.actual, t.target_value
    FROM t
    JOIN dim_quarter q ON q.year = t.year
    JOIN dim_target_metric m ON m.metric = t.metric
    LEFT JOIN k ON k.quarter_end = q.quarter_end AND k.chain_id = t.chain_id AND k.park_id = t.park_id
               AND k.metric = t.metric
), b AS (
    SELECT j.*,
           CASE WHEN j.kind = 'flow' THEN 0.0 ELSE coalesce(kb.actual, 0.0) END AS base
    FROM j
    LEFT JOIN k kb ON kb.quarter_end = j.base_on AND kb.chain_id = j.chain_id AND kb.park_id = j.park_id
                  AND kb.metric = j.metric
), e AS (
    SELECT b.*,
           CASE WHEN kind = 'flow' THEN target_value * year_share
                ELSE base + (target_value - base) * year_share END AS expected,
           CASE WHEN kind = 'flow' THEN target_value ELSE abs(target_value - base) END AS planned
    FROM b
), s AS (
    SELECT e.*,
           CASE WHEN actual >= target_value OR actual >= expected THEN '绿'
                WHEN actual >= expected - 0.10 * planned THEN '黄'
                ELSE '红' END AS status,
           actual - expected AS gap,
           CASE WHEN kind = 'flow' THEN actual / year_share
                ELSE base + (actual - base) / year_share END AS forecast
    FROM e
)
SELECT s.quarter_end, s.quarter_label, s.year, s.quarter, s.year_share,
       s.chain_id, s.park_id,
       CASE WHEN s.chain_id <> '*' THEN 'chain' WHEN s.park_id <> '*' THEN 'park' ELSE 'district' END AS scope_type,
       CASE WHEN s.chain_id <> '*' THEN s.chain_id WHEN s.park_id <> '*' THEN s.park_id END AS scope_id,
       CASE WHEN s.chain_id <> '*' THEN c.name WHEN s.park_id <> '*' THEN p.name ELSE '全区' END AS scope_name,
       s.metric, s.label, s.kind, s.unit, s.sort,
       s.base_on, s.base, s.actual, s.expected, s.target_value, s.planned,
       s.status,
       CASE s.status WHEN '红' THEN 0 WHEN '黄' THEN 1 ELSE 2 END AS status_rank,
       s.gap,
       s.gap / nullif(s.planned, 0) AS gap_share,
       s.forecast,
       s.forecast / nullif(s.target_value, 0) AS forecast_rate,
       CASE WHEN s.chain_id <> '*' THEN c.leader_title
            WHEN s.park_id <> '*' THEN '园区' ELSE '全区' END AS responsible_title,
       CASE WHEN s.chain_id <> '*' THEN cu.name
            WHEN s.park_id <> '*' THEN coalesce(pu.name, '未设园长单位') ELSE '全区' END AS responsible_unit,
       CASE WHEN s.chain_id <> '*' THEN '链长:' || c.leader_title || ' · 牵头部门:' || coalesce(cu.name, c.lead_unit_id)
            WHEN s.park_id <> '*' THEN coalesce('园长单位:' || pu.name, '园区未设园长单位')
            ELSE '全区' END AS responsible
FROM s
LEFT JOIN chains c ON c.chain_id = s.chain_id
LEFT JOIN units cu ON cu.unit_id = c.lead_unit_id
LEFT JOIN parks p ON p.park_id = s.park_id
LEFT JOIN units pu ON pu.unit_id = p.chief_unit_id
ORDER BY s.quarter_end, status_rank, scope_type, s.chain_id, s.park_id, s.sort;
