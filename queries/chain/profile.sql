-- 一条产业链的链长制架构:链长职务、牵头部门、配合单位名称与覆盖模式。One row (the chain).
-- params: chain_id
SELECT c.chain_id, c.name AS chain_name, c.leader_title, c.coverage_mode,
       c.lead_unit_id, lu.name AS lead_unit_name,
       (SELECT string_agg(coalesce(u.name, x.unit_id), '、' ORDER BY x.pos)
          FROM (SELECT unnest(c.partner_unit_ids) AS unit_id,
                       generate_subscripts(c.partner_unit_ids, 1) AS pos) x
          LEFT JOIN units u ON u.unit_id = x.unit_id) AS partner_unit_names,
       len(c.partner_unit_ids) AS n_partner_units
FROM chains c
LEFT JOIN units lu ON lu.unit_id = c.lead_unit_id
WHERE c.chain_id = $chain_id;
