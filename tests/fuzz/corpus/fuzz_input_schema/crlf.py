import argparse
p = argparse.ArgumentParser(
  description="crlf")
p \
  .add_argument("--x",  # c
    type=int,)p.add_argument("--y", default=-0x1_f); p.add_argument("--z", choices=(1,))
