// Shared by the JavaScript test suites: the conformance vectors, the native core as oracle, a
// localhost static server and a headless Chromium.

import { execFileSync } from "node:child_process";
import { createReadStream, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { extname, join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root (…/main/). */
export const repo = fileURLToPath(new URL("../../", import.meta.url));
export const ratesPath = join(repo, "examples/rates/sample-rates.json");
export const sampleRates = readFileSync(ratesPath, "utf8");
/** The official rate tables as text (`rateTables`), as an application given no data files loads them. */
export const rateTables = ["regimes/EU/EU.rates", "regimes/GB/GB.rates"].map((p) => readFileSync(join(repo, p), "utf8"));

/** The national tariff files (regimes/<ID>/<ID>.tariff) as `[id, path]`. The module compiles
 * none in (the package ships them as data files); the oracle is given them as the package's
 * engines are. */
export const tariffPaths = readdirSync(join(repo, "regimes"))
  .sort()
  .map((id) => [id, join(repo, "regimes", id, `${id}.tariff`)])
  .filter(([, path]) => {
    try {
      return statSync(path).isFile();
    } catch {
      return false;
    }
  });

/** `{ ID: text }` of every national tariff file, for `new Engine({ tariffs })`. */
export const tariffs = Object.fromEntries(tariffPaths.map(([id, path]) => [id, readFileSync(path, "utf8")]));

/**
 * Every conformance vector (tests/vectors/<REGIME>/*.json) and every sample declaration
 * (examples/declarations/*.json, which assert nothing but must equal the core too).
 * `options` is the vector's options object (docs/contract.md, Assessment options), passed to the
 * package unchanged, as the Rust, C and Python harnesses pass it to theirs.
 * @returns {{ name: string, declaration: object, expect: object, rates: boolean, options: object }[]}
 */
export function cases() {
  const out = [];
  const vectorRoot = join(repo, "tests/vectors");
  for (const regime of readdirSync(vectorRoot).sort()) {
    const dir = join(vectorRoot, regime);
    if (!statSync(dir).isDirectory()) continue;
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".json")).sort()) {
      const vector = JSON.parse(readFileSync(join(dir, file), "utf8"));
      out.push({
        name: `${regime}/${file.replace(/\.json$/, "")}`,
        declaration: vector.declaration,
        expect: vector.expect,
        rates: vector.rates === "sample",
        options: vector.options ?? {},
      });
    }
  }
  const sampleRoot = join(repo, "examples/declarations");
  for (const file of readdirSync(sampleRoot).filter((f) => f.endsWith(".json")).sort()) {
    out.push({
      name: `examples/${file.replace(/\.json$/, "")}`,
      declaration: JSON.parse(readFileSync(join(sampleRoot, file), "utf8")),
      expect: {},
      rates: true,
      options: {},
    });
  }
  return out;
}

/**
 * The native core's output for each case, byte for byte (wasm/examples/core_oracle.rs).
 * `XBORDER_CORE_ORACLE` may name a prebuilt binary (scripts/wasm-test.sh builds it once).
 * The oracle is given every national tariff file (`tariffPaths`), as the vector tests give
 * them to the package's engines; `{ tariffs: false }` compares against a core without them,
 * like the package's own `assess` and an `Engine` built without `tariffs`.
 * `options` is an options object (`AssessOptions`), `trace` a shorthand that sets its `trace`.
 * A case may instead carry `refund` (return JSON), `statement` (declaration JSON texts, with
 * `period`) or `ledger` (declaration JSON texts, with an optional risk `profile`): see
 * core_oracle.rs for the lines the oracle writes for them.
 * @param {{ text?: string, trace?: boolean, rates?: boolean, options?: object, refund?: string, statement?: string[], period?: string, ledger?: string[], profile?: string }[]} list
 * @param {{ tariffs?: boolean }} [config]
 * @returns {{ output: string, rejected: boolean }[]}
 */
