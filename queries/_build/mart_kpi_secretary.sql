-- 第一书记类指标(按派驻企业所在链/园归属,范围取自桥表 dim_scope_enterprise)。One row per (quarter_end, chain_id, park_id).
CREATE TABLE mart_kpi_secretary AS
WITH scoped AS (
    SELECT b.chain_id, b.park_id, s.*
    FROM secretaries s
    JOIN dim_scope_enterprise b ON b.enterprise_id = s.enterprise_id
), active AS (
    SELECT q.quarter_end, sc.chain_id, sc.park_id,
           count(*) AS n_secretaries,
           count(DISTINCT sc.enterprise_id) AS n_secretary_enterprises,
           count(DISTINCT sc.source_unit_id) AS n_secretary_units
    FROM scoped sc
    JOIN dim_quarter q ON sc.started_on <= q.quarter_end AND (sc.ended_on IS NULL OR sc.ended_on > q.quarter_end)
    GROUP BY ALL
), outcomes AS (
    SELECT q.quarter_end, sc.chain_id, sc.park_id,
           coalesce(sum(o.n) FILTER (WHERE o.kind = '解决问题' AND o.occurred_on >= q.quarter_start), 0) AS n_problems_solved,
           coalesce(sum(o.n) FILTER (WHERE o.kind = '解决问题' AND o.occurred_on >= q.year_start), 0) AS n_problems_solved_ytd,
           coalesce(sum(o.n) FILTER (WHERE o.kind = '解决问题'), 0) AS n_problems_solved_cum,
           coalesce(sum(o.n) FILTER (WHERE o.occurred_on >= q.quarter_start), 0) AS n_outcomes,
           count(*) FILTER (WHERE o.is_case AND o.occurred_on >= q.quarter_start) AS n_cases
    FROM secretary_outcomes o
    JOIN scoped sc USING (secretary_id)
    JOIN dim_quarter q ON o.occurred_on <= q.quarter_end
    GROUP BY ALL
)
SELECT coalesce(a.quarter_end, o.quarter_end) AS quarter_end,
       coalesce(a.chain_id, o.chain_id) AS chain_id,
       coalesce(a.park_id, o.park_id) AS park_id,
       coalesce(a.n_secretaries, 0) AS n_secretaries,
       coalesce(a.n_secretary_enterprises, 0) AS n_secretary_enterprises,
       coalesce(a.n_secretary_units, 0) AS n_secretary_units,
       coalesce(o.n_problems_solved, 0) AS n_problems_solved,
       coalesce(o.n_problems_solved_ytd, 0) AS n_problems_solved_ytd,
       coalesce(o.n_problems_solved_cum, 0) AS n_problems_solved_cum,
       coalesce(o.n_outcomes, 0) AS n_outcomes,
       coalesce(o.n_cases, 0) AS n_cases
FROM active a
FULL JOIN outcomes o ON a.quarter_end = o.quarter_end AND a.chain_id = o.chain_id AND a.park_id = o.park_id;
