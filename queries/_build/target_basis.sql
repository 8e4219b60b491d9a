-- 目标测算基数:各年度最后一个可用季度的指标值(流量指标按全年折算),用于生成演示年度目标。
-- One row per (year, metric, chain_id, park_id) that gets a target.
WITH last_q AS (
    SELECT year, max(quarter_end) AS quarter_end, max(year_share) AS year_share FROM dim_quarter GROUP BY year
), k AS (
    SELECT l.year, l.year_share, m.*
    FROM mart_kpi m JOIN last_q l USING (quarter_end)
    WHERE m.chain_id = '*' OR m.park_id = '*'
), long AS (
    UNPIVOT (
        SELECT year, year_share, chain_id, park_id,
               n_xjr::DOUBLE AS n_xjr, n_lgsx::DOUBLE AS n_lgsx,
               org_coverage_rate, work_coverage_rate, appeal_resolved_rate,
               n_problems_solved_ytd / year_share AS n_problems_solved_ytd,
               n_pairing_activities_ytd / year_share AS n_pairing_activities_ytd
        FROM k
    ) ON n_xjr, n_lgsx, org_coverage_rate, work_coverage_rate, appeal_resolved_rate,
         n_problems_solved_ytd, n_pairing_activities_ytd
    INTO NAME metric VALUE value
)
SELECT year, metric,
       CASE WHEN chain_id = '*' THEN NULL ELSE chain_id END AS chain_id,
       CASE WHEN park_id = '*' THEN NULL ELSE park_id END AS park_id,
       value
FROM long
WHERE value IS NOT NULL
  AND (chain_id = '*' AND park_id = '*'
       OR (chain_id <> '*' AND metric IN ('n_xjr', 'org_coverage_rate', 'work_coverage_rate', 'appeal_resolved_rate',
                                          'n_problems_solved_ytd', 'n_pairing_activities_ytd'))
       OR (park_id <> '*' AND metric IN ('org_coverage_rate', 'work_coverage_rate', 'appeal_resolved_rate')))
  AND (metric LIKE '%rate' OR value > 0)
ORDER BY year, metric, chain_id NULLS FIRST, park_id NULLS FIRST;
