-- 各产业链季末在岗第一书记(按派驻企业所属产业链,一企可属多链;园区筛选时为链×园交叉):人数、派出单位数、服务企业数、本季成效与解决问题数。One row per chain.
-- params: quarter_end, park_id
-- rows: chain_id
WITH s AS (
    SELECT s.secretary_id, s.source_unit_id, s.enterprise_id, ec.chain_id
    FROM secretaries s
    JOIN enterprises e ON e.enterprise_id = s.enterprise_id
    JOIN enterprise_chains ec ON ec.enterprise_id = s.enterprise_id
    WHERE s.started_on <= $quarter_end AND (s.ended_on IS NULL OR s.ended_on > $quarter_end)
      AND ($park_id = '*' OR e.park_id = $park_id)
), o AS (
    SELECT o.secretary_id, sum(o.n) AS n, coalesce(sum(o.n) FILTER (WHERE o.kind = '解决问题'), 0) AS n_problems
    FROM secretary_outcomes o
    WHERE o.occurred_on BETWEEN CAST(date_trunc('quarter', $quarter_end) AS DATE) AND $quarter_end
    GROUP BY o.secretary_id
)
SELECT c.chain_id, c.name AS chain_name,
       count(s.secretary_id) AS n_secretaries,
       count(DISTINCT s.source_unit_id) AS n_units,
       count(DISTINCT s.enterprise_id) AS n_enterprises,
       CAST(coalesce(sum(o.n), 0) AS BIGINT) AS n_outcomes,
       CAST(coalesce(sum(o.n_problems), 0) AS BIGINT) AS n_problems
FROM chains c
LEFT JOIN s ON s.chain_id = c.chain_id
LEFT JOIN o ON o.secretary_id = s.secretary_id
GROUP BY c.chain_id, c.name
ORDER BY n_secretaries DESC, c.chain_id;
