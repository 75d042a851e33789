/* Command-line options.  The table below is the single source for
 * getopt_long, the --help text and the documentation test. */
#include "config.h"

#include "options.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "xalloc.h"

enum option_id {
    OPT_HOME_NET = 256,
    OPT_MAX_FLOWS,
    OPT_TCP_TIMEOUT,
    OPT_UDP_TIMEOUT,
    OPT_SENSOR,
    OPT_NO_DB,
    OPT_PROFILE,
    OPT_JSON,
    OPT_HTML,
    OPT_TUI,
    OPT_BATCH,
    OPT_EVIDENCE,
    OPT_IPFIX,
    OPT_IPFIX_PEN,
    OPT_WORKERS,
};

struct option_spec {
    const char *long_name;
    int id;                 /* short option character or enum option_id */
    int has_arg;
    const char *arg_name;
    const char *help;
};

static const struct option_spec option_specs[] = {
    { "read", 'r', required_argument, "FILE",
      "read a pcap or pcapng file, or every capture in a directory "
      "(- for standard input); repeatable, each file is its own capture" },
    { "interface", 'i', required_argument, "IFACE",
      "capture live on IFACE until interrupted" },
    { "write", 'w', required_argument, "DB",
      "SQLite database to write or append to "
      "(default: NAME.ringscope.db after the first input)" },
    { "no-db", OPT_NO_DB, no_argument, NULL,
      "analyse and report without writing a database" },
    { "snaplen", 's', required_argument, "N",
      "live capture: bytes to keep of each packet (default 262144)" },
    { "count", 'c', required_argument, "N",
      "stop after N packets" },
    { "home-net", OPT_HOME_NET, required_argument, "CIDR",
      "treat CIDR as inside the customer network (besides private, "
      "CGNAT, link-local and ULA space); repeatable" },
    { "max-flows", OPT_MAX_FLOWS, required_argument, "N",
      "live flows kept at once; the least recently seen is written out "
      "and evicted when full (default 1000000)" },
    { "tcp-timeout", OPT_TCP_TIMEOUT, required_argument, "SECONDS",
      "idle time after which a TCP flow ends (default 300)" },
    { "udp-timeout", OPT_UDP_TIMEOUT, required_argument, "SECONDS",
      "idle time after which a UDP flow ends (default 120)" },
    { "workers", OPT_WORKERS, required_argument, "N",
      "threads for the analysis (default 1): 2 or more read and decode, "
      "analyse and write in threads of their own, with the same output; "
      "live, N sockets share the interface (AF_PACKET fanout)" },
    { "profile", OPT_PROFILE, required_argument, "FILE",
      "requirement profile to check against (default: the built-in "
      "ringio.profile; see ringscope-profile(5))" },
    { "tui", OPT_TUI, no_argument, NULL,
      "interactive screens: flows, calls, findings and the compliance "
      "checklist as they happen; on files they stay up after the "
      "analysis until q (needs a terminal)" },
    { "batch", OPT_BATCH, required_argument, "N",
      "print the interface's screens as text N times instead (no "
      "terminal needed; see ringscope(1))" },
    { "json", OPT_JSON, required_argument, "FILE",
      "also write the compliance report as JSON to FILE ('-': standard "
      "output; see ringscope(1), OUTPUT FORMAT)" },
    { "html", OPT_HTML, required_argument, "FILE",
      "also write the report as one self-contained HTML page to FILE "
      "('-': standard output): verdicts, findings, SIP ladder diagrams "
      "and media plots" },
    { "evidence", OPT_EVIDENCE, required_argument, "DIR",
      "for each failing requirement write DIR/REQUIREMENT.pcap with the "
      "packets of its evidence flows (capture files only)" },
    { "sensor", OPT_SENSOR, required_argument, "NAME",
      "name of this sensor, stored with each capture" },
    { "ipfix", OPT_IPFIX, required_argument, "HOST:PORT[/udp|/tcp]",
      "also export every finished flow as an IPFIX record to the "
      "collector at HOST:PORT (UDP unless /tcp; see ringscope(1), "
      "DEPLOYING MANY SENSORS)" },
    { "ipfix-pen", OPT_IPFIX_PEN, required_argument, "N",
      "private enterprise number of ringscope's own IPFIX elements "
      "(default 32473, the documentation number of RFC 5612)" },
    { "user", 'Z', required_argument, "USER",
      "live capture: once the interface and the database are open, drop "
      "root privileges and run as USER" },
    { "quiet", 'q', no_argument, NULL,
      "print errors only, no summary" },
    { "verbose", 'v', no_argument, NULL,
      "print progress information; repeat for more" },
    { "help", 'h', no_argument, NULL, "show this help and exit" },
    { "version", 'V', no_argument, NULL, "show the version and exit" },
};

