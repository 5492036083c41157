// Proves the header's C++ compatibility (cpp_compat): it compiles as C++ with every warning
// an error, its functions link with C linkage, and XbStatus is a real enum there.
#include "xborder.h"

#include <cstdio>
#include <cstring>
#include <string>

int main() {
    XbEngine *engine = nullptr;
    XbStatus status = xb_engine_new(&engine);
    if (status != XB_STATUS_OK || engine == nullptr) {
        std::fprintf(stderr, "xb_engine_new: %s\n", xb_last_error_message());
        return 1;
    }
    static_assert(sizeof(XbStatus) == sizeof(uint32_t), "XbStatus is 32 bits");
    static_assert(XB_VERSION_NUMBER == ((XB_VERSION_MAJOR << 16) | (XB_VERSION_MINOR << 8) | XB_VERSION_PATCH),
                  "XB_VERSION_NUMBER");
    const std::string bad = "{";
    char *out = nullptr;
    status = xb_assess_json(engine, reinterpret_cast<const uint8_t *>(bad.data()), bad.size(), &out);
    int rc = 0;
    if (status != XB_STATUS_REJECTED || out == nullptr || std::strstr(out, "E_JSON_SYNTAX") == nullptr) {
        std::fprintf(stderr, "unexpected status %u\n", static_cast<unsigned>(status));
        rc = 1;
    }
    xb_string_free(out);
    xb_engine_free(engine);
    std::printf("%s\n", xb_version());
    return rc;
}
