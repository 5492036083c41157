// xborder — the package's regime data files: which files a regime needs, and the Engine
// configuration they make. Shared by index.js (fetch) and node.js (the package's files).

// Replaced by scripts/wasm-build.sh with the wasm-bindgen snippet path of js/error.js.
import { XborderError } from "__XBORDER_ERROR_MODULE__";
// Written by scripts/wasm-data.mjs: the data files by regime.
import { regimeData } from "./data.js";

export { regimeData };

/** The index entry of a regime id (`"EU"`) or of a destination country it covers (`"FR"`). */
function regimeEntry(name) {
  const entries = regimeData.regimes;
  const entry =
    entries.find((r) => r.id === name) ?? entries.find((r) => r.destinations.includes(name));
  if (entry === undefined) {
    throw new XborderError(
      "E_NO_REGIME",
      `the package has no regime ${JSON.stringify(name)} (regime ids: ${entries.map((r) => r.id).join(", ")}; or a destination country one of them covers)`,
      null,
      null,
    );
  }
  return entry;
}

/**
 * The data files `Engine.load(names)` reads: for each named regime (a regime id, or a
 * destination country it covers) its pack, national tariff, official rate table, sample risk
 * profile and return rules, as `{ regime, kind, path, bytes, gzip }` with `path` relative to the package root.
 */
export function dataFiles(names) {
  if (!Array.isArray(names)) {
    throw new XborderError("E_INVALID_TYPE", "expected an array of regime ids or destination countries", null, null);
  }
  const seen = new Set();
  const files = [];
  for (const name of names) {
    const entry = regimeEntry(name);
    if (seen.has(entry.id)) continue;
    seen.add(entry.id);
    for (const file of entry.files) files.push({ regime: entry.id, ...file });
  }
  return files;
}

/**
 * The data files an engine with `config` reads for `names`: those of `dataFiles`, without the
 * sample risk profiles when `config.sampleRiskProfiles` is false (they would go unused).
 */
export function configFiles(names, config) {
  const files = dataFiles(names);
  return config?.sampleRiskProfiles === false ? files.filter((f) => f.kind !== "risk-profile") : files;
}

/** The `key` field of a pack or profile given as text or object, or undefined. */
function fieldOf(given, key) {
  try {
    const value = typeof given === "string" ? JSON.parse(given) : given;
    return typeof value?.[key] === "string" ? value[key] : undefined;
  } catch {
    return undefined; // the engine reports it
  }
}

/**
 * The Engine configuration for data files and their texts, with the caller's own `config`
 * (packs, tariffs, rates, rate tables, risk profiles, as for `new Engine`; with
 * `sampleRiskProfiles: false` the package's sample risk profiles are left out). A caller's pack or
 * risk profile replaces the package's for its regime, and comes first, so that error paths
 * (`pack[0]`, `risk_profile[0]`) count the caller's items only; a caller's tariff replaces the
 * package's. Keys are added only when used, and the caller's values are passed on as given, so
 * the engine checks them as it checks any configuration.
 */
export function dataConfig(files, texts, config) {
  const own = { regimes: [], tariffs: {}, rateTables: [], riskProfiles: [], returnRules: [] };
  files.forEach((file, i) => {
    const text = texts[i];
    if (typeof text !== "string") {
      throw new TypeError(`xborder: the loader gave ${typeof text} for ${file.path}, not its text`);
    }
    if (file.kind === "pack") own.regimes.push([file.regime, text]);
    else if (file.kind === "tariff") own.tariffs[file.regime] = text;
    else if (file.kind === "rates") own.rateTables.push([file.regime, text]);
    else if (file.kind === "risk-profile") {
      // The package's profiles are the samples: `sampleRiskProfiles: false` leaves them out.
      if (config?.sampleRiskProfiles !== false) own.riskProfiles.push([file.regime, text]);
    }
    else if (file.kind === "returns") own.returnRules.push([file.regime, text]);
  });
  const out = { ...(config ?? {}), embedded: false };
  const merge = (key, idField) => {
    const given = out[key];
    if (given !== undefined && !Array.isArray(given)) return;
    const replaced = new Set(idField ? (given ?? []).map((g) => fieldOf(g, idField)) : []);
    const all = idField
      ? [...(given ?? []), ...own[key].filter(([id]) => !replaced.has(id)).map(([, text]) => text)]
      : [...own[key].map(([, text]) => text), ...(given ?? [])];
    if (all.length > 0) out[key] = all;
    else delete out[key];
  };
  merge("regimes", "id");
  merge("riskProfiles", "regime");
  merge("returnRules", "regime");
  merge("rateTables", null);
  // The package's tariffs are parsed when an assessment first needs them (building an engine
  // with the US schedule parsed at once takes hundreds of milliseconds); a caller's tariff
  // replaces the package's and is parsed at once, as in `new Engine`.
  const givenTariffs = out.tariffs;
  if (givenTariffs === undefined || (givenTariffs !== null && typeof givenTariffs === "object" && !Array.isArray(givenTariffs))) {
    const onDemand = Object.fromEntries(Object.entries(own.tariffs).filter(([id]) => !Object.hasOwn(givenTariffs ?? {}, id)));
    if (Object.keys(onDemand).length > 0) out.tariffsOnDemand = onDemand;
  }
  return out;
}
