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

const tok = INP.token, done = [], notes = [];
for (const p of ["/tmp/skilllite-escape-" + tok, "/skill/skilllite-escape-" + tok,
                 "/etc/skilllite-escape-" + tok, "/skilllite-escape-" + tok]) {
  try { fs.writeFileSync(p, "x", { flag: "wx" }); done.push(p); try { if (!p.startsWith("/tmp/")) fs.unlinkSync(p); } catch (e) {} }
  catch (e) { notes.push(p + ": " + errc(e)); }
}
if (done.length) escaped("wrote " + done.join(", "));
denied(notes.join("; "));
