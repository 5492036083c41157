/*
 * Proves that xborder.h stands alone: it is the first and only include, twice (the include
 * guard), and every type and constant it declares is usable without anything else.
 */
#include "xborder.h"
#include "xborder.h"

int main(void) {
    XbStatus status = XB_STATUS_OK;
    XbEngine *engine = NULL;
    XbEngineBuilder *builder = NULL;
    size_t len = 0;
    const uint8_t *ptr = NULL;
    unsigned long number = XB_VERSION_NUMBER;
    (void)engine;
    (void)builder;
    (void)len;
    (void)ptr;
    (void)number;
    return status == XB_STATUS_OK && XB_STATUS_PANIC == 900 ? 0 : 1;
}
