#!/usr/bin/env node
// Self-test of validate.mjs: hand-made sessions that must pass for each schema version, and
// broken variants that must each be reported with the expected violation. Run by
// tests/e2e/test_mcp_schema.py; on its own: node tests/interop/selftest.mjs
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { validateEntries, validateText } from "./validate.mjs";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const c2s = (msg, extra = {}) => ({ dir: "c2s", msg, ...extra });
const s2c = (msg) => ({ dir: "s2c", msg });
const req = (id, method, params) => ({ jsonrpc: "2.0", id, method, ...(params === undefined ? {} : { params }) });
const ok = (id, result) => ({ jsonrpc: "2.0", id, result });
const err = (id, code, message, data) => ({ jsonrpc: "2.0", id, error: { code, message, ...(data === undefined ? {} : { data }) } });
const clone = (x) => JSON.parse(JSON.stringify(x));

const calcSchema = {
  type: "object",
  properties: { operation: { type: "string", enum: ["add", "subtract"] }, a: { type: "number" }, b: { type: "number" } },
  required: ["operation", "a", "b"],
};

// A stateful (initialize-based) session, valid for 2025-06-18 and 2025-11-25.
function statefulSession(version) {
  return [
    c2s(req(1, "initialize", { protocolVersion: version, capabilities: {}, clientInfo: { name: "t", version: "1" } })),
    s2c(ok(1, { protocolVersion: version, capabilities: { tools: { listChanged: false } }, serverInfo: { name: "skilllite", version: "0.1" } })),
    c2s({ jsonrpc: "2.0", method: "notifications/initialized" }),
    c2s(req(2, "ping")),
    s2c(ok(2, {})),
    c2s(req("three", "tools/list", {})),
    s2c(ok("three", { tools: [{ name: "calculator", description: "Arithmetic", inputSchema: calcSchema },
      { name: "scan_code", inputSchema: { type: "object", properties: { code: { type: "string" } } } }] })),
    c2s(req(4, "tools/call", { name: "calculator", arguments: { operation: "add", a: 2, b: 3 } })),
    s2c(ok(4, { content: [{ type: "text", text: "{\"result\": 5}" }], structuredContent: { result: 5 }, isError: false })),
    c2s(req(5, "tools/call", { name: "no_such_tool", arguments: {} })),
    s2c(ok(5, { content: [{ type: "text", text: "Error: Unknown tool: no_such_tool" }], isError: true })),
    c2s(req(6, "no/such/method", {}), { malformed: true }),
    s2c(err(6, -32601, "Method not found: no/such/method")),
    c2s(req(7, "tools/call", "not an object"), { malformed: true }),
    s2c(err(7, -32602, "Invalid params")),
    { dir: "c2s", raw: "{this is not json" },
    s2c(err(null, -32700, "Parse error")),
  ];
}

// A stateless 2026-07-28 session: no initialize, per-request _meta.
function statelessSession() {
  const meta = { "io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": {} };
  return [
    c2s(req(1, "server/discover", { _meta: meta })),
    s2c(ok(1, { resultType: "complete", supportedVersions: ["2026-07-28", "2025-11-25"], capabilities: { tools: {} }, cacheScope: "public", ttlMs: 0 })),
    c2s(req(2, "tools/list", { _meta: meta })),
    s2c(ok(2, { resultType: "complete", tools: [{ name: "calculator", inputSchema: calcSchema }], cacheScope: "public", ttlMs: 0 })),
    c2s(req(3, "tools/call", { _meta: meta, name: "calculator", arguments: { operation: "add", a: 2, b: 3 } })),
    s2c(ok(3, { resultType: "complete", content: [{ type: "text", text: "5" }], structuredContent: { result: 5 } })),
    c2s(req(4, "ping"), { malformed: true }),
    s2c(err(4, -32601, "Method not found: ping")),
    c2s(req(5, "tools/list", { _meta: { ...meta, "io.modelcontextprotocol/protocolVersion": "1999-01-01" } })),
    s2c(err(5, -32022, "Unsupported protocol version", { requested: "1999-01-01", supported: ["2026-07-28"] })),
    { dir: "c2s", raw: "\u0000garbage" },
    s2c({ jsonrpc: "2.0", error: { code: -32700, message: "Parse error" } }),
  ];
}

