// node wasm/bench/run.mjs — the benchmark in Node.js (the built package) and in headless
// Chromium (wasm/bench/index.html served from localhost); prints one JSON line per runtime.
import { assess, assessJson } from "xborder";
import { run } from "./bench.js";
import { launchChromium, serveRepo } from "../test/helpers.mjs";

console.log(JSON.stringify({ runtime: `node ${process.version}`, ...run({ assess, assessJson }) }));

const server = await serveRepo();
const browser = await launchChromium();
try {
  const page = await browser.context.newPage();
  page.on("pageerror", (e) => console.error(`page error: ${e}`));
  page.on("console", (m) => m.type() === "error" && console.error(`page console: ${m.text()}`));
  await page.goto(`${server.url}/wasm/bench/`);
  const result = await page.waitForFunction(() => window.result, null, { timeout: 120000 }).then((h) => h.jsonValue());
  const version = browser.context.browser()?.version() ?? (await page.evaluate(() => navigator.userAgent.match(/Chrome\/([\d.]+)/)?.[1]));
  console.log(JSON.stringify({ runtime: `chromium ${version}`, ...result }));
} finally {
  await browser.close();
  await server.close();
}
