import argparse
CHOICES = ["a"]
p = argparse.ArgumentParser(description=__doc__)
p.add_argument("--a", type=pathlib.Path, default=os.getcwd(), help=f"cwd {x}")
p.add_argument(NAME, choices=CHOICES, help="b" + SUFFIX)
p.add_argument(*names, **kw)
p.add_argument("--c", action=MyAction, nargs=N, default=[x, 1], choices=range(3))
p.add_argument("--d", help=argparse.SUPPRESS, default=0o17, type=int)
p.add_argument('--e', help='''unterminated
