/* What the JavaScript analyser knows about Node's modules and the usual npm packages, and how
 * names resolve: which member of which module is a sink, module aliases (globalThis.process,
 * fs.promises, process.mainModule.require), members of the values the walker computes
 * (process.env.HOME, .constructor, .call/.apply), and where a call goes. */
#include <string.h>

#include "../base/macros.h"
#include "rules_js_int.h"

struct member {
        const char *name; /* "" = calling the module itself */
        uint8_t len;
        uint8_t sink;
};

#define M(n, s) { n, sizeof(n) - 1, s }
static const struct member M_GLOBAL[] = {
        M("eval", SK_EVAL), M("Function", SK_FUNCTION), M("require", SK_REQUIRE), M("import", SK_IMPORT),
        M("setTimeout", SK_TIMER), M("setInterval", SK_TIMER), M("atob", SK_ATOB), M("fetch", SK_NET_URL),
        M("unescape", SK_UNESCAPE), M("decodeURIComponent", SK_DECODE_URI), M("decodeURI", SK_DECODE_URI),
        M("URL", SK_NEW_URL), M("Request", SK_NEW_URL), M("WebSocket", SK_NET_WS), M("EventSource", SK_NET_URL),
        M("XMLHttpRequest", SK_NET_XHR), M("parseInt", SK_PARSE_INT), M("structuredClone", SK_ENV_COPY),
        M("Worker", SK_WORKER),
};
static const struct member M_PROCESS[] = {
        M("binding", SK_BINDING), M("_linkedBinding", SK_BINDING), M("dlopen", SK_DLOPEN),
        M("setuid", SK_SETUID), M("setgid", SK_SETUID), M("seteuid", SK_SETUID), M("setegid", SK_SETUID),
};
static const struct member M_MODULE[] = { M("createRequire", SK_CREATE_REQUIRE),
                                          M("createRequireFromPath", SK_CREATE_REQUIRE) };
static const struct member M_CP[] = {
        M("exec", SK_EXEC_SHELL), M("execSync", SK_EXEC_SHELL), M("execFile", SK_EXEC_FILE),
        M("execFileSync", SK_EXEC_FILE), M("spawn", SK_EXEC_FILE), M("spawnSync", SK_EXEC_FILE), M("fork", SK_FORK),
};
static const struct member M_FS[] = {
        M("readFile", SK_FS_READ),
        M("readFileSync", SK_FS_READ),
        M("createReadStream", SK_FS_READ),
        M("readdir", SK_FS_READ),
        M("readdirSync", SK_FS_READ),
        M("opendir", SK_FS_READ),
        M("opendirSync", SK_FS_READ),
        M("readJson", SK_FS_READ),
        M("readJsonSync", SK_FS_READ),
        M("readJSON", SK_FS_READ),
        M("readJSONSync", SK_FS_READ),
        M("writeFile", SK_FS_WRITE),
        M("writeFileSync", SK_FS_WRITE),
        M("appendFile", SK_FS_WRITE),
        M("appendFileSync", SK_FS_WRITE),
        M("createWriteStream", SK_FS_WRITE),
        M("outputFile", SK_FS_WRITE),
        M("outputFileSync", SK_FS_WRITE),
        M("writeJson", SK_FS_WRITE),
        M("writeJsonSync", SK_FS_WRITE),
        M("outputJson", SK_FS_WRITE),
        M("outputJsonSync", SK_FS_WRITE),
        M("open", SK_FS_OPEN),
        M("openSync", SK_FS_OPEN),
        M("copyFile", SK_FS_COPY),
        M("copyFileSync", SK_FS_COPY),
        M("cp", SK_FS_COPY),
        M("cpSync", SK_FS_COPY),
        M("copy", SK_FS_COPY),
        M("copySync", SK_FS_COPY),
        M("rename", SK_FS_COPY),
        M("renameSync", SK_FS_COPY),
        M("move", SK_FS_COPY),
        M("moveSync", SK_FS_COPY),
        M("symlink", SK_FS_LINK),
        M("symlinkSync", SK_FS_LINK),
        M("link", SK_FS_LINK),
        M("linkSync", SK_FS_LINK),
        M("ensureSymlink", SK_FS_LINK),
        M("chmod", SK_FS_CHMOD),
        M("chmodSync", SK_FS_CHMOD),
        M("lchmod", SK_FS_CHMOD),
        M("lchmodSync", SK_FS_CHMOD),
        M("rm", SK_FS_RM),
        M("rmSync", SK_FS_RM),
        M("rmdir", SK_FS_RM),
        M("rmdirSync", SK_FS_RM),
        M("remove", SK_FS_RM_R),
        M("removeSync", SK_FS_RM_R),
        M("emptyDir", SK_FS_RM_R),
        M("emptyDirSync", SK_FS_RM_R),
};
static const struct member M_PATH[] = { M("join", SK_PATH_JOIN), M("resolve", SK_PATH_JOIN),
                                        M("normalize", SK_PATH_JOIN) };
