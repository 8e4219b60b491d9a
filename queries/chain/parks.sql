-- 一条产业链在各园区的企业分布与主要指标(含“园区外”)。One row per park that has enterprises of the chain, plus one for 园区外.
-- params: quarter_end, chain_id
-- rows: park_id
WITH k AS (
    SELECT park_id, n_enterprises, n_xjr, org_coverage_rate, work_coverage_rate, n_appeals_overdue
    FROM mart_kpi
    WHERE quarter_end = $quarter_end AND chain_id = $chain_id
)
SELECT k.park_id, p.name AS park_name, k.n_enterprises, k.n_xjr, k.org_coverage_rate,
       k.work_coverage_rate, k.n_appeals_overdue
FROM k JOIN parks p USING (park_id)
WHERE k.n_enterprises > 0
UNION ALL
SELECT '', '园区外', t.n_enterprises - CAST(coalesce((SELECT sum(n_enterprises) FROM k WHERE park_id <> '*'), 0) AS BIGINT),
       NULL, NULL, NULL, NULL
FROM k t WHERE t.park_id = '*'
ORDER BY n_enterprises DESC, park_id;
