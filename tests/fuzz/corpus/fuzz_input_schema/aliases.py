import os, argparse as ap
from argparse import (ArgumentParser as AP, BooleanOptionalAction as BOA)
from argparse import *

class Tool:
    def __init__(self):
        self.parser = AP(description=("Two " "parts"))
        g = self.parser.add_argument_group("io")
        g.add_argument("--color", action=BOA, default=True)
        m = self.parser.add_mutually_exclusive_group(required=True)
        m.add_argument("--a", action="store_const", const=1)
        q = ap.ArgumentParser()
        q.add_argument("--rest", nargs=ap.REMAINDER)
        sub = q.add_subparsers(dest="cmd")
        sub.add_parser("run").add_argument("--inner")
