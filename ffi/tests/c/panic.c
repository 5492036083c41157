/*
 * No panic unwinds into C. The debug-only hooks panic inside the boundary: the call returns
 * XB_STATUS_PANIC (or NULL), the panic's message is the last error, and the library goes on
 * working afterwards. (Run only against builds with debug assertions, which export the hooks.)
 */
#include "check.h"

/* Not in xborder.h: test hooks of debug builds. */
XbStatus xb_test_panic(char **out);
const char *xb_test_panic_pointer(void);

int main(void) {
    XbEngine *engine = NULL;
    char *out = (char *)1;
    const char *doc = "{}";

    CHECK_STATUS(xb_test_panic(&out), XB_STATUS_PANIC);
    CHECK(out == NULL);
    CHECK(strcmp(xb_last_error_code(), "E_INTERNAL") == 0);
    CHECK(contains(xb_last_error_message(), "deliberate panic from xb_test_panic"));
    CHECK(xb_last_error_status() == XB_STATUS_PANIC);

    CHECK(xb_test_panic_pointer() == NULL);
    CHECK(contains(xb_last_error_message(), "deliberate panic from xb_test_panic_pointer"));

    /* The library still works, on this thread too. */
    CHECK_STATUS(xb_engine_new(&engine), XB_STATUS_OK);
    out = NULL;
    CHECK_STATUS(xb_assess_json(engine, U8(doc), strlen(doc), &out), XB_STATUS_REJECTED);
    CHECK(contains(out, "E_MISSING_FIELD"));
    xb_string_free(out);
    xb_engine_free(engine);
    CHECK_DONE();
}
