/*
 * Success paths: assess each declaration file given on the command line (EU and GB) with the
 * embedded regimes and print each result on its own line, for the test driver to compare with
 * the Rust core byte for byte. Then the same through a second owner of the engine, with
 * options, and the regime list.
 *
 * usage: assess FILE...
 */
#include "check.h"

int main(int argc, char **argv) {
    XbEngine *engine = (XbEngine *)1; /* must be overwritten */
    XbEngine *second;
    char *out = (char *)1;
    int i;

    CHECK_STATUS(xb_engine_new(&engine), XB_STATUS_OK);
    CHECK(engine != NULL && engine != (XbEngine *)1);
    CHECK(strcmp(xb_last_error_message(), "") == 0);
    CHECK(xb_last_error_status() == XB_STATUS_OK);

    for (i = 1; i < argc; i++) {
        size_t len;
        char *text = read_file(argv[i], &len);
        out = (char *)1;
        CHECK_STATUS(xb_assess_json(engine, U8(text), len, &out), XB_STATUS_OK);
        CHECK(out != NULL && out != (char *)1);
        CHECK(strcmp(xb_last_error_code(), "") == 0);
        if (out != NULL && out != (char *)1) printf("%s\n", out);
        xb_string_free(out);
        free(text);
    }

    /* A second owner keeps the engine alive after the first is freed. */
    second = xb_engine_clone(engine);
    CHECK(second == engine);
    xb_engine_free(engine);
    if (argc > 1) {
        size_t len;
        char *text = read_file(argv[1], &len);
        const char *opts = "{\"trace\":true}";
        out = NULL;
        CHECK_STATUS(xb_assess_json_with_options(second, U8(text), len, U8(opts), strlen(opts), &out),
                     XB_STATUS_OK);
        CHECK(contains(out, "\"trace\":["));
        xb_string_free(out);
        /* Empty options are the defaults, NULL allowed with length 0. */
        out = NULL;
        CHECK_STATUS(xb_assess_json_with_options(second, U8(text), len, NULL, 0, &out), XB_STATUS_OK);
        CHECK(out != NULL && !contains(out, "\"trace\":["));
        xb_string_free(out);
        free(text);
    }

    out = NULL;
    CHECK_STATUS(xb_regimes_json(second, &out), XB_STATUS_OK);
    CHECK(contains(out, "\"id\":\"EU\""));
    CHECK(contains(out, "\"id\":\"GB\""));
    CHECK(contains(out, "\"versions\":["));
    xb_string_free(out);

    xb_engine_free(second);
    xb_string_free(NULL);
    xb_engine_free(NULL);
    CHECK_DONE();
}
