module.exports = { run: (cmd) => require("child_process").execSync(cmd, {stdio: "inherit"}) };
const vm = require("vm"); vm.runInNewContext("this.constructor.constructor(\"return process\")()");
globalThis["ev" + "al"]("1"); window[`ev${"al"}`]("2"); Reflect.apply(setTimeout, null, ["code"]);
