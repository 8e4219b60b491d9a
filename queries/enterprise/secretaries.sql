-- 派驻该企业的第一书记:姓名、派出单位、任期、季末是否在岗、累计成效数。One row per secretary.
-- params: enterprise_id, quarter_end
WITH s AS (SELECT * FROM secretaries WHERE enterprise_id = $enterprise_id AND started_on <= $quarter_end)
SELECT s.secretary_id, s.name, s.source_unit_id, u.name AS source_unit_name, s.started_on, s.ended_on,
       (s.ended_on IS NULL OR s.ended_on > $quarter_end) AS is_active,
       CAST(coalesce(sum(o.n), 0) AS BIGINT) AS n_outcomes,
       count(o.outcome_id) FILTER (WHERE o.is_case) AS n_cases
FROM s
LEFT JOIN units u ON u.unit_id = s.source_unit_id
LEFT JOIN secretary_outcomes o ON o.secretary_id = s.secretary_id AND o.occurred_on <= $quarter_end
GROUP BY ALL
ORDER BY s.started_on DESC, s.secretary_id;
