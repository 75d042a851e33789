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
SELECT capture_id, flow_id, direction, flag, count, first_packets
  FROM tcp_analysis ORDER BY capture_id, flow_id, direction, flag;
SELECT capture_id, requirement, set_name, verdict, severity, check_kind,
       summary, evidence, fix
  FROM requirements ORDER BY capture_id, requirement, set_name;
SELECT capture_id, flow_id, packet, client_ip, server_ip, transport,
       query_name, query_type, rcode, answers, ttl_min, response_packet
  FROM dns ORDER BY capture_id, packet, query_name, query_type;
SELECT capture_id, flow_id, packet, direction, method, status, cseq,
       cseq_method, via_received, via_rport, contact, sdp_c, sdp_m,
       retransmission, malformed
  FROM sip_messages ORDER BY capture_id, packet, id;
SELECT capture_id, state, from_uri, to_uri, first_packet, final_status,
       messages, retransmissions
  FROM calls ORDER BY capture_id, first_packet, call_id;
SELECT capture_id, flow_id, ssrc, direction, payload_type, packets, lost,
       printf('%.3f', jitter_ms) AS jitter_ms,
       printf('%.3f', max_delta_ms) AS max_delta_ms,
       printf('%.2f', mos) AS mos, first_packet, dscp
  FROM rtp_streams ORDER BY capture_id, flow_id, direction, ssrc;
SELECT capture_id, flow_id, packet, requester_ip, mapped_ip, mapped_port,
       address_kind
  FROM stun_mappings ORDER BY capture_id, packet;
