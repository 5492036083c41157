/*
 * Conformance: assesses every case of a manifest written by the test driver (from
 * tests/vectors/) and writes each output to a file, for the driver to compare byte for byte
 * with the Rust core.
 *
 * usage: conformance RATES.json MANIFEST
 * MANIFEST lines: "<plain|rates> <declaration file> <options file> <output file>"; the output
 * file gets the status number on its first line and the JSON after it.
 */
#include "check.h"

int main(int argc, char **argv) {
    XbEngine *plain = NULL, *with_rates = NULL;
    XbEngineBuilder *b = NULL;
    size_t rates_len, manifest_len, cases = 0;
    char *rates, *manifest, *line, *next;

    if (argc != 3) {
        fprintf(stderr, "usage: conformance RATES.json MANIFEST\n");
        return 2;
    }
    rates = read_file(argv[1], &rates_len);
    manifest = read_file(argv[2], &manifest_len);
    CHECK_STATUS(xb_engine_new(&plain), XB_STATUS_OK);
    CHECK_STATUS(xb_engine_builder_new(&b), XB_STATUS_OK);
    CHECK_STATUS(xb_engine_builder_rates_json(b, U8(rates), rates_len), XB_STATUS_OK);
    CHECK_STATUS(xb_engine_builder_build(b, &with_rates), XB_STATUS_OK);
    xb_engine_builder_free(b);

    for (line = manifest; line && *line; line = next) {
        char kind[16], decl_path[1024], opts_path[1024], out_path[1024];
        char *decl, *opts, *out = NULL;
        size_t decl_len, opts_len;
        XbStatus status;
        FILE *f;
        next = strchr(line, '\n');
        if (next) *next++ = '\0';
        if (sscanf(line, "%15s %1023s %1023s %1023s", kind, decl_path, opts_path, out_path) != 4) {
            fprintf(stderr, "bad manifest line: %s\n", line);
            return 2;
        }
        decl = read_file(decl_path, &decl_len);
        opts = read_file(opts_path, &opts_len);
        status = xb_assess_json_with_options(strcmp(kind, "rates") == 0 ? with_rates : plain, U8(decl),
                                             decl_len, U8(opts), opts_len, &out);
        CHECK(status == XB_STATUS_OK || status == XB_STATUS_REJECTED);
        f = fopen(out_path, "wb");
        if (!f) {
            fprintf(stderr, "cannot write %s\n", out_path);
            return 2;
        }
        fprintf(f, "%u\n%s", (unsigned)status, out ? out : "");
        fclose(f);
        xb_string_free(out);
        free(decl);
        free(opts);
        cases++;
    }
    printf("%lu cases\n", (unsigned long)cases);
    xb_engine_free(plain);
    xb_engine_free(with_rates);
    free(rates);
    free(manifest);
    CHECK_DONE();
}
