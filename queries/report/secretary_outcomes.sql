-- 第一书记本季各类成效(数量之和与记录数),按派驻企业所在链/园归属。One row per outcome kind with records this quarter.
-- params: quarter_end, chain_id, park_id
SELECT o.kind, CAST(sum(o.n) AS BIGINT) AS n, count(*) AS n_records, count(*) FILTER (WHERE o.is_case) AS n_cases
FROM secretary_outcomes o
JOIN secretaries s USING (secretary_id)
JOIN enterprises e ON e.enterprise_id = s.enterprise_id
WHERE o.occurred_on BETWEEN CAST(date_trunc('quarter', $quarter_end) AS DATE) AND $quarter_end
  AND s.enterprise_id IN (SELECT enterprise_id FROM dim_scope_enterprise WHERE chain_id = $chain_id AND park_id = $park_id)
GROUP BY ALL
ORDER BY n DESC, o.kind;
