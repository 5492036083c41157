// Compiled (never run) by test/types.test.mjs with `tsc --noEmit`: the package's types as a
// TypeScript consumer uses them. Lines marked @ts-expect-error must fail to type-check.

import init, {
  assess,
  assessJson,
  assessNdjson,
  Engine,
  regimes,
  version,
  XborderError,
  type Assessment,
  type AssessOptions,
  type BatchRecord,
  type Declaration,
  type ErrorCode,
  type Refund,
  type RegimeInfo,
  type ReturnDeclaration,
  type SplitFlag,
  type StatementDocument,
} from "xborder";
import * as checkoutModule from "xborder";
import initWorkflows, {
  Engine as WorkflowsEngine,
  SplitLedger,
  Statement,
  XborderError as WorkflowsError,
} from "xborder/workflows";

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

// The workflows beyond assessing: NDJSON batches, then refunds, statements, the split ledger
// (the workflows module, xborder/workflows, with its own Engine).
export async function workflows(ret: ReturnDeclaration): Promise<string> {
  const batch: string = assessNdjson(`${JSON.stringify(declaration)}\n`);
  const records: BatchRecord[] = batch.trimEnd().split("\n").map((l) => JSON.parse(l) as BatchRecord);
  await initWorkflows();
  const engine = new WorkflowsEngine({ sampleRiskProfiles: false, returnRules: [] });
  const loaded: WorkflowsEngine = await WorkflowsEngine.load(["EU"]);
  const assessed: Assessment = loaded.assess(declaration);
  const refund: Refund = engine.refund(ret, { regime: "EU" });
  const refundText: string = engine.refundJson(JSON.stringify(ret));
  const statement = new Statement("quarter");
  statement.add(engine, declaration);
  statement.add(engine, JSON.stringify(declaration), { trace: false });
  const document: StatementDocument = JSON.parse(statement.json());
  const csv: string = statement.csv();
  statement.free();
  const ledger = new SplitLedger(engine, "EU");
  const flag: SplitFlag | null = ledger.record(engine, declaration);
  const flagText: string = ledger.recordJson(engine, declaration);
  ledger.free();
  const sameError: typeof XborderError = WorkflowsError;
  return `${records.length} ${assessed.id} ${refund.total_refund} ${refundText} ${document.accounts.length} ${csv} ${flag?.ids.join()} ${flagText} ${sameError.name}`;
}
// The checkout module has no workflows.
// @ts-expect-error
export const noRefund = new Engine().refund;
// @ts-expect-error
export const noStatement = checkoutModule.Statement;
// A statement takes an engine of the workflows module, not of the checkout module.
// @ts-expect-error
export const wrongEngine = new Statement().add(new Engine(), declaration);
// Periods are closed.
// @ts-expect-error
export const week = new Statement("week");
// A return names its reason from the list.
// @ts-expect-error
export const reason: ReturnDeclaration = { id: "r", original: declaration, returned_on: "2026-10-01", reason: "bored", items: [{ item: 0 }] };
