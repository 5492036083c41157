/*
 * Refunds on returned goods through the C API. Prints one line per call that writes *out
 * (the refund, or the error record in its place), for the test driver to compare with the
 * core's `Engine::refund_json` and the CLI's error records.
 *
 * usage: refund RETURN.json BAD_ITEM_RETURN.json RULES.json
 *
 * RULES.json: the EU's return rules with nothing refundable, given with
 * xb_engine_builder_return_rules_json.
 */
#include "check.h"

#define POISON ((char *)1)

static void refund_print(const XbEngine *engine, const char *text, size_t len,
                         const char *options, XbStatus want) {
    char *out = POISON;
    size_t options_len = options ? strlen(options) : 0;
    CHECK_STATUS(xb_refund_json(engine, U8(text), len, U8(options), options_len, &out), want);
    CHECK(out != POISON);
    printf("%s\n", out ? out : "(null)");
    xb_string_free(out);
}

int main(int argc, char **argv) {
    size_t ret_len, bad_len, rules_len;
    char *ret, *bad, *rules;
    char *out = POISON;
    XbEngine *engine = NULL, *own = NULL, *none = NULL;
    XbEngineBuilder *b = NULL;
    const uint8_t not_utf8[] = {'{', 0xff, '}'};

    if (argc != 4) {
        fprintf(stderr, "usage: refund RETURN BAD_ITEM_RETURN RULES\n");
        return 2;
    }
    ret = read_file(argv[1], &ret_len);
    bad = read_file(argv[2], &bad_len);
    rules = read_file(argv[3], &rules_len);
    CHECK_STATUS(xb_engine_new(&engine), XB_STATUS_OK);

    /* 1. A refund, with the default options and with a regime given. */
    refund_print(engine, ret, ret_len, NULL, XB_STATUS_OK);
    refund_print(engine, ret, ret_len, "{\"regime\":\"EU\"}", XB_STATUS_OK);

    /* 2. Returns that cannot be refunded: the error record in *out, the same in last error. */
    refund_print(engine, bad, bad_len, NULL, XB_STATUS_REJECTED);
    CHECK_LAST_ERROR("E_INVALID_VALUE", "items[0].item");
    CHECK(xb_last_error_status() == XB_STATUS_REJECTED);
    refund_print(engine, "{\"id\":", 6, NULL, XB_STATUS_REJECTED);
    CHECK(strcmp(xb_last_error_code(), "E_JSON_SYNTAX") == 0);
    refund_print(engine, "{\"id\":\"r\"}", 10, NULL, XB_STATUS_REJECTED);
    CHECK_LAST_ERROR("E_MISSING_FIELD", "original");

    /* 3. Unusable arguments: *out NULL. */
    CHECK_STATUS(xb_refund_json(engine, U8(ret), ret_len, U8("{\"trcae\":true}"), 14, &out),
                 XB_STATUS_INVALID_OPTIONS);
    CHECK(out == NULL);
    CHECK_LAST_ERROR("E_INVALID_OPTION", "trcae");
    out = POISON;
    CHECK_STATUS(xb_refund_json(NULL, U8(ret), ret_len, NULL, 0, &out), XB_STATUS_NULL_PARAMETER);
    CHECK(out == NULL);
    CHECK_LAST_ERROR("E_NULL_PARAMETER", "engine");
    CHECK_STATUS(xb_refund_json(engine, U8(ret), ret_len, NULL, 0, NULL),
                 XB_STATUS_NULL_PARAMETER);
    CHECK_LAST_ERROR("E_NULL_PARAMETER", "out");
    CHECK_STATUS(xb_refund_json(engine, NULL, 4, NULL, 0, &out), XB_STATUS_NULL_PARAMETER);
    CHECK_LAST_ERROR("E_NULL_PARAMETER", "ptr");
    CHECK_STATUS(xb_refund_json(engine, not_utf8, sizeof not_utf8, NULL, 0, &out),
                 XB_STATUS_INVALID_UTF8);
    CHECK_LAST_ERROR("E_INVALID_UTF8", "ptr");
    CHECK_STATUS(xb_refund_json(engine, U8(ret), ((size_t)1 << 20) + 1, NULL, 0, &out),
                 XB_STATUS_INPUT_TOO_LARGE);
    CHECK_LAST_ERROR("E_INPUT_TOO_LARGE", "ptr");
    CHECK(out == NULL);

    /* 4. The caller's return rules replace the embedded ones of their regime. */
    CHECK_STATUS(xb_engine_builder_new(&b), XB_STATUS_OK);
    CHECK_STATUS(xb_engine_builder_return_rules_json(b, U8(rules), rules_len), XB_STATUS_OK);
    CHECK_STATUS(xb_engine_builder_build(b, &own), XB_STATUS_OK);
    refund_print(own, ret, ret_len, NULL, XB_STATUS_OK);
    CHECK_STATUS(xb_engine_builder_return_rules_json(b, U8("{}"), 2), XB_STATUS_OK);
    CHECK_STATUS(xb_engine_builder_build(b, &none), XB_STATUS_INVALID_PACK);
    CHECK(none == NULL);
    CHECK(strncmp(xb_last_error_path(), "return_rules[1]", 15) == 0);
    xb_engine_builder_free(b);
    CHECK_STATUS(xb_engine_builder_return_rules_json(NULL, U8(rules), rules_len),
                 XB_STATUS_NULL_PARAMETER);

    xb_engine_free(own);
    xb_engine_free(engine);
    free(ret);
    free(bad);
    free(rules);
    CHECK_DONE();
}