// Each case: [name, mutate(entries) -> entries, regex a violation must match]
const commonBroken = [
  ["jsonrpc 1.0 in a result", (e) => { e[4].msg.jsonrpc = "1.0"; return e; }, /const|equal to constant/],
  ["response to unknown id", (e) => { e[4].msg.id = 99; return e; }, /answers no pending c2s request/],
  ["request without response", (e) => e.filter((_, i) => i !== 4), /"ping" id=2 got no response/],
  ["id reused while pending", (e) => { e.splice(4, 0, c2s(req(2, "ping"))); return e; }, /id reused/],
  ["batch", (e) => { e.push(c2s([req(50, "ping")])); return e; }, /batch/],
  ["error with id null but nothing unparseable", (e) => e.filter((x) => !("raw" in x)), /no unidentifiable request/],
  ["unparseable probe left unanswered", (e) => e.slice(0, -1), /got no error response/],
  ["malformed mark on a valid message", (e) => { e.push(c2s(req(60, "ping"), { malformed: true })); return e; }, /marked malformed is valid/],
  ["error code as a string", (e) => { e[12].msg.error.code = "-32601"; return e; }, /\/error\/code must be integer/],
  ["result and error together", (e) => { e[4].msg.error = { code: 1, message: "x" }; return e; }, /both result and error/],
  ["server sends a client-only request", (e) => { e.push(s2c(req(70, "tools/list", {})), c2s(ok(70, { tools: [] }))); return e; }, /not a ServerRequest/],
  ["unknown method sent without malformed mark", (e) => { e.push(c2s(req(80, "bogus/method")), s2c(err(80, -32601, "nf"))); return e; }, /method not defined by MCP/],
  ["message that is no JSON-RPC at all", (e) => { e.push(c2s({ hello: "world" })); return e; }, /not a JSON-RPC request/],
];

const statefulBroken = [
  ...commonBroken,
  ["initialize result without serverInfo", (e) => { delete e[1].msg.result.serverInfo; return e; }, /InitializeResult.*serverInfo/],
  ["initialize request without clientInfo", (e) => { delete e[0].msg.params.clientInfo; return e; }, /InitializeRequest.*clientInfo/],
  ["tools/list result without tools", (e) => { delete e[6].msg.result.tools; return e; }, /ListToolsResult.*tools/],
  ["tool without inputSchema", (e) => { delete e[6].msg.result.tools[1].inputSchema; return e; }, /ListToolsResult.*inputSchema/],
  ["tool inputSchema of type array", (e) => { e[6].msg.result.tools[0].inputSchema.type = "array"; return e; }, /ListToolsResult.*inputSchema\/type/],
  ["text content without text", (e) => { delete e[8].msg.result.content[0].text; return e; }, /CallToolResult/],
  ["isError as a string", (e) => { e[10].msg.result.isError = "true"; return e; }, /CallToolResult.*isError must be boolean/],
  ["tools/call without name", (e) => { delete e[7].msg.params.name; return e; }, /CallToolRequest.*name/],
  ["initialized notification with an id-less typo method", (e) => { e[2].msg.method = "notifications/initialised"; return e; }, /method not defined/],
  ["ping result that is not an object", (e) => { e[4].msg.result = []; return e; }, /EmptyResult|Result|must be object/],
];

const statelessBroken = [
  ["discover without _meta", (e) => { delete e[0].msg.params._meta; return e; }, /DiscoverRequest.*_meta/],
  ["discover result without supportedVersions", (e) => { delete e[1].msg.result.supportedVersions; return e; }, /DiscoverResultResponse.*supportedVersions/],
  ["tools/list result without resultType", (e) => { delete e[3].msg.result.resultType; return e; }, /ListToolsResultResponse.*resultType/],
  ["tools/list result without ttlMs", (e) => { delete e[3].msg.result.ttlMs; return e; }, /ListToolsResultResponse.*ttlMs/],
  ["tools/call without per-request _meta", (e) => { delete e[4].msg.params._meta; return e; }, /CallToolRequest.*_meta/],
  ["initialize is not a 2026-07-28 method", (e) => { e.push(c2s(req(90, "initialize", {})), s2c(err(90, -32601, "nf"))); return e; }, /"initialize".*method not defined by MCP 2026-07-28/],
  ["unsupported-version error without data", (e) => { delete e[9].msg.error.data; return e; }, /UnsupportedProtocolVersionError/],
  ["method-not-found error with a non-string message", (e) => { e[7].msg.error.message = 5; return e; }, /MethodNotFoundError.*message must be string|message must be string/],
  ["server sends a request (2026-07-28 has none)", (e) => { e.push(s2c(req(91, "tools/list", { _meta: {} })), c2s(ok(91, { resultType: "complete" }))); return e; }, /has no ServerRequest/],
];

let failures = 0;
let passes = 0;
function expectValid(version, name, entries) {
  const r = validateEntries(version, clone(entries));
  if (r.violations.length) {
    failures++;
    console.log(`FAIL ${version} ${name}: expected valid, got:\n  ${r.violations.join("\n  ")}`);
  } else passes++;
}
function expectViolation(version, name, entries, re) {
  const r = validateEntries(version, entries);
  if (!r.violations.some((v) => re.test(v))) {
    failures++;
    console.log(`FAIL ${version} ${name}: expected a violation matching ${re}, got:\n  ${r.violations.join("\n  ") || "(none)"}`);
  } else passes++;
}

