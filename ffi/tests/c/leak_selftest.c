/*
 * Deliberately leaks one result string. Not a test of xborder: run only in valgrind mode, where
 * the harness must report this program as failing, proving that a leak cannot pass unseen.
 */
#include "check.h"

int main(void) {
    XbEngine *engine = NULL;
    char *out = NULL;
    CHECK_STATUS(xb_engine_new(&engine), XB_STATUS_OK);
    CHECK_STATUS(xb_assess_json(engine, U8("{}"), 2, &out), XB_STATUS_REJECTED);
    out = NULL; /* the leak */
    xb_engine_free(engine);
    CHECK_DONE();
}
