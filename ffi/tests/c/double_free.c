/*
 * Frees one object twice: a contract violation that xborder cannot detect by itself (the
 * pointer is all it gets). Not a test of xborder's behaviour: the harness runs this program
 * only under valgrind and requires valgrind to REPORT the second free, proving that a double
 * free by a caller is caught by the tool the C tests rely on. Never run it without valgrind.
 *
 * usage: double_free string|engine|builder
 */
#include "check.h"

int main(int argc, char **argv) {
    XbEngineBuilder *builder = NULL;
    XbEngine *engine = NULL;
    char *out = NULL;
    if (argc != 2) {
        fprintf(stderr, "usage: double_free string|engine|builder\n");
        return 2;
    }
    /* An engine without regimes builds in no time, even under valgrind. */
    CHECK_STATUS(xb_engine_builder_new(&builder), XB_STATUS_OK);
    CHECK_STATUS(xb_engine_builder_without_embedded(builder), XB_STATUS_OK);
    CHECK_STATUS(xb_engine_builder_build(builder, &engine), XB_STATUS_OK);
    if (strcmp(argv[1], "string") == 0) {
        CHECK_STATUS(xb_regimes_json(engine, &out), XB_STATUS_OK);
        xb_string_free(out);
        xb_string_free(out); /* the second free */
    } else if (strcmp(argv[1], "engine") == 0) {
        xb_engine_free(engine);
        xb_engine_free(engine); /* the second free */
        engine = NULL;
    } else if (strcmp(argv[1], "builder") == 0) {
        xb_engine_builder_free(builder);
        xb_engine_builder_free(builder); /* the second free */
        builder = NULL;
    } else {
        return 2;
    }
    xb_engine_free(engine);
    xb_engine_builder_free(builder);
    CHECK_DONE();
}
