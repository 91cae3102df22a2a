#!/usr/bin/env node
// Validate every JSON-RPC message of an MCP session transcript against the official MCP JSON
// schema of one protocol version.
//
//   node tests/interop/validate.mjs <version> <transcript.jsonl>
//
// Transcript: one JSON object per line,
//   {"dir":"c2s"|"s2c", "msg":{...}}          a message as sent on the wire
//   {"dir":"c2s", "raw":"<text>"}            bytes the client sent that are not JSON (a parse-error probe)
//   {"dir":"c2s", "msg":{...}, "malformed":true}
//                                            a message the test sends on purpose to be invalid; it
//                                            must indeed fail the schema, and is not a violation
// Each message is matched to its $defs type: requests and notifications by method
// ("initialize" -> InitializeRequest), results by the method of the request they answer
// (InitializeResult, ListToolsResult, CallToolResult, EmptyResult for ping, ...; in 2026-07-28 the
// whole <X>ResultResponse), errors by the version's error envelope (JSONRPCError in 2025-06-18,
// JSONRPCErrorResponse later) and, when the code has one, its specific error type (2026-07-28:
// MethodNotFoundError, InvalidParamsError, ...). Also checked: direction (a client may only send
// ClientRequest/ClientNotification members, a server ServerRequest/ServerNotification members),
// responses answer a pending request of the other side, ids are not reused while pending, and
// every request gets exactly one response.
//
// Schemas: $MCP_SCHEMA_DIR/<version>/schema.json; default: the first existing of
// <repo>/../shared/mcp-schema and /work/shared/mcp-schema.
//
// Exit status: 0 all valid, 1 violations (one per line on stdout), 2 usage / missing schema.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Ajv from "ajv";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, "..", "..");
const MAX_LINE = 16 << 20; // a transcript line longer than this is refused, not parsed

export function schemaDir() {
  if (process.env.MCP_SCHEMA_DIR) return process.env.MCP_SCHEMA_DIR;
  for (const d of [path.resolve(REPO, "..", "shared", "mcp-schema"), "/work/shared/mcp-schema"]) {
    if (fs.existsSync(d)) return d;
  }
  return path.resolve(REPO, "..", "shared", "mcp-schema");
}

export function availableVersions() {
  const d = schemaDir();
  if (!fs.existsSync(d)) return [];
  return fs.readdirSync(d).filter((v) => fs.existsSync(path.join(d, v, "schema.json"))).sort();
}

// One compiled schema version: look-ups by $defs name and by method.
export class McpSchema {
  constructor(version) {
    const file = path.join(schemaDir(), version, "schema.json");
    if (!fs.existsSync(file)) {
      throw new Error(`no MCP schema for version ${version}: ${file} does not exist ` +
        `(have: ${availableVersions().join(", ") || "none"})`);
    }
    this.version = version;
    this.schema = JSON.parse(fs.readFileSync(file, "utf8"));
    const draft = String(this.schema.$schema || "");
    this.defsKey = this.schema.$defs ? "$defs" : "definitions";
    this.defs = this.schema[this.defsKey];
    const opts = { strict: false, allErrors: true, validateFormats: true };
    this.ajv = draft.includes("2020-12") ? new Ajv2020(opts) : new Ajv(opts);
    addFormats(this.ajv);
    const id = "mcp-" + version;
    const copy = { ...this.schema, $id: id };
    this.ajv.addSchema(copy);
    this.schemaId = id;
    this.cache = new Map();

    // method -> $defs name. A union (ClientNotification in 2026-07-28 is a bare copy of
    // CancelledNotification) only counts when no concrete type exists.
    this.byMethod = new Map();
    const isUnion = (n) => /^(Client|Server)(Request|Notification|Result)$/.test(n);
    for (const [name, def] of Object.entries(this.defs)) {
      const m = def?.properties?.method?.const;
      if (typeof m !== "string") continue;
      if (!this.byMethod.has(m) || isUnion(this.byMethod.get(m))) this.byMethod.set(m, name);
    }
    this.members = {};
    for (const u of ["ClientRequest", "ClientNotification", "ServerRequest", "ServerNotification"]) {
      this.members[u] = this.unionMethods(u);
    }
    // error code -> $defs names of the specific error types (Error-shaped or response-shaped)
    this.errorTypes = new Map();
    for (const [name, def] of Object.entries(this.defs)) {
      if (!name.endsWith("Error") || name === "Error" || name === "JSONRPCError") continue;
      const code = this.errorCodeOf(def);
      if (code === undefined) continue;
      if (!this.errorTypes.has(code)) this.errorTypes.set(code, []);
      this.errorTypes.get(code).push(name);
    }
  }

