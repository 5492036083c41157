// Writes the reference data of the npm package `xborder` as separate, cacheable files:
//
//   node scripts/wasm-data.mjs <package dir>       (run by scripts/wasm-build.sh)
//
// For every regime of xborder-regimes (regimes/src/lib.rs, PACKS order) it writes to
// <package dir>/data/:
//   <ID>.pack.<hash>.json            the regime pack, minified, with the regime's goods lists
//                                    (regimes/<ID>/goods-lists.json) inlined as the pack's own
//                                    `goods_lists`, which the same Rust code reads
//   <ID>.tariff.<hash>.txt           its national tariff file (regimes/<ID>/<ID>.tariff), as is
//   <ID>.rates.<hash>.txt            its official rate table (regimes/<ID>/<ID>.rates), as is
//   <ID>.risk-profile.<hash>.json    its sample risk profile, minified
//   <ID>.returns.<hash>.json         its return and refund rules (regimes/<ID>/returns.json),
//                                    minified, for `Engine#refund`
// where <hash> is the first 12 hex digits of the file's SHA-256: a file never changes under its
// name, so a server may cache it for ever. Tariffs and rate tables end in .txt so that web
// servers and CDNs send them as text/plain, which they compress.
//
// It prints, per regime, the bytes `Engine.load([ID])` reads, raw and gzip -9 (BENCHMARKS.md).
//
// It also writes <package dir>/data.js, the index the package's `Engine.load` reads: per regime
// its name, currency, destinations and files (kind, path, bytes, gzip -9 bytes).
//
// Minifying goes through JSON.parse/JSON.stringify; the script refuses a number that would not
// come back as the same text, so nothing the Rust parser sees changes.

import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const repo = fileURLToPath(new URL("../", import.meta.url));
const out = process.argv[2];
if (!out) {
  console.error("usage: node scripts/wasm-data.mjs <package dir>");
  process.exit(2);
}
const regimesDir = join(repo, "regimes");

/** Regime ids in the order of PACKS in regimes/src/lib.rs (the order the engine lists them). */
function regimeOrder() {
  const lib = readFileSync(join(regimesDir, "src/lib.rs"), "utf8");
  const ids = [...lib.matchAll(/\("([A-Z]{2,3})", include_str!\("\.\.\/\1\/pack\.json"\)\)/g)].map((m) => m[1]);
  if (ids.length === 0) throw new Error("no PACKS entries found in regimes/src/lib.rs");
  return ids;
}

/** JSON.parse, refusing numbers that JavaScript would not write back as the same text. */
function parseExact(text, file) {
  const outside = text.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  for (const [n] of outside.matchAll(/-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g)) {
    if (String(Number(n)) !== n) throw new Error(`${file}: the number ${n} would not survive minifying`);
  }
  return JSON.parse(text);
}

function hashName(id, kind, ext, bytes) {
  const hash = createHash("sha256").update(bytes).digest("hex").slice(0, 12);
  return `data/${id}.${kind}.${hash}.${ext}`;
}

rmSync(join(out, "data"), { recursive: true, force: true });
mkdirSync(join(out, "data"), { recursive: true });

const index = [];
for (const id of regimeOrder()) {
  const dir = join(regimesDir, id);
  const files = [];
  const write = (kind, ext, text) => {
    const bytes = Buffer.from(text, "utf8");
    const path = hashName(id, kind, ext, bytes);
    writeFileSync(join(out, path), bytes);
    files.push({ kind, path, bytes: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length });
  };

  const packFile = join(dir, "pack.json");
  const pack = parseExact(readFileSync(packFile, "utf8"), packFile);
  const listsFile = join(dir, "goods-lists.json");
  if (existsSync(listsFile)) {
    const lists = parseExact(readFileSync(listsFile, "utf8"), listsFile);
    if (lists.format !== 1 || lists.regime !== id) throw new Error(`${listsFile}: expected format 1 for regime ${id}`);
    // The engine gives a pack every list of its regime that it does not define itself.
    const own = new Set((pack.goods_lists ?? []).map((l) => l.id));
    pack.goods_lists = [...(pack.goods_lists ?? []), ...lists.goods_lists.filter((l) => !own.has(l.id))];
  }
  write("pack", "json", JSON.stringify(pack));

  for (const [kind, name] of [
    ["tariff", `${id}.tariff`],
    ["rates", `${id}.rates`],
  ]) {
    const file = join(dir, name);
    if (existsSync(file)) write(kind, "txt", readFileSync(file, "utf8"));
  }
  const profileFile = join(dir, "risk-profile.json");
  if (existsSync(profileFile)) {
    write("risk-profile", "json", JSON.stringify(parseExact(readFileSync(profileFile, "utf8"), profileFile)));
  }
  const returnsFile = join(dir, "returns.json");
  if (existsSync(returnsFile)) {
    write("returns", "json", JSON.stringify(parseExact(readFileSync(returnsFile, "utf8"), returnsFile)));
  }
  index.push({ id, name: pack.name, currency: pack.currency, destinations: pack.destinations, files });
}

const version = /^version = "(.*)"/m.exec(readFileSync(join(repo, "Cargo.toml"), "utf8"))[1];
writeFileSync(
  join(out, "data.js"),
  `// Generated by scripts/wasm-data.mjs: the package's regime data files (data/), by regime.\n` +
    `// Each file's name carries the first 12 hex digits of its SHA-256.\n` +
    `export const regimeData = {"format":1,"version":${JSON.stringify(version)},"regimes":[\n` +
    index.map((r) => JSON.stringify(r)).join(",\n") +
    `]};\n`,
);
const total = index.flatMap((r) => r.files).reduce((s, f) => s + f.bytes, 0);
console.log(`wasm-data: ${index.length} regimes, ${index.flatMap((r) => r.files).length} files, ${total} bytes in ${out}/data`);
// Per regime: what `Engine.load([ID])` reads, raw and gzip -9 (what a compressing server sends).
const kB = (b) => (b / 1000).toFixed(1);
for (const r of index) {
  const parts = r.files.map((f) => `${f.kind} ${kB(f.bytes)}/${kB(f.gzip)}`).join(", ");
  const raw = r.files.reduce((s, f) => s + f.bytes, 0);
  const gz = r.files.reduce((s, f) => s + f.gzip, 0);
  console.log(`wasm-data: ${r.id.padEnd(3)} ${kB(raw).padStart(7)} kB, gzip -9 ${kB(gz).padStart(6)} kB (${parts})`);
}
