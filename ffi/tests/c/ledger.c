/*
 * The split-consignment ledger through the C API: consignments fed in order to a ledger for
 * the EU sample profile's rule, then to one for the caller's profile whose rule re-assesses
 * the group. Prints each record's *out (`null`, the flag, or the error record), for the test
 * driver to compare with the core's SplitLedger fed the same way.
 *
 * usage: ledger PROFILE.json DECLARATION.json...
 */
#include "check.h"

#define POISON ((char *)1)

static void feed(XbSplitLedger *ledger, const XbEngine *engine, int n, char **texts,
                 size_t *lens) {
    int i;
    for (i = 0; i < n; i++) {
        char *out = POISON;
        CHECK_STATUS(xb_split_ledger_record(ledger, engine, U8(texts[i]), lens[i], NULL, 0, &out),
                     XB_STATUS_OK);
        printf("%s\n", out ? out : "(null)");
        xb_string_free(out);
    }
}

int main(int argc, char **argv) {
    size_t profile_len, lens[16];
    char *profile, *texts[16];
    char *out = POISON, *assessed = NULL;
    int i, n = argc - 2;
    XbEngine *engine = NULL, *custom = NULL;
    XbEngineBuilder *b = NULL;
    XbSplitLedger *ledger = NULL, *again = NULL, *none = (XbSplitLedger *)POISON;
    const char *bad = "{\"id\":\"bad\",\"date\":\"2026-03-15\"}";

    if (argc < 3 || n > 16) {
        fprintf(stderr, "usage: ledger PROFILE DECLARATION...\n");
        return 2;
    }
    profile = read_file(argv[1], &profile_len);
    for (i = 0; i < n; i++) texts[i] = read_file(argv[i + 2], &lens[i]);

    /* 1. The embedded EU sample profile's rule. */
    CHECK_STATUS(xb_engine_new(&engine), XB_STATUS_OK);
    CHECK_STATUS(xb_split_ledger_new(engine, U8("EU"), 2, &ledger), XB_STATUS_OK);
    feed(ledger, engine, n, texts, lens);

    /* A declaration that cannot be assessed: not recorded, and *out is byte for byte the
     * error record of xb_assess_json. */
    CHECK_STATUS(xb_split_ledger_record(ledger, engine, U8(bad), strlen(bad), NULL, 0, &out),
                 XB_STATUS_REJECTED);
    CHECK_STATUS(xb_assess_json(engine, U8(bad), strlen(bad), &assessed), XB_STATUS_REJECTED);
    CHECK(out != NULL && assessed != NULL && strcmp(out, assessed) == 0);
    CHECK(strcmp(xb_last_error_code(), "E_MISSING_FIELD") == 0);
    xb_string_free(out);
    xb_string_free(assessed);
    xb_split_ledger_free(ledger);

    /* 2. The caller's profile, whose rule assesses the group as one consignment. */
    CHECK_STATUS(xb_engine_builder_new(&b), XB_STATUS_OK);
    CHECK_STATUS(xb_engine_builder_risk_profile_json(b, U8(profile), profile_len), XB_STATUS_OK);
    CHECK_STATUS(xb_engine_builder_build(b, &custom), XB_STATUS_OK);
    xb_engine_builder_free(b);
    CHECK_STATUS(xb_split_ledger_new(custom, U8("EU"), 2, &again), XB_STATUS_OK);
    feed(again, custom, n, texts, lens);
    xb_split_ledger_free(again);

    /* 3. Errors: a regime the engine lacks, one without a split rule, bad arguments. */
    CHECK_STATUS(xb_split_ledger_new(engine, U8("XX"), 2, &none), XB_STATUS_INVALID_ARGUMENT);
    CHECK(none == NULL);
    CHECK_LAST_ERROR("E_NO_REGIME", "regime_id");
    CHECK_STATUS(xb_split_ledger_new(engine, U8("US"), 2, &none), XB_STATUS_INVALID_ARGUMENT);
    CHECK_LAST_ERROR("E_INVALID_VALUE", "regime_id");
    CHECK_STATUS(xb_split_ledger_new(NULL, U8("EU"), 2, &none), XB_STATUS_NULL_PARAMETER);
    CHECK_LAST_ERROR("E_NULL_PARAMETER", "engine");
    CHECK_STATUS(xb_split_ledger_new(engine, U8("EU"), 2, NULL), XB_STATUS_NULL_PARAMETER);
    CHECK_LAST_ERROR("E_NULL_PARAMETER", "out");
    out = POISON;
    CHECK_STATUS(xb_split_ledger_record(NULL, engine, U8(texts[0]), lens[0], NULL, 0, &out),
                 XB_STATUS_NULL_PARAMETER);
    CHECK(out == NULL);
    CHECK_LAST_ERROR("E_NULL_PARAMETER", "ledger");
    CHECK_STATUS(xb_split_ledger_new(engine, U8("EU"), 2, &ledger), XB_STATUS_OK);
    CHECK_STATUS(xb_split_ledger_record(ledger, engine, U8(texts[0]), lens[0], U8("["), 1, &out),
                 XB_STATUS_INVALID_OPTIONS);
    CHECK(out == NULL);
    CHECK_LAST_ERROR("E_INVALID_OPTION", "");
    xb_split_ledger_free(ledger);
    xb_split_ledger_free(NULL);

    xb_engine_free(engine);
    xb_engine_free(custom);
    free(profile);
    for (i = 0; i < n; i++) free(texts[i]);
    CHECK_DONE();
}
