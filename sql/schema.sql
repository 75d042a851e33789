-- ringscope database schema, version 1.
--
-- Times are UTC epoch seconds (REAL, microsecond precision); byte counts
-- are frame bytes on the wire; addresses are text in their usual notation.
-- The names in SPEC 6a (tables, columns, finding kinds) are a public
-- interface: add columns freely, rename or drop only with a migration.
-- user_version is the schema version; how it changes and how older
-- databases are migrated is in sql/README.md.

PRAGMA user_version = 1;

CREATE TABLE IF NOT EXISTS captures (
    id            INTEGER PRIMARY KEY,
    source        TEXT NOT NULL,          -- file path or interface name
    link_type     TEXT,                   -- DLT name, e.g. EN10MB
    packets       INTEGER NOT NULL DEFAULT 0,
    bytes         INTEGER NOT NULL DEFAULT 0,
    drops         INTEGER NOT NULL DEFAULT 0,  -- kernel drops (live)
    if_drops      INTEGER NOT NULL DEFAULT 0,
    first_ts      REAL,
    last_ts       REAL,
    profile       TEXT,                   -- the requirement profile, verbatim
    profile_name  TEXT,
    tool_version  TEXT NOT NULL,
    command_line  TEXT,
    filter        TEXT,                   -- BPF expression, if any
    sensor        TEXT,
    flows         INTEGER NOT NULL DEFAULT 0,
    flows_evicted INTEGER NOT NULL DEFAULT 0,
    interrupted   INTEGER NOT NULL DEFAULT 0,  -- 1: stopped before the end
    read_error    TEXT,                   -- why reading stopped early
    complete      INTEGER NOT NULL DEFAULT 0   -- 1 once the capture ended
);

-- Decoder anomaly counters per capture (truncated or malformed layers).
CREATE TABLE IF NOT EXISTS decode_anomalies (
    capture_id    INTEGER NOT NULL REFERENCES captures(id),
    anomaly       TEXT NOT NULL,
    count         INTEGER NOT NULL,
    PRIMARY KEY (capture_id, anomaly)
);

CREATE TABLE IF NOT EXISTS flows (
    id            INTEGER PRIMARY KEY,
    capture_id    INTEGER NOT NULL REFERENCES captures(id),
    ip_version    INTEGER NOT NULL,
    proto         INTEGER NOT NULL,       -- IP protocol number
    client_ip     TEXT NOT NULL,
    client_port   INTEGER NOT NULL,
    server_ip     TEXT NOT NULL,
    server_port   INTEGER NOT NULL,
    vlan          INTEGER NOT NULL DEFAULT 0,
    first_ts      REAL NOT NULL,
    last_ts       REAL NOT NULL,
    first_packet  INTEGER NOT NULL,       -- frame number that opened it
    c2s_packets   INTEGER NOT NULL,
    s2c_packets   INTEGER NOT NULL,
    c2s_bytes     INTEGER NOT NULL,
    s2c_bytes     INTEGER NOT NULL,
    c2s_payload_bytes INTEGER NOT NULL DEFAULT 0,
    s2c_payload_bytes INTEGER NOT NULL DEFAULT 0,
    client_side   TEXT NOT NULL,          -- inside | outside
    server_side   TEXT NOT NULL,
    orientation   TEXT,                   -- syn | port | first
    class         TEXT NOT NULL DEFAULT 'other',
    classified_by TEXT,                   -- port | range | sni | dns | http-host | ndpi
    hostname      TEXT,
    ndpi_proto    TEXT,
    ndpi_category TEXT,
    tcp_state     TEXT,                   -- NULL for non-TCP
    tcp_rtt_ms    REAL,
    c2s_tcp_flags INTEGER NOT NULL DEFAULT 0,
    s2c_tcp_flags INTEGER NOT NULL DEFAULT 0,
    c2s_retrans   INTEGER NOT NULL DEFAULT 0,  -- plain + fast + spurious
    s2c_retrans   INTEGER NOT NULL DEFAULT 0,
    c2s_dscp      TEXT,                   -- DSCP values seen, e.g. '0,46'
    s2c_dscp      TEXT,
    end_reason    TEXT,                   -- idle | closed | evicted | capture_end
    tls_version   TEXT,                   -- chosen by the ServerHello, e.g. 'TLS 1.3'
    tls_alpn      TEXT,                   -- ALPN names the client offered, e.g. 'h2,http/1.1'
    tls_established INTEGER,              -- TLS over TCP: 1 handshake completed, 0 not; else NULL
    tls_alert     TEXT                    -- first plaintext TLS alert, e.g. 'handshake_failure'
);
CREATE INDEX IF NOT EXISTS flows_capture ON flows(capture_id);
CREATE INDEX IF NOT EXISTS flows_class ON flows(capture_id, class);
CREATE INDEX IF NOT EXISTS flows_server ON flows(server_ip, server_port);

