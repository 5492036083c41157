/*
 * xborder.h: the C API of xborder, the WCO cross-border e-commerce rules library.
 *
 * GENERATED FILE, DO NOT EDIT. cbindgen 0.29.4 writes it from ffi/src (doc comments
 * included) and ffi/cbindgen.toml; `cargo test -p xborder-ffi` fails when it is stale.
 * Regenerate with: XB_BLESS=1 cargo test -p xborder-ffi --test header
 *
 * Conventions (docs/c-api.md has the full story and an example):
 *
 * Inputs   are (const uint8_t *ptr, size_t len) UTF-8 bytes; no NUL terminator is needed.
 *          ptr may be NULL when len is 0. Invalid UTF-8 gives XB_STATUS_INVALID_UTF8,
 *          an oversize input XB_STATUS_INPUT_TOO_LARGE.
 * Outputs  are `char **out` parameters. *out is set to NULL first, then to an owned
 *          NUL-terminated string that the caller frees with xb_string_free(). Strings
 *          returned as `const char *` (xb_version, xb_status_message, xb_last_error_*)
 *          belong to the library and are never freed by the caller.
 * Objects  (XbEngine, XbEngineBuilder, XbStatement, XbSplitLedger, XbError) are opaque,
 *          made by their *_new / *_build function (an XbError by a failing *_ex function)
 *          and freed by their *_free function; every *_free accepts NULL and must not be
 *          called twice on one owner.
 * Errors   Every fallible function returns an XbStatus (a uint32_t; 0 is success). After
 *          a failure, xb_last_error_code() (a stable "E_..." string), xb_last_error_message()
 *          and xb_last_error_path() describe it, per thread. Each also has an _ex twin
 *          whose last parameter, XbError **error, receives the failure as an object the
 *          caller reads on any thread and frees with xb_error_free() (for runtimes that move
 *          work between OS threads, such as Java virtual threads).
 * NULL     A NULL pointer where an object or out-parameter is required gives
 *          XB_STATUS_NULL_PARAMETER, never a crash.
 * Panics   No panic unwinds into C: a bug inside xborder is caught at the boundary and
 *          reported as XB_STATUS_PANIC (or NULL from functions returning a pointer).
 * Threads  An XbEngine is immutable and may be shared by any number of threads at once.
 *          An XbEngineBuilder, XbStatement or XbSplitLedger must not be used by two
 *          threads at once. Last errors are per thread.
 */

#ifndef XBORDER_H
#define XBORDER_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

/** The version of this header: major part. Compare with xb_version() at run time. */
#define XB_VERSION_MAJOR 0
/** The version of this header: minor part. */
#define XB_VERSION_MINOR 1
/** The version of this header: patch part. */
#define XB_VERSION_PATCH 0
/** The version as one number, 8 bits per part: (MAJOR << 16) | (MINOR << 8) | PATCH. */
#define XB_VERSION_NUMBER ((XB_VERSION_MAJOR << 16) | (XB_VERSION_MINOR << 8) | XB_VERSION_PATCH)

/**
 * The result of a call into xborder.
 *
 * Bands: `0` success; `100`-`199` the call's own arguments were unusable and nothing was
 * done (`*out`, when the function has one, is `NULL`); `200`-`299` a declaration was
 * assessed-not, and `*out` holds the error record (docs/contract.md); `300`-`399` an engine
 * could not be built; `400`-`499` NDJSON batches; `900`-`999` a fault inside xborder. Numbers
 * are never reused. After any status other than `XB_STATUS_OK`, `xb_last_error_code()`,
 * `xb_last_error_message()` and `xb_last_error_path()` describe the failure.
 */
enum XbStatus
#if defined(__cplusplus) || __STDC_VERSION__ >= 202311L
  : uint32_t
#endif // defined(__cplusplus) || __STDC_VERSION__ >= 202311L
 {
    /**
     * Success.
     */
    XB_STATUS_OK = 0,
    /**
     * A pointer argument that must not be NULL was NULL (also: an input pointer that is NULL
     * while its length is not 0). `xb_last_error_path()` names the parameter. Error code
     * `E_NULL_PARAMETER`.
     */
    XB_STATUS_NULL_PARAMETER = 100,
    /**
     * An input is not valid UTF-8. Error code `E_INVALID_UTF8`.
     */
    XB_STATUS_INVALID_UTF8 = 101,
    /**
     * An input is larger than xborder accepts (a declaration: 1 MiB, see `docs/limits.md`).
     * Error code `E_INPUT_TOO_LARGE`.
     */
    XB_STATUS_INPUT_TOO_LARGE = 102,
    /**
     * The options JSON of an `_with_options` call is malformed, has an unknown key or a
     * value of the wrong kind. `xb_last_error_path()` names the key (`"trcae"`, `"date"`,
     * `"options.flat_duty_scope"`). Error code `E_INVALID_OPTION` (`E_INVALID_DATE` for a
     * date that is not a real date), as every binding reports it.
     */
    XB_STATUS_INVALID_OPTIONS = 103,
    /**
     * A text argument that is not a document names something xborder does not know or
     * cannot use: a statement period other than `day`, `month` or `quarter`
     * (`E_INVALID_VALUE`), a regime the engine does not hold (`E_NO_REGIME`) or whose risk
     * profile has no split-consignment rule (`E_INVALID_VALUE`). `xb_last_error_path()` names
     * the parameter.
     */
    XB_STATUS_INVALID_ARGUMENT = 104,
    /**
     * The declaration could not be assessed: it is malformed or invalid, or the loaded rules
     * cannot assess it (no regime, no tariff line, no exchange rate …); or a return
     * declaration could not be refunded. `*out` holds the error record (docs/contract.md)
     * `{"id":…,"error":{"code","message","path"}}` and the `xb_last_error_*` functions return
     * the same code, message and path. `xb_statement_add`, which has no `char **out`,
     * reports the error through `xb_last_error_*` alone.
     */
    XB_STATUS_REJECTED = 200,
    /**
     * A regime pack (or a duty expression in it), or a risk profile, failed to load or
     * validate.
     */
    XB_STATUS_INVALID_PACK = 300,
    /**
     * A tariff (JSON or CSV) failed to load.
     */
    XB_STATUS_INVALID_TARIFF = 301,
    /**
     * An exchange-rate table failed to load.
     */
    XB_STATUS_INVALID_RATES = 302,
    /**
     * The parts of an engine do not fit together: a tariff for a regime that is not loaded,
     * two regimes claiming one destination, and the like. `xb_last_error_code()` says which.
     */
    XB_STATUS_INVALID_ENGINE = 303,
    /**
     * At least one line of an NDJSON batch was rejected. `*out` holds one line per input
     * record all the same, the rejected ones as error objects in place.
     * `xb_last_error_*` describe the first rejected line.
     */
    XB_STATUS_BATCH_REJECTED = 400,
    /**
     * xborder panicked (a bug). The panic was caught at the boundary; the message holds the
     * panic's text. The objects passed to the call remain valid and must still be freed.
     */
    XB_STATUS_PANIC = 900,
    /**
     * xborder hit an internal inconsistency (a bug, error code `E_INTERNAL`). When the call
     * assesses declarations, `*out` holds the error object as for `XB_STATUS_REJECTED`.
     */
    XB_STATUS_INTERNAL = 901,
};
#ifndef __cplusplus
#if __STDC_VERSION__ >= 202311L
typedef enum XbStatus XbStatus;
#else
typedef uint32_t XbStatus;
#endif // __STDC_VERSION__ >= 202311L
#endif // __cplusplus

