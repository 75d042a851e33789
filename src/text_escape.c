/* Escaping of packet-derived text for terminals and HTML.  UTF-8 is
 * validated as RFC 3629 section 4 defines it (no overlong forms, no
 * surrogates, nothing above U+10FFFF). */
#include "config.h"

#include "text_escape.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Length of the valid UTF-8 sequence at s (1-4) and its code point, or 0
 * when s does not start one. */
static size_t utf8_decode(const unsigned char *s, uint32_t *cp)
{
    size_t n, i;
    uint32_t v, min;

    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    if ((s[0] & 0xe0) == 0xc0) {
        n = 2;
        v = s[0] & 0x1f;
        min = 0x80;
    } else if ((s[0] & 0xf0) == 0xe0) {
        n = 3;
        v = s[0] & 0x0f;
        min = 0x800;
    } else if ((s[0] & 0xf8) == 0xf0) {
        n = 4;
        v = s[0] & 0x07;
        min = 0x10000;
    } else {
        return 0;
    }
    /* A NUL terminator is not a continuation byte, so this never reads
     * past the end of the string. */
    for (i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        v = (v << 6) | (s[i] & 0x3f);
    }
    if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
        return 0;
    *cp = v;
    return n;
}

static bool is_bidi_control(uint32_t cp)
{
    return (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

/* Appends piece (len bytes) if it fits whole, leaving room for the NUL. */
static bool put(char *out, size_t outlen, size_t *used, const char *piece,
                size_t len)
{
    if (*used + len + 1 > outlen)
        return false;
    memcpy(out + *used, piece, len);
    *used += len;
    return true;
}

char *text_escape_terminal(const char *in, char *out, size_t outlen)
{
    const unsigned char *s = (const unsigned char *)(in ? in : "");
    size_t used = 0;

    while (*s) {
        char esc[12];
        uint32_t cp = 0;
        size_t n = utf8_decode(s, &cp);
        bool ok;

        if (n == 0 || cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) {
            /* One byte at a time: an invalid sequence resynchronises on
             * the next byte. */
            snprintf(esc, sizeof(esc), "\\x%02x", s[0]);
            ok = put(out, outlen, &used, esc, 4);
            n = 1;
        } else if (is_bidi_control(cp)) {
            snprintf(esc, sizeof(esc), "\\u%04x", (unsigned)cp);
            ok = put(out, outlen, &used, esc, 6);
        } else {
            ok = put(out, outlen, &used, (const char *)s, n);
        }
        if (!ok)
            break;
        s += n;
    }
    out[used] = '\0';
    return out;
}

struct html_entity {
    char c;
    const char *ref;
};

static const struct html_entity html_entities[] = {
    { '&', "&amp;" },
    { '<', "&lt;" },
    { '>', "&gt;" },
    { '"', "&quot;" },
    { '\'', "&#39;" },
};

char *text_escape_html(const char *in, char *out, size_t outlen)
{
    char clean[4096];
    const char *s;
    size_t used = 0;

    text_escape_terminal(in, clean, sizeof(clean));
    for (s = clean; *s; s++) {
        const char *ref = NULL;
        size_t i;
        bool ok;

        for (i = 0; i < sizeof(html_entities) / sizeof(html_entities[0]); i++)
            if (html_entities[i].c == *s)
                ref = html_entities[i].ref;
        if (ref) {
            ok = put(out, outlen, &used, ref, strlen(ref));
        } else {
            /* Keep a multi-byte character whole: copy its lead byte and
             * continuation bytes together. */
            size_t n = 1;

            while ((unsigned char)s[n] >= 0x80 &&
                   ((unsigned char)s[n] & 0xc0) == 0x80)
                n++;
            ok = put(out, outlen, &used, s, n);
            s += n - 1;
        }
        if (!ok)
            break;
    }
    out[used] = '\0';
    return out;
}

void text_escape_html_fputs(const char *in, FILE *out)
{
    const unsigned char *s = (const unsigned char *)(in ? in : "");

    while (*s) {
        uint32_t cp = 0;
        size_t n = utf8_decode(s, &cp), i;
        const char *ref = NULL;

        if (n == 0 || cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) {
            fprintf(out, "\\x%02x", s[0]);
            s++;
            continue;
        }
        if (is_bidi_control(cp)) {
            fprintf(out, "\\u%04x", (unsigned)cp);
            s += n;
            continue;
        }
        for (i = 0; i < sizeof(html_entities) / sizeof(html_entities[0]); i++)
            if (n == 1 && html_entities[i].c == (char)s[0])
                ref = html_entities[i].ref;
        if (ref)
            fputs(ref, out);
        else
            fwrite(s, 1, n, out);
        s += n;
    }
}
