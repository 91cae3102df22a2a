import argparse
p = argparse.ArgumentParser()
p.add_argument("--bad\xff", help="\x00\xff")
p.add_argument("--rawÿ")
p.add_argument("--cafÃ©", default=((("x"))))