/**
 * An immutable set of regimes, tariffs and exchange rates to assess declarations with.
 *
 * Opaque. Made by `xb_engine_new` (the embedded reference regimes) or
 * `xb_engine_builder_build`; freed by `xb_engine_free`.
 *
 * Thread safety: an engine never changes after it is built, so one engine may be used by any
 * number of threads at once without locking. It is reference-counted: `xb_engine_clone`
 * gives another owner of the same engine, and the engine is freed when its last owner calls
 * `xb_engine_free`.
 */
typedef struct XbEngine XbEngine;

/**
 * Collects regime packs, tariffs and exchange rates for a new `XbEngine`.
 *
 * Opaque. Made by `xb_engine_builder_new`, freed by `xb_engine_builder_free`.
 *
 * Thread safety: a builder may be moved between threads but not used by two threads at once.
 */
typedef struct XbEngineBuilder XbEngineBuilder;

/**
 * The error of one failed call, owned by the caller: its status, stable code, message and
 * path, the same four things `xb_last_error_status()`, `_code()`, `_message()` and `_path()`
 * report for the calling thread.
 *
 * Opaque. Made by a failing `xb_*_ex` function, read with `xb_error_status`,
 * `xb_error_code`, `xb_error_message` and `xb_error_path`, freed with `xb_error_free`.
 *
 * Thread safety: an error is immutable; any thread may read or free it (free it once).
 */
typedef struct XbError XbError;

/**
 * A bounded-memory ledger of recent consignments for one regime's split-consignment rule:
 * it flags a consignment that, with earlier ones from the same seller to the same buyer
 * inside the rule's window, crosses the rule's threshold while each stays under it.
 *
 * Opaque. Made by `xb_split_ledger_new`, fed by `xb_split_ledger_record`, freed by
 * `xb_split_ledger_free`.
 *
 * Thread safety: a ledger may be moved between threads but not used by two threads at
 * once; feed it from one thread (or under the caller's lock), in roughly chronological
 * order.
 */
typedef struct XbSplitLedger XbSplitLedger;

/**
 * A collector statement being built: what each collecting operator owes, to whom, per
 * period (FoS Standard 5, account-based system).
 *
 * Opaque. Made by `xb_statement_new`, fed by `xb_statement_add`, read by
 * `xb_statement_json` / `xb_statement_csv` (as often as wanted), freed by
 * `xb_statement_free`.
 *
 * Thread safety: a statement may be moved between threads but not used by two threads at
 * once.
 */
typedef struct XbStatement XbStatement;

