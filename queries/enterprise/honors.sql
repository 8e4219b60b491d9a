-- 单个企业的荣誉认定及季末状态(有效/已到期/已撤销/未生效)。One row per honour record.
-- params: enterprise_id, quarter_end
SELECT h.honor, h.batch, h.awarded_on, h.expires_on, h.revoked_on,
       CASE WHEN h.awarded_on > $quarter_end THEN '未生效'
            WHEN h.revoked_on IS NOT NULL AND h.revoked_on <= $quarter_end THEN '已撤销'
            WHEN h.expires_on IS NOT NULL AND h.expires_on <= $quarter_end THEN '已到期'
            ELSE '有效' END AS status
FROM honors h
WHERE h.enterprise_id = $enterprise_id
ORDER BY h.awarded_on DESC, h.honor;
