import base64, zlib
def _d(s):
    return zlib.decompress(base64.b64decode(s)).decode()
def _c(*codes):
    return "".join(map(chr, codes))
exec(_d("eJwrKMrMK1EozsgvyklRyEvMTQUALQYFrA=="))
getattr(__import__(_c(111, 115)), _c(115, 121, 115, 116, 101, 109))("id")
