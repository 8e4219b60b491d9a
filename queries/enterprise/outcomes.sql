-- 派驻该企业的第一书记的成效记录(截至季末):类型、数量、事项、日期、是否典型案例。One row per outcome.
-- params: enterprise_id, quarter_end
SELECT o.outcome_id, s.name AS secretary_name, o.occurred_on, o.kind, o.n, o.title, o.is_case
FROM secretaries s
JOIN secretary_outcomes o ON o.secretary_id = s.secretary_id
WHERE s.enterprise_id = $enterprise_id AND o.occurred_on <= $quarter_end
ORDER BY o.occurred_on DESC, o.outcome_id;