export function coreOracle(list, { tariffs: withTariffs = true } = {}) {
  const input = JSON.stringify(
    list.map((c) => ({
      declaration: c.text ?? "",
      // The workflows beyond assessing (core_oracle.rs): keys left undefined are not written.
      refund: c.refund,
      statement: c.statement,
      period: c.period,
      ledger: c.ledger,
      profile: c.profile,
      tariff_csv: c.tariffCsv,
      rates: Boolean(c.rates),
      options: c.trace === undefined ? (c.options ?? {}) : { ...c.options, trace: Boolean(c.trace) },
    })),
  );
  const bin = process.env.XBORDER_CORE_ORACLE;
  const [command, args] = bin
    ? [bin, []]
    : ["cargo", ["run", "-q", "-p", "xborder-wasm", "--features", "embedded", "--example", "core_oracle", "--"]];
  const tariffArgs = (withTariffs ? tariffPaths : []).flatMap(([id, path]) => ["--tariff", `${id}=${path}`]);
  const stdout = execFileSync(command, [...args, "--rates", ratesPath, ...tariffArgs], {
    cwd: repo,
    input,
    encoding: "utf8",
    maxBuffer: 512 << 20,
    stdio: ["pipe", "pipe", "inherit"],
  });
  const outcomes = JSON.parse(stdout);
  if (outcomes.length !== list.length) throw new Error("oracle answered a different number of cases");
  return outcomes;
}

/**
 * Resolves a dotted vector path (`taxes.0.amount`) in a JSON document.
 * @returns {{ found: boolean, value?: unknown }}
 */
export function resolve(document, path) {
  let node = document;
  for (const segment of path.split(".")) {
    if (node === null || typeof node !== "object") return { found: false };
    const key = Array.isArray(node) && /^\d+$/.test(segment) ? Number(segment) : segment;
    if (!Object.prototype.hasOwnProperty.call(node, key)) return { found: false };
    node = node[key];
  }
  return { found: true, value: node };
}

const MIME = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".wasm": "application/wasm",
  ".png": "image/png",
  ".svg": "image/svg+xml",
  ".ts": "text/plain; charset=utf-8",
  ".md": "text/plain; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
};

/**
 * Serves the repository read-only on 127.0.0.1 (a random port) and logs nothing.
 * @returns {Promise<{ url: string, close: () => Promise<void> }>}
 */
export async function serveRepo() {
  const server = createServer((req, res) => {
    let path;
    try {
      path = decodeURIComponent(new URL(req.url, "http://localhost").pathname);
    } catch {
      res.writeHead(400).end();
      return;
    }
    const file = normalize(join(repo, path));
    if (!file.startsWith(repo) || file.split(sep).includes("node_modules")) {
      res.writeHead(403).end();
      return;
    }
    let target = file;
    try {
      if (statSync(target).isDirectory()) target = join(target, "index.html");
      statSync(target);
    } catch {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, {
      "content-type": MIME[extname(target)] ?? "application/octet-stream",
      "cache-control": "no-store",
    });
    createReadStream(target).pipe(res);
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((ok) => server.close(() => ok())),
  };
}

/** The Chromium flags this machine needs (no sandbox as root, no background networking). */
export const chromiumArgs = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/**
 * Starts headless Debian Chromium (or XBORDER_CHROMIUM) with a fresh profile directory.
 * @returns {Promise<{ context: import("playwright-core").BrowserContext, close: () => Promise<void> }>}
 */
export async function launchChromium() {
  const { chromium } = await import("playwright-core");
  const profile = mkdtempSync(join(tmpdir(), "xborder-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.XBORDER_CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: chromiumArgs,
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Serves the repository, starts Chromium and opens a page that records its errors (uncaught
 * exceptions and console errors) in `problems`, so a test can assert the page stayed clean.
 * @returns {Promise<{ server: { url: string, close: () => Promise<void> }, browser: Awaited<ReturnType<typeof launchChromium>>, page: import("playwright-core").Page, problems: string[] }>}
 */
export async function openRecordedPage() {
  const server = await serveRepo();
  const browser = await launchChromium();
  const page = await browser.context.newPage();
  const problems = [];
  page.on("pageerror", (e) => problems.push(String(e)));
  page.on("console", (m) => m.type() === "error" && problems.push(m.text()));
  return { server, browser, page, problems };
}
