-- Failing flows: every flow that at least one finding names, per sensor
-- and capture, with the worst severity, the finding kinds, the
-- requirements they bear on and the first frame to look at (1-based, as
-- Wireshark numbers the capture file's frames).  Findings that name no
-- flow (flow_id NULL) are not listed.
--
--   sqlite3 -header -column DB < failing_flows.sql
WITH cap AS (
    SELECT id,
           COALESCE(sensor, '-') AS sensor,
           replace(source, rtrim(source, replace(source, '/', '')), '')
               AS file
    FROM captures
),
fd AS (
    SELECT * FROM findings
    WHERE flow_id IS NOT NULL
    ORDER BY capture_id, flow_id, kind, requirement
)
SELECT cap.sensor,
       cap.id AS capture,
       cap.file,
       f.id AS flow,
       CASE f.proto WHEN 6 THEN 'tcp' WHEN 17 THEN 'udp'
                    ELSE CAST(f.proto AS TEXT) END AS proto,
       CASE WHEN f.ip_version = 6 THEN '[' || f.client_ip || ']'
            ELSE f.client_ip END || ':' || f.client_port AS client,
       CASE WHEN f.ip_version = 6 THEN '[' || f.server_ip || ']'
            ELSE f.server_ip END || ':' || f.server_port AS server,
       f.class,
       COALESCE(f.tcp_state, '') AS tcp_state,
       CASE MIN(CASE fd.severity WHEN 'error' THEN 1
                                 WHEN 'warning' THEN 2 ELSE 3 END)
            WHEN 1 THEN 'error' WHEN 2 THEN 'warning' ELSE 'info'
       END AS worst,
       COUNT(*) AS findings,
       group_concat(DISTINCT fd.kind) AS kinds,
       COALESCE(group_concat(DISTINCT fd.requirement), '') AS requirements,
       MIN(fd.first_packet) AS first_packet
FROM fd
JOIN flows f ON f.id = fd.flow_id
JOIN cap ON cap.id = fd.capture_id
GROUP BY cap.sensor, cap.id, f.id
ORDER BY cap.sensor, cap.id, f.id;
