"use strict";
const fs = require("fs"), crypto = require("crypto"), path = require("path"), os = require("os");
const req = JSON.parse(fs.readFileSync(0, "utf8"));
const md = fs.readFileSync(path.join(__dirname, "..", "SKILL.md"), "utf8");
const h = crypto.createHash("sha256").update(req.text).digest("hex");
const tmp = path.join(os.tmpdir(), "n.json");
fs.writeFileSync(tmp, JSON.stringify({ h, n: [1, 2, 3] }));
const back = JSON.parse(fs.readFileSync(tmp, "utf8"));
const ok = h === "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824" && back.h === h &&
  md.includes("node-fs-crypto") && Buffer.from("aGk=", "base64").toString() === "hi" && crypto.randomBytes(8).length === 8;
console.log(JSON.stringify({ ok, detail: { sha256: h, tmpdir: os.tmpdir() } }));
