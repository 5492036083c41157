/*
 * Collector statements through the C API: an NDJSON file fed line by line into a monthly
 * statement (as `xborder statement` does), then printed as JSON and as CSV; a quarterly one
 * of the same lines as JSON. Prints `rejected LINE CODE PATH` for each line left out, for
 * the test driver to compare with the core's StatementBuilder.
 *
 * usage: statement DECLARATIONS.ndjson
 */
#include "check.h"

#define POISON ((char *)1)

/* Feeds every non-blank line of text[0..len) to both statements. */
static void feed(XbStatement *month, XbStatement *quarter, const XbEngine *engine,
                 char *text, size_t len) {
    size_t start = 0, line_no = 0;
    while (start < len) {
        size_t end = start;
        XbStatus status;
        while (end < len && text[end] != '\n') end++;
        line_no++;
        if (end > start) {
            status = xb_statement_add(month, engine, U8(text + start), end - start, NULL, 0);
            if (status == XB_STATUS_REJECTED) {
                printf("rejected %lu %s %s\n", (unsigned long)line_no, xb_last_error_code(),
                       xb_last_error_path());
            } else {
                CHECK_STATUS(status, XB_STATUS_OK);
            }
            CHECK_STATUS(xb_statement_add(quarter, engine, U8(text + start), end - start,
                                          U8("{}"), 2),
                         status);
        }
        start = end + 1;
    }
}

static void print_out(XbStatus status, char *out) {
    CHECK_STATUS(status, XB_STATUS_OK);
    CHECK(out != NULL);
    printf("%s%s", out ? out : "(null)", out && out[0] && out[strlen(out) - 1] == '\n' ? "" : "\n");
    xb_string_free(out);
}

int main(int argc, char **argv) {
    size_t len;
    char *text;
    char *out = POISON;
    XbStatus status;
    XbEngine *engine = NULL;
    XbStatement *month = NULL, *quarter = NULL, *other = (XbStatement *)POISON;

    if (argc != 2) {
        fprintf(stderr, "usage: statement DECLARATIONS.ndjson\n");
        return 2;
    }
    text = read_file(argv[1], &len);
    CHECK_STATUS(xb_engine_new(&engine), XB_STATUS_OK);
    CHECK_STATUS(xb_statement_new(NULL, 0, &month), XB_STATUS_OK);
    CHECK_STATUS(xb_statement_new(U8("quarter"), 7, &quarter), XB_STATUS_OK);

    feed(month, quarter, engine, text, len);
    /* A line that is not a declaration is left out, the statement unchanged. */
    CHECK_STATUS(xb_statement_add(month, engine, U8("{\"id\":"), 6, NULL, 0), XB_STATUS_REJECTED);
    CHECK(strcmp(xb_last_error_code(), "E_JSON_SYNTAX") == 0);

    /* (Two statements each: C leaves the order of a call's arguments unspecified.) */
    status = xb_statement_json(month, &out);
    print_out(status, out);
    out = POISON;
    status = xb_statement_csv(month, &out);
    print_out(status, out);
    out = POISON;
    status = xb_statement_json(quarter, &out);
    print_out(status, out);

    /* Errors: an unknown period, bad options, NULL arguments. */
    CHECK_STATUS(xb_statement_new(U8("week"), 4, &other), XB_STATUS_INVALID_ARGUMENT);
    CHECK(other == NULL);
    CHECK_LAST_ERROR("E_INVALID_VALUE", "period");
    CHECK(xb_last_error_status() == XB_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(xb_statement_new(U8("month"), 5, NULL), XB_STATUS_NULL_PARAMETER);
    CHECK_LAST_ERROR("E_NULL_PARAMETER", "out");
    CHECK_STATUS(xb_statement_add(month, engine, U8("{}"), 2, U8("{\"x\":1}"), 7),
                 XB_STATUS_INVALID_OPTIONS);
    CHECK_LAST_ERROR("E_INVALID_OPTION", "x");
    CHECK_STATUS(xb_statement_add(NULL, engine, U8("{}"), 2, NULL, 0), XB_STATUS_NULL_PARAMETER);
    CHECK_LAST_ERROR("E_NULL_PARAMETER", "statement");
    CHECK_STATUS(xb_statement_add(month, NULL, U8("{}"), 2, NULL, 0), XB_STATUS_NULL_PARAMETER);
    CHECK_LAST_ERROR("E_NULL_PARAMETER", "engine");
    out = POISON;
    CHECK_STATUS(xb_statement_json(NULL, &out), XB_STATUS_NULL_PARAMETER);
    CHECK(out == NULL);
    CHECK_LAST_ERROR("E_NULL_PARAMETER", "statement");
    CHECK_STATUS(xb_statement_csv(month, NULL), XB_STATUS_NULL_PARAMETER);
    CHECK_LAST_ERROR("E_NULL_PARAMETER", "out");
    xb_statement_free(NULL);

    xb_statement_free(month);
    xb_statement_free(quarter);
    xb_engine_free(engine);
    free(text);
    CHECK_DONE();
}
