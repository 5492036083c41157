/*
 * Options: assesses one declaration under each options document of a manifest written by the
 * test driver (from tests/options/errors.json, the cases every binding runs) and prints, per
 * case, the status and the last error's code and path, for the driver to compare with what the
 * Rust core, the WASM package and Python give.
 *
 * usage: options DECLARATION MANIFEST
 * MANIFEST lines: "<options file>"; output lines: "<status> <code or -> <path or ->".
 */
#include "check.h"

int main(int argc, char **argv) {
    XbEngine *engine = NULL;
    size_t decl_len, manifest_len;
    char *decl, *manifest, *line, *next;

    if (argc != 3) {
        fprintf(stderr, "usage: options DECLARATION MANIFEST\n");
        return 2;
    }
    decl = read_file(argv[1], &decl_len);
    manifest = read_file(argv[2], &manifest_len);
    CHECK_STATUS(xb_engine_new(&engine), XB_STATUS_OK);
    for (line = manifest; line && *line; line = next) {
        char *opts, *out = NULL;
        size_t opts_len;
        XbStatus status;
        next = strchr(line, '\n');
        if (next) *next++ = '\0';
        opts = read_file(line, &opts_len);
        status = xb_assess_json_with_options(engine, U8(decl), decl_len, U8(opts), opts_len, &out);
        /* A document refused when read writes nothing; a rejected declaration its error record,
         * whose code and path are the last error's. */
        if (status == XB_STATUS_INVALID_OPTIONS) CHECK(out == NULL);
        if (status == XB_STATUS_REJECTED) {
            CHECK(out != NULL && contains(out, xb_last_error_code()));
        }
        printf("%u %s %s\n", (unsigned)status, *xb_last_error_code() ? xb_last_error_code() : "-",
               *xb_last_error_path() ? xb_last_error_path() : "-");
        xb_string_free(out);
        free(opts);
    }
    xb_engine_free(engine);
    free(decl);
    free(manifest);
    CHECK_DONE();
}
