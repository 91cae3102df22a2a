/* The Python analyser's library tables (rules_python_internal.h): which qualified names run
 * programs, evaluate code, open connections, touch files, read the environment or decode data
 * (the call table), what some attributes are (constants, special objects), and which instances
 * share methods ("requests.Session()" is an HTTP session). One map per scan finds them. */
#include "rules_python_internal.h"

#include <string.h>

#include "../base/macros.h"

const struct py_handler PY_HANDLERS[] = {
        /* shell command strings */
        { "os.system", H_SHELL, 0, 0, "command" },
        { "os.popen", H_SHELL, 0, 0, "cmd" },
        { "platform.popen", H_SHELL, 0, 0, "cmd" },
        { "commands.getoutput", H_SHELL, 0, 0, "cmd" },
        { "commands.getstatusoutput", H_SHELL, 0, 0, "cmd" },
        { "subprocess.getoutput", H_SHELL, 0, 0, "cmd" },
        { "subprocess.getstatusoutput", H_SHELL, 0, 0, "cmd" },
        { "asyncio.create_subprocess_shell", H_SHELL, 0, 0, "cmd" },
        { "popen2.popen2", H_SHELL, 0, 0, "cmd" },
        { "popen2.popen3", H_SHELL, 0, 0, "cmd" },
        /* programs */
        { "subprocess.run", H_SUBPROCESS, 0, 0, "args" },
        { "subprocess.call", H_SUBPROCESS, 0, 0, "args" },
        { "subprocess.check_call", H_SUBPROCESS, 0, 0, "args" },
        { "subprocess.check_output", H_SUBPROCESS, 0, 0, "args" },
        { "subprocess.Popen", H_SUBPROCESS, 0, 0, "args" },
        { "asyncio.create_subprocess_exec", H_EXEC_ARGS, 0, 0, NULL },
        { "os.execv", H_EXECV, 0, 1, NULL },
        { "os.execve", H_EXECV, 0, 1, NULL },
        { "os.execvp", H_EXECV, 0, 1, NULL },
        { "os.execvpe", H_EXECV, 0, 1, NULL },
        { "os.execl", H_EXECL, 0, 1, NULL },
        { "os.execle", H_EXECL, 0, 1, NULL },
        { "os.execlp", H_EXECL, 0, 1, NULL },
        { "os.execlpe", H_EXECL, 0, 1, NULL },
        { "os.spawnv", H_EXECV, 1, 2, NULL },
        { "os.spawnve", H_EXECV, 1, 2, NULL },
        { "os.spawnvp", H_EXECV, 1, 2, NULL },
        { "os.spawnvpe", H_EXECV, 1, 2, NULL },
        { "os.spawnl", H_EXECL, 1, 2, NULL },
        { "os.spawnle", H_EXECL, 1, 2, NULL },
        { "os.spawnlp", H_EXECL, 1, 2, NULL },
        { "os.spawnlpe", H_EXECL, 1, 2, NULL },
        { "os.posix_spawn", H_EXECV, 0, 1, NULL },
        { "os.posix_spawnp", H_EXECV, 0, 1, NULL },
        { "pty.spawn", H_PTY, 0, 0, NULL },
        { "pexpect.spawn", H_CMDSTR, 0, 0, "command" },
        { "pexpect.run", H_CMDSTR, 0, 0, "command" },
        { "pexpect.popen_spawn.PopenSpawn", H_CMDSTR, 0, 0, "cmd" },
        { "os.startfile", H_CMDSTR, 0, 0, "path" },
        /* code */
        { "builtins.eval", H_EVAL, 0, 0, "source" },
        { "builtins.exec", H_EVAL, 0, 1, "source" },
        { "builtins.execfile", H_EVAL, 0, 2, NULL },
        { "builtins.compile", H_COMPILE, 0, 0, "source" },
        { "types.FunctionType", H_CODEOBJ, 0, 0, "code" },
        { "types.LambdaType", H_CODEOBJ, 0, 0, "code" },
        { "types.CodeType", H_CODEOBJ, 0, 0, NULL },
        { "runpy.run_path", H_RUNPY, 0, 0, "path_name" },
        { "runpy.run_module", H_RUNPY, 0, 0, "mod_name" },
        { "imp.load_source", H_RUNPY, 1, 0, NULL },
        { "importlib.util.spec_from_file_location", H_RUNPY, 1, 0, "location" },
        { "importlib.machinery.SourceFileLoader", H_RUNPY, 1, 0, "path" },
        { "@codeint.runsource", H_EVAL, 0, 0, "source" },
        { "@codeint.runcode", H_EVAL, 0, 1, "code" },
        { "@codeint.push", H_EVAL, 0, 0, "line" },
        { "builtins.__import__", H_IMPORT, 0, 1, "name" },
        { "importlib.__import__", H_IMPORT, 0, 1, "name" },
        { "importlib.import_module", H_IMPORT, 0, 0, "name" },
        { "builtins.getattr", H_GETATTR, 0, 0, NULL },
        { "@sys_modules.get", H_NSGET, 0, 0, NULL },
        { "@globals.get", H_NSGET, 0, 0, NULL },
        { "@builtins_dict.get", H_NSGET, 0, 0, NULL },
        { "os.dup2", H_DUP2, 0, 0, NULL },
        { "shutil.which", H_WHICH, 0, 0, "cmd" },
        { "os.path.dirname", H_DIRNAME, 0, 0, "p" },
        { "os.path.basename", H_DIRNAME, 0, 1, "p" },
        { "site.getsitepackages", H_SITEPKG, 0, 0, NULL },
        { "site.getusersitepackages", H_SITEPKG, 0, 1, NULL },
        { "sysconfig.get_paths", H_SITEPKG, 0, 0, NULL },
        { "keyring.get_password", H_CREDSTORE, 0, 0, NULL },
        { "keyring.get_credential", H_CREDSTORE, 0, 0, NULL },
        { "browser_cookie3.load", H_CREDSTORE, 0, 1, NULL },
        { "browser_cookie3.chrome", H_CREDSTORE, 0, 1, NULL },
        { "browser_cookie3.firefox", H_CREDSTORE, 0, 1, NULL },
        { "browser_cookie3.edge", H_CREDSTORE, 0, 1, NULL },
        { "browser_cookie3.brave", H_CREDSTORE, 0, 1, NULL },
        { "browser_cookie3.chromium", H_CREDSTORE, 0, 1, NULL },
        { "secretstorage.dbus_init", H_CREDSTORE, 0, 1, NULL },
        { "win32crypt.CryptUnprotectData", H_CREDSTORE, 0, 1, NULL },
        { "builtins.globals", H_GLOBALS, 0, 0, NULL },
        { "builtins.locals", H_GLOBALS, 0, 0, NULL },
        { "builtins.vars", H_GLOBALS, 0, 0, NULL },
        /* folding */
        { "builtins.chr", H_CHR, 0, 0, NULL },
        { "builtins.ord", H_ORD, 0, 0, NULL },
        { "builtins.bytes", H_BYTES, 0, 0, NULL },
        { "builtins.bytearray", H_BYTES, 0, 0, NULL },
        { "builtins.str", H_STR, 0, 0, NULL },
        { "builtins.repr", H_STR, 0, 1, NULL },
        { "builtins.map", H_MAP, 0, 0, NULL },
        { "builtins.reversed", H_REVERSED, 0, 0, NULL },
        { "builtins.list", H_LIST, 0, 0, NULL },
        { "builtins.tuple", H_LIST, 0, 0, NULL },
        { "builtins.set", H_LIST, 0, 0, NULL },
        { "builtins.frozenset", H_LIST, 0, 0, NULL },
        { "builtins.sorted", H_LIST, 0, 0, NULL },
        { "builtins.dict", H_DICT, 0, 0, NULL },
        { "shlex.split", H_SHLEX, 0, 0, "s" },
        /* decoders */
        { "base64.b64decode", H_DECODE, 0, DEC_B64, "s" },
        { "base64.standard_b64decode", H_DECODE, 0, DEC_B64, "s" },
        { "base64.urlsafe_b64decode", H_DECODE, 0, DEC_B64, "s" },
        { "base64.decodebytes", H_DECODE, 0, DEC_B64, "s" },
        { "base64.decodestring", H_DECODE, 0, DEC_B64, "s" },
        { "base64.b32decode", H_DECODE, 0, DEC_B32, "s" },
        { "base64.b32hexdecode", H_DECODE, 0, DEC_OPAQUE, "s" },
        { "base64.b16decode", H_DECODE, 0, DEC_HEX, "s" },
        { "base64.b85decode", H_DECODE, 0, DEC_OPAQUE, "b" },
        { "base64.a85decode", H_DECODE, 0, DEC_OPAQUE, "b" },
        { "base64.z85decode", H_DECODE, 0, DEC_OPAQUE, "s" },
        { "binascii.a2b_base64", H_DECODE, 0, DEC_B64, NULL },
        { "binascii.unhexlify", H_DECODE, 0, DEC_HEX, NULL },
        { "binascii.a2b_hex", H_DECODE, 0, DEC_HEX, NULL },
        { "binascii.a2b_uu", H_DECODE, 0, DEC_OPAQUE, NULL },
        { "zlib.decompress", H_DECODE, 0, DEC_OPAQUE, "data" },
        { "gzip.decompress", H_DECODE, 0, DEC_OPAQUE, "data" },
        { "bz2.decompress", H_DECODE, 0, DEC_OPAQUE, "data" },
        { "lzma.decompress", H_DECODE, 0, DEC_OPAQUE, "data" },
        { "builtins.bytes.fromhex", H_DECODE, 0, DEC_HEX, NULL },
        { "builtins.bytearray.fromhex", H_DECODE, 0, DEC_HEX, NULL },
        { "codecs.decode", H_CODECS, 0, 0, "obj" },
        { "codecs.encode", H_CODECS, 0, 1, "obj" },
        /* files and paths */
        { "builtins.open", H_OPEN, 0, 1, "file" },
        { "io.open", H_OPEN, 0, 1, "file" },
        { "codecs.open", H_OPEN, 0, 1, "filename" },
        { "io.FileIO", H_OPEN, 0, 1, "file" },
        { "os.open", H_OSOPEN, 0, 1, "path" },
        { "pathlib.Path", H_PATH, 0, 0, NULL },
        { "pathlib.PurePath", H_PATH, 0, 0, NULL },
        { "pathlib.PosixPath", H_PATH, 0, 0, NULL },
        { "pathlib.PurePosixPath", H_PATH, 0, 0, NULL },
        { "pathlib.WindowsPath", H_PATH, 0, 0, NULL },
        { "pathlib.Path.home", H_PATH_HOME, 0, 0, NULL },
        { "os.path.join", H_PATHJOIN, 0, 0, NULL },
        { "os.path.expanduser", H_PATHID, 0, 0, "path" },
        { "os.path.expandvars", H_PATHID, 0, 0, "path" },
        { "os.path.abspath", H_PATHID, 0, 0, "path" },
        { "os.path.realpath", H_PATHID, 0, 0, "path" },
        { "os.path.normpath", H_PATHID, 0, 0, "path" },
        { "os.fspath", H_PATHID, 0, 0, "path" },
        { "os.path.exists", H_FILEREAD, 0, 0, "path" },
        { "os.path.isfile", H_FILEREAD, 0, 0, "path" },
        { "os.path.isdir", H_FILEREAD, 0, 0, "s" },
        { "os.path.getsize", H_FILEREAD, 0, 0, "filename" },
        { "os.stat", H_FILEREAD, 0, 0, "path" },
        { "os.access", H_FILEREAD, 0, 0, "path" },
        { "os.listdir", H_FILEREAD, 0, 0, "path" },
        { "os.scandir", H_FILEREAD, 0, 0, "path" },
        { "os.walk", H_FILEREAD, 0, 0, "top" },
        { "glob.glob", H_FILEREAD, 0, 0, "pathname" },
        { "glob.iglob", H_FILEREAD, 0, 0, "pathname" },
        { "shutil.make_archive", H_FILEREAD, 2, 0, "root_dir" },
        { "@tar.add", H_FILEREAD, 0, 0, "name" },
        { "@zip.write", H_FILEREAD, 0, 0, "filename" },
        { "shutil.copy", H_COPY, 0, 1, NULL },
        { "shutil.copy2", H_COPY, 0, 1, NULL },
        { "shutil.copyfile", H_COPY, 0, 1, NULL },
        { "shutil.copytree", H_COPY, 0, 1, NULL },
        { "shutil.move", H_COPY, 0, 1, NULL },
        { "os.rename", H_COPY, 0, 1, NULL },
        { "os.renames", H_COPY, 0, 1, NULL },
        { "os.replace", H_COPY, 0, 1, NULL },
        { "os.symlink", H_COPY, 0, 1, NULL },
        { "os.link", H_COPY, 0, 1, NULL },
        { "os.chmod", H_CHMOD, 0, 1, "path" },
        { "os.lchmod", H_CHMOD, 0, 1, "path" },
        { "os.remove", H_REMOVE, 0, 0, "path" },
        { "os.unlink", H_REMOVE, 0, 0, "path" },
        { "os.rmdir", H_REMOVE, 0, 0, "path" },
        { "os.removedirs", H_REMOVE, 0, 0, "name" },
        { "shutil.rmtree", H_REMOVE, 0, 0, "path" },
        { "shutil.copyfileobj", H_COPYFILEOBJ, 0, 1, NULL },
        { "os.setuid", H_SETUID, 0, 0, NULL },
        { "os.seteuid", H_SETUID, 0, 0, NULL },
        { "os.setreuid", H_SETUID, 0, 0, NULL },
        { "os.setresuid", H_SETUID, 0, 0, NULL },
        { "os.setgid", H_SETUID, 0, 0, NULL },
        { "os.setegid", H_SETUID, 0, 0, NULL },
        { "os.setregid", H_SETUID, 0, 0, NULL },
        { "os.setresgid", H_SETUID, 0, 0, NULL },
        /* environment */
        { "os.getenv", H_GETENV, 0, 0, "key" },
        { "os.getenvb", H_GETENV, 0, 0, "key" },
        { "os.environ.get", H_GETENV, 0, 0, "key" },
        { "os.environ.pop", H_GETENV, 0, 0, "key" },
        { "os.environ.setdefault", H_GETENV, 0, 0, "key" },
        { "os.environ.copy", H_ENV_KEEP, 0, 0, NULL },
        { "os.environ.items", H_ENV_ITER, 0, 0, NULL },
        { "os.environ.keys", H_ENV_ITER, 0, 0, NULL },
        { "os.environ.values", H_ENV_ITER, 0, 0, NULL },
        { "builtins.print", H_ENV_SINK, 0, 0, NULL },
        { "json.dumps", H_ENV_SINK, 0, 0, NULL },
        { "json.dump", H_ENV_SINK, 0, 0, NULL },
        { "pickle.dumps", H_ENV_SINK, 0, 0, NULL },
        { "pickle.dump", H_ENV_SINK, 0, 0, NULL },
        { "marshal.dumps", H_ENV_SINK, 0, 0, NULL },
        { "yaml.dump", H_ENV_SINK, 0, 0, NULL },
        { "yaml.safe_dump", H_ENV_SINK, 0, 0, NULL },
        { "base64.b64encode", H_ENV_SINK, 0, 0, NULL },
        { "base64.urlsafe_b64encode", H_ENV_SINK, 0, 0, NULL },
        { "base64.b32encode", H_ENV_SINK, 0, 0, NULL },
        { "base64.b16encode", H_ENV_SINK, 0, 0, NULL },
        { "base64.encodebytes", H_ENV_SINK, 0, 0, NULL },
        { "binascii.hexlify", H_ENV_SINK, 0, 0, NULL },
        { "urllib.parse.urlencode", H_ENV_SINK, 0, 0, NULL },
        { "logging.debug", H_ENV_SINK, 0, 0, NULL },
        { "logging.info", H_ENV_SINK, 0, 0, NULL },
        { "logging.warning", H_ENV_SINK, 0, 0, NULL },
        { "logging.error", H_ENV_SINK, 0, 0, NULL },
        { "logging.critical", H_ENV_SINK, 0, 0, NULL },
        { "sys.stdout.write", H_ENV_SINK, 0, 0, NULL },
        { "sys.stderr.write", H_ENV_SINK, 0, 0, NULL },
        { "pprint.pprint", H_ENV_SINK, 0, 0, NULL },
        { "pprint.pformat", H_ENV_SINK, 0, 0, NULL },
        /* deserialisation */
        { "pickle.loads", H_DESER, 0, 0, NULL },
        { "pickle.load", H_DESER, 0, 0, NULL },
        { "pickle.Unpickler", H_DESER, 0, 0, NULL },
        { "dill.loads", H_DESER, 0, 0, NULL },
        { "dill.load", H_DESER, 0, 0, NULL },
        { "cloudpickle.loads", H_DESER, 0, 0, NULL },
        { "cloudpickle.load", H_DESER, 0, 0, NULL },
        { "joblib.load", H_DESER, 0, 0, NULL },
        { "shelve.open", H_DESER, 0, 0, NULL },
        { "jsonpickle.decode", H_DESER, 0, 0, NULL },
        { "jsonpickle.loads", H_DESER, 0, 0, NULL },
        { "pandas.read_pickle", H_DESER, 0, 0, NULL },
        { "marshal.loads", H_DESER, 0, 2, NULL },
        { "marshal.load", H_DESER, 0, 2, NULL },
        { "yaml.load", H_DESER, 0, 1, NULL },
        { "yaml.load_all", H_DESER, 0, 1, NULL },
        { "yaml.unsafe_load", H_DESER, 0, 0, NULL },
        { "yaml.unsafe_load_all", H_DESER, 0, 0, NULL },
        { "yaml.full_load", H_DESER, 0, 0, NULL },
        { "yaml.full_load_all", H_DESER, 0, 0, NULL },
        /* network */
        { "urllib.request.urlopen", H_URLOPEN, 0, NET_URL, "url" },
        { "urllib.urlopen", H_URLOPEN, 0, NET_URL, "url" },
        { "urllib.request.Request", H_REQUEST, 0, NET_URL, "url" },
        { "urllib.request.urlretrieve", H_URLRETRIEVE, 0, 1, "url" },
        { "urllib.urlretrieve", H_URLRETRIEVE, 0, 1, "url" },
        { "requests.get", H_NET, 0, NET_URL, "url" },
        { "requests.post", H_NET, 0, NET_URL, "url" },
        { "requests.put", H_NET, 0, NET_URL, "url" },
        { "requests.patch", H_NET, 0, NET_URL, "url" },
        { "requests.delete", H_NET, 0, NET_URL, "url" },
        { "requests.head", H_NET, 0, NET_URL, "url" },
        { "requests.options", H_NET, 0, NET_URL, "url" },
        { "requests.request", H_NET, 1, NET_URL, "url" },
        { "httpx.get", H_NET, 0, NET_URL, "url" },
        { "httpx.post", H_NET, 0, NET_URL, "url" },
        { "httpx.put", H_NET, 0, NET_URL, "url" },
        { "httpx.patch", H_NET, 0, NET_URL, "url" },
        { "httpx.delete", H_NET, 0, NET_URL, "url" },
        { "httpx.head", H_NET, 0, NET_URL, "url" },
        { "httpx.options", H_NET, 0, NET_URL, "url" },
        { "httpx.request", H_NET, 1, NET_URL, "url" },
        { "httpx.stream", H_NET, 1, NET_URL, "url" },
        { "aiohttp.request", H_NET, 1, NET_URL, "url" },
        { "urllib3.request", H_NET, 1, NET_URL, "url" },
        { "@http.get", H_NET, 0, NET_URL, "url" },
        { "@http.post", H_NET, 0, NET_URL, "url" },
        { "@http.put", H_NET, 0, NET_URL, "url" },
        { "@http.patch", H_NET, 0, NET_URL, "url" },
        { "@http.delete", H_NET, 0, NET_URL, "url" },
        { "@http.head", H_NET, 0, NET_URL, "url" },
        { "@http.options", H_NET, 0, NET_URL, "url" },
        { "@http.ws_connect", H_NET, 0, NET_URL, "url" },
        { "@http.request", H_NET, 1, NET_URL, "url" },
        { "@http.stream", H_NET, 1, NET_URL, "url" },
        { "@http.urlopen", H_NET, 1, NET_URL, "url" },
        { "@opener.open", H_URLOPEN, 0, NET_URL, "fullurl" },
        { "xmlrpc.client.ServerProxy", H_NET, 0, NET_URL, "uri" },
        { "websocket.create_connection", H_NET, 0, NET_URL, "url" },
        { "websocket.WebSocketApp", H_NET, 0, NET_URL, "url" },
        { "websockets.connect", H_NET, 0, NET_URL, "uri" },
        { "websockets.client.connect", H_NET, 0, NET_URL, "uri" },
        { "wget.download", H_URLRETRIEVE, 0, 1, "url" },
        { "http.client.HTTPConnection", H_NET, 0, NET_HOST, "host" },
        { "http.client.HTTPSConnection", H_NET, 0, NET_HOST, "host" },
        { "smtplib.SMTP", H_NET, 0, NET_HOST, "host" },
        { "smtplib.SMTP_SSL", H_NET, 0, NET_HOST, "host" },
        { "@smtp.connect", H_NET, 0, NET_HOST, "host" },
        { "ftplib.FTP", H_NET, 0, NET_HOST, "host" },
        { "ftplib.FTP_TLS", H_NET, 0, NET_HOST, "host" },
        { "@ftp.connect", H_NET, 0, NET_HOST, "host" },
        { "telnetlib.Telnet", H_NET, 0, NET_HOST, "host" },
        { "@telnet.open", H_NET, 0, NET_HOST, "host" },
        { "@ssh.connect", H_NET, 0, NET_HOST, "hostname" },
        { "poplib.POP3", H_NET, 0, NET_HOST, "host" },
        { "poplib.POP3_SSL", H_NET, 0, NET_HOST, "host" },
        { "imaplib.IMAP4", H_NET, 0, NET_HOST, "host" },
        { "imaplib.IMAP4_SSL", H_NET, 0, NET_HOST, "host" },
        { "asyncio.open_connection", H_NET, 0, NET_HOST, "host" },
        { "socket.gethostbyname", H_NET, 0, NET_HOST, "hostname" },
        { "socket.gethostbyname_ex", H_NET, 0, NET_HOST, "hostname" },
        { "socket.getaddrinfo", H_NET, 0, NET_HOST, "host" },
        { "socket.create_connection", H_NET, 0, NET_ADDR, "address" },
        { "@sock.connect", H_NET, 0, NET_ADDR, NULL },
        { "@sock.connect_ex", H_NET, 0, NET_ADDR, NULL },
        { "@sock.sendto", H_NET, 1, NET_ADDR, NULL },
        { "@sock.send", H_ENV_SINK, 0, 1, NULL },
        { "@sock.sendall", H_ENV_SINK, 0, 1, NULL },
        { "@smtp.sendmail", H_ENV_SINK, 0, 1, NULL },
        { "@smtp.send_message", H_ENV_SINK, 0, 1, NULL },
        { "@ftp.storbinary", H_ENV_SINK, 0, 1, NULL },
        { "@sock.recv", H_NETDATA, 0, 0, NULL },
        { "@sock.recvfrom", H_NETDATA, 0, 0, NULL },
        { "@sock.makefile", H_NETDATA, 0, 0, NULL },
        /* native code */
        { "@ffi.dlopen", H_NATIVE, 0, 0, NULL },
        { "imp.load_dynamic", H_NATIVE, 0, 0, NULL },
        { "importlib.machinery.ExtensionFileLoader", H_NATIVE, 0, 0, NULL },
        { "cffi.FFI", H_NATIVE, 0, 0, NULL },
};

