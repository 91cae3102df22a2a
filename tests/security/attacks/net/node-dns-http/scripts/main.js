"use strict";
const fs = require("fs");
let INP = {};
try { INP = JSON.parse(fs.readFileSync(0, "utf8") || "{}"); } catch (e) { INP = {}; }
function emit(outcome, detail) {
  process.stdout.write(JSON.stringify({ outcome, detail: String(detail).slice(0, 2000) }) + "\n");
  process.exit(0);
}
const denied = (d) => emit("denied", d);
const escaped = (d) => emit("escaped", d);
const errc = (e) => (e && (e.code || e.message)) || String(e);

const dns = require("dns"), http = require("http");
const notes = [];
dns.lookup("example.com", { all: true }, (e, addrs) => {
  if (!e && addrs.some((a) => !a.address.startsWith("127.") && a.address !== "::1"))
    escaped("example.com resolved: " + JSON.stringify(addrs));
  notes.push("lookup: " + (e ? errc(e) : JSON.stringify(addrs)));
  const req = http.get({ host: "1.1.1.1", port: 80, path: "/", headers: { Host: "one.one.one.one" }, timeout: 3000 }, (res) => {
    escaped("HTTP " + res.statusCode + " from 1.1.1.1");
  });
  req.on("timeout", () => { req.destroy(new Error("timeout")); });
  req.on("error", (e2) => { notes.push("http: " + errc(e2)); denied(notes.join("; ")); });
});
