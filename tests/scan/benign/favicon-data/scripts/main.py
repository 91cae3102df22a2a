import base64
import binascii
import json
import struct
import sys

# Default 32x32 RGBA icon (the "webbits" dot), PNG, base64. Data only.
DEFAULT_ICON = (
    "iVBORw0KGgoAAAANSUhEUgAAACAAAAAgCAYAAABzenr0AAAJoUlEQVR42tWXW1Oa9xbGe5Gv4P0+Znc6nU5b29pz"
    "J5PJxJ6JRHRAKYEgvr6gMcQAIhhfYoKAgKCSwEwUEBHxFCXxfAiiiclkJkfTJE1zm2/x2+90ZneyO+1u9m57sdfM"
    "/3qtWf+1nue3Xnrp/y0s3yjKmuqqKq31SrFDq3RJ3yhdPXVKMVBfVRnTKsr+kKSHjyj21OqV4lGDqiToarEcUdOq"
    "1+AyaJB0GnxH5KdXEzHUktCpSukjSjGtV+z5XZIrjirFalPNM3WDGoOxHstRHY0mPbYGA26jAemoAb/JgLdBz4BR"
    "x9DRekZNajINNc/GjErxf068X1CUfdlYPasQ1VQ1aakT9DQ0GhFEE2KTQJsg0tkoIokigSaRoCAQbjSREI1kmvRk"
    "BS25RjUFsXp2rem//JoPLYf2HjCrdj9r0aBo1qG0GNGaBYwtZizNLTRbWrGardhbrEjNVnotVgLmVqItLQw1mxm2"
    "CCTNRqZadBSaNaxbVLtF86G9L5S84qSi7AObavfgiTo+b9OjOGlCYROpPXEMXZsV4aQNweag9YQTR5sT6aSToM2J"
    "74SDwTYbiZNWsrZjpE+ITLeZKJzUs2Kro3RCtVtqe4FOlDurZz+2a9jn0FPZLid3WjhkP47aYcPU7sTidGO2d2Fz"
    "SLS3e5CcHkJ2Ca+ji752N0NOJym7jYzjOBPtFgpOE6t2PdsODZvt1bP/MfnrbqVY4VLzUYeO/Z0mPnVbULisqDrs"
    "1HW60LslBFc3LR1e2jp9ON1+JJcfb4ePYKeXfnc3CZdEssNFttPOpNtKwWVhqcPERqeObbeam65fGMyXJcWe8q6a"
    "Z+WntLzrMXJAEvmq6ziKU3ZqPG60kocjXV4spwI0ecJYpQgdXVGkU1F6PBECUphYV4ChU15GPB6SkpvxLjuFU8dZ"
    "9ogUJSNbXVp2TtU82/X8zIq+1q0U3zmtpuKsnk/OCBzsPsbXp20ozro4fMZDbXcPR0+HEM5GsZyJ0dodx3U6gXQ2"
    "ge9MHF93jMjpKImzIdJnekh3e8ifdlE4a2PhzDFK3QIbp/XcPKvm9pmf6cKrflXpDW895T1G3veZ2ee38oXXiaJH"
    "otrnRe0PYfAOYOmJ0+i7gM2fwu1NI/Wk8ftSeP0XGPDGGeoZYNQXIuP3MuaVKPQ4WfRZ2fabueo1stNTzz2fqvRv"
    "yf8UUpS9EqjlrV4dFUET74Va2B+w8WWvG0Wwm6pQgLpAlIbeOEJwGDGUoS2Qo7M3jxTMEwjlCAYyhHuHSQTjZEJR"
    "soEAud5uCkE3ayEbG4EWir0mbgZ1PAjV8jDw3Eb8OVxV+XKf3P6InvKowIfhVg70Ofgs0oUi6kUZDqPti2GMXMAS"
    "zdAczmPtm8EemUOKztEbniHQlycayTAUvcBwOEayL8xUxEsh2sV62EGxr5UrEYGdqJ47YTVP+6oqfyzgL/1K8bWY"
    "hjcHDVQMiHzQb+VgzMnngxKKAR+K/gi1sTi6wRTCQA6hf4bW2DyOwWWkgWWC/fP4YjMMDuZIDKTI9sdJxyJMD/oo"
    "DEis9DspxayUBkVuDhi436/hSey5OfhrQul6Na7h7fMGys+JfJywsi/upPK8B8U5P4cSUdTxBKbzaSzn8pgTc9ji"
    "y7SfLyKdKxJKLOONz9F3Ps/QuTSpRIJMPMrEeT+Fcx5WE06241Y2z4vsnDNwK6HhcVzp+rGAvyWVrldSGl5Pyx0Y"
    "FvkoaWV/ysmnabmAYT+qZJS6VAJ9Oo0wnKclOUdbahlnWi5guIg3KXchNUd/Ok9iOE0ymSCbijKZlgsY9rCUdLKR"
    "kgcxLXdg2MDdpIaHqecK+PuoUnw5q6F8RO5ARuTdUSsHsk6+GpG/IOOjZjSCNhvnyEgKSyZH0+gM1uw8HSPyF2SW"
    "6RmdJ5CdITaSYyiTYmQ0TjIbYXxE/oKMxPKok2LWytaI3IGMgd1RDU+zz33B3nxV5Wtjat7J6akYF/gk38rBMQdf"
    "5+QhHPdyOB+mdizG0dwFhPEMlnye1rEZXDl5CMfn8OVn8I3lieQyJMYvkM7HSI+FyefkIRzvYiHvoDTWykZO4Oa4"
    "ntt5NU/GnhvCf0wqyl6dqOWNaR3lUyben2xh34SNL6blNZzqpnoygHoiimE6jmVqmMbJDLaJHO5peQ2n8vgnc3gn"
    "MgxMDzM0FWd0MkpmIsDYtLyGU24WJ21sT7RwddrEzpSOe5O1PJ74iTG9MqcqvTVbT8VFI+/NmNk/Z+XLWVmILkpU"
    "zXipmwvRMDuAcDGOOHOBtrkUnbOyEF1ME5hJEZy7QHg2TuLiAJmZENk5L7lZWYguOlmbsbIxZ6Y4a+TmxXoezPxE"
    "iH7wgsuyEV1SU17Q8+G8wIHLx/jskizFBRfKeQ/ayz0YL4WwFKI0z8ewXo5jvyRLcSFB73ycwOUY0UtRhgohhud7"
    "SF72MHVJluKCjfX5YxQvC1y5pGenoObO/M9I8WtLij1vLtc8q1jQ8sGikYNLIp8vy2a0YEex6KZ2yYNu2YuwEEBY"
    "DNO6FMGxLJvRQpTgYgTfUpjB5QCJBS/ZRQ/pJTfTy7IZLRxnZVGktGSktKzl5kLNs/uLv8CLb68oxfJVNR+v6di3"
    "bqJyRbbjVSuH1uyo112YViQsq92Y17zY1n20r8h2vOontObDu+6lb6WboVWJ1JqLzLqdiRXZjlctrK6Z2F7Xsbmi"
    "Zmf1VzixYrN69qOihv1X9Hy6IQPJpgVV8Th1V2zoN5wIm25ail20XZFwbshAsunBW5QIXumif8NNYtNJsmgje+U4"
    "kxsykGyaWCrq2biiYXvjV4DkByLaVpS9u6XaPVCq46urMpJtm6jZEtGWjnHkqhXLto2mLQfWkpOOqzKSbTvp2XIS"
    "KDmIXbUxtG1lZOsYyZLI+FUZybb1LG/VUSypdreuviCcfnLt0N6DN1S7X1+XoXRHx+FrRmpvCBy9bkbYacFyrZXW"
    "G1Zc12Uo3bHiuya/G61ErreQ2DGTviaQvmEkf12G0h0NC9dkHrzxglD6r9h3W1H2xR0Zy++qqb6lRX1bj+GOEctd"
    "E423BGy3Rdx3ZCy/K+K/JeK9LTBwx8TQXSOjt/RkbmsZuyNj+d3q2cVbv+FiUtxTilX3a57V7appeFCPcE+HeF9P"
    "266BzgfyYXLPQOC+geCunvADHYl79WTuq8nu1jzLPfgNh8nzoXyk2KN9rBSN36pKloe1ND9SY32swf6tfJo91ND7"
    "SEPgsZrot7UMPVSVhh8pxeTj3+k0+2kITxVlwvdVla1PlKLjO/k4fap0Bb9Xir4nVZWD3/1Bx+kfGf8EPaf4ojdF"
    "hBMAAAAASUVORK5CYII="
)


def png_size(data):
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        raise ValueError("not a PNG file")
    return struct.unpack(">II", data[16:24])


def tags(b64):
    data = base64.b64decode(b64, validate=True)
    w, h = png_size(data)
    uri = "data:image/png;base64," + base64.b64encode(data).decode("ascii")
    html = (f'<link rel="icon" type="image/png" sizes="{w}x{h}" href="{uri}">\n'
            f'<link rel="apple-touch-icon" sizes="{w}x{h}" href="{uri}">')
    return {"data_uri": uri, "size": f"{w}x{h}", "bytes": len(data), "html": html}


if __name__ == "__main__":
    req = json.load(sys.stdin)
    try:
        print(json.dumps(tags(req.get("png_base64") or DEFAULT_ICON)))
    except (ValueError, binascii.Error, struct.error) as e:
        print(json.dumps({"error": str(e)}))
