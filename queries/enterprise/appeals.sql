-- 该企业截至季末提出的全部诉求及季末办理状态(已办结/超期未办结/办理中)。One row per appeal.
-- params: enterprise_id, quarter_end
SELECT a.appeal_id, a.received_on, a.source, a.category, u.name AS handler_unit_name, a.transferred_on,
       a.due_on, CASE WHEN a.resolved_on <= $quarter_end THEN a.resolved_on END AS resolved_on,
       CASE WHEN a.resolved_on <= $quarter_end THEN '已办结'
            WHEN a.due_on < $quarter_end THEN '超期未办结'
            ELSE '办理中' END AS status,
       CASE WHEN a.resolved_on <= $quarter_end THEN a.satisfaction END AS satisfaction
FROM appeals a
LEFT JOIN units u ON u.unit_id = a.handler_unit_id
WHERE a.enterprise_id = $enterprise_id AND a.received_on <= $quarter_end
ORDER BY a.received_on DESC, a.appeal_id;
