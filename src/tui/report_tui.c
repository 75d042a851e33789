/* "ringscope report DB --tui": the interface's sink fed from a database
 * instead of the pipeline. */
#include "config.h"

#include "report_tui.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "db_replay.h"
#include "log.h"
#include "profile.h"
#include "sink_tui.h"

/* The stored profile gives the checklist its requirement texts and sets,
 * as in the run.  A profile this version cannot parse leaves them out:
 * the verdicts still come from the database. */
static struct profile *report_tui_profile(const char *path,
                                          int64_t capture_id, char *err,
                                          size_t errlen)
{
    struct profile *p = NULL;
    char *name = NULL, *text = NULL, perr[512];

    if (db_replay_profile(path, capture_id, &name, &text, err, errlen) != 0)
        goto out;
    if (text && profile_load_text(name[0] ? name : "stored profile", text,
                                  &p, perr, sizeof(perr)) != 0)
        log_warn("the profile stored in '%s' cannot be read (%s): the "
                 "checklist shows the stored verdicts only", path, perr);
    err[0] = '\0';
out:
    free(name);
    free(text);
    return p;
}

int report_tui_show(const char *path, int64_t capture_id, int batch_frames,
                    FILE *out, char *err, size_t errlen)
{
    /* Nothing sets it: the interface ends on q.  No handler of ours is
     * installed (the one global flag is main.c's, for analysis runs), so
     * curses handles SIGINT and SIGTERM itself: it puts the terminal back
     * and exits with status 1. */
    volatile sig_atomic_t never = 0;
    struct sink_tui_config cfg;
    struct profile *profile;
    struct sink sink = { NULL, NULL };
    int ret = -1;

    err[0] = '\0';
    profile = report_tui_profile(path, capture_id, err, errlen);
    if (err[0])
        return -1;
    memset(&cfg, 0, sizeof(cfg));
    cfg.profile = profile;
    cfg.live = false;
    /* The stored analysis is finished: one frame shows all of it. */
    cfg.batch_frames = batch_frames > 0 ? 1 : 0;
    cfg.out = out;
    cfg.stop = &never;
    if (sink_tui_new(&cfg, &sink, err, errlen) != 0)
        goto out;
    if (db_replay(path, capture_id, &sink, err, errlen) < 0)
        goto out;
    if (sink.ops->end_run && sink.ops->end_run(sink.self) != 0) {
        snprintf(err, errlen, "cannot show '%s': output error", path);
        goto out;
    }
    ret = 0;
out:
    if (sink.ops)
        sink.ops->free(sink.self);
    profile_free(profile);
    return ret;
}
