/*
 * NDJSON batches: one output line per non-blank input line, in input order, with rejected
 * lines reported in place. The batch output is printed for the test driver to compare with the
 * core line by line.
 *
 * usage: batch EU.json GB.json   (each a one-line declaration)
 */
#include "check.h"

static size_t count_lines(const char *s) {
    size_t n = 0;
    for (; s && *s; s++)
        if (*s == '\n') n++;
    return n;
}

static char *strip_newline(char *s) {
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r')) s[--n] = '\0';
    return s;
}

int main(int argc, char **argv) {
    XbEngine *engine = NULL;
    char *eu, *gb, *batch, *out = NULL;
    size_t eu_len, gb_len, n;
    const char *bad_json = "{\"id\":\"bad-1\",\"date\":";
    const char not_utf8[] = {'{', (char)0xC0, '}', 0};

    if (argc != 3) {
        fprintf(stderr, "usage: batch EU.json GB.json\n");
        return 2;
    }
    eu = strip_newline(read_file(argv[1], &eu_len));
    gb = strip_newline(read_file(argv[2], &gb_len));
    CHECK_STATUS(xb_engine_new(&engine), XB_STATUS_OK);

    /*
     * line 1: EU            -> result
     * line 2: (blank)       -> skipped
     * line 3: bad JSON      -> error object
     * line 4: GB, CRLF      -> result
     * line 5: spaces        -> skipped
     * line 6: not UTF-8     -> error object, path "line 6"
     * line 7: EU, no final newline -> result
     */
    batch = (char *)malloc(strlen(eu) * 2 + strlen(gb) + 256);
    sprintf(batch, "%s\n\n%s\n%s\r\n   \n%s\n%s", eu, bad_json, gb, not_utf8, eu);
    n = strlen(batch);

    CHECK_STATUS(xb_assess_ndjson(engine, U8(batch), n, &out), XB_STATUS_BATCH_REJECTED);
    CHECK(count_lines(out) == 5);
    /* The first rejected line is described by the last error. */
    CHECK(strcmp(xb_last_error_code(), "E_JSON_SYNTAX") == 0);
    CHECK(contains(xb_last_error_message(), "2 of 5 records rejected; the first, on line 3"));
    if (out) fputs(out, stdout);
    xb_string_free(out);

    /* All good: XB_STATUS_OK. */
    sprintf(batch, "%s\n%s\n", gb, eu);
    out = NULL;
    CHECK_STATUS(xb_assess_ndjson(engine, U8(batch), strlen(batch), &out), XB_STATUS_OK);
    CHECK(count_lines(out) == 2);
    CHECK(strcmp(xb_last_error_code(), "") == 0);
    xb_string_free(out);

    /* Empty and blank batches give "". */
    out = NULL;
    CHECK_STATUS(xb_assess_ndjson(engine, NULL, 0, &out), XB_STATUS_OK);
    CHECK(out != NULL && out[0] == '\0');
    xb_string_free(out);
    out = NULL;
    CHECK_STATUS(xb_assess_ndjson(engine, U8("\n \r\n\n"), 5, &out), XB_STATUS_OK);
    CHECK(out != NULL && out[0] == '\0');
    xb_string_free(out);

    /* Options apply to every line. */
    sprintf(batch, "%s\n%s\n", eu, gb);
    out = NULL;
    CHECK_STATUS(xb_assess_ndjson_with_options(engine, U8(batch), strlen(batch), U8("{\"trace\":true}"), 14, &out),
                 XB_STATUS_OK);
    CHECK(count_lines(out) == 2);
    {
        const char *second = out ? strchr(out, '\n') : NULL;
        CHECK(contains(out, "\"trace\":[") && contains(second, "\"trace\":["));
    }
    xb_string_free(out);

    free(batch);
    free(eu);
    free(gb);
    xb_engine_free(engine);
    CHECK_DONE();
}