static const struct member M_OS[] = { M("homedir", SK_HOMEDIR), M("userInfo", SK_USERINFO) };
static const struct member M_HTTP[] = { M("get", SK_NET_REQ), M("request", SK_NET_REQ), M("connect", SK_NET_URL) };
static const struct member M_NET[] = {
        M("connect", SK_NET_HOST), M("createConnection", SK_NET_HOST), M("Socket", SK_NET_SOCKET),
        M("TLSSocket", SK_NET_SOCKET),
};
static const struct member M_DGRAM[] = { M("createSocket", SK_NET_SOCKET), M("Socket", SK_NET_SOCKET) };
static const struct member M_DNS[] = {
        M("lookup", SK_NET_DNS),       M("resolve", SK_NET_DNS),    M("resolve4", SK_NET_DNS),
        M("resolve6", SK_NET_DNS),     M("resolveTxt", SK_NET_DNS), M("resolveAny", SK_NET_DNS),
        M("resolveCname", SK_NET_DNS), M("resolveMx", SK_NET_DNS),
};
static const struct member M_VM[] = {
        M("runInNewContext", SK_VM), M("runInThisContext", SK_VM), M("runInContext", SK_VM),
        M("compileFunction", SK_VM), M("Script", SK_VM), M("SourceTextModule", SK_VM),
};
static const struct member M_ZLIB[] = {
        M("inflateSync", SK_ZLIB), M("inflateRawSync", SK_ZLIB), M("gunzipSync", SK_ZLIB), M("unzipSync", SK_ZLIB),
        M("brotliDecompressSync", SK_ZLIB), M("inflate", SK_ZLIB), M("inflateRaw", SK_ZLIB), M("gunzip", SK_ZLIB),
        M("unzip", SK_ZLIB), M("brotliDecompress", SK_ZLIB),
};
static const struct member M_BUFFER[] = { M("from", SK_BUFFER_FROM), M("", SK_BUFFER_FROM) };
static const struct member M_STRING[] = {
        M("fromCharCode", SK_FROMCHARCODE),
        M("fromCodePoint", SK_FROMCHARCODE),
        M("raw", SK_STRING_RAW),
        M("", SK_STRING),
};
static const struct member M_JSON[] = { M("stringify", SK_JSON_STRINGIFY) };
static const struct member M_OBJECT[] = {
        M("keys", SK_ENV_ENUM), M("entries", SK_ENV_ENUM), M("values", SK_ENV_ENUM),
        M("getOwnPropertyNames", SK_ENV_ENUM), M("assign", SK_ENV_COPY), M("getPrototypeOf", SK_GETPROTO),
};
static const struct member M_REFLECT[] = {
        M("get", SK_REFLECT_GET), M("apply", SK_REFLECT_APPLY), M("construct", SK_REFLECT_CONSTRUCT),
};
static const struct member M_WASM[] = {
        M("instantiate", SK_WASM), M("compile", SK_WASM), M("Module", SK_WASM), M("instantiateStreaming", SK_WASM),
        M("compileStreaming", SK_WASM),
};
static const struct member M_V8[] = { M("deserialize", SK_DESER) };
static const struct member M_SERIALIZE[] = { M("unserialize", SK_DESER), M("deserialize", SK_DESER), M("", SK_DESER) };
static const struct member M_UTIL[] = { M("promisify", SK_PROMISIFY) };
static const struct member M_WORKER[] = { M("Worker", SK_WORKER) };
static const struct member M_HTTPLIB[] = {
        M("", SK_NET_URL), M("get", SK_NET_URL), M("post", SK_NET_URL), M("put", SK_NET_URL), M("patch", SK_NET_URL),
        M("delete", SK_NET_URL), M("head", SK_NET_URL), M("request", SK_NET_URL), M("fetch", SK_NET_URL),
        M("stream", SK_NET_URL), M("Client", SK_NET_URL), M("Pool", SK_NET_URL), M("create", SK_SELF),
        M("extend", SK_SELF),
};
static const struct member M_WS[] = { M("", SK_NET_WS), M("WebSocket", SK_NET_WS), M("connect", SK_NET_WS),
                                      M("io", SK_NET_WS) };