CREATE TABLE IF NOT EXISTS findings (
    id            INTEGER PRIMARY KEY,
    capture_id    INTEGER NOT NULL REFERENCES captures(id),
    flow_id       INTEGER,                -- NULL when no single flow
    kind          TEXT NOT NULL,
    severity      TEXT NOT NULL,          -- error | warning | info
    requirement   TEXT,
    first_packet  INTEGER,
    ts            REAL,
    summary       TEXT NOT NULL
);
-- Wireshark's TCP analysis flags per flow direction: how many segments
-- carried each flag and the first frames that did (evidence).  Flags are
-- named as Wireshark's tcp.analysis.* fields; mirror_duplicate counts
-- span-port copies, which are left out of every other count.
CREATE TABLE IF NOT EXISTS tcp_analysis (
    capture_id    INTEGER NOT NULL REFERENCES captures(id),
    flow_id       INTEGER NOT NULL,
    direction     TEXT NOT NULL,          -- c2s | s2c
    flag          TEXT NOT NULL,          -- retransmission, duplicate_ack, ...
    count         INTEGER NOT NULL,
    first_packets TEXT NOT NULL,          -- e.g. '17,23,31'
    PRIMARY KEY (flow_id, direction, flag)
);

CREATE INDEX IF NOT EXISTS findings_capture ON findings(capture_id, kind);
CREATE INDEX IF NOT EXISTS findings_flow ON findings(flow_id);

-- One compliance verdict per requirement per requirement set (verdict
-- column, e.g. 'document', 'current') per capture.  evidence lists the
-- flows and packets it rests on ('flow 159 packet 159, ...'); fix says
-- what to change when the verdict is FAIL.
CREATE TABLE IF NOT EXISTS requirements (
    capture_id    INTEGER NOT NULL REFERENCES captures(id),
    requirement   TEXT NOT NULL,          -- profile requirement ID
    set_name      TEXT NOT NULL,          -- requirement set
    verdict       TEXT NOT NULL,          -- PASS | FAIL | NOT_OBSERVED
    severity      TEXT,                   -- error | warning | info
    check_kind    TEXT,                   -- connect | no-sip-alg | udp-timeout | dscp | single-nat | dns
    summary       TEXT NOT NULL,
    evidence      TEXT,
    fix           TEXT,
    PRIMARY KEY (capture_id, requirement, set_name)
);

