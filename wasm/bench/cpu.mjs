// node wasm/bench/cpu.mjs — the CPU time (process.cpuUsage, user + system) of one `assess` and
// one `assessJson` of the benchmark declaration (bench.js) in Node.js, for the checkout module
// ("xborder", module-level functions) and the workflows module ("xborder/workflows", an Engine
// with every regime), interleaved round by round. On a shared box CPU time moves much less than
// the wall-clock medians of run.mjs; prints the minimum and the median of nine rounds of 5 000
// calls, in µs per call.
import * as checkout from "xborder";
import { Engine } from "xborder/workflows";
import { DECLARATION } from "./bench.js";

const workflows = new Engine();
const text = JSON.stringify(DECLARATION);
if (checkout.assessJson(text) !== workflows.assessJson(text)) throw new Error("the modules disagree");
const N = 5000;
const cpu = (f) => {
  const t0 = process.cpuUsage();
  for (let i = 0; i < N; i += 1) f();
  const d = process.cpuUsage(t0);
  return (d.user + d.system) / N;
};
const runs = {
  checkout_assess: () => checkout.assess(DECLARATION),
  checkout_assessJson: () => checkout.assessJson(text),
  workflows_assess: () => workflows.assess(DECLARATION),
  workflows_assessJson: () => workflows.assessJson(text),
};
const times = Object.fromEntries(Object.keys(runs).map((k) => [k, []]));
for (let round = 0; round < 12; round += 1) {
  for (const [name, f] of Object.entries(runs)) {
    const t = cpu(f);
    if (round >= 3) times[name].push(t); // three rounds of warm-up
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const round2 = (x) => Math.round(x * 100) / 100;
const out = Object.fromEntries(
  Object.entries(times).map(([name, xs]) => [name, { min_us: round2(Math.min(...xs)), median_us: round2(median(xs)) }]),
);
console.log(JSON.stringify({ runtime: `node ${process.version}`, cpu: out }));