static const struct member M_EXECA[] = {
        M("", SK_EXEC_FILE), M("execa", SK_EXEC_FILE), M("execaSync", SK_EXEC_FILE), M("execaNode", SK_FORK),
        M("execaCommand", SK_EXEC_SHELL), M("execaCommandSync", SK_EXEC_SHELL), M("command", SK_EXEC_SHELL),
        M("commandSync", SK_EXEC_SHELL), M("$", SK_SHELL_TAG),
};
static const struct member M_SHELLJS[] = { M("exec", SK_EXEC_SHELL) };
static const struct member M_XSPAWN[] = { M("", SK_EXEC_FILE), M("spawn", SK_EXEC_FILE), M("sync", SK_EXEC_FILE) };
static const struct member M_ZX[] = { M("$", SK_SHELL_TAG) };
static const struct member M_GLOB[] = {
        M("", SK_GLOB), M("sync", SK_GLOB), M("glob", SK_GLOB), M("globSync", SK_GLOB), M("globby", SK_GLOB),
        M("globbySync", SK_GLOB),
};
static const struct member M_RIMRAF[] = {
        M("", SK_FS_RM_R), M("sync", SK_FS_RM_R), M("rimraf", SK_FS_RM_R), M("rimrafSync", SK_FS_RM_R),
        M("deleteSync", SK_FS_RM_R), M("deleteAsync", SK_FS_RM_R),
};
static const struct member M_BUN[] = { M("spawn", SK_EXEC_ARRAY), M("spawnSync", SK_EXEC_ARRAY), M("$", SK_SHELL_TAG) };
static const struct member M_DENO[] = { M("run", SK_EXEC_OPTS),          M("Command", SK_DENO_COMMAND),
                                        M("readTextFile", SK_FS_READ),   M("readTextFileSync", SK_FS_READ),
                                        M("writeTextFile", SK_FS_WRITE), M("writeTextFileSync", SK_FS_WRITE) };
static const struct member M_NAVIGATOR[] = { M("sendBeacon", SK_NET_URL) };
static const struct member M_TIMERS[] = { M("setTimeout", SK_TIMER), M("setInterval", SK_TIMER) };
static const struct member M_TEXTDECODER[] = { M("", SK_SELF), M("decode", SK_PASS) };
static const struct member M_URL[] = { M("URL", SK_NEW_URL) };
static const struct member M_CONSOLE[] = {
        M("log", SK_PRINT), M("info", SK_PRINT), M("warn", SK_PRINT), M("error", SK_PRINT), M("debug", SK_PRINT),
        M("dir", SK_PRINT), M("table", SK_PRINT), M("trace", SK_PRINT),
};
static const struct member M_STDIO[] = { M("write", SK_PRINT) };
static const struct member M_STREAM[] = { M("pipeline", SK_PIPELINE) };
#undef M

static const struct modinfo {
        const char *name;
        const struct member *m;
        size_t n;
} MODS[MOD__COUNT] = {
#define D(id, nm, arr) [id] = { nm, arr, ELEMENTSOF(arr) }
        [MOD_NONE] = { "?", NULL, 0 },
        [MOD_OTHER] = { "a module", NULL, 0 },
        D(MOD_GLOBAL, "globalThis", M_GLOBAL),
        D(MOD_PROCESS, "process", M_PROCESS),
        [MOD_MAINMODULE] = { "process.mainModule", NULL, 0 },
        [MOD_MODULEOBJ] = { "module", NULL, 0 },
        D(MOD_MODULE, "module", M_MODULE),
        D(MOD_CP, "child_process", M_CP),
        D(MOD_FS, "fs", M_FS),
        D(MOD_PATH, "path", M_PATH),
        D(MOD_OS, "os", M_OS),
        [MOD_USERINFO] = { "os.userInfo()", NULL, 0 },
        D(MOD_HTTP, "http", M_HTTP),
        D(MOD_NET, "net", M_NET),
        D(MOD_TLS, "tls", M_NET),
        D(MOD_DGRAM, "dgram", M_DGRAM),
        D(MOD_DNS, "dns", M_DNS),
        D(MOD_VM, "vm", M_VM),
        D(MOD_ZLIB, "zlib", M_ZLIB),
        D(MOD_BUFFER, "Buffer", M_BUFFER),
        D(MOD_STRING, "String", M_STRING),
        D(MOD_JSON, "JSON", M_JSON),
        D(MOD_OBJECT, "Object", M_OBJECT),
        D(MOD_REFLECT, "Reflect", M_REFLECT),
        D(MOD_WASM, "WebAssembly", M_WASM),
        D(MOD_V8, "v8", M_V8),
        D(MOD_SERIALIZE, "node-serialize", M_SERIALIZE),
        D(MOD_UTIL, "util", M_UTIL),
        D(MOD_WORKER, "worker_threads", M_WORKER),
        D(MOD_HTTPLIB, "an HTTP client", M_HTTPLIB),
        D(MOD_WS, "WebSocket", M_WS),
        D(MOD_EXECA, "execa", M_EXECA),
        D(MOD_SHELLJS, "shelljs", M_SHELLJS),
        D(MOD_XSPAWN, "cross-spawn", M_XSPAWN),
        D(MOD_ZX, "zx", M_ZX),
        D(MOD_GLOB, "glob", M_GLOB),
        D(MOD_RIMRAF, "rimraf", M_RIMRAF),
        [MOD_FFI] = { "an FFI module", NULL, 0 },
        [MOD_NATIVE] = { "a native add-on", NULL, 0 },
        D(MOD_BUN, "Bun", M_BUN),
        D(MOD_DENO, "Deno", M_DENO),
        D(MOD_NAVIGATOR, "navigator", M_NAVIGATOR),
        D(MOD_TIMERS, "timers", M_TIMERS),
        D(MOD_TEXTDECODER, "TextDecoder", M_TEXTDECODER),
        D(MOD_URL, "url", M_URL),
        D(MOD_CONSOLE, "console", M_CONSOLE),
        D(MOD_STDIO, "process.stdout", M_STDIO),
        D(MOD_STREAM, "stream", M_STREAM),
#undef D
};