/* Instances that share methods: "requests.Session()" is "@http". */
static const struct {
        const char *ctor, *tag;
} TAGS[] = {
        { "requests.Session()", "@http" },        { "requests.session()", "@http" },
        { "requests.sessions.Session()", "@http" }, { "httpx.Client()", "@http" },
        { "httpx.AsyncClient()", "@http" },       { "aiohttp.ClientSession()", "@http" },
        { "urllib3.PoolManager()", "@http" },     { "urllib3.ProxyManager()", "@http" },
        { "socket.socket()", "@sock" },           { "socket.create_connection()", "@sock" },
        { "socket.socketpair()", "@sock" },       { "ssl.wrap_socket()", "@sock" },
        { "paramiko.SSHClient()", "@ssh" },       { "paramiko.client.SSHClient()", "@ssh" },
        { "urllib.request.build_opener()", "@opener" }, { "urllib2.build_opener()", "@opener" },
        { "tarfile.open()", "@tar" },             { "tarfile.TarFile()", "@tar" },
        { "zipfile.ZipFile()", "@zip" },          { "smtplib.SMTP()", "@smtp" },
        { "smtplib.SMTP_SSL()", "@smtp" },        { "ftplib.FTP()", "@ftp" },
        { "ftplib.FTP_TLS()", "@ftp" },           { "telnetlib.Telnet()", "@telnet" },
        { "code.InteractiveInterpreter()", "@codeint" }, { "code.InteractiveConsole()", "@codeint" },
        { "cffi.FFI()", "@ffi" },
};

