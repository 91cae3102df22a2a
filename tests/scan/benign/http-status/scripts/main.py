import json
import sys

# code: (name, meaning, hint)
STATUS = {
    100: ("Continue", "The server got the request headers; send the body.", ""),
    101: ("Switching Protocols", "The connection is upgraded (e.g. to WebSocket).", ""),
    200: ("OK", "The request succeeded.", ""),
    201: ("Created", "A new resource was created; see Location.", ""),
    202: ("Accepted", "Queued for processing, not done yet.", "Poll the status URL if given."),
    204: ("No Content", "Success with an empty body.", ""),
    206: ("Partial Content", "A byte range was returned.", ""),
    301: ("Moved Permanently", "Use the new URL from now on.", "Update bookmarks and links."),
    302: ("Found", "Temporary redirect (method may change to GET).", ""),
    304: ("Not Modified", "Your cached copy is still valid.", ""),
    307: ("Temporary Redirect", "Repeat the same request at the new URL.", ""),
    308: ("Permanent Redirect", "Like 301 but the method is kept.", ""),
    400: ("Bad Request", "The server could not parse the request.", "Check JSON syntax and headers."),
    401: ("Unauthorized", "Authentication is missing or wrong.", "Check the token or credentials."),
    403: ("Forbidden", "Authenticated but not allowed.", "Check permissions/scopes."),
    404: ("Not Found", "No resource at this URL.", "Check the path and IDs."),
    405: ("Method Not Allowed", "The URL exists but not for this method.", "See the Allow header."),
    408: ("Request Timeout", "The client was too slow sending the request.", "Retry."),
    409: ("Conflict", "The request conflicts with the current state.", "Re-fetch and retry."),
    410: ("Gone", "The resource was removed for good.", ""),
    413: ("Content Too Large", "The body is over the server's limit.", "Send less or chunk it."),
    415: ("Unsupported Media Type", "Wrong Content-Type.", "Set Content-Type correctly."),
    422: ("Unprocessable Content", "Well-formed but semantically invalid.", "Read the error body."),
    429: ("Too Many Requests", "Rate limited.", "Wait for Retry-After, then back off exponentially."),
    500: ("Internal Server Error", "The server failed.", "Retry later; report if it persists."),
    501: ("Not Implemented", "The server does not support this feature.", ""),
    502: ("Bad Gateway", "An upstream server answered badly.", "Retry with backoff."),
    503: ("Service Unavailable", "Overloaded or down for maintenance.", "Honour Retry-After."),
    504: ("Gateway Timeout", "An upstream server did not answer in time.", "Retry with backoff."),
}
CLASSES = {1: "informational", 2: "success", 3: "redirection", 4: "client error", 5: "server error"}
RETRYABLE = {408, 429, 500, 502, 503, 504}
CACHEABLE = {200, 203, 204, 206, 300, 301, 308, 404, 405, 410, 414, 501}


def describe(code):
    if code not in STATUS:
        cls = CLASSES.get(code // 100)
        return {"code": code, "known": False, "class": cls or "invalid"}
    name, meaning, hint = STATUS[code]
    return {"code": code, "name": name, "class": CLASSES[code // 100], "meaning": meaning,
            "hint": hint or None, "retryable": code in RETRYABLE, "cacheable": code in CACHEABLE}


if __name__ == "__main__":
    req = json.load(sys.stdin)
    if "class" in req:
        c = int(req["class"])
        print(json.dumps({"class": CLASSES.get(c), "codes": [describe(k) for k in STATUS if k // 100 == c]}))
    else:
        try:
            print(json.dumps(describe(int(req.get("code")))))
        except (TypeError, ValueError):
            print(json.dumps({"error": "code must be an integer"}))