-- One row per SIP message (UDP datagram, or one message framed out of a
-- TCP stream by Content-Length).  packet is the frame that completed the
-- message (the last TCP segment or IP fragment), as Wireshark shows it.
-- Text columns hold the header values as they appeared; NULL when the
-- message had no such header.
CREATE TABLE IF NOT EXISTS sip_messages (
    id            INTEGER PRIMARY KEY,
    capture_id    INTEGER NOT NULL REFERENCES captures(id),
    flow_id       INTEGER,
    packet        INTEGER NOT NULL,
    ts            REAL NOT NULL,
    direction     TEXT NOT NULL,          -- c2s | s2c, relative to the flow
    src_ip        TEXT NOT NULL,
    src_port      INTEGER NOT NULL,
    dst_ip        TEXT NOT NULL,
    dst_port      INTEGER NOT NULL,
    transport     TEXT NOT NULL,          -- udp | tcp
    call_id       TEXT,
    cseq          INTEGER,
    cseq_method   TEXT,
    method        TEXT,                   -- requests; NULL for responses
    status        INTEGER,                -- responses; NULL for requests
    reason        TEXT,
    request_uri   TEXT,
    from_uri      TEXT,
    from_tag      TEXT,
    to_uri        TEXT,
    to_tag        TEXT,
    via_branch    TEXT,                   -- top Via
    via           TEXT,                   -- every Via value, ', '-joined
    via_received  TEXT,                   -- top Via received=
    via_rport     INTEGER,                -- top Via rport=N
    contact       TEXT,                   -- URI of the first Contact
    user_agent    TEXT,
    server        TEXT,
    content_length INTEGER,               -- the header; NULL when absent
    body_length   INTEGER,                -- bytes after the headers
    sdp_o         TEXT,                   -- SDP o= address
    sdp_c         TEXT,                   -- SDP c= address of the first stream
    sdp_m         TEXT,                   -- m= lines, e.g. 'audio 4000 RTP/AVP 0 8'
    retransmission INTEGER NOT NULL DEFAULT 0,  -- 1: Wireshark's sip.resend
    malformed     TEXT,                   -- why it is malformed, or NULL
    raw           TEXT                    -- malformed messages only (bounded)
);
CREATE INDEX IF NOT EXISTS sip_messages_call ON sip_messages(capture_id, call_id);
CREATE INDEX IF NOT EXISTS sip_messages_flow ON sip_messages(flow_id);

