/* "ringscope report DB": the compliance report of stored captures,
 * rendered again from the database alone (text and JSON). */
#include "config.h"

#include "report_db.h"

#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "options.h"
#include "report_html.h"
#include "report_tui.h"

struct report_db_run {
    bool quiet;
    bool color;
    bool failed;                /* a FAIL verdict of severity error */
    struct report_json *json;   /* NULL without --json */
    struct report_html *html;   /* NULL without --html */
    bool tui;                   /* --tui: the interface instead of text */
    int batch_frames;           /* --batch N: its screens as text */
};

static int report_db_usage(void)
{
    fprintf(stderr, "Usage: ringscope report DB [--capture N] "
            "[--json FILE] [--html FILE] [--quiet] [--tui] [--batch N]\n");
    return EXIT_USAGE;
}

static int report_db_one(void *arg, const struct report *r)
{
    struct report_db_run *run = arg;
    size_t i;

    for (i = 0; i < r->n_verdicts; i++)
        if (r->verdicts[i].verdict == VERDICT_FAIL &&
            r->verdicts[i].severity &&
            strcmp(r->verdicts[i].severity, "error") == 0)
            run->failed = true;
    if (!run->quiet) {
        report_print_header(stdout, r);
        report_print(stdout, r, run->color);
        fputc('\n', stdout);
    }
    if (run->json)
        report_json_add(run->json, r);
    if (run->html)
        report_html_add(run->html, r);
    return 0;
}

/* --batch N, as for an analysis run (1 to 1000000). */
static int parse_batch(const char *s, int *out)
{
    long v;
    char *end;

    errno = 0;
    v = strtol(s, &end, 10);
    if (errno || end == s || *end != '\0' || v <= 0 || v > 1000000)
        return -1;
    *out = (int)v;
    return 0;
}

static int parse_capture_id(const char *s, int64_t *out)
{
    long long v;
    char *end;

    errno = 0;
    v = strtoll(s, &end, 10);
    if (errno || end == s || *end != '\0' || v <= 0)
        return -1;
    *out = v;
    return 0;
}

int report_db_command(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "capture", required_argument, NULL, 'C' },
        { "json", required_argument, NULL, 'j' },
        { "html", required_argument, NULL, 'H' },
        { "quiet", no_argument, NULL, 'q' },
        { "tui", no_argument, NULL, 't' },
        { "batch", required_argument, NULL, 'b' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    struct report_db_run run;
    const char *json_path = NULL;
    const char *html_path = NULL;
    int64_t capture_id = 0;
    char err[1024] = "";
    int status = EXIT_USAGE;
    int c, n;

    memset(&run, 0, sizeof(run));
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":qh", longopts, NULL)) != -1) {
        if (c == 'C') {
            if (parse_capture_id(optarg, &capture_id) != 0) {
                log_error("invalid --capture '%s'", optarg);
                return report_db_usage();
            }
        } else if (c == 'j') {
            json_path = optarg;
        } else if (c == 'H') {
            html_path = optarg;
        } else if (c == 'q') {
            run.quiet = true;
        } else if (c == 't') {
            run.tui = true;
        } else if (c == 'b') {
            if (parse_batch(optarg, &run.batch_frames) != 0) {
                log_error("invalid --batch '%s': expected a number of "
                          "frames", optarg);
                return report_db_usage();
            }
            run.tui = true;
        } else if (c == 'h') {
            printf("Usage: ringscope report DB [--capture N] [--json FILE] "
                   "[--html FILE] [--quiet] [--tui] [--batch N]\n"
                   "Prints the compliance "
                   "report of the captures stored in DB, or shows them in "
                   "the\ninteractive interface (--tui).  See "
                   "ringscope(1).\n");
            return EXIT_COMPLIANT;
        } else if (c == ':') {
            log_error("option '%s' needs an argument", argv[optind - 1]);
            return report_db_usage();
        } else {
            log_error("unknown option '%s'", argv[optind - 1]);
            return report_db_usage();
        }
    }
    if (optind != argc - 1) {
        log_error("give exactly one database");
        return report_db_usage();
    }
    run.color = isatty(STDOUT_FILENO) == 1;
    /* With --tui the interface shows the report; the text would only
     * scroll away under it. */
    if (run.tui)
        run.quiet = true;
    if (json_path)
        run.json = report_json_new();
    if (html_path)
        run.html = report_html_new();
    if (run.html)
        n = report_db_load_media(argv[optind], capture_id, report_db_one,
                                 &run, err, sizeof(err));
    else
        n = report_db_load(argv[optind], capture_id, report_db_one, &run,
                           err, sizeof(err));
    if (n < 0) {
        log_error("%s", err);
        goto out;
    }
    if (run.json && report_json_write(run.json, json_path) != 0)
        goto out;
    if (run.html && report_html_write(run.html, html_path) != 0)
        goto out;
    if (run.tui && report_tui_show(argv[optind], capture_id,
                                   run.batch_frames, stdout, err,
                                   sizeof(err)) != 0) {
        log_error("%s", err);
        goto out;
    }
    status = run.failed ? EXIT_FAILED : EXIT_COMPLIANT;
out:
    report_json_free(run.json);
    report_html_free(run.html);
    return status;
}
