/*
 * xborder-assess: a small C program using libxborder.
 *
 * Assesses declaration files with the regimes embedded in the library and prints one JSON
 * line per declaration: the assessment result, or the error object of a declaration that
 * could not be assessed. A file whose name ends in ".ndjson" is a batch (one declaration per
 * line); any other file holds one JSON declaration. With --rates, declarations in another
 * currency than the regime's are converted with that exchange-rate table.
 *
 *     make LIBDIR=../../target/release INCDIR=../../ffi/include
 *     ./xborder-assess ../declarations/eu-cat3-ioss-seller.json
 *     ./xborder-assess --rates ../rates/sample-rates.json ../declarations/all.ndjson
 *
 * Exit status: 0 when every declaration was assessed, 1 when some were rejected (all are still
 * printed), 2 when a file could not be read or the library failed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xborder.h"

/* Reads a whole file into memory; returns NULL (and says why) on failure. */
static char *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t cap = 0;
    *len = 0;
    if (f == NULL) {
        perror(path);
        return NULL;
    }
    for (;;) {
        if (cap - *len < 65536) {
            char *grown = realloc(buf, cap = cap * 2 + 65536);
            if (grown == NULL) {
                fprintf(stderr, "%s: out of memory\n", path);
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = grown;
        }
        {
            size_t got = fread(buf + *len, 1, cap - *len, f);
            *len += got;
            if (got == 0) break;
        }
    }
    if (ferror(f)) {
        perror(path);
        free(buf);
        buf = NULL;
    }
    fclose(f);
    return buf;
}

static int ends_with(const char *s, const char *suffix) {
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* The embedded regimes, plus an exchange-rate table when rates_path is not NULL. */
static XbEngine *load_engine(const char *rates_path) {
    XbEngine *engine = NULL;
    XbEngineBuilder *builder = NULL;
    char *rates;
    size_t len;
    XbStatus status;
    if (rates_path == NULL) {
        status = xb_engine_new(&engine);
    } else if ((rates = read_file(rates_path, &len)) == NULL) {
        return NULL;
    } else {
        status = xb_engine_builder_new(&builder);
        if (status == XB_STATUS_OK) status = xb_engine_builder_rates_json(builder, (const uint8_t *)rates, len);
        if (status == XB_STATUS_OK) status = xb_engine_builder_build(builder, &engine);
        xb_engine_builder_free(builder); /* the engine does not need it */
        free(rates);
    }
    if (status != XB_STATUS_OK) {
        /* Copy or print the last error before the next xborder call replaces it. */
        fprintf(stderr, "cannot load the rules: %s: %s (at \"%s\")\n", xb_last_error_code(),
                xb_last_error_message(), xb_last_error_path());
        return NULL;
    }
    return engine;
}

int main(int argc, char **argv) {
    XbEngine *engine;
    const char *rates_path = NULL;
    int exit_code = 0;
    int i = 1;

    if (argc > 2 && strcmp(argv[1], "--rates") == 0) {
        rates_path = argv[2];
        i = 3;
    }
    if (i >= argc) {
        fprintf(stderr, "usage: %s [--rates RATES.json] FILE...\n(%s)\n", argv[0], xb_version());
        return 2;
    }

    /* One engine for the whole program: it is immutable and may be shared by threads. */
    engine = load_engine(rates_path);
    if (engine == NULL) return 2;

    for (; i < argc; i++) {
        size_t len;
        char *text = read_file(argv[i], &len);
        char *out = NULL;
        XbStatus status;
        if (text == NULL) {
            exit_code = 2;
            continue;
        }
        /* Inputs are pointer + length: no NUL terminator is needed. */
        if (ends_with(argv[i], ".ndjson")) {
            status = xb_assess_ndjson(engine, (const uint8_t *)text, len, &out);
        } else {
            status = xb_assess_json(engine, (const uint8_t *)text, len, &out);
        }
        switch (status) {
        case XB_STATUS_OK:
        case XB_STATUS_REJECTED:
        case XB_STATUS_BATCH_REJECTED:
            /* *out holds results and error objects; batches end each line with '\n'. */
            fputs(out, stdout);
            if (!ends_with(out, "\n")) fputc('\n', stdout);
            if (status != XB_STATUS_OK) {
                fprintf(stderr, "%s: %s %s at \"%s\": %s\n", argv[i], xb_status_message(status),
                        xb_last_error_code(), xb_last_error_path(), xb_last_error_message());
                if (exit_code == 0) exit_code = 1;
            }
            break;
        default:
            /* Nothing was assessed (invalid UTF-8, too large, ...): *out is NULL. */
            fprintf(stderr, "%s: %s (%s): %s\n", argv[i], xb_status_message(status),
                    xb_last_error_code(), xb_last_error_message());
            exit_code = 2;
            break;
        }
        xb_string_free(out); /* accepts NULL */
        free(text);
    }

    xb_engine_free(engine);
    return exit_code;
}
