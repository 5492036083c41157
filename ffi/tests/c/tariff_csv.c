/*
 * A caller's CSV tariff laid out by a header map (xb_engine_builder_tariff_csv): a spreadsheet
 * exported as it stands, its columns named in a JSON layout. Prints the assessment with that
 * tariff, then `CODE PATH` for each refused layout or build, for the test driver to compare
 * with the core (EngineBuilder::tariff_csv, CsvLayout::from_json).
 *
 * usage: tariff_csv GB.json SPREADSHEET.csv LAYOUT.json
 */
#include "check.h"

static void print_error(void) {
    printf("%s %s\n", xb_last_error_code(), xb_last_error_path() ? xb_last_error_path() : "");
}

int main(int argc, char **argv) {
    size_t gb_len, csv_len, layout_len;
    char *gb, *csv, *layout, *out = NULL;
    XbEngineBuilder *b = NULL;
    XbEngine *engine = NULL, *none = (XbEngine *)1;
    const char *typo = "{\"columns\":{\"hz\":\"Commodity code\"}}";
    const char *separator = "{\"separator\":\"semicolon\"}";
    const char *date = "{\"checked\":\"2026-13-01\"}";

    if (argc != 4) {
        fprintf(stderr, "usage: tariff_csv GB SPREADSHEET LAYOUT\n");
        return 2;
    }
    gb = read_file(argv[1], &gb_len);
    csv = read_file(argv[2], &csv_len);
    layout = read_file(argv[3], &layout_len);

    /* 1. The spreadsheet with its layout replaces the GB tariff. */
    CHECK_STATUS(xb_engine_builder_new(&b), XB_STATUS_OK);
    CHECK_STATUS(xb_engine_builder_tariff_csv(b, U8("GB"), 2, U8(csv), csv_len, U8(layout), layout_len),
                 XB_STATUS_OK);
    CHECK_STATUS(xb_engine_builder_build(b, &engine), XB_STATUS_OK);
    xb_engine_builder_free(b);
    CHECK_STATUS(xb_assess_json(engine, U8(gb), gb_len, &out), XB_STATUS_OK);
    printf("%s\n", out);
    xb_string_free(out);

    /* 2. Layouts refused when given: the key as path under `layout`. */
    CHECK_STATUS(xb_engine_builder_new(&b), XB_STATUS_OK);
    CHECK_STATUS(xb_engine_builder_tariff_csv(b, U8("GB"), 2, U8(csv), csv_len, U8(typo), strlen(typo)),
                 XB_STATUS_INVALID_ARGUMENT);
    print_error();
    CHECK_STATUS(xb_engine_builder_tariff_csv(b, U8("GB"), 2, U8(csv), csv_len, U8(separator),
                                              strlen(separator)),
                 XB_STATUS_INVALID_ARGUMENT);
    print_error();
    CHECK_STATUS(xb_engine_builder_tariff_csv(b, U8("GB"), 2, U8(csv), csv_len, U8(date), strlen(date)),
                 XB_STATUS_INVALID_ARGUMENT);
    print_error();
    CHECK_STATUS(xb_engine_builder_tariff_csv(b, U8("GB"), 2, U8(csv), csv_len, NULL, 3),
                 XB_STATUS_NULL_PARAMETER);

    /* 3. The spreadsheet without its layout (an empty layout is the default header): the build
     * names the column it lacks. */
    CHECK_STATUS(xb_engine_builder_tariff_csv(b, U8("GB"), 2, U8(csv), csv_len, NULL, 0), XB_STATUS_OK);
    CHECK_STATUS(xb_engine_builder_build(b, &none), XB_STATUS_INVALID_TARIFF);
    CHECK(none == NULL);
    print_error();
    xb_engine_builder_free(b);

    xb_engine_free(engine);
    free(gb);
    free(csv);
    free(layout);
    CHECK_DONE();
}
