/*
 * Engines with the caller's risk profile, without the sample risk profiles, and without the
 * embedded national tariffs. Prints one line per assessment (the result, or the error object)
 * and one line per failed build (`CODE PATH`), for the test driver to compare with the core
 * built the same way.
 *
 * usage: profiles DECLARATION.json PROFILE.json BAD_PROFILE.json OTHER_REGIME_PROFILE.json
 *                 FILE_ONLY.json
 *
 * FILE_ONLY.json is a declaration whose HS code only the embedded tariff file prices.
 */
#include "check.h"

#define POISON ((XbEngine *)1)

static void assess_print(const XbEngine *engine, const char *text, size_t len, XbStatus want) {
    char *out = NULL;
    CHECK_STATUS(xb_assess_json(engine, U8(text), len, &out), want);
    printf("%s\n", out ? out : "(null)");
    xb_string_free(out);
}

/* Builds with one risk profile added; returns the engine (NULL when the build failed). */
static XbEngine *with_profile(const char *profile, size_t len, XbStatus want) {
    XbEngineBuilder *b = NULL;
    XbEngine *engine = POISON;
    CHECK_STATUS(xb_engine_builder_new(&b), XB_STATUS_OK);
    CHECK_STATUS(xb_engine_builder_risk_profile_json(b, U8(profile), len), XB_STATUS_OK);
    CHECK_STATUS(xb_engine_builder_build(b, &engine), want);
    if (want != XB_STATUS_OK) {
        CHECK(engine == NULL);
        CHECK(xb_last_error_status() == want);
        printf("%s %s\n", xb_last_error_code(), xb_last_error_path());
    }
    xb_engine_builder_free(b);
    return engine;
}

int main(int argc, char **argv) {
    size_t decl_len, profile_len, bad_len, other_len, file_only_len;
    char *decl, *profile, *bad, *other, *file_only;
    XbEngineBuilder *b = NULL;
    XbEngine *plain = NULL, *profiled = NULL, *no_samples = NULL, *no_files = NULL;
    const uint8_t not_utf8[] = {'{', 0xff, '}'};

    if (argc != 6) {
        fprintf(stderr, "usage: profiles DECL PROFILE BAD_PROFILE OTHER_PROFILE FILE_ONLY\n");
        return 2;
    }
    decl = read_file(argv[1], &decl_len);
    profile = read_file(argv[2], &profile_len);
    bad = read_file(argv[3], &bad_len);
    other = read_file(argv[4], &other_len);
    file_only = read_file(argv[5], &file_only_len);

    /* 1. The embedded sample profile, then the caller's in its place. */
    CHECK_STATUS(xb_engine_new(&plain), XB_STATUS_OK);
    assess_print(plain, decl, decl_len, XB_STATUS_OK);
    profiled = with_profile(profile, profile_len, XB_STATUS_OK);
    assess_print(profiled, decl, decl_len, XB_STATUS_OK);

    /* 2. No sample profiles: release on findings and revenue alone. */
    CHECK_STATUS(xb_engine_builder_new(&b), XB_STATUS_OK);
    CHECK_STATUS(xb_engine_builder_without_sample_risk_profiles(b), XB_STATUS_OK);
    CHECK_STATUS(xb_engine_builder_build(b, &no_samples), XB_STATUS_OK);
    xb_engine_builder_free(b);
    assess_print(no_samples, decl, decl_len, XB_STATUS_OK);

    /* 3. No embedded tariff files: the pack's own lines price, and lack this HS code. */
    assess_print(plain, file_only, file_only_len, XB_STATUS_OK);
    CHECK_STATUS(xb_engine_builder_new(&b), XB_STATUS_OK);
    CHECK_STATUS(xb_engine_builder_without_embedded_tariffs(b), XB_STATUS_OK);
    CHECK_STATUS(xb_engine_builder_build(b, &no_files), XB_STATUS_OK);
    xb_engine_builder_free(b);
    assess_print(no_files, file_only, file_only_len, XB_STATUS_REJECTED);
    CHECK_LAST_ERROR("E_HS_NO_TARIFF_LINE", "items[0].hs_code");

    /* 4. The caller's profile loaded, and screening turned off for a checkout: the charges
     * stay, the release is not_screened and no rule of the profile is applied. */
    {
        static const char off[] = "{\"options\":{\"screening\":\"off\"}}";
        char *out = NULL;
        CHECK_STATUS(xb_assess_json_with_options(profiled, U8(decl), decl_len, U8(off), strlen(off), &out),
                     XB_STATUS_OK);
        CHECK(strstr(out, "\"decision\":\"not_screened\"") != NULL);
        CHECK(strstr(out, "R_TEST_T_SHIRTS") == NULL);
        printf("%s\n", out);
        xb_string_free(out);
    }

    /* 5. Errors: a bad profile, one for a regime the engine lacks, and bad arguments. */
    CHECK(with_profile(bad, bad_len, XB_STATUS_INVALID_PACK) == NULL);
    CHECK(with_profile(other, other_len, XB_STATUS_INVALID_ENGINE) == NULL);
    CHECK(with_profile("{", 1, XB_STATUS_INVALID_PACK) == NULL);
    CHECK_STATUS(xb_engine_builder_risk_profile_json(NULL, U8("{}"), 2),
                 XB_STATUS_NULL_PARAMETER);
    CHECK_LAST_ERROR("E_NULL_PARAMETER", "builder");
    CHECK_STATUS(xb_engine_builder_without_sample_risk_profiles(NULL), XB_STATUS_NULL_PARAMETER);
    CHECK_LAST_ERROR("E_NULL_PARAMETER", "builder");
    CHECK_STATUS(xb_engine_builder_without_embedded_tariffs(NULL), XB_STATUS_NULL_PARAMETER);
    CHECK_LAST_ERROR("E_NULL_PARAMETER", "builder");
    CHECK_STATUS(xb_engine_builder_new(&b), XB_STATUS_OK);
    CHECK_STATUS(xb_engine_builder_risk_profile_json(b, NULL, 3), XB_STATUS_NULL_PARAMETER);
    CHECK_LAST_ERROR("E_NULL_PARAMETER", "ptr");
    CHECK_STATUS(xb_engine_builder_risk_profile_json(b, not_utf8, sizeof not_utf8),
                 XB_STATUS_INVALID_UTF8);
    CHECK_LAST_ERROR("E_INVALID_UTF8", "ptr");
    /* Over the 16 MiB limit: refused before the bytes (a much shorter buffer) are read. */
    CHECK_STATUS(xb_engine_builder_risk_profile_json(b, U8(decl), ((size_t)16 << 20) + 1),
                 XB_STATUS_INPUT_TOO_LARGE);
    CHECK_LAST_ERROR("E_INPUT_TOO_LARGE", "ptr");
    xb_engine_builder_free(b);

    xb_engine_free(plain);
    xb_engine_free(profiled);
    xb_engine_free(no_samples);
    xb_engine_free(no_files);
    free(decl);
    free(profile);
    free(bad);
    free(other);
    free(file_only);
    CHECK_DONE();
}
