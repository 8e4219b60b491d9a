-- 产业链清单及链长、牵头部门、覆盖模式。One row per chain.
-- params: none
SELECT c.chain_id, c.name, c.leader_title, c.lead_unit_id, u.name AS lead_unit_name,
       c.partner_unit_ids, c.coverage_mode
FROM chains c
LEFT JOIN units u ON u.unit_id = c.lead_unit_id
ORDER BY c.chain_id;
