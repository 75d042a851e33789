/* Escaping of text that comes from packet data (hostnames, SIP headers,
 * finding summaries) before it reaches a terminal, a JSON document or an
 * HTML page.  Packet data is hostile: it may hold terminal escape
 * sequences, control characters, invalid UTF-8 or bidirectional
 * overrides. */
#ifndef RINGSCOPE_TEXT_ESCAPE_H
#define RINGSCOPE_TEXT_ESCAPE_H

#include <stddef.h>
#include <stdio.h>

/* Copies in (NUL-terminated; NULL reads as "") to out as printable,
 * valid UTF-8: control characters (C0, DEL, C1) and bytes that are not
 * valid UTF-8 become "\xNN", Unicode bidirectional controls (U+202A-
 * U+202E, U+2066-U+2069) become "\uNNNN"; everything else is kept.  The
 * result is truncated at a character boundary to fit outlen (> 0) and is
 * always NUL-terminated.  Returns out.  The output is also what the JSON
 * writer stores (json-c then escapes quotes and backslashes). */
char *text_escape_terminal(const char *in, char *out, size_t outlen);

/* The same, and then & < > " ' as HTML character references, for text
 * and attribute values alike. */
char *text_escape_html(const char *in, char *out, size_t outlen);

/* Writes in (NULL reads as "") to out escaped as text_escape_html()
 * escapes it, without a length limit: for HTML and SVG text and
 * attribute values. */
void text_escape_html_fputs(const char *in, FILE *out);

#endif
