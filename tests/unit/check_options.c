/* Unit tests for command-line parsing. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"

/* Parses a NULL-terminated argument list into cfg; returns the status. */
static int parse(struct config *cfg, bool *done, const char **args)
{
    char *argv[32];
    int argc = 0;

    while (args[argc]) {
        argv[argc] = (char *)args[argc];
        argc++;
    }
    argv[argc] = NULL;
    return options_parse(argc, argv, cfg, done);
}

START_TEST(test_read_files_and_filter)
{
    const char *args[] = { "ringscope", "-r", "a.pcap", "--read", "b.pcapng",
                           "-w", "out.db", "udp", "port", "5060", NULL };
    struct config cfg;
    bool done;

    ck_assert_int_eq(parse(&cfg, &done, args), EXIT_COMPLIANT);
    ck_assert(!done);
    ck_assert_uint_eq(cfg.n_read_paths, 2);
    ck_assert_str_eq(cfg.read_paths[0], "a.pcap");
    ck_assert_str_eq(cfg.read_paths[1], "b.pcapng");
    ck_assert_str_eq(cfg.db_path, "out.db");
    ck_assert_str_eq(cfg.bpf, "udp port 5060");
    ck_assert_str_eq(cfg.command_line,
                     "ringscope -r a.pcap --read b.pcapng -w out.db udp "
                     "port 5060");
    config_release(&cfg);
}
END_TEST

START_TEST(test_numbers_and_timeouts)
{
    const char *args[] = { "ringscope", "-i", "eth1", "-c", "1000", "-s",
                           "128", "--max-flows", "50", "--udp-timeout",
                           "30.5", "--tcp-timeout", "600", "--sensor",
                           "hq", NULL };
    struct config cfg;
    bool done;

    ck_assert_int_eq(parse(&cfg, &done, args), EXIT_COMPLIANT);
    ck_assert(!done);
    ck_assert_str_eq(cfg.interface, "eth1");
    ck_assert_uint_eq(cfg.max_packets, 1000);
    ck_assert_int_eq(cfg.snaplen, 128);
    ck_assert_uint_eq(cfg.max_flows, 50);
    ck_assert_int_eq(cfg.udp_timeout_us, 30500000);
    ck_assert_int_eq(cfg.tcp_timeout_us, 600000000);
    ck_assert_str_eq(cfg.sensor, "hq");
    ck_assert_ptr_null(cfg.bpf);
    config_release(&cfg);
}
END_TEST

START_TEST(test_home_nets)
{
    const char *args[] = { "ringscope", "-r", "x", "--home-net",
                           "203.0.113.0/24", "--home-net", "2001:db8::/32",
                           NULL };
    struct config cfg;
    bool done;

    ck_assert_int_eq(parse(&cfg, &done, args), EXIT_COMPLIANT);
    ck_assert_uint_eq(cfg.n_home_nets, 2);
    ck_assert_uint_eq(cfg.home_nets[0].len, 24);
    ck_assert_uint_eq(cfg.home_nets[0].addr.family, 4);
    ck_assert_uint_eq(cfg.home_nets[1].len, 32);
    ck_assert_uint_eq(cfg.home_nets[1].addr.family, 6);
    config_release(&cfg);
}
END_TEST

/* Each of these is a usage error: status 2 and nothing to run. */
static const char *const bad_args[][6] = {
    { "ringscope", NULL },
    { "ringscope", "-r", "a", "-i", "eth0", NULL },
    { "ringscope", "-r", "a", "-c", "0", NULL },
    { "ringscope", "-r", "a", "-c", "12x", NULL },
    { "ringscope", "-r", "a", "-s", "-5", NULL },
    { "ringscope", "-r", "a", "--home-net", "10.0.0.1/8", NULL },
    { "ringscope", "-r", "a", "--home-net", "300.0.0.0/8", NULL },
    { "ringscope", "-r", "a", "--udp-timeout", "0", NULL },
    { "ringscope", "-r", "a", "--max-flows", "99999999999", NULL },
    { "ringscope", "-r", "a", "--no-db", "-w", "x.db" },
    { "ringscope", "--bogus", NULL },
    { "ringscope", "-r", NULL },
};