  has(name) {
    return Object.prototype.hasOwnProperty.call(this.defs, name);
  }

  // Set of methods a union type (ClientRequest, ...) admits; null when the version has no such union.
  unionMethods(name) {
    const def = this.defs[name];
    if (!def) return null;
    const out = new Set();
    const refs = def.anyOf || def.oneOf;
    if (refs) {
      for (const r of refs) {
        const target = this.defs[String(r.$ref || "").split("/").pop()];
        const m = target?.properties?.method?.const;
        if (typeof m === "string") out.add(m);
      }
    } else if (typeof def?.properties?.method?.const === "string") {
      out.add(def.properties.method.const);
    }
    return out;
  }

  errorCodeOf(def) {
    const direct = def?.properties?.code?.const;
    if (typeof direct === "number") return direct;
    const err = def?.properties?.error;
    for (const part of err?.allOf || []) {
      const c = part?.properties?.code?.const;
      if (typeof c === "number") return c;
    }
    return err?.properties?.code?.const;
  }

  validator(name) {
    if (!this.cache.has(name)) {
      const v = this.ajv.getSchema(`${this.schemaId}#/${this.defsKey}/${name}`);
      if (!v) throw new Error(`schema ${this.version} has no $defs type ${name}`);
      this.cache.set(name, v);
    }
    return this.cache.get(name);
  }

  // [] when valid, else human-readable problems
  check(name, value) {
    const v = this.validator(name);
    if (v(value)) return [];
    return (v.errors || []).map((e) => `${e.instancePath || "/"} ${e.message}` +
      (e.params && Object.keys(e.params).length ? ` ${JSON.stringify(e.params)}` : ""));
  }

  // the $defs name of the result of a request type: XRequest -> XResult, else EmptyResult
  resultTypeFor(requestType) {
    const base = requestType.replace(/Request$/, "");
    if (this.has(base + "Result")) return base + "Result";
    return this.has("EmptyResult") ? "EmptyResult" : "Result";
  }

  resultEnvelope() {
    return this.has("JSONRPCResultResponse") ? "JSONRPCResultResponse" : "JSONRPCResponse";
  }

  errorEnvelope() {
    return this.has("JSONRPCErrorResponse") ? "JSONRPCErrorResponse" : "JSONRPCError";
  }
}

function kindOf(msg) {
  if (Array.isArray(msg)) return "batch";
  if (msg === null || typeof msg !== "object") return "other";
  if ("method" in msg) return "id" in msg ? "request" : "notification";
  if ("result" in msg || "error" in msg) return "response";
  return "other";
}

const idKey = (id) => JSON.stringify(id);

