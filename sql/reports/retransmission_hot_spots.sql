-- Retransmission hot spots: TCP servers (address, port) ranked by the
-- retransmissions of their flows, per sensor and capture.  Retransmissions
-- count every kind Wireshark flags (tcp.analysis.retransmission,
-- fast_retransmission, spurious_retransmission), per direction: c2s from
-- the clients, s2c from the server.  pct is retransmitted segments per
-- 100 packets of those flows.  Servers without any are left out.
--
--   sqlite3 -header -column DB < retransmission_hot_spots.sql
WITH cap AS (
    SELECT id,
           COALESCE(sensor, '-') AS sensor,
           replace(source, rtrim(source, replace(source, '/', '')), '')
               AS file
    FROM captures
)
SELECT cap.sensor,
       cap.id AS capture,
       cap.file,
       CASE WHEN f.ip_version = 6 THEN '[' || f.server_ip || ']'
            ELSE f.server_ip END || ':' || f.server_port AS server,
       group_concat(DISTINCT f.class) AS class,
       COUNT(*) AS flows,
       SUM(f.c2s_retrans) AS c2s_retrans,
       SUM(f.s2c_retrans) AS s2c_retrans,
       SUM(f.c2s_retrans + f.s2c_retrans) AS retrans,
       SUM(f.c2s_packets + f.s2c_packets) AS packets,
       printf('%.2f', 100.0 * SUM(f.c2s_retrans + f.s2c_retrans)
                      / SUM(f.c2s_packets + f.s2c_packets)) AS pct
FROM flows f
JOIN cap ON cap.id = f.capture_id
WHERE f.proto = 6
GROUP BY cap.sensor, cap.id, f.server_ip, f.server_port
HAVING SUM(f.c2s_retrans + f.s2c_retrans) > 0
ORDER BY cap.sensor, cap.id, retrans DESC, server;