const char *js_mod_name(uint8_t mod) {
        return mod < MOD__COUNT && MODS[mod].name ? MODS[mod].name : "?";
}

uint8_t js_find_sink(uint8_t mod, const char *name, size_t n) {
        if (mod >= MOD__COUNT)
                return SK_NONE;
        const struct modinfo *mi = &MODS[mod];
        if (!name)
                n = 0;
        for (size_t i = 0; i < mi->n; i++)
                if (mi->m[i].len == n && (n == 0 || memcmp(name, mi->m[i].name, n) == 0))
                        return mi->m[i].sink;
        return SK_NONE;
}

#define MN(n, m) { n, sizeof(n) - 1, m }
static const struct {
        const char *name;
        uint8_t len;
        uint8_t mod;
} MODULE_NAMES[] = {
        MN("child_process", MOD_CP), MN("v8", MOD_V8), MN("fs", MOD_FS), MN("fs/promises", MOD_FS),
        MN("graceful-fs", MOD_FS),
        MN("fs-extra", MOD_FS), MN("original-fs", MOD_FS), MN("path", MOD_PATH), MN("path/posix", MOD_PATH),
        MN("path/win32", MOD_PATH), MN("upath", MOD_PATH), MN("os", MOD_OS), MN("http", MOD_HTTP),
        MN("https", MOD_HTTP), MN("http2", MOD_HTTP), MN("net", MOD_NET), MN("tls", MOD_TLS),
        MN("dgram", MOD_DGRAM), MN("dns", MOD_DNS), MN("dns/promises", MOD_DNS), MN("vm", MOD_VM),
        MN("zlib", MOD_ZLIB), MN("buffer", MOD_BUFFER), MN("node-serialize", MOD_SERIALIZE),
        MN("serialize-to-js", MOD_SERIALIZE), MN("funcster", MOD_SERIALIZE), MN("cryo", MOD_SERIALIZE),
        MN("util", MOD_UTIL), MN("worker_threads", MOD_WORKER), MN("axios", MOD_HTTPLIB),
        MN("node-fetch", MOD_HTTPLIB), MN("cross-fetch", MOD_HTTPLIB), MN("isomorphic-fetch", MOD_HTTPLIB),
        MN("undici", MOD_HTTPLIB), MN("got", MOD_HTTPLIB), MN("request", MOD_HTTPLIB),
        MN("request-promise", MOD_HTTPLIB), MN("request-promise-native", MOD_HTTPLIB),
        MN("superagent", MOD_HTTPLIB), MN("needle", MOD_HTTPLIB), MN("phin", MOD_HTTPLIB),
        MN("ky", MOD_HTTPLIB), MN("make-fetch-happen", MOD_HTTPLIB), MN("ofetch", MOD_HTTPLIB),
        MN("wretch", MOD_HTTPLIB), MN("ws", MOD_WS), MN("isomorphic-ws", MOD_WS),
        MN("socket.io-client", MOD_WS), MN("execa", MOD_EXECA), MN("shelljs", MOD_SHELLJS),
        MN("cross-spawn", MOD_XSPAWN), MN("zx", MOD_ZX), MN("zx/globals", MOD_ZX), MN("glob", MOD_GLOB),
        MN("fast-glob", MOD_GLOB), MN("globby", MOD_GLOB), MN("tiny-glob", MOD_GLOB), MN("rimraf", MOD_RIMRAF),
        MN("del", MOD_RIMRAF), MN("ffi-napi", MOD_FFI), MN("ffi", MOD_FFI), MN("node-ffi", MOD_FFI),
        MN("ref-napi", MOD_FFI), MN("koffi", MOD_FFI), MN("ffi-rs", MOD_FFI),
        MN("@napi-ffi/ffi-napi", MOD_FFI), MN("process", MOD_PROCESS), MN("module", MOD_MODULE),
        MN("timers", MOD_TIMERS), MN("timers/promises", MOD_TIMERS), MN("url", MOD_URL), MN("bun", MOD_BUN),
        MN("stream", MOD_STREAM), MN("stream/promises", MOD_STREAM), MN("console", MOD_CONSOLE),
};
#undef MN

uint8_t js_module_by_name(const char *s, size_t n) {
        if (n > 5 && memcmp(s, "node:", 5) == 0)
                s += 5, n -= 5;
        if (n > 5 && memcmp(s + n - 5, ".node", 5) == 0)
                return MOD_NATIVE;
        for (size_t i = 0; i < ELEMENTSOF(MODULE_NAMES); i++)
                if (MODULE_NAMES[i].len == n && memcmp(MODULE_NAMES[i].name, s, n) == 0)
                        return MODULE_NAMES[i].mod;
        return MOD_OTHER;
}

