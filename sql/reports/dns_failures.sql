-- DNS failures: queries answered with an error rcode (NXDOMAIN,
-- SERVFAIL, REFUSED, ...) or not answered within 5 s (TIMEOUT), per
-- sensor and capture, grouped by name, type, server and outcome, with
-- the first query's frame and time (UTC).  Queries whose outcome is
-- unknown because the capture ended first (rcode NULL) are left out.
--
--   sqlite3 -header -column DB < dns_failures.sql
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
       d.query_name,
       COALESCE(d.query_type, '?') AS query_type,
       d.rcode,
       d.server_ip AS server,
       COUNT(*) AS queries,
       MIN(COALESCE(d.packet, d.response_packet)) AS first_packet,
       strftime('%Y-%m-%d %H:%M:%S', MIN(d.ts), 'unixepoch') AS first_utc
FROM dns d
JOIN cap ON cap.id = d.capture_id
WHERE d.rcode IS NOT NULL AND d.rcode <> 'NOERROR'
GROUP BY cap.sensor, cap.id, d.query_name, d.query_type, d.rcode,
         d.server_ip
ORDER BY cap.sensor, cap.id, first_packet;
