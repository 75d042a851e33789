/* Dropping root after the privileged work of a live capture is done.
 *
 * Opening a capture device needs root (or CAP_NET_RAW and CAP_NET_ADMIN);
 * nothing after that does.  Like tcpdump's -Z, ringscope opens the
 * interface and its database first, then becomes an unprivileged user, so
 * that a flaw in a packet parser cannot be turned into root access. */
#ifndef RINGSCOPE_PRIVDROP_H
#define RINGSCOPE_PRIVDROP_H

#include <stddef.h>

/* Becomes user (a name from the password database): its supplementary
 * groups (initgroups), its primary group, then its user id, and checks
 * that root cannot be regained.  Before that, each of the n_paths files
 * in paths that exists and belongs to root is given to the user, so that
 * files created while still root (the database and its -wal and -shm
 * files, which SQLite reopens or recreates later) stay writable; a path
 * that does not exist is skipped.
 *
 * When not running as root, succeeds without changes if user is the
 * current user, and fails otherwise.  Returns 0, or -1 with one line in
 * err (nothing was changed unless the message says so); the caller must
 * then stop, since running on as root was not what was asked. */
int privdrop_to_user(const char *user, const char *const *paths,
                     size_t n_paths, char *err, size_t errlen);

#endif
