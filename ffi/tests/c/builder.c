/*
 * Engines from caller-supplied regime packs, tariffs (CSV) and exchange rates. Prints one line
 * per assessment for the test driver to compare with the core built the same way.
 *
 * usage: builder GB_PACK.json GB.json EU.json USD_EU.json RATES.json GB_TARIFF.csv EU.rates
 *                GB.tariff EU.tariff
 */
#include "check.h"

static void assess_print(const XbEngine *engine, const char *text, size_t len, XbStatus want) {
    char *out = NULL;
    CHECK_STATUS(xb_assess_json(engine, U8(text), len, &out), want);
    printf("%s\n", out ? out : "(null)");
    xb_string_free(out);
}

int main(int argc, char **argv) {
    size_t pack_len, gb_len, eu_len, usd_len, rates_len, csv_len, table_len, gbt_len, eut_len;
    char *pack, *gb, *eu, *usd, *rates, *csv, *table, *gb_tariff, *eu_tariff;
    XbEngineBuilder *b = NULL;
    XbEngine *only_gb = NULL, *with_rates = NULL, *again = NULL, *plain = NULL, *tariffed = NULL;
    XbEngine *no_builtin = NULL, *loaded = NULL, *on_demand = NULL, *wrong = NULL;

    if (argc != 10) {
        fprintf(stderr, "usage: builder GB_PACK GB EU USD RATES TARIFF_CSV EU_RATES GB_TARIFF EU_TARIFF\n");
        return 2;
    }
    pack = read_file(argv[1], &pack_len);
    gb = read_file(argv[2], &gb_len);
    eu = read_file(argv[3], &eu_len);
    usd = read_file(argv[4], &usd_len);
    rates = read_file(argv[5], &rates_len);
    csv = read_file(argv[6], &csv_len);
    table = read_file(argv[7], &table_len);
    gb_tariff = read_file(argv[8], &gbt_len);
    eu_tariff = read_file(argv[9], &eut_len);

    /* 1. Only the caller's GB pack: GB assesses, EU has no regime. */
    CHECK_STATUS(xb_engine_builder_new(&b), XB_STATUS_OK);
    CHECK_STATUS(xb_engine_builder_without_embedded(b), XB_STATUS_OK);
    CHECK_STATUS(xb_engine_builder_regime_json(b, U8(pack), pack_len), XB_STATUS_OK);
    CHECK_STATUS(xb_engine_builder_build(b, &only_gb), XB_STATUS_OK);
    xb_engine_builder_free(b);
    assess_print(only_gb, gb, gb_len, XB_STATUS_OK);
    assess_print(only_gb, eu, eu_len, XB_STATUS_REJECTED);
    CHECK(strcmp(xb_last_error_code(), "E_NO_REGIME") == 0);

    /* 2. Embedded regimes plus exchange rates; the builder is built twice. */
    CHECK_STATUS(xb_engine_builder_new(&b), XB_STATUS_OK);
    CHECK_STATUS(xb_engine_builder_rates_json(b, U8(rates), rates_len), XB_STATUS_OK);
    CHECK_STATUS(xb_engine_builder_build(b, &with_rates), XB_STATUS_OK);
    CHECK_STATUS(xb_engine_builder_build(b, &again), XB_STATUS_OK);
    CHECK(with_rates != again);
    xb_engine_builder_free(b);
    assess_print(with_rates, usd, usd_len, XB_STATUS_OK);
    xb_engine_free(again);
    /* The embedded engine converts USD at the built-in ECB rate (Art. 146 UCC-IA). */
    CHECK_STATUS(xb_engine_new(&plain), XB_STATUS_OK);
    assess_print(plain, usd, usd_len, XB_STATUS_OK);
    /* Without the built-in rates it cannot... */
    CHECK_STATUS(xb_engine_builder_new(&b), XB_STATUS_OK);
    CHECK_STATUS(xb_engine_builder_without_builtin_rates(b), XB_STATUS_OK);
    CHECK_STATUS(xb_engine_builder_build(b, &no_builtin), XB_STATUS_OK);
    assess_print(no_builtin, usd, usd_len, XB_STATUS_REJECTED);
    CHECK(strcmp(xb_last_error_code(), "E_NO_EXCHANGE_RATE") == 0);
    /* ...until the ECB table is loaded as text: the same bytes as the embedded one. */
    CHECK_STATUS(xb_engine_builder_rate_table(b, U8(table), table_len), XB_STATUS_OK);
    CHECK_STATUS(xb_engine_builder_build(b, &loaded), XB_STATUS_OK);
    xb_engine_builder_free(b);
    assess_print(loaded, usd, usd_len, XB_STATUS_OK);

    /* 3. The GB tariff replaced by the caller's CSV. */
    CHECK_STATUS(xb_engine_builder_new(&b), XB_STATUS_OK);
    CHECK_STATUS(xb_engine_builder_tariff(b, U8("GB"), 2, U8(csv), csv_len), XB_STATUS_OK);
    CHECK_STATUS(xb_engine_builder_build(b, &tariffed), XB_STATUS_OK);
    xb_engine_builder_free(b);
    assess_print(tariffed, gb, gb_len, XB_STATUS_OK);

    /* 4. The GB tariff file given on demand: its header is checked by the build (the EU file,
     * in euros, is refused for GB), its lines parsed by the first assessment. */
    CHECK_STATUS(xb_engine_builder_new(&b), XB_STATUS_OK);
    CHECK_STATUS(xb_engine_builder_tariff_on_demand(b, U8("GB"), 2, U8(eu_tariff), eut_len), XB_STATUS_OK);
    CHECK_STATUS(xb_engine_builder_build(b, &wrong), XB_STATUS_INVALID_TARIFF);
    CHECK(wrong == NULL);
    CHECK(strcmp(xb_last_error_code(), "E_INVALID_TARIFF") == 0);
    CHECK(strcmp(xb_last_error_path(), "tariff[GB].currency") == 0);
    xb_engine_builder_free(b);
    CHECK_STATUS(xb_engine_builder_new(&b), XB_STATUS_OK);
    CHECK_STATUS(xb_engine_builder_tariff_on_demand(b, U8("GB"), 2, U8(gb_tariff), gbt_len), XB_STATUS_OK);
    CHECK_STATUS(xb_engine_builder_build(b, &on_demand), XB_STATUS_OK);
    xb_engine_builder_free(b);
    assess_print(on_demand, gb, gb_len, XB_STATUS_OK);
    CHECK_STATUS(xb_engine_builder_tariff_on_demand(NULL, U8("GB"), 2, U8(""), 0), XB_STATUS_NULL_PARAMETER);

    xb_engine_free(on_demand);
    xb_engine_free(only_gb);
    xb_engine_free(with_rates);
    xb_engine_free(plain);
    xb_engine_free(no_builtin);
    xb_engine_free(loaded);
    xb_engine_free(tariffed);
    free(pack);
    free(gb);
    free(eu);
    free(usd);
    free(rates);
    free(csv);
    free(table);
    free(gb_tariff);
    free(eu_tariff);
    CHECK_DONE();
}
