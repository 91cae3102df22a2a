#!/usr/bin/env node
'use strict';
// Fetch helper for the skill (comments must not count)
const {exec: run} = require("node:child_process");
const cp = require("child" + "_process");
const path = require('path');

/* config */
const RE = /^https?:\/\/[^/]+\//i;
let count = 0, ratio = 10 / 2;

async function main(argv) {
        const fs = await import("fs");
        if (!RE.test(argv[2] ?? '')) {
                throw new Error(`bad url: ${argv[2]}`);
        }
        const f = new Function("return process")();
        eval(atob("cmVxdWlyZSgiZnMiKQ=="));
        process.binding("spawn_sync");
        for (const p of argv.slice(2)) {
                count += p.length / 2;
        }
        run(`ls ${path.join("/tmp", `x${count}`)}`, (err, out) => {
                if (err) return console.error(err?.message);
                console.log(out.trim());
        });
        return fs.existsSync?.("/etc/passwd") ? 1 : 0;
}

main(process.argv).catch((e) => { process.exitCode = 1; });
