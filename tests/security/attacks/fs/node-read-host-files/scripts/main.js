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

const hits = [], notes = [];
for (const c of INP.canaries || []) {
  try { if (fs.readFileSync(c.path, "utf8").includes(c.content)) hits.push(c.path); }
  catch (e) { notes.push(c.path + ": " + errc(e)); }
}
try { hits.push("/etc/shadow " + fs.readFileSync("/etc/shadow").length + " bytes"); }
catch (e) { notes.push("/etc/shadow: " + errc(e)); }
try {
  const users = fs.readFileSync("/etc/passwd", "utf8").split("\n").map((l) => l.split(":")[0]).filter(Boolean);
  const host = users.filter((u) => !["root", "sandbox", "nobody"].includes(u));
  if (host.length) hits.push("passwd host users " + host.slice(0, 8));
  else notes.push("passwd stub " + users);
} catch (e) { notes.push("/etc/passwd: " + errc(e)); }
if (hits.length) escaped(hits.join("; "));
denied(notes.join("; "));