#ifdef __cplusplus
extern "C" {
#endif // __cplusplus

/**
 * A short English description of a status, as a static NUL-terminated string.
 *
 * Takes the number as a `uint32_t` so that any value is safe to pass: an unknown number gives
 * `"unknown status"`. The string lives as long as the program; do not free it. Thread-safe.
 */
const char *xb_status_message(uint32_t status);

/**
 * The library's version and the embedded regime packs it carries, as a static NUL-terminated
 * string such as `"xborder-ffi/0.1.0 xborder/0.1.0 packs/EU+GB+…+AE fnv1a64/0123456789abcdef"`:
 * the C library's version, the core's, the ids of the embedded packs (20 jurisdictions) and a
 * fingerprint of their contents (it changes whenever an embedded rule, rate or tariff line does).
 *
 * Compare the first part with `XB_VERSION_MAJOR`/`MINOR`/`PATCH` to detect a header that does
 * not match the library. The string lives as long as the program; do not free it.
 * Thread-safe.
 */
const char *xb_version(void);

/**
 * Builds an engine from the reference regimes and official rate tables (ECB, HMRC) embedded
 * in the library.
 *
 * On `XB_STATUS_OK`, `*out` is a new engine to be freed with `xb_engine_free`; on any other
 * status `*out` is NULL. Building parses and validates the packs (a few milliseconds): build
 * one engine and share it rather than building one per request.
 *
 * # Safety
 *
 * `out` must be NULL (which gives `XB_STATUS_NULL_PARAMETER`) or valid for writing an
 * `XbEngine*`.
 */
XbStatus xb_engine_new(XbEngine **out);

/**
 * Another owner of `engine`: returns `engine` itself, with its reference count raised by one.
 * Each owner calls `xb_engine_free` once. Returns NULL when `engine` is NULL.
 *
 * # Safety
 *
 * `engine` must be NULL or a live engine from this library.
 */
XbEngine *xb_engine_clone(const XbEngine *engine);

/**
 * Releases one owner of `engine`; the engine is freed with its last owner. NULL is accepted
 * and ignored.
 *
 * # Safety
 *
 * `engine` must be NULL or an engine from this library that this owner has not freed yet.
 * No call may be using it through this owner at the time, or afterwards.
 */
void xb_engine_free(XbEngine *engine);

/**
 * Starts an engine builder holding the embedded reference regimes, no extra packs, tariffs
 * or rates.
 *
 * On `XB_STATUS_OK`, `*out` is a new builder to be freed with `xb_engine_builder_free`; on any
 * other status `*out` is NULL.
 *
 * # Safety
 *
 * `out` must be NULL or valid for writing an `XbEngineBuilder*`.
 */
XbStatus xb_engine_builder_new(XbEngineBuilder **out);

/**
 * Frees a builder. NULL is accepted and ignored. Engines built from it are not affected.
 *
 * # Safety
 *
 * `builder` must be NULL or a builder from `xb_engine_builder_new` not freed yet.
 */
void xb_engine_builder_free(XbEngineBuilder *builder);

/**
 * Leaves the embedded reference regimes out of the engine: it will hold only the packs added
 * with `xb_engine_builder_regime_json`.
 *
 * # Safety
 *
 * `builder` must be NULL or a live builder that no other thread is using.
 */
XbStatus xb_engine_builder_without_embedded(XbEngineBuilder *builder);

/**
 * Adds a regime pack: `len` bytes of UTF-8 JSON at `ptr` (the format of
 * `regimes/<ID>/pack.json`, described in `docs/regime-format.md`). A pack with the id of an
 * embedded regime replaces it. The text is copied; it is parsed and validated by
 * `xb_engine_builder_build`, which reports a bad pack.
 *
 * Returns `XB_STATUS_NULL_PARAMETER` (NULL `builder`, or NULL `ptr` with `len > 0`),
 * `XB_STATUS_INPUT_TOO_LARGE` (over 16 MiB, code `E_PACK_TOO_LARGE`) or
 * `XB_STATUS_INVALID_UTF8`.
 *
 * # Safety
 *
 * `builder` must be NULL or a live builder that no other thread is using; `ptr` must be NULL
 * or point to `len` readable bytes.
 */
XbStatus xb_engine_builder_regime_json(XbEngineBuilder *builder, const uint8_t *ptr, size_t len);

/**
 * Gives regime `regime_id` (e.g. `"EU"`, `regime_id_len` bytes, no NUL needed) a full tariff:
 * `len` bytes of UTF-8 text at `ptr`, either a national tariff file (`docs/tariff-format.md`,
 * first line `xborder-tariff` TAB `1`), which replaces the embedded one and prices every date
 * its revisions cover, or the JSON or CSV form of `docs/regime-format.md`, which replaces the
 * pack's own lines and the embedded file, pricing every date. The text is copied and loaded
 * by `xb_engine_builder_build`, which reports a bad tariff (`XB_STATUS_INVALID_TARIFF`) or
 * an unknown regime (`XB_STATUS_INVALID_ENGINE`, code `E_NO_REGIME`).
 *
 * Returns `XB_STATUS_NULL_PARAMETER`, `XB_STATUS_INPUT_TOO_LARGE` (tariff over 64 MiB, code
 * `E_TARIFF_TOO_LARGE`) or `XB_STATUS_INVALID_UTF8` for unusable arguments.
 *
 * # Safety
 *
 * `builder` must be NULL or a live builder that no other thread is using; `regime_id` and
 * `ptr` must each be NULL or point to their length in readable bytes.
 */
XbStatus xb_engine_builder_tariff(XbEngineBuilder *builder,
                                  const uint8_t *regime_id,
                                  size_t regime_id_len,
                                  const uint8_t *ptr,
                                  size_t len);

/**
 * Gives regime `regime_id` a CSV tariff (`len` bytes of UTF-8 at `ptr`) laid out as the JSON
 * layout at `layout_ptr` says (`layout_len` bytes; empty means the default header
 * `hs,duty,description,source,checked`): a spreadsheet exported as it stands. The layout is
 * `{"columns": {"hs": "Commodity code", "duty": "Third country duty", …}, "separator": ";",
 * "source": "…", "checked": "YYYY-MM-DD"}`, every key optional, each meaning what the CLI's
 * `--tariff-columns`, `--tariff-separator`, `--tariff-source` and `--tariff-checked` mean
 * (`docs/regime-format.md`, "A caller's tariff as CSV"); the WASM package takes the same
 * object as `EngineConfig.tariffLayouts`. Like a CSV given to `xb_engine_builder_tariff`, the
 * tariff replaces the pack's lines and the embedded file; `xb_engine_builder_build` reads it
 * and reports a column the header lacks as `XB_STATUS_INVALID_TARIFF` (path `tariff[ID].line 1`).
 *
 * A layout that does not read is refused here: `XB_STATUS_INVALID_ARGUMENT`, with the key as
 * path under `layout` (`layout.columns.hz`: `E_UNKNOWN_FIELD`; `layout.separator`:
 * `E_INVALID_VALUE`; `layout.checked`: `E_INVALID_DATE`). Otherwise as
 * `xb_engine_builder_tariff`: `XB_STATUS_NULL_PARAMETER`, `XB_STATUS_INPUT_TOO_LARGE`,
 * `XB_STATUS_INVALID_UTF8`.
 *
 * # Safety
 *
 * `builder` must be NULL or a live builder that no other thread is using; `regime_id`, `ptr`
 * and `layout_ptr` must each be NULL or point to their length in readable bytes.
 */
XbStatus xb_engine_builder_tariff_csv(XbEngineBuilder *builder,
                                      const uint8_t *regime_id,
                                      size_t regime_id_len,
                                      const uint8_t *ptr,
                                      size_t len,
                                      const uint8_t *layout_ptr,
                                      size_t layout_len);

/**
 * As `xb_engine_builder_tariff`, but a national tariff file's lines are parsed when an
 * assessment first needs them, as the embedded files' are: `xb_engine_builder_build` checks
 * only the file's header (its regime and currency: `XB_STATUS_INVALID_TARIFF`), so building
 * stays fast whatever the file's size, and a fault in the lines fails every assessment to the
 * regime (`XB_STATUS_REJECTED`, code `E_INVALID_TARIFF`, path `tariff[ID].line N…`) instead of
 * the build. For files the caller trusts and may not use. A JSON or CSV tariff is parsed when
 * the engine is built, as with `xb_engine_builder_tariff`.
 *
 * Returns `XB_STATUS_NULL_PARAMETER`, `XB_STATUS_INPUT_TOO_LARGE` (tariff over 64 MiB, code
 * `E_TARIFF_TOO_LARGE`) or `XB_STATUS_INVALID_UTF8` for unusable arguments.
 *
 * # Safety
 *
 * `builder` must be NULL or a live builder that no other thread is using; `regime_id` and
 * `ptr` must each be NULL or point to their length in readable bytes.
 */
XbStatus xb_engine_builder_tariff_on_demand(XbEngineBuilder *builder,
                                            const uint8_t *regime_id,
                                            size_t regime_id_len,
                                            const uint8_t *ptr,
                                            size_t len);

/**
 * Uses this exchange-rate table (`len` bytes of UTF-8 JSON at `ptr`, the format of
 * `examples/rates/sample-rates.json`) for declarations whose currency is not the regime's,
 * before the built-in official rates, currency pair by currency pair. A later call (or
 * `xb_engine_builder_rates`) replaces an earlier one. The text is copied and loaded by
 * `xb_engine_builder_build` (`XB_STATUS_INVALID_RATES` when it is bad).
 *
 * # Safety
 *
 * `builder` must be NULL or a live builder that no other thread is using; `ptr` must be NULL
 * or point to `len` readable bytes.
 */
XbStatus xb_engine_builder_rates_json(XbEngineBuilder *builder, const uint8_t *ptr, size_t len);

/**
 * Like `xb_engine_builder_rates_json`, for a table in any format xborder reads: the
 * project's JSON, an `xborder-rates` table (`docs/rates-format.md`), the ECB's reference
 * rates as downloaded (`eurofxref-hist.csv` or `.xml`; the monthly customs rates of
 * Art. 146 UCC-IA are selected from them) or HMRC's monthly XML. A later call replaces an
 * earlier one.
 *
 * # Safety
 *
 * `builder` must be NULL or a live builder that no other thread is using; `ptr` must be NULL
 * or point to `len` readable bytes.
 */
XbStatus xb_engine_builder_rates(XbEngineBuilder *builder, const uint8_t *ptr, size_t len);

/**
 * Adds an official rate table (`len` bytes at `ptr`: an `xborder-rates` table such as
 * `regimes/EU/EU.rates`, or an ECB or HMRC file), which regime packs name by its id
 * (`ECB`, `HMRC`): it replaces the built-in table with the same id. The text is copied and
 * loaded by `xb_engine_builder_build` (`XB_STATUS_INVALID_RATES` when it is bad).
 *
 * # Safety
 *
 * `builder` must be NULL or a live builder that no other thread is using; `ptr` must be NULL
 * or point to `len` readable bytes.
 */
XbStatus xb_engine_builder_rate_table(XbEngineBuilder *builder, const uint8_t *ptr, size_t len);

/**
 * Leaves the built-in official rate tables (ECB, HMRC) out of the engine: only the caller's
 * rates (`xb_engine_builder_rates*`) and rate tables (`xb_engine_builder_rate_table`) convert.
 *
 * # Safety
 *
 * `builder` must be NULL or a live builder that no other thread is using.
 */
XbStatus xb_engine_builder_without_builtin_rates(XbEngineBuilder *builder);

/**
 * Leaves the embedded national tariff files out of the engine (`regimes/<ID>/<ID>.tariff`,
 * for the regimes that have one: AU, EU, GB, JP, US): the packs' own tariff lines then price
 * every date, and a tariff given with `xb_engine_builder_tariff` still applies.
 *
 * # Safety
 *
 * `builder` must be NULL or a live builder that no other thread is using.
 */
XbStatus xb_engine_builder_without_embedded_tariffs(XbEngineBuilder *builder);

/**
 * Leaves out the sample risk profiles shipped with the embedded regimes
 * (`regimes/<ID>/risk-profile.json`): a regime without a profile of the caller's
 * (`xb_engine_builder_risk_profile_json`) then decides release on findings and revenue
 * alone, and has no split-consignment rule.
 *
 * # Safety
 *
 * `builder` must be NULL or a live builder that no other thread is using.
 */
XbStatus xb_engine_builder_without_sample_risk_profiles(XbEngineBuilder *builder);

/**
 * Adds a risk profile: `len` bytes of UTF-8 JSON at `ptr` (`docs/risk-profiles.md`). It
 * replaces any profile of the same regime, the embedded sample included; several calls add
 * profiles for several regimes. The text is copied; it is parsed and validated by
 * `xb_engine_builder_build`, which reports a bad profile as `XB_STATUS_INVALID_PACK` (code
 * `E_INVALID_PACK`, path `risk_profile[N].…`, N counting the profiles added from 0) and a
 * profile for a regime the engine does not hold as `XB_STATUS_INVALID_ENGINE` (code
 * `E_NO_REGIME`, path `risk_profile[N].regime`).
 *
 * Returns `XB_STATUS_NULL_PARAMETER` (NULL `builder`, or NULL `ptr` with `len > 0`),
 * `XB_STATUS_INPUT_TOO_LARGE` (over 16 MiB, the limit of a pack, code `E_INPUT_TOO_LARGE`)
 * or `XB_STATUS_INVALID_UTF8`.
 *
 * # Safety
 *
 * `builder` must be NULL or a live builder that no other thread is using; `ptr` must be NULL
 * or point to `len` readable bytes.
 */
XbStatus xb_engine_builder_risk_profile_json(XbEngineBuilder *builder,
                                             const uint8_t *ptr,
                                             size_t len);

/**
 * Adds a regime's return and refund rules: `len` bytes of UTF-8 JSON at `ptr`
 * (`docs/returns.md`, the format of `regimes/<ID>/returns.json`). They replace the rules of
 * the same regime, the embedded ones included, for `xb_refund_json`; a builder without the
 * embedded regimes has no return rules but these. The text is copied; it is parsed and
 * validated by `xb_engine_builder_build`, which reports bad rules as `XB_STATUS_INVALID_PACK`
 * (path `return_rules[N].…`, N counting the rules added from 0) and rules for a regime the
 * engine does not hold as `XB_STATUS_INVALID_ENGINE` (code `E_NO_REGIME`, path
 * `return_rules[N].regime`).
 *
 * Returns `XB_STATUS_NULL_PARAMETER` (NULL `builder`, or NULL `ptr` with `len > 0`),
 * `XB_STATUS_INPUT_TOO_LARGE` (over 16 MiB, the limit of a pack) or `XB_STATUS_INVALID_UTF8`.
 *
 * # Safety
 *
 * `builder` must be NULL or a live builder that no other thread is using; `ptr` must be NULL
 * or point to `len` readable bytes.
 */
XbStatus xb_engine_builder_return_rules_json(XbEngineBuilder *builder,
                                             const uint8_t *ptr,
                                             size_t len);

/**
 * Parses and validates everything the builder holds and makes an engine of it.
 *
 * The builder is not consumed: free it with `xb_engine_builder_free` (it may also be changed
 * and built again). On `XB_STATUS_OK`, `*out` is a new engine to be freed with
 * `xb_engine_free`; otherwise `*out` is NULL and the status says what failed:
 * `XB_STATUS_INVALID_PACK`, `XB_STATUS_INVALID_TARIFF`, `XB_STATUS_INVALID_RATES`,
 * `XB_STATUS_INVALID_ENGINE` or `XB_STATUS_INPUT_TOO_LARGE`, with the code, message and path
 * (e.g. `pack[0].versions[1].taxes…`) in `xb_last_error_*`.
 *
 * # Safety
 *
 * `builder` must be NULL or a live builder that no other thread is changing; `out` must be
 * NULL or valid for writing an `XbEngine*`.
 */
XbStatus xb_engine_builder_build(const XbEngineBuilder *builder, XbEngine **out);

/**
 * The regimes an engine holds, as JSON: an array of
 * `{"id","name","currency","destinations":[…],"versions":[{"version","from","to","summary",
 * "tariff_lines","options":[{"name","default","values"}]}]}`, the same fields as
 * `xborder regimes --json`.
 *
 * On `XB_STATUS_OK`, `*out` is an owned NUL-terminated string to be freed with
 * `xb_string_free`; otherwise it is NULL.
 *
 * # Safety
 *
 * `engine` must be NULL or a live engine; `out` must be NULL or valid for writing a `char*`.
 */
XbStatus xb_regimes_json(const XbEngine *engine, char **out);

/**
 * Assesses one declaration: `len` bytes of UTF-8 JSON at `ptr` (no NUL terminator needed),
 * with the default options (no trace; each declaration's own date and regime).
 *
 * `*out` receives an owned NUL-terminated JSON string, freed with `xb_string_free`:
 * - `XB_STATUS_OK`: the assessment result (docs/contract.md, "Assessment result").
 * - `XB_STATUS_REJECTED`: the declaration could not be assessed; `*out` holds the error
 *   object `{"id":…,"error":{"code","message","path"}}` and `xb_last_error_code()`,
 *   `_message()` and `_path()` return the same code, message and path.
 * - `XB_STATUS_INTERNAL`: as `XB_STATUS_REJECTED`, for a bug in xborder.
 * - any other status (`XB_STATUS_NULL_PARAMETER`, `XB_STATUS_INVALID_UTF8`,
 *   `XB_STATUS_INPUT_TOO_LARGE` over 1 MiB, `XB_STATUS_PANIC`): `*out` is NULL.
 *
 * The JSON is byte for byte what the Rust core, the CLI and the WASM package give.
 * Thread-safe: any number of threads may assess with one engine at once.
 *
 * # Safety
 *
 * `engine` must be NULL or a live engine; `ptr` must be NULL or point to `len` readable
 * bytes; `out` must be NULL or valid for writing a `char*`.
 */
XbStatus xb_assess_json(const XbEngine *engine, const uint8_t *ptr, size_t len, char **out);

/**
 * As `xb_assess_json`, with options: `options_len` bytes of UTF-8 JSON at `options_ptr`, an
 * object with any of
 * - `"trace"`: `true` to include the trace (why each number is what it is);
 * - `"date"`: `"YYYY-MM-DD"`, apply the rules of this date instead of the declaration's;
 * - `"regime"`: a regime id (`"EU"`), used whatever the declaration's destination;
 * - `"options"`: readings of uncertain rules, e.g. `{"flat_duty_scope": "ioss_and_postal"}`
 *   (`"reject"` makes an assessment that depends on the rule fail).
 *
 * An empty options text (`options_len == 0`, `options_ptr` may then be NULL) means the
 * defaults. A malformed options document, an unknown key or a value of the wrong kind gives
 * `XB_STATUS_INVALID_OPTIONS` (code `E_INVALID_OPTION`, or `E_INVALID_DATE` for a date that
 * is not a real date; path the key, relative to the options document: `"date"`,
 * `"options.flat_duty_scope"`) and `*out` NULL; an option name no loaded regime declares, or
 * a reading its regime does not declare, rejects the declaration (`XB_STATUS_REJECTED`, code
 * `E_INVALID_OPTION`, path `"options.<name>"`). The WASM and Python packages read the same
 * document with the same grammar and report the same codes and paths.
 *
 * # Safety
 *
 * As for `xb_assess_json`; `options_ptr` must be NULL or point to `options_len` readable
 * bytes.
 */
XbStatus xb_assess_json_with_options(const XbEngine *engine,
                                     const uint8_t *ptr,
                                     size_t len,
                                     const uint8_t *options_ptr,
                                     size_t options_len,
                                     char **out);

/**
 * Assesses an NDJSON batch: `len` bytes at `ptr`, one JSON declaration per line (`\n` or
 * `\r\n`), with the default options.
 *
 * `*out` receives one output line per non-blank input line, in input order, each ended by
 * `\n`: the result, or the error object in place for a line that was rejected (as
 * `xborder assess` writes them: a line that is not UTF-8 or longer than 1 MiB gives an
 * `E_INVALID_UTF8` / `E_INPUT_TOO_LARGE` error object with path `"line N"`). Blank lines are
 * skipped. An empty batch gives `""`.
 *
 * Returns `XB_STATUS_OK` when every line was assessed and `XB_STATUS_BATCH_REJECTED` when some
 * were rejected; `*out` holds every line in both cases, and after a rejection the
 * `xb_last_error_*` functions describe the first rejected line. For other statuses `*out` is
 * NULL. The batch is assessed on the calling thread; callers wanting parallelism split the
 * batch and call from several threads with the same engine. Only each line is limited in
 * size, so the output of a large batch is large: keep batches to what fits in memory twice.
 *
 * # Safety
 *
 * `engine` must be NULL or a live engine; `ptr` must be NULL or point to `len` readable
 * bytes; `out` must be NULL or valid for writing a `char*`.
 */
XbStatus xb_assess_ndjson(const XbEngine *engine, const uint8_t *ptr, size_t len, char **out);

/**
 * As `xb_assess_ndjson`, with the options of `xb_assess_json_with_options` applied to every
 * line.
 *
 * # Safety
 *
 * As for `xb_assess_ndjson`; `options_ptr` must be NULL or point to `options_len` readable
 * bytes.
 */
XbStatus xb_assess_ndjson_with_options(const XbEngine *engine,
                                       const uint8_t *ptr,
                                       size_t len,
                                       const uint8_t *options_ptr,
                                       size_t options_len,
                                       char **out);

/**
 * Computes the refund of one return declaration: `len` bytes of UTF-8 JSON at `ptr`
 * (`docs/returns.md`: `id`, the `original` declaration, `returned_on`, `reason`, the returned
 * `items` and optionally what was `paid`), at most 1 MiB. The original is re-assessed at its
 * own date's rules, tariff and exchange rates, with the readings and regime of the options.
 *
 * The options are those of `xb_assess_json_with_options` (`options_len` bytes at
 * `options_ptr`; empty means the defaults); `"date"` and `"trace"` do not apply to a refund.
 *
 * `*out` receives an owned NUL-terminated JSON string, freed with `xb_string_free`:
 * - `XB_STATUS_OK`: the refund, `{"id","original_id","regime_version","currency",
 *   "original_date","returned_on","reason","components":[…],"total_refund"}`, byte for byte
 *   a line of `xborder refund`.
 * - `XB_STATUS_REJECTED`: the return cannot be refunded (malformed JSON, an unknown item,
 *   a return before the original date, an original that cannot be assessed (its error with
 *   the path under `original.`), no return rules for the regime …); `*out` holds the error
 *   record `{"id":null,"error":{"code","message","path"}}` that `xborder refund` writes, and
 *   `xb_last_error_*` return the same code, message and path.
 * - `XB_STATUS_INTERNAL`: as `XB_STATUS_REJECTED`, for a bug in xborder.
 * - any other status (`XB_STATUS_NULL_PARAMETER`, `XB_STATUS_INVALID_UTF8`,
 *   `XB_STATUS_INPUT_TOO_LARGE`, `XB_STATUS_INVALID_OPTIONS`, `XB_STATUS_PANIC`): `*out` is
 *   NULL.
 *
 * Thread-safe: any number of threads may compute refunds with one engine at once.
 *
 * # Safety
 *
 * `engine` must be NULL or a live engine; `ptr` must be NULL or point to `len` readable
 * bytes; `options_ptr` must be NULL or point to `options_len` readable bytes; `out` must be
 * NULL or valid for writing a `char*`.
 */
XbStatus xb_refund_json(const XbEngine *engine,
                        const uint8_t *ptr,
                        size_t len,
                        const uint8_t *options_ptr,
                        size_t options_len,
                        char **out);

/**
 * Starts an empty statement over `period`: `period_len` bytes at `period`, `day`, `month` or
 * `quarter` (the period of `xborder statement --period`); empty (`period_len == 0`) is
 * `month`, the CLI's default.
 *
 * On `XB_STATUS_OK`, `*out` is a new statement to be freed with `xb_statement_free`;
 * otherwise `*out` is NULL. Another period gives `XB_STATUS_INVALID_ARGUMENT` (code
 * `E_INVALID_VALUE`, path `period`).
 *
 * # Safety
 *
 * `period` must be NULL or point to `period_len` readable bytes; `out` must be NULL or valid
 * for writing an `XbStatement*`.
 */
XbStatus xb_statement_new(const uint8_t *period, size_t period_len, XbStatement **out);

/**
 * Frees a statement. NULL is accepted and ignored.
 *
 * # Safety
 *
 * `statement` must be NULL or a statement from `xb_statement_new` not freed yet.
 */
void xb_statement_free(XbStatement *statement);

/**
 * Assesses one declaration (`len` bytes of UTF-8 JSON at `ptr`, at most 1 MiB) with
 * `engine` and the options of `xb_assess_json_with_options` (`options_len` bytes at
 * `options_ptr`; empty means the defaults), and adds what it owes to the statement's
 * accounts, as `xborder statement` does for each record.
 *
 * Returns `XB_STATUS_OK` when the declaration was added. A declaration that cannot be
 * assessed is left out of the statement and gives `XB_STATUS_REJECTED`, with its code,
 * message and path in `xb_last_error_*` (the CLI reports it on its standard error and goes
 * on); the statement is unchanged and can be fed further. `E_OVERFLOW` (sums beyond
 * 7.9 × 10²⁸) is reported the same way but leaves the statement partly updated: free it.
 * Argument errors are `XB_STATUS_NULL_PARAMETER`, `XB_STATUS_INVALID_UTF8`,
 * `XB_STATUS_INPUT_TOO_LARGE` and `XB_STATUS_INVALID_OPTIONS`.
 *
 * # Safety
 *
 * `statement` must be NULL or a live statement that no other thread is using; `engine`
 * must be NULL or a live engine; `ptr` must be NULL or point to `len` readable bytes;
 * `options_ptr` must be NULL or point to `options_len` readable bytes.
 */
XbStatus xb_statement_add(XbStatement *statement,
                          const XbEngine *engine,
                          const uint8_t *ptr,
                          size_t len,
                          const uint8_t *options_ptr,
                          size_t options_len);

/**
 * The statement so far as JSON: `{"period","accounts":[{"regime","currency","period",
 * "operator":{"role","name","scheme","registration"},"consignments","lines":[…],"total"}],
 * "reconciliation":[{"currency","consignments","assessed_total_payable","statement_total",
 * "difference"}]}`, the document of `xborder statement` (`docs/statements.md`) written
 * compactly. The statement is not consumed: it can be fed further and read again.
 *
 * On `XB_STATUS_OK`, `*out` is an owned NUL-terminated string to be freed with
 * `xb_string_free`. `XB_STATUS_INTERNAL` (a bug) means the totals do not reconcile with the
 * assessments; `*out` then holds the statement all the same, whose `reconciliation` shows
 * the difference. Otherwise `*out` is NULL.
 *
 * # Safety
 *
 * `statement` must be NULL or a live statement that no other thread is changing; `out` must
 * be NULL or valid for writing a `char*`.
 */
XbStatus xb_statement_json(const XbStatement *statement, char **out);

/**
 * The statement so far as CSV, the text of `xborder statement --format csv`: a header row,
 * then one row per account line with the account's identity repeated (`period`, `regime`,
 * `currency`, `operator_role`, `operator_name`, `scheme`, `registration`, `member_state`,
 * `component`, `kind`, `rate`, `charged`, `owed_to`, `consignments`, `base`, `amount`).
 * A NUL character in a declared name, which a C string cannot hold, is written as `\0`.
 * Statuses and ownership as for `xb_statement_json`.
 *
 * # Safety
 *
 * As for `xb_statement_json`.
 */
XbStatus xb_statement_csv(const XbStatement *statement, char **out);

/**
 * Starts an empty ledger for the split-consignment rule (`split_consignments`) of the risk
 * profile that `engine` holds for regime `regime_id` (`regime_id_len` bytes, e.g. `"EU"`):
 * the embedded sample profile, or the caller's from `xb_engine_builder_risk_profile_json`.
 * The rule is copied: the ledger does not keep the engine.
 *
 * On `XB_STATUS_OK`, `*out` is a new ledger to be freed with `xb_split_ledger_free`;
 * otherwise `*out` is NULL. A regime the engine does not hold gives
 * `XB_STATUS_INVALID_ARGUMENT` (code `E_NO_REGIME`, path `regime_id`), and so does a regime
 * with no risk profile or a profile without a split rule (code `E_INVALID_VALUE`).
 *
 * # Safety
 *
 * `engine` must be NULL or a live engine; `regime_id` must be NULL or point to
 * `regime_id_len` readable bytes; `out` must be NULL or valid for writing an
 * `XbSplitLedger*`.
 */
XbStatus xb_split_ledger_new(const XbEngine *engine,
                             const uint8_t *regime_id,
                             size_t regime_id_len,
                             XbSplitLedger **out);

/**
 * Frees a ledger. NULL is accepted and ignored.
 *
 * # Safety
 *
 * `ledger` must be NULL or a ledger from `xb_split_ledger_new` not freed yet.
 */
void xb_split_ledger_free(XbSplitLedger *ledger);

/**
 * Assesses one declaration (`len` bytes of UTF-8 JSON at `ptr`, at most 1 MiB) with
 * `engine` and the options of `xb_assess_json_with_options` (`options_len` bytes at
 * `options_ptr`; empty means the defaults), and records it in the ledger
 * (`SplitLedger::record`). The time of a consignment is its `lodged_at`, else its
 * `arrival_at`, else its date at midnight. Feed the ledger the consignments of its regime;
 * a consignment is only ever grouped with others of the same regime.
 *
 * `*out` receives an owned NUL-terminated JSON string, freed with `xb_string_free`:
 * - `XB_STATUS_OK`: `null` when the consignment completes no split group, otherwise the
 *   flag `{"code","ids":[…],"combined_value","threshold","message"}` (the group's ids,
 *   oldest first, this one last), with `"aggregate"` (the group assessed as one
 *   consignment) and `"additional_payable"` when the rule re-assesses groups. A flagged
 *   consignment warrants a documentary check at least (`SplitFlag::apply` in Rust).
 * - `XB_STATUS_REJECTED`: the declaration cannot be assessed and is not recorded; `*out`
 *   holds the error record, byte for byte what `xb_assess_json` gives for it, and
 *   `xb_last_error_*` the same code, message and path.
 * - `XB_STATUS_INTERNAL`: as `XB_STATUS_REJECTED`, for a bug in xborder.
 * - any other status (`XB_STATUS_NULL_PARAMETER`, `XB_STATUS_INVALID_UTF8`,
 *   `XB_STATUS_INPUT_TOO_LARGE`, `XB_STATUS_INVALID_OPTIONS`, `XB_STATUS_PANIC`): `*out` is
 *   NULL and nothing is recorded.
 *
 * # Safety
 *
 * `ledger` must be NULL or a live ledger that no other thread is using; `engine` must be
 * NULL or a live engine; `ptr` must be NULL or point to `len` readable bytes; `options_ptr`
 * must be NULL or point to `options_len` readable bytes; `out` must be NULL or valid for
 * writing a `char*`.
 */
XbStatus xb_split_ledger_record(XbSplitLedger *ledger,
                                const XbEngine *engine,
                                const uint8_t *ptr,
                                size_t len,
                                const uint8_t *options_ptr,
                                size_t options_len,
                                char **out);

/**
 * The message of the last failed call on this thread, in English.
 *
 * Returns `""` when the last call that returns an `XbStatus` succeeded (or none was made
 * yet). The string belongs to xborder: do not free it. It stays valid until the next call on
 * this thread to a function that returns an `XbStatus`; copy it to keep it. Calling
 * `xb_last_error_*`, `xb_status_message`, `xb_version` or `xb_string_free` does not change
 * it. Thread-safe: each thread has its own last error.
 */
const char *xb_last_error_message(void);

/**
 * The stable code of the last failed call on this thread: one of the core's error codes
 * (`"E_HS_NO_TARIFF_LINE"`, `"E_INVALID_UTF8"`, …, the same strings as the JSON `code`
 * field), or `"E_NULL_PARAMETER"` for `XB_STATUS_NULL_PARAMETER`. Branch on this rather than
 * on the message.
 *
 * Returns `""` when there is no last error. Lifetime and threading as for
 * `xb_last_error_message`.
 */
const char *xb_last_error_code(void);

/**
 * Where the last failure on this thread lies: the JSON path of the offending field
 * (`"items[0].hs_code"`), `"line N"` for a batch line that was not valid UTF-8 or too long,
 * the options key for `XB_STATUS_INVALID_OPTIONS` (`"date"`, `"options.flat_duty_scope"`), or the name of the parameter (`"engine"`,
 * `"ptr"`, `"out"`) for the argument checks of the `100`-`199` band.
 *
 * Returns `""` when the error has no path or there is no last error. Lifetime and threading
 * as for `xb_last_error_message`.
 */
const char *xb_last_error_path(void);

/**
 * The status of the last failed call on this thread, for code that has lost it; `0`
 * (`XB_STATUS_OK`) when the last call succeeded. Threading as for `xb_last_error_message`.
 */
XbStatus xb_last_error_status(void);

/**
 * The status the failed call returned; `XB_STATUS_OK` when `error` is NULL.
 *
 * # Safety
 *
 * `error` must be NULL or an error from an `xb_*_ex` function, not yet freed.
 */
XbStatus xb_error_status(const XbError *error);

/**
 * The stable code of the failure (`"E_HS_NO_TARIFF_LINE"`, `"E_NULL_PARAMETER"`, …; as
 * `xb_last_error_code`); `""` when `error` is NULL. The string belongs to `error` and lives
 * until `xb_error_free(error)`.
 *
 * # Safety
 *
 * As for `xb_error_status`.
 */
const char *xb_error_code(const XbError *error);

/**
 * The English message of the failure (as `xb_last_error_message`); `""` when `error` is NULL.
 * The string belongs to `error` and lives until `xb_error_free(error)`.
 *
 * # Safety
 *
 * As for `xb_error_status`.
 */
const char *xb_error_message(const XbError *error);

/**
 * Where the failure lies (as `xb_last_error_path`): a JSON path, `"line N"`, an options key or
 * a parameter name; `""` when the error has no path or `error` is NULL. The string belongs to
 * `error` and lives until `xb_error_free(error)`.
 *
 * # Safety
 *
 * As for `xb_error_status`.
 */
const char *xb_error_path(const XbError *error);

/**
 * Frees an error from an `xb_*_ex` function. NULL is allowed (nothing happens); freeing one
 * error twice is undefined behaviour. The strings read from it become invalid.
 *
 * # Safety
 *
 * `error` must be NULL or an error from an `xb_*_ex` function, not yet freed.
 */
void xb_error_free(XbError *error);

/**
 * As `xb_engine_new`; a failure is also written to `*error`.
 *
 * # Safety
 *
 * As for `xb_engine_new`; `error` must be NULL or valid for writing
 * an `XbError*`.
 */
XbStatus xb_engine_new_ex(XbEngine **out, XbError **error);

/**
 * As `xb_engine_builder_new`; a failure is also written to `*error`.
 *
 * # Safety
 *
 * As for `xb_engine_builder_new`; `error` must be NULL or valid for writing
 * an `XbError*`.
 */
XbStatus xb_engine_builder_new_ex(XbEngineBuilder **out, XbError **error);

/**
 * As `xb_engine_builder_without_embedded`; a failure is also written to `*error`.
 *
 * # Safety
 *
 * As for `xb_engine_builder_without_embedded`; `error` must be NULL or valid for writing
 * an `XbError*`.
 */
XbStatus xb_engine_builder_without_embedded_ex(XbEngineBuilder *builder, XbError **error);

/**
 * As `xb_engine_builder_regime_json`; a failure is also written to `*error`.
 *
 * # Safety
 *
 * As for `xb_engine_builder_regime_json`; `error` must be NULL or valid for writing
 * an `XbError*`.
 */
XbStatus xb_engine_builder_regime_json_ex(XbEngineBuilder *builder,
                                          const uint8_t *ptr,
                                          size_t len,
                                          XbError **error);

/**
 * As `xb_engine_builder_tariff`; a failure is also written to `*error`.
 *
 * # Safety
 *
 * As for `xb_engine_builder_tariff`; `error` must be NULL or valid for writing
 * an `XbError*`.
 */
XbStatus xb_engine_builder_tariff_ex(XbEngineBuilder *builder,
                                     const uint8_t *regime_id,
                                     size_t regime_id_len,
                                     const uint8_t *ptr,
                                     size_t len,
                                     XbError **error);

/**
 * As `xb_engine_builder_tariff_csv`; a failure is also written to `*error`.
 *
 * # Safety
 *
 * As for `xb_engine_builder_tariff_csv`; `error` must be NULL or valid for writing
 * an `XbError*`.
 */
XbStatus xb_engine_builder_tariff_csv_ex(XbEngineBuilder *builder,
                                         const uint8_t *regime_id,
                                         size_t regime_id_len,
                                         const uint8_t *ptr,
                                         size_t len,
                                         const uint8_t *layout_ptr,
                                         size_t layout_len,
                                         XbError **error);

/**
 * As `xb_engine_builder_tariff_on_demand`; a failure is also written to `*error`.
 *
 * # Safety
 *
 * As for `xb_engine_builder_tariff_on_demand`; `error` must be NULL or valid for writing
 * an `XbError*`.
 */
XbStatus xb_engine_builder_tariff_on_demand_ex(XbEngineBuilder *builder,
                                               const uint8_t *regime_id,
                                               size_t regime_id_len,
                                               const uint8_t *ptr,
                                               size_t len,
                                               XbError **error);

/**
 * As `xb_engine_builder_rates_json`; a failure is also written to `*error`.
 *
 * # Safety
 *
 * As for `xb_engine_builder_rates_json`; `error` must be NULL or valid for writing
 * an `XbError*`.
 */
XbStatus xb_engine_builder_rates_json_ex(XbEngineBuilder *builder,
                                         const uint8_t *ptr,
                                         size_t len,
                                         XbError **error);

/**
 * As `xb_engine_builder_rates`; a failure is also written to `*error`.
 *
 * # Safety
 *
 * As for `xb_engine_builder_rates`; `error` must be NULL or valid for writing
 * an `XbError*`.
 */
XbStatus xb_engine_builder_rates_ex(XbEngineBuilder *builder,
                                    const uint8_t *ptr,
                                    size_t len,
                                    XbError **error);

/**
 * As `xb_engine_builder_rate_table`; a failure is also written to `*error`.
 *
 * # Safety
 *
 * As for `xb_engine_builder_rate_table`; `error` must be NULL or valid for writing
 * an `XbError*`.
 */
XbStatus xb_engine_builder_rate_table_ex(XbEngineBuilder *builder,
                                         const uint8_t *ptr,
                                         size_t len,
                                         XbError **error);

/**
 * As `xb_engine_builder_without_builtin_rates`; a failure is also written to `*error`.
 *
 * # Safety
 *
 * As for `xb_engine_builder_without_builtin_rates`; `error` must be NULL or valid for writing
 * an `XbError*`.
 */
XbStatus xb_engine_builder_without_builtin_rates_ex(XbEngineBuilder *builder, XbError **error);

/**
 * As `xb_engine_builder_without_embedded_tariffs`; a failure is also written to `*error`.
 *
 * # Safety
 *
 * As for `xb_engine_builder_without_embedded_tariffs`; `error` must be NULL or valid for writing
 * an `XbError*`.
 */
XbStatus xb_engine_builder_without_embedded_tariffs_ex(XbEngineBuilder *builder, XbError **error);

/**
 * As `xb_engine_builder_without_sample_risk_profiles`; a failure is also written to `*error`.
 *
 * # Safety
 *
 * As for `xb_engine_builder_without_sample_risk_profiles`; `error` must be NULL or valid
 * for writing an `XbError*`.
 */
XbStatus xb_engine_builder_without_sample_risk_profiles_ex(XbEngineBuilder *builder,
                                                           XbError **error);

/**
 * As `xb_engine_builder_risk_profile_json`; a failure is also written to `*error`.
 *
 * # Safety
 *
 * As for `xb_engine_builder_risk_profile_json`; `error` must be NULL or valid for writing
 * an `XbError*`.
 */
XbStatus xb_engine_builder_risk_profile_json_ex(XbEngineBuilder *builder,
                                                const uint8_t *ptr,
                                                size_t len,
                                                XbError **error);

/**
 * As `xb_engine_builder_return_rules_json`; a failure is also written to `*error`.
 *
 * # Safety
 *
 * As for `xb_engine_builder_return_rules_json`; `error` must be NULL or valid for writing
 * an `XbError*`.
 */
XbStatus xb_engine_builder_return_rules_json_ex(XbEngineBuilder *builder,
                                                const uint8_t *ptr,
                                                size_t len,
                                                XbError **error);

/**
 * As `xb_engine_builder_build`; a failure is also written to `*error`.
 *
 * # Safety
 *
 * As for `xb_engine_builder_build`; `error` must be NULL or valid for writing
 * an `XbError*`.
 */
XbStatus xb_engine_builder_build_ex(const XbEngineBuilder *builder,
                                    XbEngine **out,
                                    XbError **error);

/**
 * As `xb_regimes_json`; a failure is also written to `*error`.
 *
 * # Safety
 *
 * As for `xb_regimes_json`; `error` must be NULL or valid for writing
 * an `XbError*`.
 */
XbStatus xb_regimes_json_ex(const XbEngine *engine, char **out, XbError **error);

/**
 * As `xb_assess_json`; a failure is also written to `*error`.
 *
 * # Safety
 *
 * As for `xb_assess_json`; `error` must be NULL or valid for writing
 * an `XbError*`.
 */
XbStatus xb_assess_json_ex(const XbEngine *engine,
                           const uint8_t *ptr,
                           size_t len,
                           char **out,
                           XbError **error);

/**
 * As `xb_assess_json_with_options`; a failure is also written to `*error`.
 *
 * # Safety
 *
 * As for `xb_assess_json_with_options`; `error` must be NULL or valid for writing
 * an `XbError*`.
 */
XbStatus xb_assess_json_with_options_ex(const XbEngine *engine,
                                        const uint8_t *ptr,
                                        size_t len,
                                        const uint8_t *options_ptr,
                                        size_t options_len,
                                        char **out,
                                        XbError **error);

/**
 * As `xb_assess_ndjson`; a failure is also written to `*error`.
 *
 * # Safety
 *
 * As for `xb_assess_ndjson`; `error` must be NULL or valid for writing
 * an `XbError*`.
 */
XbStatus xb_assess_ndjson_ex(const XbEngine *engine,
                             const uint8_t *ptr,
                             size_t len,
                             char **out,
                             XbError **error);

/**
 * As `xb_assess_ndjson_with_options`; a failure is also written to `*error`.
 *
 * # Safety
 *
 * As for `xb_assess_ndjson_with_options`; `error` must be NULL or valid for writing
 * an `XbError*`.
 */
XbStatus xb_assess_ndjson_with_options_ex(const XbEngine *engine,
                                          const uint8_t *ptr,
                                          size_t len,
                                          const uint8_t *options_ptr,
                                          size_t options_len,
                                          char **out,
                                          XbError **error);

/**
 * As `xb_refund_json`; a failure is also written to `*error`.
 *
 * # Safety
 *
 * As for `xb_refund_json`; `error` must be NULL or valid for writing
 * an `XbError*`.
 */
XbStatus xb_refund_json_ex(const XbEngine *engine,
                           const uint8_t *ptr,
                           size_t len,
                           const uint8_t *options_ptr,
                           size_t options_len,
                           char **out,
                           XbError **error);

/**
 * As `xb_statement_new`; a failure is also written to `*error`.
 *
 * # Safety
 *
 * As for `xb_statement_new`; `error` must be NULL or valid for writing
 * an `XbError*`.
 */
XbStatus xb_statement_new_ex(const uint8_t *period,
                             size_t period_len,
                             XbStatement **out,
                             XbError **error);

/**
 * As `xb_statement_add`; a failure is also written to `*error`.
 *
 * # Safety
 *
 * As for `xb_statement_add`; `error` must be NULL or valid for writing
 * an `XbError*`.
 */
XbStatus xb_statement_add_ex(XbStatement *statement,
                             const XbEngine *engine,
                             const uint8_t *ptr,
                             size_t len,
                             const uint8_t *options_ptr,
                             size_t options_len,
                             XbError **error);

/**
 * As `xb_statement_json`; a failure is also written to `*error`.
 *
 * # Safety
 *
 * As for `xb_statement_json`; `error` must be NULL or valid for writing
 * an `XbError*`.
 */
XbStatus xb_statement_json_ex(const XbStatement *statement, char **out, XbError **error);

/**
 * As `xb_statement_csv`; a failure is also written to `*error`.
 *
 * # Safety
 *
 * As for `xb_statement_csv`; `error` must be NULL or valid for writing
 * an `XbError*`.
 */
XbStatus xb_statement_csv_ex(const XbStatement *statement, char **out, XbError **error);

/**
 * As `xb_split_ledger_new`; a failure is also written to `*error`.
 *
 * # Safety
 *
 * As for `xb_split_ledger_new`; `error` must be NULL or valid for writing
 * an `XbError*`.
 */
XbStatus xb_split_ledger_new_ex(const XbEngine *engine,
                                const uint8_t *regime_id,
                                size_t regime_id_len,
                                XbSplitLedger **out,
                                XbError **error);

/**
 * As `xb_split_ledger_record`; a failure is also written to `*error`.
 *
 * # Safety
 *
 * As for `xb_split_ledger_record`; `error` must be NULL or valid for writing
 * an `XbError*`.
 */
XbStatus xb_split_ledger_record_ex(XbSplitLedger *ledger,
                                   const XbEngine *engine,
                                   const uint8_t *ptr,
                                   size_t len,
                                   const uint8_t *options_ptr,
                                   size_t options_len,
                                   char **out,
                                   XbError **error);

/**
 * Frees a string that xborder returned through a `char **out` parameter. NULL is accepted
 * and ignored.
 *
 * Only for those strings: never for the `const char *` of `xb_version`,
 * `xb_status_message` or `xb_last_error_*`, and never for memory from `malloc`.
 *
 * # Safety
 *
 * `s` must be NULL or a string from a `char **out` of this library that has not been freed
 * yet. The caller may read it, and may write inside it (up to its NUL), but must not pass a
 * pointer into its middle.
 */
void xb_string_free(char *s);

#ifdef __cplusplus
}  // extern "C"
#endif  // __cplusplus

#endif  /* XBORDER_H */
