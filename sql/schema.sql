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
    end_reason    TEXT                    -- idle | closed | evicted | capture_end
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
CREATE INDEX IF NOT EXISTS findings_capture ON findings(capture_id, kind);
CREATE INDEX IF NOT EXISTS findings_flow ON findings(flow_id);
