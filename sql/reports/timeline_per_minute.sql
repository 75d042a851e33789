-- Timeline: per sensor, capture and UTC minute, the flows that opened in
-- that minute (with all their packets and bytes, which may run into later
-- minutes: the database keeps flows, not packets) and the findings raised
-- in it, errors apart.  Minutes with neither are left out.
--
--   sqlite3 -header -column DB < timeline_per_minute.sql
WITH cap AS (
    SELECT id,
           COALESCE(sensor, '-') AS sensor,
           replace(source, rtrim(source, replace(source, '/', '')), '')
               AS file
    FROM captures
),
fl AS (
    SELECT capture_id,
           strftime('%Y-%m-%d %H:%M', first_ts, 'unixepoch') AS minute,
           COUNT(*) AS flows,
           SUM(c2s_packets + s2c_packets) AS packets,
           SUM(c2s_bytes + s2c_bytes) AS bytes
    FROM flows
    GROUP BY capture_id, minute
),
fd AS (
    SELECT capture_id,
           strftime('%Y-%m-%d %H:%M', ts, 'unixepoch') AS minute,
           COUNT(*) AS findings,
           SUM(severity = 'error') AS errors
    FROM findings
    WHERE ts IS NOT NULL
    GROUP BY capture_id, minute
),
minutes AS (
    SELECT capture_id, minute FROM fl
    UNION
    SELECT capture_id, minute FROM fd
)
SELECT cap.sensor,
       cap.id AS capture,
       cap.file,
       m.minute,
       COALESCE(fl.flows, 0) AS flows,
       COALESCE(fl.packets, 0) AS packets,
       COALESCE(fl.bytes, 0) AS bytes,
       COALESCE(fd.findings, 0) AS findings,
       COALESCE(fd.errors, 0) AS errors
FROM minutes m
JOIN cap ON cap.id = m.capture_id
LEFT JOIN fl ON fl.capture_id = m.capture_id AND fl.minute = m.minute
LEFT JOIN fd ON fd.capture_id = m.capture_id AND fd.minute = m.minute
ORDER BY cap.sensor, cap.id, m.minute;