// Validate parsed transcript entries; returns {violations: [string], checked: n}.
export function validateEntries(version, entries) {
  const s = new McpSchema(version);
  const violations = [];
  let checked = 0;
  // pending requests per sender: key -> {method, type, line}
  const pending = { c2s: new Map(), s2c: new Map() };
  // unparseable / id-less malformed client messages still owed an error with id null
  let owedNullId = 0;
  const unionFor = { c2s: ["ClientRequest", "ClientNotification"], s2c: ["ServerRequest", "ServerNotification"] };

  entries.forEach((entry, idx) => {
    const line = entry.line ?? idx + 1;
    const bad = (text) => violations.push(`line ${line}: ${text}`);
    if (!entry || typeof entry !== "object" || (entry.dir !== "c2s" && entry.dir !== "s2c")) {
      bad(`transcript entry needs "dir": "c2s" or "s2c"`);
      return;
    }
    const dir = entry.dir;
    const other = dir === "c2s" ? "s2c" : "c2s";
    if ("raw" in entry) {
      if (dir !== "c2s") bad(`"raw" entries are only for client probes`);
      owedNullId++;
      return;
    }
    if (!("msg" in entry)) {
      bad(`transcript entry has neither "msg" nor "raw"`);
      return;
    }
    const msg = entry.msg;
    const kind = kindOf(msg);
    const malformed = entry.malformed === true;
    checked++;

    if (malformed) {
      if (dir !== "c2s") {
        bad(`"malformed" is only for client probes`);
        return;
      }
      const problems = s.check("JSONRPCMessage", msg);
      let specific = [];
      if (problems.length === 0 && kind === "request" && s.byMethod.has(msg.method)) {
        specific = s.check(s.byMethod.get(msg.method), msg);
      } else if (problems.length === 0 && kind === "notification" && s.byMethod.has(msg.method)) {
        specific = s.check(s.byMethod.get(msg.method), msg);
      }
      const unknownMethod = (kind === "request" || kind === "notification") &&
        typeof msg.method === "string" && !s.byMethod.has(msg.method);
      if (problems.length === 0 && specific.length === 0 && !unknownMethod) {
        bad(`message marked malformed is valid against ${version}: ${JSON.stringify(msg).slice(0, 200)}`);
      }
      // the server owes a response: by id when it has a usable one, else with id null
      const idOk = msg && typeof msg === "object" && !Array.isArray(msg) &&
        (typeof msg.id === "string" || Number.isInteger(msg.id));
      if (kind === "request" && idOk) {
        pending.c2s.set(idKey(msg.id), { method: String(msg.method), type: null, line, malformed: true });
      } else if (kind !== "notification") {
        owedNullId++;
      }
      return;
    }

    switch (kind) {
      case "batch":
        bad(`JSON-RPC batch (array) is not an MCP ${version} message`);
        return;
      case "other": {
        const p = s.check("JSONRPCMessage", msg);
        bad(`not a JSON-RPC request, notification or response: ${p.join("; ") || JSON.stringify(msg).slice(0, 200)}`);
        return;
      }
      case "request":
      case "notification": {
        const method = msg.method;
        const type = typeof method === "string" ? s.byMethod.get(method) : undefined;
        const label = `${dir} ${kind} ${JSON.stringify(method)}${kind === "request" ? ` id=${idKey(msg.id)}` : ""}`;
        if (!type) {
          bad(`${label}: method not defined by MCP ${version}`);
          const p = s.check(kind === "request" ? "JSONRPCRequest" : "JSONRPCNotification", msg);
          p.forEach((e) => bad(`${label}: ${e}`));
        } else {
          const union = kind === "request" ? unionFor[dir][0] : unionFor[dir][1];
          const allowed = s.members[union];
          if (!allowed) bad(`${label}: MCP ${version} has no ${union} (this side may not send ${kind}s)`);
          else if (!allowed.has(method)) bad(`${label}: ${type} is not a ${union} in MCP ${version}`);
          // 2025-06-18's request types leave out jsonrpc/id: check the envelope too
          const env = kind === "request" ? "JSONRPCRequest" : "JSONRPCNotification";
          s.check(env, msg).forEach((e) => bad(`${label} (${env}): ${e}`));
          s.check(type, msg).forEach((e) => bad(`${label} (${type}): ${e}`));
        }
        if (kind === "request") {
          const key = idKey(msg.id);
          if (pending[dir].has(key)) bad(`${label}: id reused while request on line ${pending[dir].get(key).line} is pending`);
          pending[dir].set(key, { method: String(method), type: type || null, line });
        }
        return;
      }
      case "response": {
        let req = null;
        const nullId = msg.id === null;
        // An error without a usable id answers an unparseable message or, since JSON-RPC 2.0 lets
        // a server treat an Invalid Request's id as undetectable, the oldest malformed request.
        const takeNullId = () => {
          if (owedNullId > 0) {
            owedNullId--;
            return true;
          }
          for (const [key, p] of pending[other]) {
            if (p.malformed) {
              pending[other].delete(key);
              return true;
            }
          }
          return false;
        };
        if (nullId) {
          if (!("error" in msg)) bad(`${dir} result with id null`);
          else if (!takeNullId()) bad(`${dir} error with id null, but no unidentifiable request was sent`);
        } else if (!("id" in msg)) {
          if (!("error" in msg)) bad(`${dir} result without id`);
          else if (!takeNullId()) bad(`${dir} response without id, but no unidentifiable request was sent`);
        } else {
          const key = idKey(msg.id);
          req = pending[other].get(key);
          if (!req) bad(`${dir} response id=${key} answers no pending ${other} request`);
          else pending[other].delete(key);
        }
        const label = `${dir} response id=${nullId ? "null" : idKey(msg.id)}${req ? ` to ${JSON.stringify(req.method)}` : ""}`;
        if ("result" in msg && "error" in msg) bad(`${label}: has both result and error`);
        if ("error" in msg) {
          // JSON-RPC 2.0 §5 wants id null when the request's id could not be determined; the MCP
          // schemas type id as string|integer, so such an error is checked without its id.
          const body = nullId ? Object.fromEntries(Object.entries(msg).filter(([k]) => k !== "id")) : msg;
          const env = s.errorEnvelope();
          if (nullId && env === "JSONRPCError") {
            // 2025-06-18 requires an id; check the rest of the envelope
            s.check(env, { ...body, id: 0 }).forEach((e) => bad(`${label} (${env}): ${e}`));
          } else {
            s.check(env, body).forEach((e) => bad(`${label} (${env}): ${e}`));
          }
          const code = msg?.error?.code;
          for (const t of s.errorTypes.get(code) || []) {
            const responseShaped = !!s.defs[t]?.properties?.error;
            s.check(t, responseShaped ? body : msg.error).forEach((e) => bad(`${label} (${t}): ${e}`));
          }
          return;
        }
        // a result
        const type = req?.type;
        if (!type) {
          s.check(s.resultEnvelope(), msg).forEach((e) => bad(`${label} (${s.resultEnvelope()}): ${e}`));
          return;
        }
        const resultType = s.resultTypeFor(type);
        const whole = type.replace(/Request$/, "") + "ResultResponse";
        if (s.has(whole)) {
          s.check(whole, msg).forEach((e) => bad(`${label} (${whole}): ${e}`));
          return;
        }
        s.check(s.resultEnvelope(), msg).forEach((e) => bad(`${label} (${s.resultEnvelope()}): ${e}`));
        let problems = s.check(resultType, msg.result);
        // 2025-11-25 task-augmented tools/call may answer with a CreateTaskResult instead
        if (problems.length && req.method === "tools/call" && s.has("CreateTaskResult") &&
            s.check("CreateTaskResult", msg.result).length === 0) problems = [];
        problems.forEach((e) => bad(`${label} (${resultType}): ${e}`));
        return;
      }
    }
  });

  for (const dir of ["c2s", "s2c"]) {
    for (const [key, req] of pending[dir]) {
      violations.push(`line ${req.line}: ${dir} request ${JSON.stringify(req.method)} id=${key} got no response`);
    }
  }
  if (owedNullId > 0) violations.push(`${owedNullId} unparseable/malformed client message(s) got no error response`);
  return { violations, checked };
}

