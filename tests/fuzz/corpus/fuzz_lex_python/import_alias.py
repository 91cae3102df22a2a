import os
from os import system as s
s("id")