const struct py_attrdef PY_ATTRS[] = {
        { "os.environ", A_ENV, 0, NULL },
        { "os.environb", A_ENV, 0, NULL },
        { "sys.executable", A_PYTHON, 0, NULL },
        { "sys._base_executable", A_PYTHON, 0, NULL },
        { "builtins.__dict__", A_TAG, 0, "@builtins_dict" },
        { "sys.modules", A_TAG, 0, "@sys_modules" },
        { "mmap.PROT_EXEC", A_PROT_EXEC, 4, NULL },
        { "os.sep", A_STR, 0, "/" },
        { "os.O_RDONLY", A_NUM, 0, NULL },
        { "os.O_WRONLY", A_NUM, 01, NULL },
        { "os.O_RDWR", A_NUM, 02, NULL },
        { "os.O_CREAT", A_NUM, 0100, NULL },
        { "os.O_TRUNC", A_NUM, 01000, NULL },
        { "os.O_APPEND", A_NUM, 02000, NULL },
        { "stat.S_ISUID", A_NUM, 04000, NULL },
        { "stat.S_ISGID", A_NUM, 02000, NULL },
        { "stat.S_ISVTX", A_NUM, 01000, NULL },
        { "stat.S_IRWXU", A_NUM, 0700, NULL },
        { "stat.S_IRUSR", A_NUM, 0400, NULL },
        { "stat.S_IWUSR", A_NUM, 0200, NULL },
        { "stat.S_IXUSR", A_NUM, 0100, NULL },
        { "stat.S_IEXEC", A_NUM, 0100, NULL },
        { "stat.S_IRWXG", A_NUM, 070, NULL },
        { "stat.S_IXGRP", A_NUM, 010, NULL },
        { "stat.S_IRWXO", A_NUM, 07, NULL },
        { "stat.S_IXOTH", A_NUM, 01, NULL },
};

