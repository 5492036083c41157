// The error every xborder call throws when an input cannot be assessed, a regime pack or rate
// table cannot be loaded, or an option is malformed. The Rust side constructs it (this file is
// a wasm-bindgen local snippet); the package entry re-exports it for `instanceof` checks.

export class XborderError extends Error {
  /**
   * @param {string} code stable code such as "E_HS_NO_TARIFF_LINE" (append-only list)
   * @param {string} message plain-language explanation
   * @param {string | null | undefined} path JSON path of the offending field, e.g. "items[0].value"
   * @param {string | null | undefined} id the declaration's id, when it could still be read
   */
  constructor(code, message, path, id) {
    super(message);
    this.name = "XborderError";
    this.code = code;
    this.path = path ?? null;
    this.id = id ?? null;
  }

  /** The error record (docs/contract.md), byte-identical to what the core and the CLI write. */
  toJSON() {
    return {
      id: this.id,
      error: { code: this.code, message: this.message, path: this.path },
    };
  }
}
