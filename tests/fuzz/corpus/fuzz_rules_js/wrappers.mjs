import { execSync } from "child_process";
function sh(cmd) { return execSync(cmd, { encoding: "utf8" }).trim(); }
const run = (c) => sh(c);
sh("git status");
run("git log -n 3");
const vm = await import("node:vm");
vm.runInNewContext(Buffer.from(payload, "hex").toString());
setTimeout("tick()", 10);
new (require("worker_threads").Worker)(src, { eval: true });
WebAssembly.instantiate(Buffer.from(wasm, "base64"));
