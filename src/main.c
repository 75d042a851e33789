/* ringscope: command line -> configuration -> pipeline.  Nothing else. */
#include "config.h"

#include <locale.h>
#include <signal.h>
#include <string.h>

#include "db_merge.h"
#include "diff.h"
#include "log.h"
#include "options.h"
#include "pipeline.h"
#include "report_db.h"

/* Subcommands: the first argument names them; each takes argv from its
 * own name on and returns an exit status. */
struct subcommand {
    const char *name;
    int (*run)(int argc, char **argv);
};

static const struct subcommand subcommands[] = {
    { "diff", diff_run },
    { "merge", db_merge_command },
    { "report", report_db_command },
};

/* The one global: set by the signal handler, polled by the pipeline. */
static volatile sig_atomic_t stop_requested;

static void on_stop_signal(int sig)
{
    (void)sig;
    stop_requested = 1;
}

static void install_signal_handlers(void)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    /* No SA_RESTART: a blocked read returns so the stop is seen at once. */
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
}

int main(int argc, char **argv)
{
    struct config cfg;
    bool done;
    int status;
    size_t i;

    /* Character classes only: numbers in reports and the database must not
     * follow the user's locale. */
    setlocale(LC_CTYPE, "");
    /* Subcommands come before the options of an analysis run. */
    for (i = 0; argc > 1 && i < sizeof(subcommands) / sizeof(subcommands[0]);
         i++)
        if (strcmp(argv[1], subcommands[i].name) == 0)
            return subcommands[i].run(argc - 1, argv + 1);
    status = options_parse(argc, argv, &cfg, &done);
    if (done)
        goto out;
    if (cfg.verbosity < 0)
        log_set_level(LOG_LEVEL_QUIET);
    else if (cfg.verbosity == 1)
        log_set_level(LOG_LEVEL_VERBOSE);
    else if (cfg.verbosity > 1)
        log_set_level(LOG_LEVEL_DEBUG);
    install_signal_handlers();
    status = pipeline_run(&cfg, &stop_requested);
out:
    config_release(&cfg);
    return status;
}
