/*
 * Times the C API through the shared library, as a C program sees it: single calls
 * (xb_assess_json + xb_string_free) and an NDJSON batch (xb_assess_ndjson). Prints
 * microseconds per declaration. Used by scripts/ffi-bench.sh against the release library; the
 * test driver runs it once with tiny counts to keep it working.
 *
 * usage: timing DECLARATION.json BATCH.ndjson RATES.json [SINGLE_CALLS [BATCH_ROUNDS]]
 */
#define _POSIX_C_SOURCE 199309L
#include <time.h>

#include "check.h"

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    XbEngine *engine = NULL;
    XbEngineBuilder *b = NULL;
    size_t decl_len, batch_len, rates_len, records = 0, i;
    char *decl, *batch, *rates, *out = NULL;
    long calls = 20000, rounds = 20, r;
    double t0, single_us, batch_us;
    const char *p;

    if (argc < 4) {
        fprintf(stderr, "usage: timing DECL.json BATCH.ndjson RATES.json [CALLS [ROUNDS]]\n");
        return 2;
    }
    if (argc > 4) calls = atol(argv[4]);
    if (argc > 5) rounds = atol(argv[5]);
    decl = read_file(argv[1], &decl_len);
    batch = read_file(argv[2], &batch_len);
    rates = read_file(argv[3], &rates_len);
    for (p = batch; *p; p++) records += (*p == '\n');

    CHECK_STATUS(xb_engine_builder_new(&b), XB_STATUS_OK);
    CHECK_STATUS(xb_engine_builder_rates_json(b, U8(rates), rates_len), XB_STATUS_OK);
    CHECK_STATUS(xb_engine_builder_build(b, &engine), XB_STATUS_OK);
    xb_engine_builder_free(b);

    /* Warm up, and check both paths succeed. */
    CHECK_STATUS(xb_assess_json(engine, U8(decl), decl_len, &out), XB_STATUS_OK);
    xb_string_free(out);
    CHECK_STATUS(xb_assess_ndjson(engine, U8(batch), batch_len, &out), XB_STATUS_OK);
    xb_string_free(out);

    t0 = now();
    for (i = 0; i < (size_t)calls; i++) {
        xb_assess_json(engine, U8(decl), decl_len, &out);
        xb_string_free(out);
    }
    single_us = (now() - t0) * 1e6 / (double)calls;

    t0 = now();
    for (r = 0; r < rounds; r++) {
        xb_assess_ndjson(engine, U8(batch), batch_len, &out);
        xb_string_free(out);
    }
    batch_us = (now() - t0) * 1e6 / ((double)rounds * (double)records);

    printf("single: %.3f us/declaration (%ld calls)\n", single_us, calls);
    printf("batch:  %.3f us/declaration (%ld rounds of %lu lines)\n", batch_us, rounds,
           (unsigned long)records);
    xb_engine_free(engine);
    free(decl);
    free(batch);
    free(rates);
    CHECK_DONE();
}