-- One row per SIP call (a Call-ID with an INVITE), written when it ends.
CREATE TABLE IF NOT EXISTS calls (
    id            INTEGER PRIMARY KEY,
    capture_id    INTEGER NOT NULL REFERENCES captures(id),
    call_id       TEXT NOT NULL,
    state         TEXT NOT NULL,          -- trying | ringing | answered | failed | cancelled | ended
    flow_id       INTEGER,                -- of the initial INVITE
    first_method  TEXT,
    from_uri      TEXT,
    to_uri        TEXT,
    from_tag      TEXT,
    to_tag        TEXT,
    caller_ip     TEXT,
    caller_port   INTEGER,
    callee_ip     TEXT,
    callee_port   INTEGER,
    first_packet  INTEGER,                -- frame of the initial INVITE
    first_ts      REAL,
    last_ts       REAL,
    ring_ms       REAL,                   -- INVITE to first 18x
    setup_ms      REAL,                   -- INVITE to 2xx (Wireshark's setup time)
    duration_s    REAL,                   -- 2xx to BYE
    final_status  INTEGER,                -- final response to the INVITE
    messages      INTEGER NOT NULL,
    reinvites     INTEGER NOT NULL DEFAULT 0,
    retransmissions INTEGER NOT NULL DEFAULT 0,
    cancelled     INTEGER NOT NULL DEFAULT 0,  -- 1: a CANCEL was seen
    end_reason    TEXT                    -- finished | idle | evicted | flushed
);
CREATE INDEX IF NOT EXISTS calls_call ON calls(capture_id, call_id);

-- One row per DNS query (RFC 1035), paired with its response by flow,
-- transaction ID and question.  packet is the query's frame, NULL when
-- only the response was captured.  rcode is the response's, 'TIMEOUT'
-- when none came within 5 s of packet time, NULL when the capture or
-- flow ended sooner.  answers lists the A, AAAA and CNAME records
-- ('A 192.0.2.1; CNAME x.example'; other types as '+N other').
CREATE TABLE IF NOT EXISTS dns (
    id            INTEGER PRIMARY KEY,
    capture_id    INTEGER NOT NULL REFERENCES captures(id),
    flow_id       INTEGER,
    packet        INTEGER,                -- frame of the query
    ts            REAL NOT NULL,          -- of the query, else of the response
    client_ip     TEXT NOT NULL,          -- who asked
    server_ip     TEXT NOT NULL,
    transport     TEXT,                   -- udp | tcp
    dns_id        INTEGER NOT NULL,       -- transaction ID
    query_name    TEXT NOT NULL,
    query_type    TEXT,                   -- A | AAAA | CNAME | ... | TYPEn
    rcode         TEXT,                   -- NOERROR | NXDOMAIN | SERVFAIL | REFUSED | ... | TIMEOUT
    answers       TEXT,
    ttl_min       INTEGER,                -- least TTL of the answers, s
    response_ms   REAL,                   -- query to response
    response_packet INTEGER               -- frame of the response
);
CREATE INDEX IF NOT EXISTS dns_capture ON dns(capture_id, query_name);
CREATE INDEX IF NOT EXISTS dns_flow ON dns(flow_id);

-- One row per RTP stream: the packets of one SSRC in one direction of a
-- flow, written when the flow ends.  packets, expected, lost, lost_pct,
-- the delta and jitter columns and problem are tshark's figures
-- (tshark -q -z rtp,streams, Wireshark 4.0 definitions: lost is expected
-- minus packets and negative with duplicates; jitter_ms is the largest
-- RFC 3550 jitter estimate, as tshark's "Max Jitter"); rfc_* are RFC 3550
-- appendix A.1/A.3/A.8 figures.  rtcp_* is what the receiver reported
-- about this SSRC in RTCP.  Times in ms unless named _ts.
CREATE TABLE IF NOT EXISTS rtp_streams (
    id            INTEGER PRIMARY KEY,
    capture_id    INTEGER NOT NULL REFERENCES captures(id),
    flow_id       INTEGER NOT NULL,
    call_id       TEXT,                   -- SIP Call-ID when SDP tied it
    ssrc          INTEGER NOT NULL,
    direction     TEXT NOT NULL,          -- c2s | s2c, relative to the flow
    payload_type  INTEGER NOT NULL,       -- of the first packet
    packets       INTEGER NOT NULL,
    lost          INTEGER NOT NULL,       -- tshark: expected - packets
    jitter_ms     REAL NOT NULL,          -- tshark: max jitter
    max_delta_ms  REAL NOT NULL,          -- tshark: max arrival gap
    mos           REAL,                   -- E-model estimate; NULL: codec unknown
    first_packet  INTEGER NOT NULL,       -- frame of the first packet
    first_ts      REAL NOT NULL,
    last_ts       REAL NOT NULL,
    expected      INTEGER NOT NULL,       -- tshark
    lost_pct      REAL NOT NULL,          -- tshark
    duplicates    INTEGER NOT NULL,       -- RFC 3550 A.1 bookkeeping
    reordered     INTEGER NOT NULL,
    max_gap_ms    REAL NOT NULL,          -- any two consecutive packets
    min_delta_ms  REAL NOT NULL,          -- tshark
    mean_delta_ms REAL NOT NULL,          -- tshark
    min_jitter_ms REAL NOT NULL,          -- tshark
    mean_jitter_ms REAL NOT NULL,         -- tshark
    max_jitter_ms REAL NOT NULL,          -- tshark (= jitter_ms)
    seq_errors    INTEGER NOT NULL,       -- tshark "wrong sequence" count
    problem       INTEGER NOT NULL,       -- tshark "Problems?" X
    rfc_expected  INTEGER NOT NULL,       -- RFC 3550 A.3
    rfc_lost      INTEGER NOT NULL,       -- RFC 3550 A.3 cumulative lost
    rfc_jitter_ms REAL NOT NULL,          -- RFC 3550 A.8 at the end
    restarts      INTEGER NOT NULL,       -- A.1 re-synchronisations
    payload_types TEXT NOT NULL,          -- every type seen, e.g. '0,13'
    encoding      TEXT,                   -- e.g. PCMU (SDP or static type)
    clock_rate    INTEGER,                -- Hz; NULL when unknown
    dscp          TEXT NOT NULL,          -- DSCP values seen, e.g. '46'
    r_factor      REAL,
    rtcp_reports  INTEGER NOT NULL DEFAULT 0,
    rtcp_loss_pct REAL,                   -- mean fraction lost reported
    rtcp_cum_lost INTEGER,                -- latest cumulative lost reported
    rtcp_jitter_ms REAL,                  -- largest jitter reported
    rtcp_rtt_ms   REAL,                   -- capture point to receiver and back
    src_ip        TEXT NOT NULL,
    src_port      INTEGER NOT NULL,
    dst_ip        TEXT NOT NULL,
    dst_port      INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS rtp_streams_flow ON rtp_streams(flow_id);
CREATE INDEX IF NOT EXISTS rtp_streams_call ON rtp_streams(capture_id, call_id);

-- The time series of each RTP stream, for plots: the stream's life cut
-- into intervals of bucket_s seconds from its first packet (1 s; doubled,
-- with neighbours merged, for streams longer than 600 intervals, so a
-- stream has at most 600 rows).  One row per interval that had packets
-- or loss; an interval without a row had neither.  The stream is the
-- rtp_streams row of the same flow_id, ssrc and direction.  lost is the
-- growth of tshark's lost count (rtp_streams.lost) over the interval, so
-- the rows of a stream add up to it; jitter_ms is the RFC 3550 A.8
-- estimate after the interval's last packet (the largest of the merged
-- intervals').
CREATE TABLE IF NOT EXISTS rtp_samples (
    capture_id    INTEGER NOT NULL REFERENCES captures(id),
    flow_id       INTEGER NOT NULL,
    ssrc          INTEGER NOT NULL,
    direction     TEXT NOT NULL,          -- c2s | s2c, relative to the flow
    t_offset_s    INTEGER NOT NULL,       -- interval start after the first packet
    bucket_s      INTEGER NOT NULL,       -- interval length
    packets       INTEGER NOT NULL,
    lost          INTEGER NOT NULL,       -- negative with duplicates
    jitter_ms     REAL NOT NULL,
    PRIMARY KEY (flow_id, ssrc, direction, t_offset_s)
);

-- One row per reflexive address a flow's STUN binding responses handed
-- out (XOR-MAPPED-ADDRESS, else MAPPED-ADDRESS), at its first response:
-- the requester as the responder saw it.  translated is 1 when that
-- differs from the requester's address and port in the capture (a NAT
-- sits between them); address_kind 'cgnat' or 'private' there means a
-- second NAT.
CREATE TABLE IF NOT EXISTS stun_mappings (
    id            INTEGER PRIMARY KEY,
    capture_id    INTEGER NOT NULL REFERENCES captures(id),
    flow_id       INTEGER NOT NULL,
    packet        INTEGER NOT NULL,       -- the response
    ts            REAL NOT NULL,
    requester_ip  TEXT NOT NULL,
    requester_port INTEGER NOT NULL,
    requester_side TEXT NOT NULL,         -- inside | outside
    server_ip     TEXT NOT NULL,
    server_port   INTEGER NOT NULL,
    mapped_ip     TEXT NOT NULL,
    mapped_port   INTEGER NOT NULL,
    attribute     TEXT NOT NULL,          -- xor-mapped-address | mapped-address
    address_kind  TEXT NOT NULL,          -- public | cgnat | private
    translated    INTEGER NOT NULL,
    rtt_ms        REAL                    -- NULL: request not seen
);
CREATE INDEX IF NOT EXISTS stun_mappings_flow ON stun_mappings(flow_id);