void js_set_evasion(struct jv *v, const char *how) {
        v->flags |= VF_EVASION;
        if (!v->how)
                v->how = how;
}

#define A(m, n, t, e) { m, n, sizeof(n) - 1, t, e }
/* Members of a module that are modules or special values themselves. */
static const struct {
        uint8_t mod;
        const char *name;
        uint8_t len;
        uint8_t to;
        const char *evasion;
} ALIASES[] = {
        A(MOD_GLOBAL, "globalThis", MOD_GLOBAL, NULL), A(MOD_GLOBAL, "global", MOD_GLOBAL, NULL),
        A(MOD_GLOBAL, "window", MOD_GLOBAL, NULL), A(MOD_GLOBAL, "self", MOD_GLOBAL, NULL),
        A(MOD_GLOBAL, "process", MOD_PROCESS, NULL), A(MOD_GLOBAL, "Buffer", MOD_BUFFER, NULL),
        A(MOD_GLOBAL, "JSON", MOD_JSON, NULL), A(MOD_GLOBAL, "Object", MOD_OBJECT, NULL),
        A(MOD_GLOBAL, "String", MOD_STRING, NULL), A(MOD_GLOBAL, "Reflect", MOD_REFLECT, NULL),
        A(MOD_GLOBAL, "WebAssembly", MOD_WASM, NULL), A(MOD_GLOBAL, "Bun", MOD_BUN, NULL),
        A(MOD_GLOBAL, "Deno", MOD_DENO, NULL), A(MOD_GLOBAL, "module", MOD_MODULEOBJ, NULL),
        A(MOD_GLOBAL, "navigator", MOD_NAVIGATOR, NULL), A(MOD_GLOBAL, "TextDecoder", MOD_TEXTDECODER, NULL),
        A(MOD_GLOBAL, "$", MOD_ZX, NULL), /* zx/globals */
        A(MOD_GLOBAL, "console", MOD_CONSOLE, NULL), A(MOD_PROCESS, "stdout", MOD_STDIO, NULL),
        A(MOD_PROCESS, "stderr", MOD_STDIO, NULL), A(MOD_STREAM, "promises", MOD_STREAM, NULL),
        A(MOD_PROCESS, "mainModule", MOD_MAINMODULE, "process.mainModule"),
        A(MOD_MAINMODULE, "constructor", MOD_MODULE, "process.mainModule.constructor"),
        A(MOD_MODULEOBJ, "constructor", MOD_MODULE, "module.constructor"),
        A(MOD_MODULE, "Module", MOD_MODULE, NULL), A(MOD_FS, "promises", MOD_FS, NULL),
        A(MOD_PATH, "posix", MOD_PATH, NULL), A(MOD_PATH, "win32", MOD_PATH, NULL),
        A(MOD_DNS, "promises", MOD_DNS, NULL), A(MOD_BUFFER, "Buffer", MOD_BUFFER, NULL),
        A(MOD_TIMERS, "promises", MOD_TIMERS, NULL), A(MOD_EXECA, "$", MOD_ZX, NULL),
};
#undef A

bool js_module_member(struct jsa *a, uint8_t mod, const char *name, size_t len, struct jv *out) {
        (void) a;
        if (js_name_is(name, len, "default")) {
                *out = jv_module(mod);
                return true;
        }
        for (size_t i = 0; i < ELEMENTSOF(ALIASES); i++) {
                if (ALIASES[i].len != len || ALIASES[i].mod != mod || memcmp(ALIASES[i].name, name, len) != 0)
                        continue;
                *out = jv_module(ALIASES[i].to);
                if (ALIASES[i].evasion)
                        js_set_evasion(out, ALIASES[i].evasion);
                return true;
        }
        if (mod == MOD_PROCESS && js_name_is(name, len, "env")) {
                *out = (struct jv) { .kind = JV_ENV, .origin = JS_NONE };
                return true;
        }
        if (mod == MOD_PROCESS && (js_name_is(name, len, "execPath") || js_name_is(name, len, "argv0"))) {
                *out = jv_str("node", 4, 0, JS_NONE); /* spawn(process.execPath, [...]): Node itself */
                return true;
        }
        if ((mod == MOD_MAINMODULE || mod == MOD_MODULEOBJ) && js_name_is(name, len, "require")) {
                *out = jv_member(MOD_GLOBAL, "require", 7);
                if (mod == MOD_MAINMODULE)
                        js_set_evasion(out, "process.mainModule.require");
                return true;
        }
        if (mod == MOD_MODULE && js_name_is(name, len, "_load")) {
                *out = jv_member(MOD_GLOBAL, "require", 7);
                js_set_evasion(out, "Module._load");
                return true;
        }
        if (mod == MOD_USERINFO && js_name_is(name, len, "homedir")) {
                *out = jv_str("~", 1, VF_HOME, JS_NONE);
                return true;
        }
        return false;
}

