/* Fuzz target for the profile parser: the input is a profile text.  A
 * profile that loads is queried by name, address and port so that the
 * lookup structures built from hostile text are walked too.
 *
 * Built with -DRINGSCOPE_FUZZ_LIBFUZZER and -fsanitize=fuzzer it is a
 * libFuzzer target; otherwise fuzz_replay.c supplies a main() that replays
 * stored inputs.  Invariant violations abort(). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fuzz_replay.h"
#include "ipaddr.h"
#include "profile.h"

/* Profiles are short files; profile_load_file() refuses more than 1 MiB,
 * and bigger inputs only slow the fuzzer down. */
#define FUZZ_PROFILE_MAX 65536

static void fuzz_profile_query(const struct profile *p)
{
    static const uint8_t v4[4] = { 192, 0, 2, 1 };
    struct profile_match m;
    struct ip_addr ip;
    size_t i, n;

    profile_match_host(p, "sip.example.com", &m);
    profile_match_host_port(p, "turn.example.net.", 17, 3478, &m);
    ipaddr_set_v4(&ip, v4);
    profile_match_addr(p, &ip, 6, 443, &m);
    n = profile_class_count(p);
    for (i = 0; i < n; i++)
        if (!profile_class_at(p, i))
            abort();
    n = profile_rule_count(p);
    for (i = 0; i < n; i++)
        profile_rule_matches(profile_rule_at(p, i), &ip, "a.example.org",
                             17, 5060);
    n = profile_requirement_count(p);
    for (i = 0; i < n; i++)
        if (!profile_requirement_at(p, i))
            abort();
    if (!profile_text(p) || !profile_name(p))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct profile *p = NULL;
    char err[256];
    char *text;

    if (size > FUZZ_PROFILE_MAX)
        return 0;
    text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    err[0] = '\0';
    if (profile_load_text("fuzz", text, &p, err, sizeof(err)) == 0) {
        if (!p)
            abort();
        fuzz_profile_query(p);
    } else if (p || err[0] == '\0' || !memchr(err, '\0', sizeof(err))) {
        abort();
    }
    profile_free(p);
    free(text);
    return 0;
}