#define N_OPTIONS (sizeof(option_specs) / sizeof(option_specs[0]))

void options_foreach(void (*fn)(void *arg, const char *long_name,
                                int short_name),
                     void *arg)
{
    size_t i;

    for (i = 0; i < N_OPTIONS; i++)
        fn(arg, option_specs[i].long_name,
           option_specs[i].id < 256 ? option_specs[i].id : 0);
}

void options_print_help(void)
{
    size_t i;

    printf("Usage: ringscope [OPTION]... -r FILE [FILTER]\n"
           "       ringscope [OPTION]... -i IFACE [FILTER]\n"
           "       ringscope diff INSIDE OUTSIDE\n"
           "       ringscope merge OUT.db IN.db...\n"
           "Check VoIP traffic against the provider's network requirements "
           "and write\nthe evidence to an SQLite database.  FILTER is a "
           "pcap-filter(7) expression.\n\nOptions:\n");
    for (i = 0; i < N_OPTIONS; i++) {
        const struct option_spec *o = &option_specs[i];
        char left[64];

        if (o->id < 256)
            snprintf(left, sizeof(left), "-%c, --%s%s%s", o->id,
                     o->long_name, o->arg_name ? " " : "",
                     o->arg_name ? o->arg_name : "");
        else
            snprintf(left, sizeof(left), "    --%s%s%s", o->long_name,
                     o->arg_name ? " " : "", o->arg_name ? o->arg_name : "");
        printf("  %-26s %s\n", left, o->help);
    }
    printf("\nExit status: 0 nothing failed, 1 a requirement failed, "
           "2 usage, input or\ndatabase error.  See ringscope(1).\n");
}

static int options_usage(const char *fmt, const char *a, const char *b)
{
    char msg[512];

    snprintf(msg, sizeof(msg), fmt, a, b);
    log_error("%s", msg);
    fprintf(stderr, "Try 'ringscope --help' for more information.\n");
    return EXIT_USAGE;
}

static int parse_u64(const char *s, uint64_t max, uint64_t *out)
{
    unsigned long long v;
    char *end;

    if (*s < '0' || *s > '9')
        return -1;
    errno = 0;
    v = strtoull(s, &end, 10);
    if (errno || *end != '\0' || v > max)
        return -1;
    *out = v;
    return 0;
}

static int parse_seconds(const char *s, int64_t *out_us)
{
    double v;
    char *end;

    errno = 0;
    v = strtod(s, &end);
    if (errno || end == s || *end != '\0' || !isfinite(v) || v <= 0 ||
        v > 30.0 * 86400)
        return -1;
    *out_us = (int64_t)llround(v * 1e6);
    return 0;
}

/* HOST:PORT[/udp|/tcp]; an IPv6 host is written in brackets
 * ([2001:db8::1]:4739). */
static int parse_ipfix_target(const char *arg, struct config *cfg)
{
    char *s = xstrdup(arg);
    char *slash = strrchr(s, '/');
    char *colon, *host = s;
    int ret = -1;

    cfg->ipfix_tcp = false;
    if (slash) {
        if (strcmp(slash, "/tcp") == 0)
            cfg->ipfix_tcp = true;
        else if (strcmp(slash, "/udp") != 0)
            goto out;
        *slash = '\0';
    }
    colon = strrchr(s, ':');
    if (!colon || colon[1] == '\0')
        goto out;
    *colon = '\0';
    if (host[0] == '[') {
        size_t n = strlen(host);

        if (n < 3 || host[n - 1] != ']')
            goto out;
        host[n - 1] = '\0';
        host++;
    } else if (strchr(host, ':')) {
        goto out;
    }
    if (host[0] == '\0' || strspn(colon + 1, "0123456789") !=
                               strlen(colon + 1) ||
        strtoul(colon + 1, NULL, 10) == 0 ||
        strtoul(colon + 1, NULL, 10) > 65535 || strlen(colon + 1) > 5)
        goto out;
    free(cfg->ipfix_host);
    free(cfg->ipfix_port);
    cfg->ipfix_host = xstrdup(host);
    cfg->ipfix_port = xstrdup(colon + 1);
    ret = 0;
out:
    free(s);
    return ret;
}

static char *join_args(int argc, char **argv)
{
    size_t len = 1;
    char *s;
    int i;

    for (i = 0; i < argc; i++)
        len += strlen(argv[i]) + 1;
    s = xmalloc(len);
    s[0] = '\0';
    for (i = 0; i < argc; i++) {
        if (i)
            strcat(s, " ");
        strcat(s, argv[i]);
    }
    return s;
}

static void config_init(struct config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->mode = RUN_ANALYSE;
    cfg->max_flows = 1000000;
    cfg->tcp_timeout_us = 300 * 1000000LL;
    cfg->udp_timeout_us = 120 * 1000000LL;
    cfg->workers = 1;
}

