x = "\x65\x76\x61\x6c" + "\145\166al" + "\u0065val" + "\N{DASH}"
y = b"\xff\777" + r"\d+\"" + rb"\x00"