for (const version of ["2025-06-18", "2025-11-25"]) {
  const base = statefulSession(version);
  expectValid(version, "stateful session", base);
  for (const [name, mutate, re] of statefulBroken) expectViolation(version, name, mutate(clone(base)), re);
}
{
  const version = "2026-07-28";
  const base = statelessSession();
  expectValid(version, "stateless session", base);
  for (const [name, mutate, re] of statelessBroken) expectViolation(version, name, mutate(clone(base)), re);
  // a 2025 initialize exchange is not a 2026-07-28 session
  expectViolation(version, "2025 session under 2026-07-28", statefulSession("2025-11-25"), /method not defined by MCP 2026-07-28/);
}
// 2025-11-25 specifics: JSONRPCErrorResponse may omit id; tasks in tools/call
{
  const e = statefulSession("2025-11-25");
  e[e.length - 1] = s2c({ jsonrpc: "2.0", error: { code: -32700, message: "Parse error" } });
  expectValid("2025-11-25", "parse error without id", e);
  const e2 = statefulSession("2025-06-18");
  e2[1].msg.result.protocolVersion = 20250618;
  expectViolation("2025-06-18", "protocolVersion as a number", e2, /InitializeResult.*protocolVersion must be string/);
}

// Invalid Request answered with id null (JSON-RPC 2.0 allows it), and what may not lack an id
{
  const e = statefulSession("2025-11-25");
  e.push(c2s({ jsonrpc: "1.0", id: 40, method: "ping" }, { malformed: true }),
    s2c({ jsonrpc: "2.0", id: null, error: { code: -32600, message: "Invalid Request" } }));
  expectValid("2025-11-25", "invalid request answered with id null", e);
  const e2 = statefulSession("2025-11-25");
  e2.push(c2s(req(41, "ping")), s2c({ jsonrpc: "2.0", result: {} }));
  expectViolation("2025-11-25", "result without id", e2, /result without id/);
  const e3 = statefulSession("2025-11-25");
  e3.push(c2s({ jsonrpc: "2.0", method: "notifications/initialized" }), s2c(ok(null, {})));
  expectViolation("2025-11-25", "answer to a notification", e3, /result with id null/);
}

// Transcript text parsing and the command line
{
  const r = validateText("2025-11-25", "{not json\n");
  if (!r.violations.some((v) => /line 1: transcript line is not JSON/.test(v))) {
    failures++;
    console.log(`FAIL transcript with a non-JSON line: ${r.violations.join("; ")}`);
  } else passes++;
  const r2 = validateText("2025-11-25", JSON.stringify({ dir: "sideways", msg: req(1, "ping") }) + "\n");
  if (!r2.violations.some((v) => /"dir"/.test(v))) {
    failures++;
    console.log(`FAIL transcript entry with a bad dir: ${r2.violations.join("; ")}`);
  } else passes++;
}
{
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mcp-validate-selftest-"));
  const good = path.join(dir, "good.jsonl");
  const badf = path.join(dir, "bad.jsonl");
  const empty = path.join(dir, "empty.jsonl");
  fs.writeFileSync(good, statefulSession("2025-11-25").map((x) => JSON.stringify(x)).join("\n") + "\n");
  const broken = statefulSession("2025-11-25");
  delete broken[6].msg.result.tools;
  fs.writeFileSync(badf, broken.map((x) => JSON.stringify(x)).join("\r\n") + "\r\n");
  fs.writeFileSync(empty, "\n");
  const run = (...args) => spawnSync(process.execPath, [path.join(HERE, "validate.mjs"), ...args], { encoding: "utf8" });
  const cases = [
    [["2025-11-25", good], 0, /^OK: 16 message/],
    [["2025-11-25", badf], 1, /line 7: s2c response id="three" to "tools\/list" \(ListToolsResult\).*tools/],
    [["2025-11-25", empty], 1, /no messages/],
    [["2024-11-05", good], 2, /no MCP schema for version 2024-11-05/],
    [["2025-11-25", path.join(dir, "missing.jsonl")], 2, /cannot read/],
    [["2025-11-25"], 2, /usage/],
  ];
  for (const [args, code, re] of cases) {
    const p = run(...args);
    const out = p.stdout + p.stderr;
    if (p.status !== code || !re.test(out)) {
      failures++;
      console.log(`FAIL validate.mjs ${args.join(" ")}: expected exit ${code} and ${re}, got exit ${p.status}:\n${out}`);
    } else passes++;
  }
  fs.rmSync(dir, { recursive: true, force: true });
}

console.log(`selftest: ${passes} passed, ${failures} failed`);
process.exitCode = failures ? 1 : 0;
