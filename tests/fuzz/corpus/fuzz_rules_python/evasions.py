import os as o
from os import system as s
x = o
(lambda c: s(c))(f"{x}" "id")
globals()["ev" + "al"]("1")
ｅｘｅｃ("2")
y = "\x73\x79\x73\x74\x65\x6d"[::-1]
