-- 数据集市(第二阶段):年度目标完成进度与红黄绿状态。Run after `targets` is loaded.
-- 进度 = 实际值 ÷ 年度目标;绿:进度 ≥ 当年已过时间占比;黄:低于占比 10 个百分点以内;红:其余。
-- One row per (quarter_end, chain_id, park_id, metric) that has a target for the quarter's year.
CREATE TABLE mart_target_status AS
WITH k AS (
    UNPIVOT (
        SELECT quarter_end, chain_id, park_id,
               n_xjr::DOUBLE AS n_xjr, n_lgsx::DOUBLE AS n_lgsx,
               org_coverage_rate, work_coverage_rate, appeal_resolved_rate,
               n_problems_solved_ytd::DOUBLE AS n_problems_solved_ytd,
               n_pairing_activities_ytd::DOUBLE AS n_pairing_activities_ytd
        FROM mart_kpi
    ) ON n_xjr, n_lgsx, org_coverage_rate, work_coverage_rate, appeal_resolved_rate,
         n_problems_solved_ytd, n_pairing_activities_ytd
    INTO NAME metric VALUE actual
), joined AS (
    SELECT k.quarter_end, k.chain_id, k.park_id, k.metric, k.actual, t.target_value,
           k.actual / nullif(t.target_value, 0) AS progress, q.year_share
    FROM k
    JOIN dim_quarter q USING (quarter_end)
    JOIN targets t
      ON t.year = q.year AND t.metric = k.metric
     AND coalesce(t.chain_id, '*') = k.chain_id AND coalesce(t.park_id, '*') = k.park_id
)
SELECT *,
       CASE WHEN progress >= year_share THEN '绿'
            WHEN progress >= year_share - 0.10 THEN '黄'
            ELSE '红' END AS status
FROM joined
ORDER BY quarter_end, chain_id, park_id, metric;
