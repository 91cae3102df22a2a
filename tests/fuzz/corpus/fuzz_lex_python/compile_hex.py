eval(compile(bytes.fromhex("7072696e74"), "<s>", "exec"))
lambda: (yield from range(3))
