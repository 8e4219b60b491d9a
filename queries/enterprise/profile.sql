-- 单个企业基本信息:名称、统一社会信用代码、园区、镇街、规模、从业人员、营收(万元)、成立/注销日期。One row (or none).
-- params: enterprise_id
SELECT e.enterprise_id, e.name, e.uscc, e.park_id, p.name AS park_name, e.street, e.size, e.employees,
       e.revenue_10k, e.founded_on, e.closed_on
FROM enterprises e
LEFT JOIN parks p ON p.park_id = e.park_id
WHERE e.enterprise_id = $enterprise_id;