/* ---- members ----------------------------------------------------------------------------------- */

const struct jv JS_FUNCTION_CTOR = { .kind = JV_MEMBER, .mod = MOD_GLOBAL, .s = "Function", .n = 8,
                                         .origin = JS_NONE };

static struct jv method_of(struct jsa *a, const struct jv *recv, const char *name, size_t len) {
        const struct jv *r = arena_jv(a, recv);
        if (!r)
                return jv_unknown(recv->flags & VF_TAINT);
        return (struct jv) { .kind = JV_METHOD, .recv = r, .s = name, .n = (uint32_t) len,
                             .flags = recv->flags & (VF_TAINT | VF_EVASION), .how = recv->how, .origin = recv->origin };
}

/* TABLE[key] with a key only known at run time, every entry a constant string: one of them
 * (the first stands for all), still a constant for the rules. */
static struct jv one_of(const struct jv *items, uint32_t n, uint32_t stride, const struct jv *recv) {
        struct jv v;
        return jv_one_of(items, n, stride, &v) ? v : jv_unknown(recv->flags & VF_TAINT);
}

static struct jv global_member(struct jsa *a, const char *name) {
        struct jv g = jv_module(MOD_GLOBAL);
        return js_member(a, &g, name, strlen(name), false, NULL);
}

struct jv js_member(struct jsa *a, const struct jv *recv, const char *name, size_t len, bool computed,
                    const struct jv *key) {
        struct jv v = jv_unknown(0);
        bool is_ctor = js_name_is(name, len, "constructor");
        switch (recv->kind) {
        case JV_MODULE:
                if (!name)
                        v = jv_member(recv->mod, NULL, 0);
                else if (js_name_is(name, len, "then") && recv->mod != MOD_GLOBAL)
                        v = method_of(a, recv, name, len); /* import("m").then(m => ...) */
                else if (js_module_member(a, recv->mod, name, len, &v))
                        ;
                else if (is_ctor && (recv->mod == MOD_OBJECT || recv->mod == MOD_STRING || recv->mod == MOD_BUFFER ||
                                     recv->mod == MOD_TEXTDECODER)) {
                        v = JS_FUNCTION_CTOR; /* a constructor's constructor is Function */
                        js_set_evasion(&v, ".constructor");
                } else if (is_ctor)
                        v = global_member(a, "Object");
                else
                        v = jv_member(recv->mod, name, len);
                break;
        case JV_MEMBER:
        case JV_FUNC:
        case JV_METHOD:
                if (js_name_is(name, len, "call") || js_name_is(name, len, "apply") || js_name_is(name, len, "bind"))
                        v = method_of(a, recv, name, len);
                else if (is_ctor) {
                        v = JS_FUNCTION_CTOR;
                        js_set_evasion(&v, ".constructor");
                } else if (js_name_is(name, len, "prototype")) {
                        const struct jv *r = arena_jv(a, recv);
                        if (r)
                                v = (struct jv) { .kind = JV_PROTO, .recv = r, .origin = JS_NONE };
                } else if (recv->kind == JV_MEMBER && recv->mod == MOD_GLOBAL &&
                           js_name_is(recv->s, recv->n, "require") && js_name_is(name, len, "main")) {
                        v = jv_module(MOD_MAINMODULE);
                        js_set_evasion(&v, "require.main");
                } else if (recv->kind == JV_METHOD || recv->kind == JV_MEMBER)
                        v = jv_unknown(recv->flags & VF_TAINT);
                break;
        case JV_PROTO:
                if (is_ctor) {
                        v = recv->recv->kind == JV_MEMBER ? *recv->recv : JS_FUNCTION_CTOR;
                        if (v.kind == JV_MEMBER && v.mod == MOD_GLOBAL && js_name_is(v.s, v.n, "Function"))
                                js_set_evasion(&v, "Function.prototype.constructor");
                }
                break;
        case JV_ENV:
                if (js_name_is(name, len, "HOME") || js_name_is(name, len, "USERPROFILE"))
                        v = jv_str("~", 1, VF_HOME, JS_NONE);
                break;
        case JV_STR:
                if (js_name_is(name, len, "length") && !(recv->flags & VF_PARTIAL))
                        v = jv_num(recv->n);
                else if (is_ctor)
                        v = global_member(a, "String");
                else if (name && !computed)
                        v = method_of(a, recv, name, len);
                else
                        v = jv_unknown(recv->flags & VF_TAINT);
                break;
        case JV_ARRAY:
                if (js_name_is(name, len, "length"))
                        v = jv_num(recv->n);
                else if (is_ctor)
                        v = global_member(a, "Array");
                else if (name && !computed)
                        v = method_of(a, recv, name, len);
                else if (!name)
                        v = one_of(recv->items, recv->n, 1, recv);
                break;
        case JV_OBJECT: {
                const struct jv *p = NULL;
                if (name)
                        for (uint32_t i = 0; i < recv->n && !p; i++)
                                if (recv->items[2 * i].n == len && memcmp(recv->items[2 * i].s, name, len) == 0)
                                        p = &recv->items[2 * i + 1];
                if (p)
                        v = *p;
                else if (is_ctor)
                        v = global_member(a, "Object");
                else if (!name && recv->n > 0 && recv->aux == recv->n)
                        v = one_of(recv->items + 1, recv->n, 2, recv);
                else
                        v = jv_unknown(recv->flags & VF_TAINT);
                break;
        }
        case JV_NUM:
        case JV_BOOL:
                if (is_ctor)
                        v = global_member(a, recv->kind == JV_NUM ? "Number" : "Boolean");
                break;
        case JV_THIS:
                /* this.eval / this["eval"]: at top level `this` may be the global object;
                 * this.constructor.constructor is the classic way out of a vm sandbox */
                if (name && (js_name_is(name, len, "eval") || js_name_is(name, len, "Function"))) {
                        v = global_member(a, js_name_is(name, len, "eval") ? "eval" : "Function");
                        js_set_evasion(&v, "`this`");
                } else if (is_ctor)
                        v = global_member(a, "Object");
                break;
        default:
                if (((recv->flags & (VF_TAINT | VF_SOCKET | VF_XHR)) || js_name_is(name, len, "_compile")) && name &&
                    !computed)
                        v = method_of(a, recv, name, len);
                else
                        v = jv_unknown(recv->flags & VF_TAINT);
                break;
        }
        /* A member of something reached by a trick is reached by the same trick. */
        if ((recv->flags & VF_EVASION) && (v.kind == JV_MEMBER || v.kind == JV_MODULE || v.kind == JV_METHOD))
                js_set_evasion(&v, recv->how);
        if (computed && (v.kind == JV_MEMBER || v.kind == JV_MODULE)) {
                const char *how = key && (key->flags & (VF_BUILT | VF_EVASION)) && key->how
                                          ? key->how
                                          : "a computed property name";
                js_set_evasion(&v, how);
        }
        if (recv->kind == JV_MODULE && recv->mod == MOD_GLOBAL && v.kind == JV_MEMBER && name &&
            (js_name_is(name, len, "eval") || js_name_is(name, len, "Function")) && recv->origin != JS_NONE)
                js_set_evasion(&v, "the global object");
        return v;
}

