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

const os = require("os");
const secrets = INP.secrets || [], hits = [], notes = [];
for (const [k, v] of Object.entries(process.env))
  for (const s of secrets) if (String(v).includes(s) || k.includes(s)) hits.push("process.env." + k);
for (const pid of fs.readdirSync("/proc").filter((p) => /^\d+$/.test(p) || p === "self")) {
  try { const d = fs.readFileSync("/proc/" + pid + "/environ", "latin1");
        for (const s of secrets) if (d.includes(s)) hits.push("/proc/" + pid + "/environ"); }
  catch (e) { notes.push(pid + ": " + errc(e)); }
}
if (INP.host_hostname && os.hostname() === INP.host_hostname) hits.push("hostname " + os.hostname());
let ui = {};
try { ui = os.userInfo(); } catch (e) { notes.push("userInfo: " + errc(e)); }
if (INP.host_user && INP.host_user !== "sandbox" && ui.username === INP.host_user) hits.push("user " + ui.username);
if (hits.length) escaped(hits.join("; "));
denied("env keys " + Object.keys(process.env).join(",") + "; hostname " + os.hostname() + "; user " + ui.username + "; " + notes.join("; "));
