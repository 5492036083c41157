/*
 * Every error status of the C API, and what comes with it: the status, *out (NULL, or the
 * error object for a rejected declaration), and the last error's code and path.
 *
 * usage: errors UNKNOWN_HS_DECLARATION.json GOOD_EU_DECLARATION.json
 */
#include "check.h"

#define POISON ((char *)1)

static void too_large(const XbEngine *engine) {
    /* One byte over the 1 MiB limit: refused before the bytes are read. */
    size_t len = ((size_t)1 << 20) + 1;
    char *big = (char *)malloc(len);
    char *out = POISON;
    memset(big, ' ', len);
    CHECK_STATUS(xb_assess_json(engine, U8(big), len, &out), XB_STATUS_INPUT_TOO_LARGE);
    CHECK(out == NULL);
    CHECK_LAST_ERROR("E_INPUT_TOO_LARGE", "ptr");
    free(big);
}

static void builder_errors(void) {
    XbEngineBuilder *b = NULL;
    XbEngine *engine = (XbEngine *)POISON;
    const char *bad_pack = "{\"id\":\"XX\"}";
    const char *bad_json = "{";
    const char *csv_bad = "this is not a tariff";
    const char *bad_rates = "{\"rates\":\"none\"}";
    const uint8_t bad_id[] = {0xC3, 0x28};

    CHECK_STATUS(xb_engine_builder_new(NULL), XB_STATUS_NULL_PARAMETER);
    CHECK_LAST_ERROR("E_NULL_PARAMETER", "out");
    CHECK_STATUS(xb_engine_builder_regime_json(NULL, U8("{}"), 2), XB_STATUS_NULL_PARAMETER);
    CHECK_LAST_ERROR("E_NULL_PARAMETER", "builder");
    CHECK_STATUS(xb_engine_builder_build(NULL, &engine), XB_STATUS_NULL_PARAMETER);
    CHECK(engine == NULL);

    /* A pack that is not a valid pack. */
    CHECK_STATUS(xb_engine_builder_new(&b), XB_STATUS_OK);
    CHECK_STATUS(xb_engine_builder_regime_json(b, U8(bad_pack), strlen(bad_pack)), XB_STATUS_OK);
    engine = (XbEngine *)POISON;
    CHECK_STATUS(xb_engine_builder_build(b, &engine), XB_STATUS_INVALID_PACK);
    CHECK(engine == NULL);
    CHECK(strcmp(xb_last_error_code(), "E_INVALID_PACK") == 0);
    CHECK(strncmp(xb_last_error_path(), "pack[0]", 7) == 0);
    xb_engine_builder_free(b);

    /* Not JSON at all. */
    CHECK_STATUS(xb_engine_builder_new(&b), XB_STATUS_OK);
    CHECK_STATUS(xb_engine_builder_regime_json(b, U8(bad_json), strlen(bad_json)), XB_STATUS_OK);
    CHECK_STATUS(xb_engine_builder_build(b, &engine), XB_STATUS_INVALID_PACK);
    xb_engine_builder_free(b);

    /* A tariff that does not load, and one for a regime that is not there. */
    CHECK_STATUS(xb_engine_builder_new(&b), XB_STATUS_OK);
    CHECK_STATUS(xb_engine_builder_tariff(b, U8("GB"), 2, U8(csv_bad), strlen(csv_bad)), XB_STATUS_OK);
    CHECK_STATUS(xb_engine_builder_build(b, &engine), XB_STATUS_INVALID_TARIFF);
    CHECK(strcmp(xb_last_error_code(), "E_INVALID_TARIFF") == 0);
    xb_engine_builder_free(b);

    CHECK_STATUS(xb_engine_builder_new(&b), XB_STATUS_OK);
    CHECK_STATUS(xb_engine_builder_tariff(b, U8("ZZ"), 2, U8("hs,duty,description,source,checked\n"), 35),
                 XB_STATUS_OK);
    CHECK_STATUS(xb_engine_builder_build(b, &engine), XB_STATUS_INVALID_ENGINE);
    CHECK(strcmp(xb_last_error_code(), "E_NO_REGIME") == 0);
    /* The regime id is checked like every input. */
    CHECK_STATUS(xb_engine_builder_tariff(b, bad_id, sizeof bad_id, U8(""), 0), XB_STATUS_INVALID_UTF8);
    CHECK_LAST_ERROR("E_INVALID_UTF8", "regime_id");
    CHECK_STATUS(xb_engine_builder_tariff(b, NULL, 2, U8(""), 0), XB_STATUS_NULL_PARAMETER);
    CHECK_LAST_ERROR("E_NULL_PARAMETER", "regime_id");
    xb_engine_builder_free(b);

    /* Exchange rates that do not load. */
    CHECK_STATUS(xb_engine_builder_new(&b), XB_STATUS_OK);
    CHECK_STATUS(xb_engine_builder_rates_json(b, U8(bad_rates), strlen(bad_rates)), XB_STATUS_OK);
    CHECK_STATUS(xb_engine_builder_build(b, &engine), XB_STATUS_INVALID_RATES);
    CHECK(strcmp(xb_last_error_code(), "E_INVALID_RATES") == 0);
    /* Invalid UTF-8 is refused when it is added. */
    CHECK_STATUS(xb_engine_builder_rates_json(b, bad_id, sizeof bad_id), XB_STATUS_INVALID_UTF8);
    xb_engine_builder_free(b);

    xb_engine_builder_free(NULL);
}

