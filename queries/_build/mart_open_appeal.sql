-- 未办结诉求(唯一口径):季末 Q 已收到(received_on ≤ Q)且未办结(resolved_on 为空或 > Q)的诉求;超期 = 办理期限 due_on < Q,超期天数 = Q − due_on,按 ≤30 / 31–90 / 91–180 / >180 天分档。One row per (quarter_end, appeal_id).
-- chain_id / park_id 为诉求登记的产业链、园区(可为空:未归链 / 未入园)。
CREATE TABLE mart_open_appeal AS
SELECT q.quarter_end, a.appeal_id, a.enterprise_id, a.chain_id, a.park_id, a.source, a.category, a.meeting_id,
       a.handler_unit_id, a.received_on, a.transferred_on, a.due_on,
       CAST(q.quarter_end - a.received_on AS INTEGER) AS days_open,
       a.due_on < q.quarter_end AS is_overdue,
       greatest(CAST(q.quarter_end - a.due_on AS INTEGER), 0) AS days_overdue,
       CASE WHEN a.due_on >= q.quarter_end THEN NULL
            WHEN q.quarter_end - a.due_on <= 30 THEN 1
            WHEN q.quarter_end - a.due_on <= 90 THEN 2
            WHEN q.quarter_end - a.due_on <= 180 THEN 3
            ELSE 4 END AS overdue_bucket,
       CASE WHEN a.due_on >= q.quarter_end THEN NULL
            WHEN q.quarter_end - a.due_on <= 30 THEN '≤30天'
            WHEN q.quarter_end - a.due_on <= 90 THEN '31–90天'
            WHEN q.quarter_end - a.due_on <= 180 THEN '91–180天'
            ELSE '>180天' END AS overdue_bucket_label
FROM appeals a
JOIN dim_quarter q ON a.received_on <= q.quarter_end AND (a.resolved_on IS NULL OR a.resolved_on > q.quarter_end)
ORDER BY q.quarter_end, a.appeal_id;
