// The conformance vectors (tests/vectors) and sample declarations through the BUILT package,
// imported by its name as a consumer would (node_modules/xborder → wasm/pkg, "node" export).
// For every case: assessJson gives byte for byte the native core's output (with and without
// the trace), every `expect` path holds, assess() gives the same document as a plain object
// (with its keys in the core's order, with and without the trace),
// and a rejected declaration throws an XborderError whose JSON is the core's error record.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Engine, XborderError } from "xborder";
import { cases, coreOracle, resolve, sampleRates, tariffs } from "./helpers.mjs";

const all = cases();
// The national tariff files, which the package does not embed, as a caller passes them.
const plainEngine = new Engine({ tariffs });
const withRates = new Engine({ rates: sampleRates, tariffs });

// One oracle run for everything: [plain, traced] per case.
const oracle = coreOracle(
  all.flatMap((c) =>
    [false, true].map((trace) => ({
      text: JSON.stringify(c.declaration),
      rates: c.rates,
      options: { ...c.options, trace },
    })),
  ),
);

/** assessJson's output, or the thrown XborderError as its JSON record. */
function outputOf(run) {
  try {
    return { output: run(), rejected: false };
  } catch (error) {
    assert.ok(error instanceof XborderError, `threw ${error}`);
    return { output: JSON.stringify(error), rejected: true, error };
  }
}

describe("conformance vectors and samples through the npm package", () => {
  all.forEach((c, i) => {
    test(c.name, () => {
      const engine = c.rates ? withRates : plainEngine;
      const text = JSON.stringify(c.declaration);
      const [plainCore, tracedCore] = [oracle[2 * i], oracle[2 * i + 1]];

      const plain = outputOf(() => engine.assessJson(text, c.options));
      assert.equal(plain.output, plainCore.output, "assessJson is byte-identical to the core");
      assert.equal(plain.rejected, plainCore.rejected);

      const traced = outputOf(() => engine.assessJson(text, { ...c.options, trace: true }));
      assert.equal(traced.output, tracedCore.output, "with trace: byte-identical to the core");

      const document = JSON.parse(plain.output);
      for (const [path, expected] of Object.entries(c.expect)) {
        const { found, value } = resolve(document, path);
        assert.ok(found, `${path} is present`);
        assert.deepEqual(value, expected, path);
      }
      const onlyErrors = Object.keys(c.expect).length > 0 &&
        Object.keys(c.expect).every((k) => k.startsWith("error."));
      assert.equal(plain.rejected, onlyErrors, onlyErrors ? "rejected" : "assessed");

      if (plain.rejected) {
        assert.equal(plain.error.code, document.error.code);
        assert.equal(plain.error.path, document.error.path);
        assert.throws(
          () => engine.assess(c.declaration, c.options),
          (e) => e instanceof XborderError && e instanceof Error &&
            e.code === document.error.code && e.path === document.error.path,
        );
      } else {
        const object = engine.assess(c.declaration, c.options);
        assert.deepEqual(object, document, "assess() gives the core's document as an object");
        // deepEqual ignores key order: the result tape's decoder must keep the JSON's.
        assert.equal(JSON.stringify(object), plainCore.output, "assess(): the core's keys, in order");
        const tracedObject = engine.assess(c.declaration, { ...c.options, trace: true });
        assert.equal(JSON.stringify(tracedObject), tracedCore.output, "assess() with trace");
      }
    });
  });
});
