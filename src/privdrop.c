/* Dropping root to an unprivileged user after the capture device and the
 * database are open (the model is tcpdump's -Z). */
#include "config.h"

#include "privdrop.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

/* Gives path to uid:gid when it belongs to root.  A missing file is not
 * an error: SQLite creates -wal and -shm only when needed. */
static int privdrop_chown(const char *path, uid_t uid, gid_t gid,
                          char *err, size_t errlen)
{
    struct stat st;

    if (lstat(path, &st) != 0) {
        if (errno == ENOENT)
            return 0;
        snprintf(err, errlen, "cannot check '%s': %s", path,
                 strerror(errno));
        return -1;
    }
    if (!S_ISREG(st.st_mode) || st.st_uid != 0)
        return 0;
    if (chown(path, uid, gid) != 0) {
        snprintf(err, errlen, "cannot give '%s' to the capture user: %s",
                 path, strerror(errno));
        return -1;
    }
    return 0;
}

int privdrop_to_user(const char *user, const char *const *paths,
                     size_t n_paths, char *err, size_t errlen)
{
    struct passwd *pw;
    uid_t uid;
    gid_t gid;
    size_t i;

    errno = 0;
    pw = getpwnam(user);
    if (!pw) {
        snprintf(err, errlen, "cannot switch to user '%s': %s", user,
                 errno ? strerror(errno) : "no such user");
        return -1;
    }
    uid = pw->pw_uid;
    gid = pw->pw_gid;
    if (geteuid() != 0) {
        if (getuid() == uid && geteuid() == uid)
            return 0;
        snprintf(err, errlen, "cannot switch to user '%s': not running "
                 "as root", user);
        return -1;
    }
    for (i = 0; i < n_paths; i++)
        if (paths[i] && privdrop_chown(paths[i], uid, gid, err, errlen) != 0)
            return -1;
    /* Groups first: once the user id is gone, they cannot be changed. */
    if (initgroups(user, gid) != 0) {
        snprintf(err, errlen, "cannot set the groups of user '%s': %s",
                 user, strerror(errno));
        return -1;
    }
    if (setgid(gid) != 0) {
        snprintf(err, errlen, "cannot switch to group %lu of user '%s': %s",
                 (unsigned long)gid, user, strerror(errno));
        return -1;
    }
    if (setuid(uid) != 0) {
        snprintf(err, errlen, "cannot switch to user '%s': %s", user,
                 strerror(errno));
        return -1;
    }
    /* setuid() as root sets the real, effective and saved ids; check that
     * none of them kept root (CERT POS37-C). */
    if (uid != 0 && (setuid(0) == 0 || seteuid(0) == 0)) {
        snprintf(err, errlen, "switched to user '%s' but could regain "
                 "root", user);
        return -1;
    }
    if (getuid() != uid || geteuid() != uid || getgid() != gid ||
        getegid() != gid) {
        snprintf(err, errlen, "switching to user '%s' did not take effect",
                 user);
        return -1;
    }
    return 0;
}
