-- Top talkers by class: per sensor, capture and traffic class, the five
-- server addresses that exchanged the most bytes (frame bytes on the wire,
-- both directions, over all their flows of that class), with the class's
-- totals for scale.  rank 1 is the largest; ties go by address.
--
--   sqlite3 -header -column DB < top_talkers_by_class.sql
WITH cap AS (
    SELECT id,
           COALESCE(sensor, '-') AS sensor,
           replace(source, rtrim(source, replace(source, '/', '')), '')
               AS file
    FROM captures
),
talkers AS (
    SELECT capture_id, class, server_ip,
           COUNT(*) AS flows,
           SUM(c2s_packets + s2c_packets) AS packets,
           SUM(c2s_bytes + s2c_bytes) AS bytes
    FROM flows
    GROUP BY capture_id, class, server_ip
),
ranked AS (
    SELECT t.*,
           ROW_NUMBER() OVER (PARTITION BY capture_id, class
                              ORDER BY bytes DESC, server_ip) AS rank,
           SUM(bytes) OVER (PARTITION BY capture_id, class) AS class_bytes,
           SUM(flows) OVER (PARTITION BY capture_id, class) AS class_flows
    FROM talkers t
)
SELECT cap.sensor,
       cap.id AS capture,
       cap.file,
       r.class,
       r.rank,
       r.server_ip AS server,
       r.flows,
       r.packets,
       r.bytes,
       r.class_flows,
       r.class_bytes
FROM ranked r
JOIN cap ON cap.id = r.capture_id
WHERE r.rank <= 5
ORDER BY cap.sensor, cap.id, r.class_bytes DESC, r.class, r.rank;
