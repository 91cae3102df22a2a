#!/usr/bin/env python3
"""Count words."""
import argparse
import json
import sys


def main():
    parser = argparse.ArgumentParser(description="Count the words of a text.")
    parser.add_argument("text", help="the text")
    parser.add_argument("-n", "--max-words", type=int, default=10, help="cap")
    parser.add_argument("--ratio", type=float, default=0.5)
    parser.add_argument("-v", "--verbose", action="store_true")
    parser.add_argument("--mode", choices=["fast", "slow"], default="fast")
    parser.add_argument("--files", nargs="*", default=[])
    parser.add_argument("--pair", nargs=2, type=int)
    parser.add_argument("--tag", action="append", dest="tags")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    json.dump(vars(args), sys.stdout)


if __name__ == "__main__":
    main()