// Parse a JSONL transcript (text); parse problems are violations too.
export function parseTranscript(text) {
  const entries = [];
  const problems = [];
  text.split("\n").forEach((raw, i) => {
    const line = raw.replace(/\r$/, "");
    if (line.trim() === "") return;
    if (line.length > MAX_LINE) {
      problems.push(`line ${i + 1}: longer than ${MAX_LINE} bytes`);
      return;
    }
    try {
      const e = JSON.parse(line);
      if (e && typeof e === "object" && !Array.isArray(e)) e.line = i + 1;
      entries.push(e);
    } catch (err) {
      problems.push(`line ${i + 1}: transcript line is not JSON (${err.message})`);
    }
  });
  return { entries, problems };
}

export function validateText(version, text) {
  const { entries, problems } = parseTranscript(text);
  const r = validateEntries(version, entries);
  return { violations: [...problems, ...r.violations], checked: r.checked };
}

function main(argv) {
  if (argv.length !== 2 || argv[0].startsWith("-")) {
    process.stderr.write("usage: node tests/interop/validate.mjs <version> <transcript.jsonl>\n" +
      `schemas: ${schemaDir()} (versions: ${availableVersions().join(", ") || "none"})\n`);
    return 2;
  }
  const [version, file] = argv;
  let text;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    process.stderr.write(`validate: cannot read ${file}: ${err.message}\n`);
    return 2;
  }
  let r;
  try {
    r = validateText(version, text);
  } catch (err) {
    process.stderr.write(`validate: ${err.message}\n`);
    return 2;
  }
  if (r.violations.length) {
    for (const v of r.violations) process.stdout.write(`${file}: ${v}\n`);
    process.stdout.write(`${r.violations.length} violation(s) of MCP ${version} in ${file}\n`);
    return 1;
  }
  if (r.checked === 0) {
    process.stdout.write(`${file}: no messages\n`);
    return 1;
  }
  process.stdout.write(`OK: ${r.checked} message(s) in ${file} valid against MCP ${version}\n`);
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}
