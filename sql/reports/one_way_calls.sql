-- One-way calls: SIP calls whose RTP flowed in one direction only (media
-- streams tied to the call by SDP, counted from the caller's side: sent
-- by the caller's address, or to it), or whose media flows carry a
-- one_way_media finding; and one_way_media findings on media that no SIP
-- call in the capture describes (WebRTC, say), with call_id '-'.
-- silent says which direction carried nothing.
--
--   sqlite3 -header -column DB < one_way_calls.sql
WITH cap AS (
    SELECT id,
           COALESCE(sensor, '-') AS sensor,
           replace(source, rtrim(source, replace(source, '/', '')), '')
               AS file
    FROM captures
),
media AS (
    SELECT c.id AS call_row,
           COUNT(s.id) AS streams,
           COALESCE(SUM(CASE WHEN s.src_ip = c.caller_ip
                             THEN s.packets END), 0) AS from_caller,
           COALESCE(SUM(CASE WHEN s.src_ip <> c.caller_ip
                             THEN s.packets END), 0) AS to_caller
    FROM calls c
    LEFT JOIN rtp_streams s
           ON s.capture_id = c.capture_id AND s.call_id = c.call_id
    GROUP BY c.id
),
call_findings AS (
    SELECT c.id AS call_row, COUNT(DISTINCT fd.id) AS one_way_findings,
           MIN(fd.first_packet) AS first_packet
    FROM calls c
    JOIN rtp_streams s
      ON s.capture_id = c.capture_id AND s.call_id = c.call_id
    JOIN findings fd
      ON fd.flow_id = s.flow_id AND fd.kind = 'one_way_media'
    GROUP BY c.id
),
rows AS (
    SELECT cap.sensor, cap.id AS capture, cap.file,
           c.call_id, c.state,
           c.caller_ip || ':' || COALESCE(c.caller_port, '') AS caller,
           c.callee_ip || ':' || COALESCE(c.callee_port, '') AS callee,
           m.from_caller AS rtp_from_caller,
           m.to_caller AS rtp_to_caller,
           CASE WHEN m.from_caller > 0 AND m.to_caller = 0 THEN 'to caller'
                WHEN m.to_caller > 0 AND m.from_caller = 0
                     THEN 'from caller'
                WHEN m.streams = 0 THEN 'both'
                ELSE '' END AS silent,
           COALESCE(cf.one_way_findings, 0) AS one_way_findings,
           COALESCE(cf.first_packet, c.first_packet) AS first_packet
    FROM calls c
    JOIN media m ON m.call_row = c.id
    JOIN cap ON cap.id = c.capture_id
    LEFT JOIN call_findings cf ON cf.call_row = c.id
    WHERE (m.streams > 0 AND (m.from_caller = 0 OR m.to_caller = 0))
       OR cf.one_way_findings > 0
    UNION ALL
    SELECT cap.sensor, cap.id, cap.file, '-', '-',
           f.client_ip || ':' || f.client_port,
           f.server_ip || ':' || f.server_port,
           f.c2s_packets, f.s2c_packets,
           CASE WHEN f.s2c_packets = 0 THEN 'to caller'
                WHEN f.c2s_packets = 0 THEN 'from caller'
                ELSE '' END,
           1, fd.first_packet
    FROM findings fd
    JOIN flows f ON f.id = fd.flow_id
    JOIN cap ON cap.id = fd.capture_id
    WHERE fd.kind = 'one_way_media'
      AND NOT EXISTS (SELECT 1 FROM rtp_streams s
                      JOIN calls c ON c.capture_id = s.capture_id
                                  AND c.call_id = s.call_id
                      WHERE s.flow_id = fd.flow_id)
)
SELECT * FROM rows
ORDER BY sensor, capture, first_packet, call_id;
