/*
 * The _ex functions: a failure is handed to the caller in an owned XbError, so that it can be
 * read on any thread. This is what a runtime that moves work between OS threads does (a Java
 * virtual thread unmounted after a native call and resumed on another carrier thread): here
 * the call fails on one thread and its error is read on another, whose own last error is
 * empty. Under valgrind (scripts/ffi-valgrind.sh) every error object must be freed.
 *
 * usage: error_ex UNKNOWN_HS_DECLARATION.json GOOD_EU_DECLARATION.json
 */
#include <pthread.h>

#include "check.h"

#define POISON_ERROR ((XbError *)1)

struct reader {
    XbError *error;
    int ok;
};

/* Runs on another thread: the error object says what failed, the thread's last error nothing. */
static void *read_elsewhere(void *arg) {
    struct reader *r = (struct reader *)arg;
    r->ok = xb_error_status(r->error) == XB_STATUS_REJECTED &&
            strcmp(xb_error_code(r->error), "E_HS_NO_TARIFF_LINE") == 0 &&
            strncmp(xb_error_path(r->error), "items[", 6) == 0 &&
            xb_error_message(r->error)[0] != '\0' && strcmp(xb_last_error_code(), "") == 0;
    xb_error_free(r->error);
    return NULL;
}

static void builder_errors(void) {
    XbEngineBuilder *b = NULL;
    XbEngine *engine = (XbEngine *)1;
    XbError *error = POISON_ERROR;
    const char *bad_rates = "{\"rates\":\"none\"}";

    /* A NULL out-parameter: status, code and path as from the plain function. */
    CHECK_STATUS(xb_engine_builder_new_ex(NULL, &error), XB_STATUS_NULL_PARAMETER);
    CHECK(error != NULL && error != POISON_ERROR);
    CHECK(xb_error_status(error) == XB_STATUS_NULL_PARAMETER);
    CHECK(strcmp(xb_error_code(error), "E_NULL_PARAMETER") == 0);
    CHECK(strcmp(xb_error_path(error), "out") == 0);
    xb_error_free(error);

    /* A success sets *error to NULL. */
    error = POISON_ERROR;
    CHECK_STATUS(xb_engine_builder_new_ex(&b, &error), XB_STATUS_OK);
    CHECK(error == NULL);
    CHECK_STATUS(xb_engine_builder_rates_json_ex(b, U8(bad_rates), strlen(bad_rates), &error),
                 XB_STATUS_OK);
    CHECK(error == NULL);

    /* The build fails: the engine is NULL and the error says why. */
    CHECK_STATUS(xb_engine_builder_build_ex(b, &engine, &error), XB_STATUS_INVALID_RATES);
    CHECK(engine == NULL);
    CHECK(xb_error_status(error) == XB_STATUS_INVALID_RATES);
    CHECK(strcmp(xb_error_code(error), "E_INVALID_RATES") == 0);
    /* The thread's last error is set as well, with the same code. */
    CHECK(strcmp(xb_last_error_code(), xb_error_code(error)) == 0);
    xb_error_free(error);

    /* A NULL error parameter is allowed: the caller relies on the status and the last error. */
    CHECK_STATUS(xb_engine_builder_build_ex(b, &engine, NULL), XB_STATUS_INVALID_RATES);
    CHECK_LAST_ERROR("E_INVALID_RATES", "rates");
    xb_engine_builder_free(b);
}

int main(int argc, char **argv) {
    XbEngine *engine = NULL;
    XbError *error = POISON_ERROR;
    char *out = NULL;
    size_t hs_len, good_len;
    char *unknown_hs, *good;
    const uint8_t not_utf8[] = {'{', 0xFF, '}'};
    pthread_t thread;
    struct reader reader;
    char batch[1 << 12];
    int n;

    if (argc != 3) {
        fprintf(stderr, "usage: error_ex UNKNOWN_HS.json GOOD.json\n");
        return 2;
    }
    unknown_hs = read_file(argv[1], &hs_len);
    good = read_file(argv[2], &good_len);

    CHECK_STATUS(xb_engine_new_ex(&engine, &error), XB_STATUS_OK);
    CHECK(error == NULL);

    /* A rejected declaration: *out holds the error object, *error the same code and path. */
    CHECK_STATUS(xb_assess_json_ex(engine, U8(unknown_hs), hs_len, &out, &error),
                 XB_STATUS_REJECTED);
    CHECK(contains(out, "\"code\":\"E_HS_NO_TARIFF_LINE\""));
    CHECK(error != NULL);
    xb_string_free(out);
    out = NULL;

    /* The error is read (and freed) on another thread. */
    reader.error = error;
    reader.ok = 0;
    CHECK(pthread_create(&thread, NULL, read_elsewhere, &reader) == 0);
    CHECK(pthread_join(thread, NULL) == 0);
    CHECK(reader.ok);

    /* A good declaration: OK, *error NULL. */
    error = POISON_ERROR;
    CHECK_STATUS(xb_assess_json_ex(engine, U8(good), good_len, &out, &error), XB_STATUS_OK);
    CHECK(error == NULL);
    CHECK(contains(out, "\"category\""));
    xb_string_free(out);

    /* Invalid UTF-8: *out NULL, the error names the parameter. */
    out = (char *)1;
    CHECK_STATUS(xb_assess_json_ex(engine, not_utf8, sizeof not_utf8, &out, &error),
                 XB_STATUS_INVALID_UTF8);
    CHECK(out == NULL);
    CHECK(strcmp(xb_error_code(error), "E_INVALID_UTF8") == 0);
    CHECK(strcmp(xb_error_path(error), "ptr") == 0);
    CHECK(contains(xb_error_message(error), "offset 1"));
    xb_error_free(error);

    /* A batch with a rejected line: every line in *out, the first rejection in *error. */
    n = snprintf(batch, sizeof batch, "not json\n%s\n", "{\"id\":\"b\",\"items\":7}");
    CHECK(n > 0 && (size_t)n < sizeof batch);
    CHECK_STATUS(xb_assess_ndjson_ex(engine, U8(batch), (size_t)n, &out, &error),
                 XB_STATUS_BATCH_REJECTED);
    CHECK(xb_error_status(error) == XB_STATUS_BATCH_REJECTED);
    CHECK(strcmp(xb_error_code(error), "E_JSON_SYNTAX") == 0);
    CHECK(contains(xb_error_message(error), "2 of 2 records rejected"));
    xb_error_free(error);
    xb_string_free(out);

    /* A NULL engine through the regime listing. */
    CHECK_STATUS(xb_regimes_json_ex(NULL, &out, &error), XB_STATUS_NULL_PARAMETER);
    CHECK(strcmp(xb_error_path(error), "engine") == 0);
    xb_error_free(error);

    /* Reading a NULL error is safe and gives empty strings. */
    CHECK(xb_error_status(NULL) == XB_STATUS_OK);
    CHECK(strcmp(xb_error_code(NULL), "") == 0);
    CHECK(strcmp(xb_error_message(NULL), "") == 0);
    CHECK(strcmp(xb_error_path(NULL), "") == 0);
    xb_error_free(NULL);

    builder_errors();

    xb_engine_free(engine);
    free(unknown_hs);
    free(good);
    CHECK_DONE();
}
