\u0072equire("fs"); \u{72}equire; x\u00; foo: { break foo; } case /x/: do /y/.exec(s); while (0)
for await (const x of y) /r/; label: for (;;) {}
