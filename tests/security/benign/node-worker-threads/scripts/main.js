"use strict";
const { Worker } = require("worker_threads");
const fs = require("fs");
const req = JSON.parse(fs.readFileSync(0, "utf8"));
const w = new Worker("const { parentPort } = require('worker_threads'); parentPort.on('message', (n) => { let s = 0; for (let i = 0; i < n; i++) s += i; parentPort.postMessage(s); });", { eval: true });
w.on("message", async (s) => {
  await new Promise((r) => setTimeout(r, 20));
  await w.terminate();
  console.log(JSON.stringify({ ok: s === (req.n * (req.n - 1)) / 2, detail: { sum: s } }));
});
w.on("error", (e) => console.log(JSON.stringify({ ok: false, detail: String(e) })));
w.postMessage(req.n);
