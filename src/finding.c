/* Finding helpers. */
#include "config.h"

#include "finding.h"

const char *finding_severity_name(enum finding_severity s)
{
    switch (s) {
    case FINDING_INFO:
        return "info";
    case FINDING_WARNING:
        return "warning";
    case FINDING_ERROR:
        return "error";
    }
    return "info";
}
