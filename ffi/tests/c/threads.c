/*
 * One engine, many threads: every thread assesses the same declarations many times and must
 * get exactly the single-threaded result every time; each thread's last error is its own; each
 * thread holds its own owner of the engine (xb_engine_clone) and frees it.
 *
 * usage: threads EU.json GB.json
 */
#include <pthread.h>

#include "check.h"

#define THREADS 8
#define ROUNDS 25

struct shared {
    XbEngine *engine;
    const char *decl[2];
    size_t len[2];
    char *expected[2];
};

struct job {
    struct shared *shared;
    int index;
    int failures;
};

static void *work(void *arg) {
    struct job *job = (struct job *)arg;
    struct shared *s = job->shared;
    XbEngine *mine = xb_engine_clone(s->engine);
    char bad[64], echoed[64];
    int r;
    /* A malformed declaration whose id names this thread, and the start of its error object. */
    sprintf(bad, "{\"id\":\"thread-%d\",\"items\":7}", job->index);
    sprintf(echoed, "{\"id\":\"thread-%d\",\"error\":{", job->index);
    for (r = 0; r < ROUNDS; r++) {
        int k = (r + job->index) % 2;
        char *out = NULL;
        if (xb_assess_json(mine, (const uint8_t *)s->decl[k], s->len[k], &out) != XB_STATUS_OK ||
            out == NULL || strcmp(out, s->expected[k]) != 0) {
            job->failures++;
        }
        xb_string_free(out);
        out = NULL;
        if (xb_assess_json(mine, (const uint8_t *)bad, strlen(bad), &out) != XB_STATUS_REJECTED ||
            out == NULL || strncmp(out, echoed, strlen(echoed)) != 0) {
            job->failures++;
        }
        /* The last error is this thread's, whatever the others are doing. */
        if (strcmp(xb_last_error_code(), "E_INVALID_TYPE") != 0 &&
            strcmp(xb_last_error_code(), "E_MISSING_FIELD") != 0) {
            job->failures++;
        }
        xb_string_free(out);
    }
    xb_engine_free(mine);
    return NULL;
}

int main(int argc, char **argv) {
    struct shared s;
    struct job jobs[THREADS];
    pthread_t threads[THREADS];
    char *text[2];
    int i, k;

    if (argc != 3) {
        fprintf(stderr, "usage: threads EU.json GB.json\n");
        return 2;
    }
    CHECK_STATUS(xb_engine_new(&s.engine), XB_STATUS_OK);
    for (k = 0; k < 2; k++) {
        text[k] = read_file(argv[1 + k], &s.len[k]);
        s.decl[k] = text[k];
        s.expected[k] = NULL;
        CHECK_STATUS(xb_assess_json(s.engine, U8(text[k]), s.len[k], &s.expected[k]), XB_STATUS_OK);
    }
    for (i = 0; i < THREADS; i++) {
        jobs[i].shared = &s;
        jobs[i].index = i;
        jobs[i].failures = 0;
        CHECK(pthread_create(&threads[i], NULL, work, &jobs[i]) == 0);
    }
    /* The main thread's last error is untouched by the workers. */
    CHECK(strcmp(xb_last_error_code(), "") == 0);
    for (i = 0; i < THREADS; i++) {
        CHECK(pthread_join(threads[i], NULL) == 0);
        if (jobs[i].failures) fprintf(stderr, "thread %d: %d failures\n", i, jobs[i].failures);
        CHECK(jobs[i].failures == 0);
    }
    for (k = 0; k < 2; k++) {
        xb_string_free(s.expected[k]);
        free(text[k]);
    }
    xb_engine_free(s.engine);
    printf("%d threads x %d rounds\n", THREADS, ROUNDS);
    CHECK_DONE();
}