int main(int argc, char **argv) {
    XbEngine *engine = NULL;
    char *out = POISON;
    size_t hs_len, good_len;
    char *unknown_hs, *good;
    const char *malformed = "{\"id\":\"m1\",";
    const uint8_t not_utf8[] = {'{', '"', 'i', 'd', '"', ':', '"', 0xFF, 0xFE, '"', '}'};
    unsigned s;

    if (argc != 3) {
        fprintf(stderr, "usage: errors UNKNOWN_HS.json GOOD.json\n");
        return 2;
    }
    unknown_hs = read_file(argv[1], &hs_len);
    good = read_file(argv[2], &good_len);

    CHECK_STATUS(xb_engine_new(NULL), XB_STATUS_NULL_PARAMETER);
    CHECK_LAST_ERROR("E_NULL_PARAMETER", "out");
    CHECK(xb_last_error_status() == XB_STATUS_NULL_PARAMETER);
    CHECK_STATUS(xb_engine_new(&engine), XB_STATUS_OK);
    CHECK(strcmp(xb_last_error_code(), "") == 0); /* a success clears the last error */

    /* NULL engine: *out is still set to NULL. */
    CHECK_STATUS(xb_assess_json(NULL, U8(good), good_len, &out), XB_STATUS_NULL_PARAMETER);
    CHECK(out == NULL);
    CHECK_LAST_ERROR("E_NULL_PARAMETER", "engine");
    CHECK(contains(xb_last_error_message(), "engine"));

    /* NULL out. */
    CHECK_STATUS(xb_assess_json(engine, U8(good), good_len, NULL), XB_STATUS_NULL_PARAMETER);
    CHECK_LAST_ERROR("E_NULL_PARAMETER", "out");
    CHECK_STATUS(xb_assess_ndjson(engine, U8(good), good_len, NULL), XB_STATUS_NULL_PARAMETER);
    CHECK_STATUS(xb_regimes_json(engine, NULL), XB_STATUS_NULL_PARAMETER);
    CHECK_STATUS(xb_regimes_json(NULL, &out), XB_STATUS_NULL_PARAMETER);

    /* NULL input with a length. */
    out = POISON;
    CHECK_STATUS(xb_assess_json(engine, NULL, 10, &out), XB_STATUS_NULL_PARAMETER);
    CHECK(out == NULL);
    CHECK_LAST_ERROR("E_NULL_PARAMETER", "ptr");
    out = POISON;
    CHECK_STATUS(xb_assess_ndjson(engine, NULL, 10, &out), XB_STATUS_NULL_PARAMETER);
    CHECK(out == NULL);

    /* NULL input of length 0 is the empty document: a rejected declaration, not a crash. */
    out = NULL;
    CHECK_STATUS(xb_assess_json(engine, NULL, 0, &out), XB_STATUS_REJECTED);
    CHECK(contains(out, "\"code\":\"E_JSON_SYNTAX\""));
    CHECK(strcmp(xb_last_error_code(), "E_JSON_SYNTAX") == 0);
    xb_string_free(out);

    /* Invalid UTF-8. */
    out = POISON;
    CHECK_STATUS(xb_assess_json(engine, not_utf8, sizeof not_utf8, &out), XB_STATUS_INVALID_UTF8);
    CHECK(out == NULL);
    CHECK_LAST_ERROR("E_INVALID_UTF8", "ptr");
    CHECK(contains(xb_last_error_message(), "offset 7"));

    too_large(engine);

    /* Malformed JSON: rejected, and the error object is written all the same. */
    out = NULL;
    CHECK_STATUS(xb_assess_json(engine, U8(malformed), strlen(malformed), &out), XB_STATUS_REJECTED);
    CHECK(contains(out, "{\"id\":null,\"error\":{\"code\":\"E_JSON_SYNTAX\""));
    CHECK(strcmp(xb_last_error_code(), "E_JSON_SYNTAX") == 0);
    CHECK(xb_last_error_status() == XB_STATUS_REJECTED);
    xb_string_free(out);

    /* An HS code with no tariff line. */
    out = NULL;
    CHECK_STATUS(xb_assess_json(engine, U8(unknown_hs), hs_len, &out), XB_STATUS_REJECTED);
    CHECK(contains(out, "\"code\":\"E_HS_NO_TARIFF_LINE\""));
    CHECK(contains(out, "\"path\":\"items[0].hs_code\""));
    CHECK_LAST_ERROR("E_HS_NO_TARIFF_LINE", "items[0].hs_code");
    xb_string_free(out);

    /* Options: malformed, unknown key, wrong kind; a reading the regime does not know. */
    {
        const char *opts[] = {"{", "{\"trcae\":true}", "{\"trace\":1}", "{\"date\":\"2026-02-30\"}", "[1]"};
        const char *codes[] = {"E_INVALID_OPTION", "E_INVALID_OPTION", "E_INVALID_OPTION", "E_INVALID_DATE",
                               "E_INVALID_OPTION"};
        const char *paths[] = {"", "trcae", "trace", "date", ""};
        const char *unknown_reading = "{\"options\":{\"flat_duty_scope\":\"sometimes\"}}";
        size_t k;
        for (k = 0; k < sizeof opts / sizeof opts[0]; k++) {
            out = POISON;
            CHECK_STATUS(xb_assess_json_with_options(engine, U8(good), good_len, U8(opts[k]), strlen(opts[k]), &out),
                         XB_STATUS_INVALID_OPTIONS);
            CHECK(out == NULL);
            CHECK_LAST_ERROR(codes[k], paths[k]);
        }
        CHECK_STATUS(xb_assess_json_with_options(engine, U8(good), good_len, NULL, 3, &out),
                     XB_STATUS_NULL_PARAMETER);
        CHECK_LAST_ERROR("E_NULL_PARAMETER", "options");
        out = NULL;
        CHECK_STATUS(xb_assess_json_with_options(engine, U8(good), good_len, U8(unknown_reading),
                                                 strlen(unknown_reading), &out),
                     XB_STATUS_REJECTED);
        CHECK(contains(out, "E_INVALID_OPTION"));
        xb_string_free(out);
        out = POISON;
        CHECK_STATUS(xb_assess_ndjson_with_options(engine, U8(good), good_len, U8("{"), 1, &out),
                     XB_STATUS_INVALID_OPTIONS);
        CHECK(out == NULL);
    }

    builder_errors();

    /* After all that, the engine still works and a success clears the last error. */
    out = NULL;
    CHECK_STATUS(xb_assess_json(engine, U8(good), good_len, &out), XB_STATUS_OK);
    CHECK(strcmp(xb_last_error_code(), "") == 0 && strcmp(xb_last_error_message(), "") == 0);
    xb_string_free(out);

    /* Every status has a message; unknown numbers are safe. */
    for (s = 0; s < 1000; s++) CHECK(xb_status_message(s) != NULL);
    CHECK(strcmp(xb_status_message(XB_STATUS_OK), "success") == 0);
    CHECK(strcmp(xb_status_message(12345u), "unknown status") == 0);
    CHECK(strcmp(xb_status_message(0xFFFFFFFFu), "unknown status") == 0);

    /* NULL is accepted by every free function; clone of NULL is NULL. */
    CHECK(xb_engine_clone(NULL) == NULL);
    xb_engine_free(NULL);
    xb_engine_builder_free(NULL);
    xb_string_free(NULL);

    xb_engine_free(engine);
    free(unknown_hs);
    free(good);
    CHECK_DONE();
}
