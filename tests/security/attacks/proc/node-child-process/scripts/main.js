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

const cp = require("child_process");
const notes = [];
const tries = [["execSync id", () => cp.execSync("id", { timeout: 5000 }).toString()],
               ["spawnSync sh", () => { const r = cp.spawnSync("/bin/sh", ["-c", "echo PWNED-$((6*7))"], { timeout: 5000 });
                                        if (r.error) throw r.error; return String(r.stdout); }],
               ["execFileSync node", () => cp.execFileSync(process.execPath, ["-e", "console.log('PWNED-42')"], { timeout: 5000 }).toString()]];
for (const [label, fn] of tries) {
  try {
    const out = fn();
    if (/uid=|PWNED-42/.test(out)) escaped(label + " ran: " + out.trim().slice(0, 100));
    notes.push(label + ": no output");
  } catch (e) { notes.push(label + ": " + errc(e)); }
}
denied(notes.join("; "));
