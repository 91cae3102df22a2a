import base64
import binascii
import json
import os
import subprocess
import sys
import tempfile

MAX_BYTES = 20 * 1024 * 1024
FFPROBE = ["ffprobe", "-v", "error", "-print_format", "json", "-show_format", "-show_streams"]


def probe(path):
    # argument list, no shell: the path is a single argv entry whatever it contains
    proc = subprocess.run(FFPROBE + ["--", path], capture_output=True, text=True, timeout=30)
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr.strip() or "ffprobe failed")
    return json.loads(proc.stdout)


def summarise(info):
    audio = next((s for s in info.get("streams", []) if s.get("codec_type") == "audio"), None)
    if audio is None:
        raise RuntimeError("no audio stream")
    fmt = info.get("format", {})
    tags = {k.lower(): v for k, v in {**fmt.get("tags", {}), **audio.get("tags", {})}.items()}
    return {
        "duration_seconds": round(float(fmt.get("duration", audio.get("duration", 0))), 2),
        "codec": audio.get("codec_name"),
        "sample_rate": int(audio.get("sample_rate", 0)),
        "channels": audio.get("channels"),
        "bit_rate": int(fmt.get("bit_rate") or audio.get("bit_rate") or 0),
        "container": fmt.get("format_name"),
        "tags": {k: tags[k] for k in ("title", "artist", "album", "date", "genre", "track") if k in tags},
    }


def main():
    req = json.load(sys.stdin)
    try:
        if "audio_base64" in req:
            data = base64.b64decode(req["audio_base64"], validate=True)
            if len(data) > MAX_BYTES:
                return {"error": "audio is larger than 20 MB"}
            with tempfile.NamedTemporaryFile(suffix=".bin") as tmp:
                tmp.write(data)
                tmp.flush()
                return summarise(probe(tmp.name))
        path = req.get("path")
        if not isinstance(path, str) or not os.path.isfile(path):
            return {"error": "path must name a readable file"}
        return summarise(probe(path))
    except (binascii.Error, ValueError):
        return {"error": "audio_base64 is not valid base64"}
    except FileNotFoundError:
        return {"error": "ffprobe is not installed"}
    except (RuntimeError, subprocess.TimeoutExpired) as e:
        return {"error": str(e)}


if __name__ == "__main__":
    print(json.dumps(main()))
