#!/usr/bin/env bash
# Rewrites the expected files of the named golden tests (all when none are
# named) from the current build.  Review the diff before committing.
#   RINGSCOPE=build/ringscope tests/golden/update_golden.sh [NAME...]
exec "$(dirname "$0")/run_golden.sh" --update "$@"
