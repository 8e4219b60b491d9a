-- 数据仓库元信息:数据截至日期、数据版本、来源、装载时间。One row per key.
-- params: none
SELECT key, value FROM meta ORDER BY key;
