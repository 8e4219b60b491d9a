-- 演示目标测算基数(仅生成演示数据时使用):每个年度、范围与可设目标的指标,年初基数与该年最后一个可用季末的实际值及其时间占比。One row per (year, metric, chain_id, park_id).
-- 基数日期 = 上年 12 月 31 日(数据首个季末更晚时取首个季末);流量指标基数为 0。
WITH first_q AS (
    SELECT min(quarter_end) AS first_qe FROM dim_quarter
), years AS (
    SELECT year, max(quarter_end) AS last_qe, max(year_share) AS last_share,
           greatest(make_date(year - 1, 12, 31), (SELECT first_qe FROM first_q)) AS base_on
    FROM dim_quarter GROUP BY year
), long AS (
    UNPIVOT (
        SELECT quarter_end, chain_id, park_id,
               n_xjr::DOUBLE AS n_xjr, n_lgsx::DOUBLE AS n_lgsx,
               org_coverage_rate, work_coverage_rate, appeal_resolved_rate,
               n_problems_solved_ytd::DOUBLE AS n_problems_solved_ytd,
               n_pairing_activities_ytd::DOUBLE AS n_pairing_activities_ytd
        FROM mart_kpi
        WHERE (chain_id = '*' AND park_id NOT IN ('-')) OR (park_id = '*' AND chain_id NOT IN ('-'))
    ) ON n_xjr, n_lgsx, org_coverage_rate, work_coverage_rate, appeal_resolved_rate,
         n_problems_solved_ytd, n_pairing_activities_ytd
    INTO NAME metric VALUE value
)
SELECT y.year, l.metric, m.kind,
       CASE WHEN l.chain_id = '*' THEN NULL ELSE l.chain_id END AS chain_id,
       CASE WHEN l.park_id = '*' THEN NULL ELSE l.park_id END AS park_id,
       CASE WHEN m.kind = 'flow' THEN 0.0 ELSE b.value END AS base,
       l.value AS last_value, y.last_share
FROM years y
JOIN long l ON l.quarter_end = y.last_qe
JOIN dim_target_metric m ON m.metric = l.metric
LEFT JOIN long b ON b.quarter_end = y.base_on AND b.chain_id = l.chain_id AND b.park_id = l.park_id AND b.metric = l.metric
WHERE l.value IS NOT NULL
  AND (l.chain_id = '*' AND l.park_id = '*'
       OR (l.chain_id <> '*' AND l.metric IN ('n_xjr', 'org_coverage_rate', 'work_coverage_rate', 'appeal_resolved_rate',
                                              'n_problems_solved_ytd', 'n_pairing_activities_ytd'))
       OR (l.park_id <> '*' AND l.metric IN ('org_coverage_rate', 'work_coverage_rate', 'appeal_resolved_rate')))
ORDER BY y.year, l.metric, l.chain_id, l.park_id;
