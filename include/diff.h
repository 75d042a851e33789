/* `ringscope diff INSIDE OUTSIDE`: compares the SIP messages of two
 * captures of the same traffic, taken inside and outside a router, and
 * says header by header what the router changed.
 *
 * Messages are matched on their top Via branch (the Call-ID when there
 * is none), CSeq, method or status, and time: the same message must be
 * seen on both sides within DIFF_MAX_SKEW_US once the clock offset
 * between the captures (the median over messages seen once on each
 * side) is taken out.  Each pair is printed with what changed on its way
 * through the router (IP/UDP addresses, Request-URI, each Via sent-by,
 * received and rport, Contact, From, To, every other header, SDP o=, c=,
 * m= ports and other lines, Content-Length) and a verdict: "unchanged",
 * "plain NAT" (only IP/UDP addresses changed, the SIP text is byte for
 * byte the same) or "SIP ALG rewriting" (the SIP or SDP text changed).
 * Messages seen on one side only are listed as dropped.  The output is
 * deterministic: it depends only on the two files.  The format is
 * described in ringscope(1), section DIFF. */
#ifndef RINGSCOPE_DIFF_H
#define RINGSCOPE_DIFF_H

#include <stdint.h>
#include <stdio.h>

/* Largest clock difference between the two sides of one message once
 * the captures' offset is removed. */
#define DIFF_MAX_SKEW_US (5 * 1000000LL)

/* Runs the subcommand: argv[0] is "diff", then INSIDE and OUTSIDE (or
 * -h/--help).  Prints to stdout, errors to stderr.  Returns the exit
 * status: 0 no SIP ALG rewriting, 1 rewriting found, 2 usage or input
 * error. */
int diff_run(int argc, char **argv);

/* The comparison itself, printed to out.  Same return values. */
int diff_captures(const char *inside, const char *outside, FILE *out);

#endif