/* ---- calls --------------------------------------------------------------------------------------- */

/* The helpers TypeScript, Babel and esbuild wrap require() in. */
static const char *const INTEROP[] = { "__importDefault", "__importStar", "_interopRequireDefault",
                                       "_interopRequireWildcard", "__toESM", "__toCommonJS", "_interopNamespace",
                                       "__importWildcard", "_interopNamespaceDefault" };

static bool interop_helper(const struct jtok *t) {
        for (size_t i = 0; i < ELEMENTSOF(INTEROP); i++)
                if (js_name_is(t->text, t->len, INTEROP[i]))
                        return true;
        return false;
}

/* Modules that lead to no finding by themselves: path.join of a parameter, JSON.stringify of a
 * config, Object.keys of an object. What makes their use dangerous (process.env, a secret path
 * literal, a sink) is interesting on its own. */
bool js_mod_boring(uint8_t mod) {
        switch (mod) {
        case MOD_OTHER: case MOD_PATH: case MOD_JSON: case MOD_OBJECT: case MOD_STRING: case MOD_BUFFER:
        case MOD_URL: case MOD_TEXTDECODER: case MOD_CONSOLE: case MOD_STDIO: case MOD_UTIL: case MOD_REFLECT:
        case MOD_ZLIB:
                return true;
        default:
                return false;
        }
}

void js_each_global_name(struct jsa *a, void (*fn)(struct jsa *a, const char *name, size_t len)) {
        static const char *const MORE[] = { "require", "import", "module", "process", "constructor", "_compile",
                                            "_load", "mainModule" };
        for (size_t i = 0; i < ELEMENTSOF(M_GLOBAL); i++) {
                uint8_t sk = M_GLOBAL[i].sink;
                /* decoders and URL parsing matter only where their result meets a sink */
                if (sk != SK_ATOB && sk != SK_UNESCAPE && sk != SK_DECODE_URI && sk != SK_NEW_URL &&
                    sk != SK_PARSE_INT && sk != SK_ENV_COPY)
                        fn(a, M_GLOBAL[i].name, M_GLOBAL[i].len);
        }
        for (size_t i = 0; i < ELEMENTSOF(ALIASES); i++)
                if (ALIASES[i].mod == MOD_GLOBAL && !js_mod_boring(ALIASES[i].to))
                        fn(a, ALIASES[i].name, ALIASES[i].len);
        for (size_t i = 0; i < ELEMENTSOF(INTEROP); i++)
                fn(a, INTEROP[i], strlen(INTEROP[i]));
        for (size_t i = 0; i < ELEMENTSOF(MORE); i++)
                fn(a, MORE[i], strlen(MORE[i]));
}

