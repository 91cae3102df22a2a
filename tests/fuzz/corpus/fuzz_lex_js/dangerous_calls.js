const {exec: run} = require("node:child_process");
const cp = require("child" + "_process");
import("fs").then((fs) => fs.readFileSync("/etc/passwd"));
new Function("return process")().binding("spawn_sync");
eval(atob("cmVxdWlyZSgiZnMiKQ=="));
