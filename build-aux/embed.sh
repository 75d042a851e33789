#!/bin/sh
# Turns a text file into a C translation unit defining one string:
#   embed.sh SYMBOL FILE > out.c
# Used for the SQL schema and the default profile, so the program works
# from the build tree without being installed.
set -eu
sym=$1
file=$2
printf '/* Generated from %s; do not edit. */\n' "$(basename "$file")"
printf 'extern const char %s[];\n' "$sym"
printf 'const char %s[] =\n' "$sym"
sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/    "/' -e 's/$/\\n"/' "$file"
printf '    ;\n'