START_TEST(test_usage_errors)
{
    const char *args[7] = { NULL };
    struct config cfg;
    bool done = false;

    memcpy(args, bad_args[_i], sizeof(bad_args[_i]));
    ck_assert_int_eq(parse(&cfg, &done, args), EXIT_USAGE);
    ck_assert(done);
    config_release(&cfg);
}
END_TEST

START_TEST(test_version_is_done)
{
    const char *args[] = { "ringscope", "--version", NULL };
    struct config cfg;
    bool done = false;

    ck_assert_int_eq(parse(&cfg, &done, args), EXIT_COMPLIANT);
    ck_assert(done);
    ck_assert_int_eq(cfg.mode, RUN_VERSION);
    config_release(&cfg);
}
END_TEST

/* --ipfix HOST:PORT[/udp|/tcp], IPv6 hosts in brackets; --ipfix-pen. */
START_TEST(test_ipfix_targets)
{
    static const struct {
        const char *arg;
        const char *host;       /* NULL: refused */
        const char *port;
        bool tcp;
    } cases[] = {
        { "collector.example.net:4739", "collector.example.net", "4739",
          false },
        { "192.0.2.1:2055/udp", "192.0.2.1", "2055", false },
        { "192.0.2.1:4739/tcp", "192.0.2.1", "4739", true },
        { "[2001:db8::1]:4739/tcp", "2001:db8::1", "4739", true },
        { "2001:db8::1:4739", NULL, NULL, false },
        { "[2001:db8::1]", NULL, NULL, false },
        { "host:", NULL, NULL, false },
        { ":4739", NULL, NULL, false },
        { "host:65536", NULL, NULL, false },
        { "host:4739/sctp", NULL, NULL, false },
        { "host:47x9", NULL, NULL, false },
    };
    const char *args[] = { "ringscope", "-r", "a", "--ipfix", NULL,
                           "--ipfix-pen", "12345", NULL };
    struct config cfg;
    bool done;
    int status;

    args[4] = cases[_i].arg;
    status = parse(&cfg, &done, args);
#ifdef HAVE_LIBFIXBUF
    if (cases[_i].host) {
        ck_assert_int_eq(status, EXIT_COMPLIANT);
        ck_assert_str_eq(cfg.ipfix_host, cases[_i].host);
        ck_assert_str_eq(cfg.ipfix_port, cases[_i].port);
        ck_assert_int_eq(cfg.ipfix_tcp, cases[_i].tcp);
        ck_assert_uint_eq(cfg.ipfix_pen, 12345);
    } else {
        ck_assert_int_eq(status, EXIT_USAGE);
    }
#else
    /* Without libfixbuf every --ipfix is a usage error. */
    ck_assert_int_eq(status, EXIT_USAGE);
#endif
    config_release(&cfg);
}
END_TEST

static void count_option(void *arg, const char *long_name, int short_name)
{
    size_t *n = arg;

    (void)short_name;
    ck_assert_ptr_nonnull(long_name);
    (*n)++;
}

START_TEST(test_foreach_lists_all)
{
    size_t n = 0;

    options_foreach(count_option, &n);
    ck_assert_uint_ge(n, 15);
}
END_TEST

static Suite *options_suite(void)
{
    Suite *s = suite_create("options");
    TCase *tc = tcase_create("parse");

    tcase_add_test(tc, test_read_files_and_filter);
    tcase_add_test(tc, test_numbers_and_timeouts);
    tcase_add_test(tc, test_home_nets);
    tcase_add_loop_test(tc, test_usage_errors, 0,
                        (int)(sizeof(bad_args) / sizeof(bad_args[0])));
    tcase_add_test(tc, test_version_is_done);
    tcase_add_loop_test(tc, test_ipfix_targets, 0, 11);
    tcase_add_test(tc, test_foreach_lists_all);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(options_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
