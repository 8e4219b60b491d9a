-- 超期未办结诉求按超期时长分档(≤30 / 31–90 / 91–180 / >180 天,取自 mart_open_appeal),含 0 件的档。One row per (overdue_bucket).
-- params: quarter_end, chain_id, park_id
WITH b(overdue_bucket, overdue_bucket_label) AS (
    VALUES (1, '≤30天'), (2, '31–90天'), (3, '91–180天'), (4, '>180天')
), o AS (
    SELECT overdue_bucket, count(*) AS n_overdue, max(days_overdue) AS max_days_overdue
    FROM mart_open_appeal
    WHERE quarter_end = $quarter_end AND is_overdue
      AND ($chain_id = '*' OR coalesce(chain_id, '-') = $chain_id)
      AND ($park_id = '*' OR coalesce(park_id, '-') = $park_id)
    GROUP BY overdue_bucket
)
SELECT b.overdue_bucket, b.overdue_bucket_label, coalesce(o.n_overdue, 0) AS n_overdue, o.max_days_overdue
FROM b LEFT JOIN o USING (overdue_bucket)
ORDER BY b.overdue_bucket;
