/* Command-line options: one table drives getopt_long, --help and the check
 * that every option is documented in the manual page. */
#ifndef RINGSCOPE_OPTIONS_H
#define RINGSCOPE_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ipaddr.h"

/* Exit statuses (SPEC 5). */
enum exit_status {
    EXIT_COMPLIANT = 0,     /* nothing failed */
    EXIT_FAILED = 1,        /* a requirement failed */
    EXIT_USAGE = 2,         /* usage, input or storage error */
};

enum run_mode {
    RUN_ANALYSE,    /* the default: read captures or an interface */
    RUN_HELP,
    RUN_VERSION,
};

/* --workers upper bound: one fanout socket per worker when live. */
#define OPTIONS_WORKERS_MAX 64

/* Everything main() learned from the command line.  Owns its arrays and
 * strings; config_release() frees them. */
struct config {
    enum run_mode mode;
    char **read_paths;          /* -r, in order */
    size_t n_read_paths;
    char *interface;            /* -i */
    char *db_path;              /* -w; NULL: derived from the first input */
    char *bpf;                  /* trailing arguments joined by spaces */
    char *profile_path;         /* --profile */
    char *sensor;               /* --sensor */
    char *json_path;            /* --json; NULL: no JSON report */
    char *html_path;            /* --html; NULL: no HTML page */
    char *evidence_dir;         /* --evidence; NULL: no evidence pcaps */
    char *user;                 /* -Z: drop root to this user (live) */
    char *command_line;         /* argv joined, stored with each capture */
    int snaplen;                /* -s; 0 = default */
    uint64_t max_packets;       /* -c; 0 = no limit */
    uint32_t max_flows;
    int64_t tcp_timeout_us;
    int64_t udp_timeout_us;
    struct ip_prefix *home_nets;
    size_t n_home_nets;
    int verbosity;              /* -q: -1, default 0, each -v +1 */
    bool no_db;                 /* --no-db: analyse and report only */
    bool tui;                   /* --tui or --batch: the interface */
    unsigned workers;           /* --workers: 1 single-threaded; more: a
                                   threaded pipeline (pipeline_mt.h) */
    int batch_frames;           /* --batch N: text frames, no terminal;
                                   0 draws on the terminal */
    char *ipfix_host;           /* --ipfix HOST:PORT[/udp|/tcp]; NULL:
                                   no IPFIX export */
    char *ipfix_port;
    bool ipfix_tcp;
    uint32_t ipfix_pen;         /* --ipfix-pen; 0: the documented
                                   placeholder (sink_ipfix.h) */
};

/* Parses argv into cfg (initialised here).  Returns 0 when the run should
 * go on, or an exit status after printing help, the version or a usage
 * error. */
int options_parse(int argc, char **argv, struct config *cfg, bool *done);

void config_release(struct config *cfg);

/* Prints --help text to stdout. */
void options_print_help(void);

/* Calls fn for every long option name ("read", "write", ...), for the
 * documentation test. */
void options_foreach(void (*fn)(void *arg, const char *long_name,
                                int short_name),
                     void *arg);

#endif
