/*
 * The version macros of the header against the crate's version (passed by the test driver as
 * EXPECT_MAJOR/MINOR/PATCH) and against the library's own xb_version() at run time. The
 * composite XB_VERSION_NUMBER is checked here, not only its parts.
 */
#include <stdio.h>
#include <string.h>

#include "check.h"

#if !defined(EXPECT_MAJOR) || !defined(EXPECT_MINOR) || !defined(EXPECT_PATCH)
#error "compile with -DEXPECT_MAJOR=.. -DEXPECT_MINOR=.. -DEXPECT_PATCH=.."
#endif

int main(void) {
    char prefix[64];
    const char *v = xb_version();
    CHECK(XB_VERSION_MAJOR == EXPECT_MAJOR);
    CHECK(XB_VERSION_MINOR == EXPECT_MINOR);
    CHECK(XB_VERSION_PATCH == EXPECT_PATCH);
    CHECK(XB_VERSION_NUMBER == ((EXPECT_MAJOR << 16) | (EXPECT_MINOR << 8) | EXPECT_PATCH));
    CHECK(XB_VERSION_NUMBER > 0 || (EXPECT_MAJOR == 0 && EXPECT_MINOR == 0 && EXPECT_PATCH == 0));
    sprintf(prefix, "xborder-ffi/%d.%d.%d ", XB_VERSION_MAJOR, XB_VERSION_MINOR, XB_VERSION_PATCH);
    CHECK(v != NULL && strncmp(v, prefix, strlen(prefix)) == 0);
    CHECK(contains(v, " packs/"));
    CHECK(contains(v, " fnv1a64/"));
    CHECK(v == xb_version());
    printf("%s\n", v);
    CHECK_DONE();
}
