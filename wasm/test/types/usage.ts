// Compiled (never run) by test/types.test.mjs with `tsc --noEmit`: the package's types as a
// TypeScript consumer uses them. Lines marked @ts-expect-error must fail to type-check.

import init, {
  assess,
  assessJson,
  Engine,
  regimes,
  version,
  XborderError,
  type Assessment,
  type AssessOptions,
  type Declaration,
  type ErrorCode,
  type RegimeInfo,
} from "xborder";

const declaration: Declaration = {
  id: "order-1001",
  date: "2026-09-14",
  destination: "FR",
  currency: "EUR",
  items: [
    { description: "Cotton T-shirt", hs_code: "610910", quantity: 2, value: "48.00", origin: "CN" },
    { description: "Leather boots", hs_code: "640351", quantity: "1", value: "129.00" },
  ],
  shipping: "9.90",
  seller: { name: "Shop", country: "CN", registrations: [{ scheme: "IOSS", number: "IM2500000001" }] },
  consignee: { name: "A. Buyer", kind: "individual", country: "FR" },
  incoterm: "DAP",
};

export async function checkout(): Promise<string> {
  await init();
  const options: AssessOptions = { trace: true, options: { flat_duty_scope: "all_distance_sales" } };
  const result: Assessment = assess(declaration, options);
  const total: string = result.landed_cost;
  const code: 1 | 2 | 3 | 4 = result.category.code;
  const model: "vendor" | "intermediary" | "consumer" | "border" | "account" = result.collection.model;
  const steps: number = result.trace?.length ?? 0;
  const text: string = assessJson(JSON.stringify(declaration));
  const listed: RegimeInfo[] = regimes();
  const engine = new Engine({ rates: { label: "l", source: "s", rates: [] }, embedded: true });
  engine.assess(declaration).duties.forEach((d) => d.amount.toUpperCase());
  engine.free();
  try {
    assess({ ...declaration, items: [] });
  } catch (e) {
    if (e instanceof XborderError) {
      const c: ErrorCode = e.code;
      const p: string | null = e.path;
      return `${c} ${p} ${e.message} ${JSON.stringify(e.toJSON().error)}`;
    }
  }
  return `${version()} ${total} ${code} ${model} ${steps} ${text.length} ${listed.length}`;
}

// Amounts are strings, never numbers.
// @ts-expect-error
export const numberAmount: Declaration = { ...declaration, shipping: 9.9 };
// Unknown fields are errors in TypeScript as in the engine.
// @ts-expect-error
export const typo: Declaration = { ...declaration, destinaton: "FR" };
// Enumerations are closed.
// @ts-expect-error
export const channel: Declaration = { ...declaration, channel: "drone" };
// Required fields are required.
// @ts-expect-error
export const noSeller: Declaration = { id: "x", date: "2026-01-01", destination: "FR", currency: "EUR", items: [], consignee: { name: "c" } };
// Results are read-only data with string amounts.
// @ts-expect-error
export const sum: number = assess(declaration).duty_total + 1;
// Options are checked too.
// @ts-expect-error
export const badOptions = assess(declaration, { tracer: true });
// Error codes are the published list.
// @ts-expect-error
export const badCode: ErrorCode = "E_NOT_A_CODE";
