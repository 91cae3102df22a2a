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

const net = require("net");
const ips = ["127.0.0.1"].concat((INP.host_ips || []).filter((i) => !i.startsWith("127.")));
const notes = [];
function attempt(i) {
  if (i >= ips.length) return denied(notes.join("; "));
  let done = false;
  const s = net.connect({ host: ips[i], port: INP.tcp_port });
  const fin = (msg, ok) => { if (done) return; done = true; s.destroy();
    if (ok) escaped(msg); notes.push(msg); attempt(i + 1); };
  s.setTimeout(2000, () => fin(ips[i] + ": timeout", false));
  s.on("connect", () => { s.write("TOKEN " + INP.token + "\n"); fin("connected to " + ips[i], true); });
  s.on("error", (e) => fin(ips[i] + ": " + errc(e), false));
}
try { attempt(0); } catch (e) { denied("net.connect threw " + errc(e)); }
