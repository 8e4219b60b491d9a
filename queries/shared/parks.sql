-- 园区清单及园长制信息、坐标。One row per park.
-- params: none
SELECT p.park_id, p.name, p.park_type, p.lon, p.lat, p.has_park_chief, p.chief_unit_id,
       u.name AS chief_unit_name, p.mechanism
FROM parks p
LEFT JOIN units u ON u.unit_id = p.chief_unit_id
ORDER BY p.park_id;
