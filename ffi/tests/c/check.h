/*
 * check.h: the little the C test programs share. Assertions that print where they failed,
 * reading a whole file, and string helpers. Only standard C99.
 */
#ifndef XB_TEST_CHECK_H
#define XB_TEST_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xborder.h"

static int check_failures = 0;

/* Records a failure (and goes on, so that one run reports every broken check). */
#define CHECK(cond)                                                                        \
    do {                                                                                   \
        if (!(cond)) {                                                                     \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);       \
            check_failures++;                                                              \
        }                                                                                  \
    } while (0)

/* Checks a status, printing the last error when it is not the expected one. */
#define CHECK_STATUS(expr, want)                                                           \
    do {                                                                                   \
        XbStatus got_ = (expr);                                                            \
        if (got_ != (XbStatus)(want)) {                                                    \
            fprintf(stderr, "%s:%d: %s gave %u (%s), expected %u; last error %s at %s: %s\n", \
                    __FILE__, __LINE__, #expr, (unsigned)got_,                             \
                    xb_status_message((uint32_t)got_), (unsigned)(want),                   \
                    xb_last_error_code(), xb_last_error_path(), xb_last_error_message());  \
            check_failures++;                                                              \
        }                                                                                  \
    } while (0)

/* Checks that the last error has this code and path. */
#define CHECK_LAST_ERROR(want_code, want_path)                                             \
    do {                                                                                   \
        if (strcmp(xb_last_error_code(), (want_code)) != 0 ||                              \
            strcmp(xb_last_error_path(), (want_path)) != 0) {                              \
            fprintf(stderr, "%s:%d: last error is %s at \"%s\" (%s), expected %s at \"%s\"\n", \
                    __FILE__, __LINE__, xb_last_error_code(), xb_last_error_path(),        \
                    xb_last_error_message(), (want_code), (want_path));                    \
            check_failures++;                                                              \
        }                                                                                  \
    } while (0)

/* Ends main: 0 when every check passed. */
#define CHECK_DONE()                                                                       \
    do {                                                                                   \
        if (check_failures) {                                                              \
            fprintf(stderr, "%d check(s) failed\n", check_failures);                      \
            return 1;                                                                      \
        }                                                                                  \
        return 0;                                                                          \
    } while (0)

/* The whole of a file, NUL-terminated; *len gets its length. Exits on I/O errors. */
static inline char *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t cap = 0, n = 0;
    if (!f) {
        fprintf(stderr, "cannot open %s\n", path);
        exit(2);
    }
    for (;;) {
        size_t got;
        if (cap - n < 4096) {
            char *grown;
            cap = cap ? cap * 2 : 8192;
            grown = (char *)realloc(buf, cap);
            if (!grown) {
                fprintf(stderr, "out of memory reading %s\n", path);
                exit(2);
            }
            buf = grown;
        }
        got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0) break;
    }
    if (ferror(f)) {
        fprintf(stderr, "cannot read %s\n", path);
        exit(2);
    }
    fclose(f);
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* True when s contains needle (s may be NULL). */
static inline int contains(const char *s, const char *needle) {
    return s != NULL && strstr(s, needle) != NULL;
}

#define U8(s) ((const uint8_t *)(s))

#endif /* XB_TEST_CHECK_H */
