-- 企业培育梯度:各级认定(创新型中小企业→单项冠军、两高四新、高新技术企业)的在营有效企业数,本季、上季、上年同季及本季新增(本季有效且上季末未有效)。One row per honor level.
-- params: quarter_end, chain_id, park_id
WITH q AS (
    SELECT quarter_end, prev_quarter_end, yoy_quarter_end FROM dim_quarter WHERE quarter_end = $quarter_end
), scoped AS (
    SELECT eq.quarter_end, eq.enterprise_id,
           eq.is_cxx, eq.is_sjzjtx, eq.is_xjr, eq.is_dxgj, eq.is_lgsx, eq.is_gxjs
    FROM mart_enterprise_quarter eq, q
    WHERE eq.quarter_end IN (q.quarter_end, q.prev_quarter_end, q.yoy_quarter_end)
      AND (eq.is_cxx OR eq.is_sjzjtx OR eq.is_xjr OR eq.is_dxgj OR eq.is_lgsx OR eq.is_gxjs)
      AND eq.enterprise_id IN (SELECT enterprise_id FROM dim_scope_enterprise WHERE chain_id = $chain_id AND park_id = $park_id)
), flags AS (
    UNPIVOT scoped ON is_cxx, is_sjzjtx, is_xjr, is_dxgj, is_lgsx, is_gxjs INTO NAME flag VALUE held
), per_enterprise AS (
    SELECT f.flag, f.enterprise_id,
           bool_or(f.held AND f.quarter_end = q.quarter_end) AS now_held,
           bool_or(f.held AND f.quarter_end = q.prev_quarter_end) AS prev_held,
           bool_or(f.held AND f.quarter_end = q.yoy_quarter_end) AS yoy_held
    FROM flags f, q
    GROUP BY ALL
), levels AS (
    SELECT * FROM (VALUES ('is_cxx', 'n_cxx', 1), ('is_sjzjtx', 'n_sjzjtx', 2), ('is_xjr', 'n_xjr', 3),
                          ('is_dxgj', 'n_dxgj', 4), ('is_lgsx', 'n_lgsx', 5), ('is_gxjs', 'n_gxjs', 6))
           AS t(flag, kpi_key, level_order)
)
SELECT l.kpi_key, l.level_order,
       count(*) FILTER (WHERE p.now_held) AS n_now,
       count(*) FILTER (WHERE p.prev_held) AS n_prev,
       count(*) FILTER (WHERE p.yoy_held) AS n_yoy,
       count(*) FILTER (WHERE p.now_held AND NOT p.prev_held) AS n_new
FROM levels l
LEFT JOIN per_enterprise p USING (flag)
GROUP BY ALL
ORDER BY l.level_order;
