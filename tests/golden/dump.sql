-- A stable, reviewable dump of a ringscope database for golden tests:
-- fixed column lists, fixed ordering, times printed to the microsecond,
-- and nothing that depends on the machine (paths of temporary files,
-- command lines, tool version).
.headers on
.mode list
.separator |
.nullvalue NULL
SELECT id, source, link_type, packets, bytes, drops,
       printf('%.6f', first_ts) AS first_ts, printf('%.6f', last_ts) AS last_ts,
       flows, flows_evicted, interrupted, read_error, complete
  FROM captures ORDER BY id;
SELECT capture_id, anomaly, count FROM decode_anomalies
 ORDER BY capture_id, anomaly;
SELECT id, capture_id, ip_version, proto, client_ip, client_port, server_ip,
       server_port, vlan, printf('%.6f', first_ts) AS first_ts,
       printf('%.6f', last_ts) AS last_ts, first_packet,
       c2s_packets, s2c_packets, c2s_bytes, s2c_bytes, client_side,
       server_side, orientation, class, classified_by, hostname, ndpi_proto,
       tcp_state, c2s_retrans, s2c_retrans, c2s_dscp, s2c_dscp, end_reason
  FROM flows ORDER BY capture_id, first_packet, id;
SELECT capture_id, flow_id, kind, severity, requirement, first_packet,
       printf('%.6f', ts) AS ts, summary
  FROM findings ORDER BY capture_id, first_packet, kind, flow_id, summary;