int options_parse(int argc, char **argv, struct config *cfg, bool *done)
{
    struct option longopts[N_OPTIONS + 1];
    char shortopts[2 * N_OPTIONS + 2];
    size_t i, n = 1;
    uint64_t v;
    int c;

    config_init(cfg);
    *done = true;
    cfg->command_line = join_args(argc, argv);
    memset(longopts, 0, sizeof(longopts));
    shortopts[0] = ':';     /* report a missing argument as ':' */
    for (i = 0; i < N_OPTIONS; i++) {
        longopts[i].name = option_specs[i].long_name;
        longopts[i].has_arg = option_specs[i].has_arg;
        longopts[i].val = option_specs[i].id;
        if (option_specs[i].id < 256) {
            shortopts[n++] = (char)option_specs[i].id;
            if (option_specs[i].has_arg == required_argument)
                shortopts[n++] = ':';
        }
    }
    shortopts[n] = '\0';

    opterr = 0;
    optind = 1;
    for (;;) {
        int idx = 0;

        c = getopt_long(argc, argv, shortopts, longopts, &idx);
        if (c == -1)
            break;
        switch (c) {
        case 'r':
            /* Standard input can be read only once. */
            for (i = 0; strcmp(optarg, "-") == 0 && i < cfg->n_read_paths;
                 i++)
                if (strcmp(cfg->read_paths[i], "-") == 0)
                    return options_usage("-r - (standard input) can be "
                                         "given only once%s%s", "", "");
            cfg->read_paths = xreallocarray(cfg->read_paths,
                                            cfg->n_read_paths + 1,
                                            sizeof(char *));
            cfg->read_paths[cfg->n_read_paths++] = xstrdup(optarg);
            break;
        case 'i':
            free(cfg->interface);
            cfg->interface = xstrdup(optarg);
            break;
        case 'w':
            free(cfg->db_path);
            cfg->db_path = xstrdup(optarg);
            break;
        case OPT_NO_DB:
            cfg->no_db = true;
            break;
        case 's':
            if (parse_u64(optarg, 262144, &v) != 0 || v == 0)
                return options_usage("invalid snaplen '%s'%s", optarg, "");
            cfg->snaplen = (int)v;
            break;
        case 'c':
            if (parse_u64(optarg, UINT64_MAX, &v) != 0 || v == 0)
                return options_usage("invalid packet count '%s'%s", optarg,
                                     "");
            cfg->max_packets = v;
            break;
        case OPT_HOME_NET:
            cfg->home_nets = xreallocarray(cfg->home_nets,
                                           cfg->n_home_nets + 1,
                                           sizeof(struct ip_prefix));
            if (ipaddr_parse_prefix(optarg,
                                    &cfg->home_nets[cfg->n_home_nets]) != 0)
                return options_usage("invalid --home-net '%s': expected "
                                     "ADDRESS/LENGTH with no host bits "
                                     "set%s", optarg, "");
            cfg->n_home_nets++;
            break;
        case OPT_MAX_FLOWS:
            if (parse_u64(optarg, UINT32_MAX, &v) != 0 || v == 0)
                return options_usage("invalid --max-flows '%s'%s", optarg,
                                     "");
            cfg->max_flows = (uint32_t)v;
            break;
        case OPT_WORKERS:
            if (parse_u64(optarg, OPTIONS_WORKERS_MAX, &v) != 0 || v == 0)
                return options_usage("invalid --workers '%s': expected 1 "
                                     "to 64%s", optarg, "");
            cfg->workers = (unsigned)v;
            break;
        case OPT_TCP_TIMEOUT:
            if (parse_seconds(optarg, &cfg->tcp_timeout_us) != 0)
                return options_usage("invalid --tcp-timeout '%s'%s", optarg,
                                     "");
            break;
        case OPT_UDP_TIMEOUT:
            if (parse_seconds(optarg, &cfg->udp_timeout_us) != 0)
                return options_usage("invalid --udp-timeout '%s'%s", optarg,
                                     "");
            break;
        case OPT_PROFILE:
            free(cfg->profile_path);
            cfg->profile_path = xstrdup(optarg);
            break;
        case OPT_TUI:
            cfg->tui = true;
            break;
        case OPT_BATCH:
            if (parse_u64(optarg, 1000000, &v) != 0 || v == 0)
                return options_usage("invalid --batch '%s': expected a "
                                     "number of frames%s", optarg, "");
            cfg->tui = true;
            cfg->batch_frames = (int)v;
            break;
        case OPT_JSON:
            free(cfg->json_path);
            cfg->json_path = xstrdup(optarg);
            break;
        case OPT_HTML:
            free(cfg->html_path);
            cfg->html_path = xstrdup(optarg);
            break;
        case OPT_EVIDENCE:
            free(cfg->evidence_dir);
            cfg->evidence_dir = xstrdup(optarg);
            break;
        case OPT_SENSOR:
            free(cfg->sensor);
            cfg->sensor = xstrdup(optarg);
            break;
        case OPT_IPFIX:
            if (parse_ipfix_target(optarg, cfg) != 0)
                return options_usage("invalid --ipfix '%s': expected "
                                     "HOST:PORT, HOST:PORT/udp or "
                                     "HOST:PORT/tcp%s", optarg, "");
            break;
        case OPT_IPFIX_PEN:
            if (parse_u64(optarg, UINT32_MAX, &v) != 0 || v == 0)
                return options_usage("invalid --ipfix-pen '%s': expected "
                                     "a private enterprise number from 1 "
                                     "to 4294967295%s", optarg, "");
            cfg->ipfix_pen = (uint32_t)v;
            break;
        case 'Z':
            free(cfg->user);
            cfg->user = xstrdup(optarg);
            break;
        case 'q':
            cfg->verbosity = -1;
            break;
        case 'v':
            if (cfg->verbosity < 0)
                cfg->verbosity = 0;
            cfg->verbosity++;
            break;
        case 'h':
            cfg->mode = RUN_HELP;
            options_print_help();
            return EXIT_COMPLIANT;
        case 'V':
            cfg->mode = RUN_VERSION;
            printf("ringscope %s\n", PACKAGE_VERSION);
            return EXIT_COMPLIANT;
        case ':':
            return options_usage("option '%s' needs an argument%s",
                                 argv[optind - 1], "");
        default:
            if (optopt > 0 && optopt < 256) {
                char opt[3] = { '-', (char)optopt, '\0' };

                return options_usage("unknown option '%s'%s", opt, "");
            }
            return options_usage("unknown option '%s'%s", argv[optind - 1],
                                 "");
        }
    }
    if (optind < argc)
        cfg->bpf = join_args(argc - optind, argv + optind);

    if (cfg->n_read_paths == 0 && !cfg->interface)
        return options_usage("nothing to analyse: give -r FILE or "
                             "-i IFACE%s%s", "", "");
    if (cfg->n_read_paths > 0 && cfg->interface)
        return options_usage("-r and -i cannot be combined%s%s", "", "");
#ifndef HAVE_TUI
    if (cfg->tui && cfg->batch_frames == 0)
        return options_usage("--tui is not available: this ringscope was "
                             "built without ncursesw (configure "
                             "--disable-tui); --batch N prints the screens "
                             "as text%s%s", "", "");
#endif
#ifndef HAVE_LIBFIXBUF
    if (cfg->ipfix_host)
        return options_usage("--ipfix is not available: this ringscope "
                             "was built without libfixbuf (install "
                             "libfixbuf-dev and run configure again)%s%s",
                             "", "");
#endif
    if (cfg->ipfix_pen && !cfg->ipfix_host)
        return options_usage("--ipfix-pen needs --ipfix%s%s", "", "");
    /* Files are opened one after another, so a drop could only come
     * before the first: -Z is for live capture, where it matters. */
    if (cfg->user && !cfg->interface)
        return options_usage("-Z needs -i: it drops root after opening the "
                             "interface%s%s", "", "");
    /* The evidence is cut from the input in a second pass, which a live
     * interface (or standard input) cannot give. */
    if (cfg->evidence_dir && cfg->interface)
        return options_usage("--evidence needs capture files: the evidence "
                             "is cut from the file after the analysis; to "
                             "keep evidence of a live capture, record it "
                             "first (tcpdump -w) and analyse the file%s%s",
                             "", "");
    for (i = 0; cfg->evidence_dir && i < cfg->n_read_paths; i++)
        if (strcmp(cfg->read_paths[i], "-") == 0)
            return options_usage("--evidence cannot read standard input "
                                 "(-r -) twice: write it to a file "
                                 "first%s%s", "", "");
    if (cfg->no_db && cfg->db_path)
        return options_usage("--no-db and -w cannot be combined%s%s", "",
                             "");
    *done = false;
    return EXIT_COMPLIANT;
}

void config_release(struct config *cfg)
{
    size_t i;

    for (i = 0; i < cfg->n_read_paths; i++)
        free(cfg->read_paths[i]);
    free(cfg->read_paths);
    free(cfg->interface);
    free(cfg->db_path);
    free(cfg->bpf);
    free(cfg->profile_path);
    free(cfg->sensor);
    free(cfg->json_path);
    free(cfg->html_path);
    free(cfg->evidence_dir);
    free(cfg->user);
    free(cfg->ipfix_host);
    free(cfg->ipfix_port);
    free(cfg->command_line);
    free(cfg->home_nets);
    memset(cfg, 0, sizeof(*cfg));
}