static struct jv call(struct jsa *a, const struct jv *callee, const struct jv *args, size_t n, bool is_new, uint32_t k,
                      uint32_t name_tok, uint32_t from, const uint32_t *argtok);

/* f.call.call.call(...) and Reflect.apply(Reflect.apply, ...) nest calls without brackets */
struct jv js_call(struct jsa *a, const struct jv *callee, const struct jv *args, size_t n, bool is_new, uint32_t k,
                  uint32_t name_tok, uint32_t from, const uint32_t *argtok) {
        if (!js_enter(a, k))
                return jv_unknown(0);
        struct jv v = call(a, callee, args, n, is_new, k, name_tok, from, argtok);
        js_leave(a);
        return v;
}

static struct jv call(struct jsa *a, const struct jv *callee, const struct jv *args, size_t n, bool is_new, uint32_t k,
                      uint32_t name_tok, uint32_t from, const uint32_t *argtok) {
        if (!args)
                n = 0;
        switch (callee->kind) {
        case JV_MODULE:
        case JV_MEMBER: {
                bool handled;
                struct jv v = js_sink_call(a, callee, args, n, is_new, k, from, &handled);
                if (handled)
                        return v;
                break;
        }
        case JV_METHOD:
                return js_method_call(a, callee, args, n, k, from, argtok ? argtok[0] : k);
        case JV_FUNC:
                /* a function of this file whose result is known: () => require("child_process"),
                 * function () { return this } (the global object when called plainly) */
                if (callee->ret && callee->ret->kind != JV_PARAM && callee->ret->kind != JV_UNKNOWN && !is_new) {
                        if (name_tok != JS_NONE && argtok && !a->reporting)
                                sum_record(a, a->tk[name_tok].text, a->tk[name_tok].len, args, n, argtok);
                        if (callee->ret->kind == JV_THIS) {
                                struct jv g = jv_module(MOD_GLOBAL);
                                js_set_evasion(&g, "a function returning `this`");
                                return g;
                        }
                        return *callee->ret;
                }
                break;
        default:
                break;
        }
        if (name_tok != JS_NONE && n > 0 && args[0].kind == JV_MODULE && interop_helper(&a->tk[name_tok]))
                return args[0]; /* __importDefault(require("m")): the module */
        if (name_tok != JS_NONE && argtok && !a->reporting)
                sum_record(a, a->tk[name_tok].text, a->tk[name_tok].len, args, n, argtok);
        return jv_unknown(callee->flags & VF_TAINT);
}

enum pend_mode js_callback_value(struct jsa *a, const struct jv *callee, const struct jv *args, size_t n,
                                 struct jv *out) {
        if (callee->kind == JV_METHOD) {
                const struct jv *r = callee->recv;
                if (r->kind == JV_MODULE && js_name_is(callee->s, callee->n, "then")) {
                        *out = *r;
                        return PEND_FIRST;
                }
                if (r->flags & VF_TAINT) {
                        *out = jv_unknown(r->flags & VF_TAINT);
                        return PEND_ALL;
                }
                return PEND_NONE;
        }
        if (callee->kind != JV_MEMBER && callee->kind != JV_MODULE)
                return PEND_NONE;
        uint8_t sk = js_find_sink(callee->mod, callee->kind == JV_MEMBER ? callee->s : "",
                                  callee->kind == JV_MEMBER ? callee->n : 0);
        switch (sk) {
        case SK_NET_URL:
        case SK_NET_REQ:
        case SK_NET_HOST:
        case SK_NET_WS:
                *out = jv_unknown(VF_NETWORK);
                return PEND_ALL;
        case SK_FS_READ: {
                struct scan_path_hit hit;
                if (n > 0 && js_classify(&args[0], &hit) == SCAN_PATH_SECRET) {
                        *out = jv_unknown(VF_SECRET);
                        return PEND_ALL;
                }
                return PEND_NONE;
        }
        default:
                return PEND_NONE;
        }
}

void js_module_loaded(struct jsa *a, uint32_t k, const struct jv *mod, const char *name, size_t n) {
        if (!a->reporting)
                return;
        int l = (int) (n > 80 ? 80 : n);
        if (mod->mod == MOD_FFI)
                js_report(a, k, "js.native_code.ffi", SEV_HIGH, "native_code", ESC_NONE,
                          "loads %.*s, which calls native functions directly", l, name);
        else if (mod->mod == MOD_NATIVE)
                js_report(a, k, "js.native_code.addon", SEV_HIGH, "native_code", ESC_NONE,
                          "loads the native add-on %.*s", l, name);
}

void js_for_in(struct jsa *a, uint32_t k, const struct jv *over) {
        if (a->reporting && over->kind == JV_ENV)
                js_report(a, k, "js.env_harvest.enumerate", SEV_HIGH, "env_harvest", ESC_HARVEST,
                          "a for...in loop walks every environment variable");
}