/* ---- tables ---- */

static uint64_t table_key(int table, const char *name, size_t n) {
        return (py_hash(name, n) + (uint64_t) (table + 1) * 0x9e3779b97f4a7c15ull) | 1;
}

static const char *table_name(int table, int i) {
        switch (table) {
        case PY_TABLE_HANDLER: return PY_HANDLERS[i].name;
        case PY_TABLE_ATTR: return PY_ATTRS[i].name;
        default: return TAGS[i].ctor;
        }
}

size_t py_table_count(int table) {
        switch (table) {
        case PY_TABLE_HANDLER: return ELEMENTSOF(PY_HANDLERS);
        case PY_TABLE_ATTR: return ELEMENTSOF(PY_ATTRS);
        default: return ELEMENTSOF(TAGS);
        }
}

const char *py_table_entry(int table, size_t i) {
        return table_name(table, (int) i);
}

bool py_table_entry_only_folds(int table, size_t i) {
        if (table != PY_TABLE_HANDLER)
                return false;
        switch (PY_HANDLERS[i].kind) {
        case H_CHR: case H_ORD: case H_BYTES: case H_STR: case H_REVERSED: case H_LIST: case H_DICT:
                return true;
        default:
                return false;
        }
}

int py_table_find(const struct py *P, int table, const char *qname) {
        uint32_t v;
        if (!py_map_get(P->tables, table_key(table, qname, strlen(qname)), &v))
                return -1;
        return strcmp(table_name(table, (int) v), qname) == 0 ? (int) v : -1;
}

const char *py_tag_name(int tag) {
        return TAGS[tag].tag;
}

int py_init_tables(struct py *P) {
        P->tables = &P->own_tables;
        for (int t = 0; t < 3; t++)
                for (size_t i = 0; i < py_table_count(t); i++) {
                        const char *n = table_name(t, (int) i);
                        int r = py_map_put(&P->own_tables, table_key(t, n, strlen(n)), (uint32_t) i);
                        if (r < 0)
                                return r;
                }
        return 0;
}

