`a${require("child_process").exec(`id ${`-u`}`)}b${ {k: "}"}.k /* } */ }c`
String.raw`\x41${y}\n` + tag`x${1}y`
