"""Local package indexes for the dependency-environment tests (tests/e2e/test_envs.py): a PEP 503
"simple" index for pip and a minimal npm registry, both on 127.0.0.1 (port 0: the kernel picks
one), stdlib only. The packages are built here, never downloaded:

    wheel(dir, "demo-pkg", "1.0", {"demo_pkg/__init__.py": "..."}, requires=["other>=1"])
    sdist(dir, "evil", "1.0", setup_py="...")            # an sdist-only package
    npm_tarball(dir, "left-pad", "1.0.0", {"index.js": "..."}, scripts={"postinstall": "..."})

    with PyPIServer(wheel_dir) as pypi:          # GET /simple/, /simple/<name>/, /files/<file>
        env = {"PIP_INDEX_URL": pypi.index_url}
    with NpmRegistry(tarball_dir) as reg:        # GET /<name> (packument), /<name>/-/<file>.tgz
        env = {"NPM_CONFIG_REGISTRY": reg.url}

Every request is recorded in server.requests as (method, path): the tests check that an sdist
or a package nobody asked for was never even fetched. server.delay (seconds) slows every answer,
for the concurrency test."""
import base64
import hashlib
import html
import io
import json
import os
import re
import tarfile
import threading
import time
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote


def normalize(name):
    """PEP 503 project name normalisation."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _record_hash(data):
    digest = hashlib.sha256(data).digest()
    return "sha256=" + base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def wheel(out_dir, name, version, files, requires=()):
    """A wheel (a zip: the package files, NAME-VER.dist-info/{METADATA,WHEEL,RECORD}), tagged
    py3-none-any whatever it holds; entries under NAME-VER.data/scripts/ are executable."""
    dist = re.sub(r"[-_.]+", "_", name)
    info = f"{dist}-{version}.dist-info"
    entries = dict(files)
    meta = [f"Metadata-Version: 2.1", f"Name: {name}", f"Version: {version}"]
    meta += [f"Requires-Dist: {r}" for r in requires]
    entries[f"{info}/METADATA"] = "\n".join(meta) + "\n"
    entries[f"{info}/WHEEL"] = ("Wheel-Version: 1.0\nGenerator: skilllite-tests\n"
                                "Root-Is-Purelib: true\nTag: py3-none-any\n")
    record = []
    for path, content in entries.items():
        data = content.encode() if isinstance(content, str) else content
        record.append(f"{path},{_record_hash(data)},{len(data)}")
    record.append(f"{info}/RECORD,,")
    entries[f"{info}/RECORD"] = "\n".join(record) + "\n"
    path = os.path.join(out_dir, f"{dist}-{version}-py3-none-any.whl")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for p, content in entries.items():
            info = zipfile.ZipInfo(p, date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            # pip keeps the executable bit of an entry (scripts in NAME-VER.data/scripts/)
            info.external_attr = (0o100755 if ".data/scripts/" in p else 0o100644) << 16
            z.writestr(info, content)
    return path


def sdist(out_dir, name, version, setup_py):
    """A source distribution (NAME-VER.tar.gz) whose setup.py is given: pip would have to run it."""
    base = f"{name}-{version}"
    files = {
        f"{base}/setup.py": setup_py,
        f"{base}/PKG-INFO": f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n",
    }
    path = os.path.join(out_dir, f"{base}.tar.gz")
    with tarfile.open(path, "w:gz") as t:
        for p, content in files.items():
            data = content.encode()
            info = tarfile.TarInfo(p)
            info.size = len(data)
            info.mode = 0o644
            t.addfile(info, io.BytesIO(data))
    return path


def npm_tarball(out_dir, name, version, files, dependencies=None, scripts=None):
    """An npm package tarball: package/package.json plus the given files under package/."""
    manifest = {"name": name, "version": version, "main": "index.js"}
    if dependencies:
        manifest["dependencies"] = dependencies
    if scripts:
        manifest["scripts"] = scripts
    entries = {"package/package.json": json.dumps(manifest, indent=2)}
    for p, content in files.items():
        entries["package/" + p] = content
    safe = name.replace("/", "-").lstrip("@")
    path = os.path.join(out_dir, f"{safe}-{version}.tgz")
    with tarfile.open(path, "w:gz") as t:
        for p, content in entries.items():
            data = content.encode() if isinstance(content, str) else content
            info = tarfile.TarInfo(p)
            info.size = len(data)
            info.mode = 0o644
            info.mtime = 0
            t.addfile(info, io.BytesIO(data))
    with open(path + ".json", "w") as f:  # what the registry needs to know about it
        json.dump(manifest, f)
    return path


class _Server:
    def __init__(self, root):
        self.root = root
        self.requests = []
        self.delay = 0.0
        self._lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                # a proxy sends the absolute form: keep only the path
                path = re.sub(r"^[a-z]+://[^/]*", "", self.path)
                with outer._lock:
                    outer.requests.append(("GET", path))
                if outer.delay:
                    time.sleep(outer.delay)
                status, ctype, body = outer.answer(path)
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", ctype)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    def fetched(self, fragment):
        with self._lock:
            return [p for _, p in self.requests if fragment in p]

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._httpd.shutdown()
        self._httpd.server_close()

    @staticmethod
    def _file(path):
        with open(path, "rb") as f:
            return f.read()


class PyPIServer(_Server):
    """PEP 503: /simple/ lists the projects, /simple/<normalized>/ links their files
    (with #sha256= fragments), /files/<name> serves them."""

    @property
    def index_url(self):
        return f"http://127.0.0.1:{self.port}/simple/"

    def _projects(self):
        projects = {}
        for f in sorted(os.listdir(self.root)):
            if f.endswith(".whl"):
                project = f.split("-")[0]
            elif f.endswith(".tar.gz"):
                project = f[: -len(".tar.gz")].rsplit("-", 1)[0]
            else:
                continue
            projects.setdefault(normalize(project), []).append(f)
        return projects

    def answer(self, path):
        path = unquote(path.split("?")[0])
        projects = self._projects()
        if path in ("/simple", "/simple/"):
            links = "".join(f'<a href="/simple/{p}/">{p}</a>\n' for p in projects)
            return 200, "text/html", f"<html><body>\n{links}</body></html>".encode()
        m = re.fullmatch(r"/simple/([^/]+)/?", path)
        if m:
            files = projects.get(normalize(m.group(1)))
            if not files:
                return 404, "text/plain", b"not found"
            links = ""
            for f in files:
                digest = hashlib.sha256(self._file(os.path.join(self.root, f))).hexdigest()
                links += f'<a href="/files/{html.escape(f)}#sha256={digest}">{html.escape(f)}</a><br/>\n'
            return 200, "text/html", f"<html><body>\n{links}</body></html>".encode()
        m = re.fullmatch(r"/files/([^/]+)", path)
        if m and os.path.isfile(os.path.join(self.root, m.group(1))):
            return 200, "application/octet-stream", self._file(os.path.join(self.root, m.group(1)))
        return 404, "text/plain", b"not found"


class NpmRegistry(_Server):
    """GET /<name> (scoped names as /@scope%2fname) -> the packument: every version found in the
    tarball directory, with dist.tarball (on this server), dist.shasum and dist.integrity."""

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}/"

    def _versions(self):
        out = {}
        for f in sorted(os.listdir(self.root)):
            if not f.endswith(".tgz"):
                continue
            with open(os.path.join(self.root, f + ".json")) as m:
                manifest = json.load(m)
            out.setdefault(manifest["name"], []).append((f, manifest))
        return out

    def answer(self, path):
        path = unquote(path.split("?")[0])
        m = re.fullmatch(r"/(.+)/-/([^/]+\.tgz)", path)
        if m and os.path.isfile(os.path.join(self.root, m.group(2))):
            return 200, "application/octet-stream", self._file(os.path.join(self.root, m.group(2)))
        name = path.lstrip("/")
        versions = self._versions().get(name)
        if not versions:
            return 404, "application/json", b'{"error":"not found"}'
        doc = {"name": name, "dist-tags": {}, "versions": {}}
        for f, manifest in versions:
            data = self._file(os.path.join(self.root, f))
            v = dict(manifest)
            v["dist"] = {
                "tarball": f"{self.url}{name}/-/{f}",
                "shasum": hashlib.sha1(data).hexdigest(),
                "integrity": "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode(),
            }
            if "scripts" in manifest and any(k in manifest["scripts"] for k in
                                             ("preinstall", "install", "postinstall")):
                v["hasInstallScript"] = True
            doc["versions"][manifest["version"]] = v
            doc["dist-tags"]["latest"] = manifest["version"]
        return 200, "application/json", json.dumps(doc).encode()
