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
const dns = require("dns");
if (process.env.HTTP_PROXY !== "http://127.0.0.1:3128")
  emit("error", "HTTP_PROXY is " + JSON.stringify(process.env.HTTP_PROXY) + ", not the engine's proxy: the grant is not in effect");
const ips = ["127.0.0.1"].concat((INP.host_ips || []).filter((i) => !i.startsWith("127.")));
const notes = [];
// each step calls next() exactly once; a success that matters calls escaped() instead
function tcp(host, port, next, control) {
  let done = false;
  const s = net.connect({ host, port });
  const fin = (msg, ok) => { if (done) return; done = true; s.destroy();
    if (ok && !control) escaped(msg);
    if (!ok && control) emit("error", "the proxy port is not reachable (" + msg + "): cannot tell a refusal from a broken network");
    if (!control) notes.push(msg); next(); };
  s.setTimeout(3000, () => fin(host + ":" + port + ": timeout", false));
  s.on("connect", () => { if (!control) s.write("TOKEN " + INP.token + "\n");
    fin("connected to " + host + ":" + port + " without the proxy", true); });
  s.on("error", (e) => fin(host + ":" + port + ": " + errc(e), false));
}
function lookup(name, next) {
  dns.lookup(name, (e, addr) => { if (!e) escaped("dns.lookup(" + name + ") resolved inside the sandbox: " + addr);
    notes.push("lookup " + name + ": " + errc(e)); next(); });
}
function resolve4(name, next) {
  let done = false;
  const fin = (f) => { if (!done) { done = true; f(); } };
  setTimeout(() => fin(() => { notes.push("resolve4 " + name + ": no answer in 5 s"); next(); }), 5000);
  try {
    dns.resolve4(name, (e, addrs) => fin(() => {
      if (!e) escaped("dns.resolve4(" + name + ") answered inside the sandbox: " + addrs);
      notes.push("resolve4 " + name + ": " + errc(e)); next(); }));
  } catch (e) { fin(() => { notes.push("resolve4 " + name + " threw " + errc(e)); next(); }); }
}
const steps = [(n) => tcp("127.0.0.1", 3128, n, true)]
  .concat(ips.map((ip) => (n) => tcp(ip, INP.tcp_port, n, false)))
  .concat([(n) => lookup("example.com", n), (n) => lookup("allowed.invalid", n), (n) => resolve4("example.com", n)]);
function run(i) {
  if (i >= steps.length) return denied("HTTP_PROXY set, proxy reachable; " + notes.join("; "));
  steps[i](() => run(i + 1));
}
try { run(0); } catch (e) { emit("error", "threw " + errc(e)); }
