/* The Python analyser's calls (rules_python_internal.h): user functions (arguments joined into
 * their parameters, one-return helpers evaluated again per call), classes, and the library
 * calls of the table with what they evaluate to and which rule judges them. */
#include "rules_python_internal.h"

#include <stdio.h>
#include <string.h>

#include "../base/macros.h"

/* ---- calls ---- */

static struct pv generic_result(struct py *P, const struct py_call *c) {
        uint32_t t = (py_taints(c->callee) | c->a->taints) & ~PVF_ENV;
        if (c->callee.kind == PV_REF) {
                uint32_t r = py_ref_child(P, c->callee.u.id, P->sym_call);
                return py_ref(r, t, EV_NONE);
        }
        return pv_unknown(t);
}

/* The value parameter p of scope id gets from a call's arguments; false when the call leaves it
 * to the default and there is none. */
static bool param_value(struct py *P, uint32_t id, uint8_t p, uint8_t k0, const struct py_args *a, struct pv *out) {
        const struct py_param *pp = &P->scopes[id].params[p];
        size_t pi = p - k0;
        if (pp->kind == PARAM_STAR) {
                if (a->pos_more || pi > a->npos)
                        *out = pv_unknown(a->taints);
                else
                        *out = py_list(P, a->pos + pi, a->npos - pi, 0);
                return true;
        }
        if (pp->kind == PARAM_DSTAR) {
                *out = pv_unknown(a->taints | a->kw_unpack_fl);
                return true;
        }
        const struct pv *kv = py_kwarg(a, pp->sym);
        if (pi < a->npos)
                *out = a->pos[pi];
        else if (kv)
                *out = *kv;
        else if (a->pos_more || a->kw_unpack)
                *out = pv_unknown(a->taints);
        else if (pp->has_default && P->scopes[id].defaults)
                *out = P->scopes[id].defaults[p];
        else
                return false;
        return true;
}

/* A helper whose body is one return: its expression again, with this call's arguments, so
 * _d(x) = b64decode(x).decode() folds per call. Quiet: findings come from the body itself. */
static bool inline_call(struct py *P, uint32_t id, uint8_t k0, const struct py_args *a, struct pv *out) {
        int prev = (P->pass + 1) & 1;
        const struct py_scope *sc = &P->scopes[id];
        uint32_t s = sc->ret_s[prev], e = sc->ret_e[prev];
        if (P->pass == 0 || sc->n_stmts[prev] != 1 || e <= s || e > P->n || P->inline_depth >= 4 ||
            e - s > P->fold_budget || P->n_over + sc->n_params > ELEMENTSOF(P->over))
                return false;
        P->fold_budget -= e - s;
        uint32_t saved_base = P->over_base, saved_n = P->n_over, saved_scope = P->scope;
        P->over_base = P->n_over;
        for (uint8_t p = k0; p < sc->n_params; p++) {
                struct pv v;
                if (!param_value(P, id, p, k0, a, &v))
                        v = pv_unknown(0);
                P->over[P->n_over].sym = P->scopes[id].params[p].sym;
                P->over[P->n_over++].val = v;
        }
        P->scope = id;
        P->quiet++;
        P->inline_depth++;
        uint32_t i = s;
        *out = py_exprlist(P, &i, e);
        P->inline_depth--;
        P->quiet--;
        P->scope = saved_scope;
        P->n_over = saved_n;
        P->over_base = saved_base;
        return true;
}

static struct pv call_user(struct py *P, const struct py_call *c, uint32_t id, bool bound) {
        const struct py_args *a = c->a;
        if (id >= P->n_scopes)
                return pv_unknown(a->taints & ~PVF_ENV);
        struct py_scope *sc = &P->scopes[id];
        if (sc->kind != SCOPE_FUNC && sc->kind != SCOPE_LAMBDA)
                return pv_unknown(a->taints & ~PVF_ENV);
        uint8_t k0 = bound && sc->n_params > 0 ? 1 : 0;
        for (uint8_t p = k0; p < sc->n_params; p++) {
                struct pv v;
                if (param_value(P, id, p, k0, a, &v))
                        py_assign(P, id, P->scopes[id].params[p].sym, v);
        }
        struct pv r;
        if (inline_call(P, id, k0, a, &r))
                return r;
        sc = &P->scopes[id];
        int prev = (P->pass + 1) & 1;
        if (P->pass > 0 && sc->has_ret[prev])
                return sc->ret[prev];
        return pv_unknown(0);
}

struct pv py_class_lookup(struct py *P, uint32_t cls, uint32_t sym) {
        int cur = P->pass & 1, prev = cur ^ 1;
        struct py_bind *b = P->pass > 0 ? py_bind_get(P, prev, cls, sym, false) : NULL;
        if (b)
                return py_bind_value(b);
        b = py_bind_get(P, cur, cls, sym, false);
        if (b)
                return b->last;
        return (struct pv) { .kind = PV_NONE, .fl = PVF_HOLES }; /* not found */
}

bool py_not_found(struct pv v) {
        return v.kind == PV_NONE && (v.fl & PVF_HOLES);
}

static struct pv h_getattr(struct py *P, const struct py_call *c) {
        const struct py_args *a = c->a;
        if (a->npos < 2)
                return pv_unknown(0);
        struct pv obj = a->pos[0], name = a->pos[1];
        if (py_is_const_str(name) && name.n > 0 && name.n < 128 && !memchr(name.u.s, '.', name.n)) {
                uint32_t sym = py_intern(P, name.u.s, name.n, true);
                if (sym == PY_NOSYM)
                        return pv_unknown(0);
                struct pv r = py_attr(P, a->pos_tok[1], obj, sym);
                uint8_t ev = name.ev >= EV_PIECES ? name.ev : (name.fl & PVF_PIECES) ? EV_PIECES : EV_GETATTR;
                if (obj.kind == PV_REF && r.kind == PV_REF && r.ev < ev)
                        r.ev = ev;
                if (r.kind == PV_FUNC && obj.kind == PV_OBJ)
                        r.fl |= PVF_BOUND;
                return r;
        }
        if (obj.kind != PV_REF)
                return pv_unknown(py_taints(obj) & ~PVF_ENV);
        static const char *const DANGEROUS[] = { "os", "subprocess", "builtins", "pty", "commands", "importlib",
                                                 "ctypes", "shutil", "sys", "posix", "@globals", "@builtins_dict",
                                                 "socket", "marshal", "pickle", "code", "runpy" };
        for (size_t k = 0; k < ELEMENTSOF(DANGEROUS); k++)
                if (py_ref_has_prefix(P, obj.u.id, DANGEROUS[k])) {
                        char who[160];
                        py_callee_text(P, c, "getattr", who, sizeof(who));
                        py_report(P, c->tok, "py.code.dynamic-getattr", SEV_HIGH, "code_injection",
                                  "getattr() on %s with a name chosen at runtime: whatever it reaches is hidden from review",
                                  py_ref_name(P, obj.u.id));
                        break;
                }
        struct pv r = py_ref(obj.u.id, PVF_DYNATTR | (obj.fl & PVF_TAINTS & ~PVF_ENV), EV_GETATTR);
        return r;
}

static struct pv h_import(struct py *P, const struct py_call *c, const struct py_handler *h) {
        const struct pv *n = py_arg(P, c->a, 0, h->kw);
        if (!n || !py_is_const_str(*n) || n->n == 0 || n->n > PY_REF_NAME_MAX) {
                struct pv v = n ? *n : pv_unknown(0);
                char who[160];
                py_callee_text(P, c, py_ref_name(P, c->callee.u.id), who, sizeof(who));
                py_report(P, c->tok, "py.code.dynamic-import", (v.fl & (PVF_DECODED | PVF_NET)) ? SEV_HIGH : SEV_MEDIUM,
                          "code_injection", "%s imports a module whose name is chosen at runtime", who);
                return pv_unknown(0);
        }
        size_t len = n->n;
        if (h->b == 1) /* __import__("a.b") returns a */
                for (size_t k = 0; k < n->n; k++)
                        if (n->u.s[k] == '.') {
                                len = k;
                                break;
                        }
        uint32_t r = py_module_ref(P, n->u.s, len);
        uint8_t ev = n->ev >= EV_PIECES ? n->ev : (n->fl & PVF_PIECES) ? EV_PIECES : EV_NONE;
        py_note_import(P, c->tok, r);
        return py_ref(r, 0, ev);
}

static struct pv h_open(struct py *P, const struct py_call *c, const char *who, const struct py_handler *h) {
        const struct pv *p = py_arg(P, c->a, h->a, h->kw);
        const struct pv *m = py_arg(P, c->a, h->b, "mode");
        if (!p)
                return pv_unknown(0);
        bool write = false;
        if (m && m->kind == PV_STR)
                write = memchr(m->u.s, 'w', m->n) || memchr(m->u.s, 'a', m->n) || memchr(m->u.s, 'x', m->n) ||
                        memchr(m->u.s, '+', m->n) || (m->fl & PVF_HOLES);
        else if (m)
                write = true;
        struct pv v = py_judge_path(P, c->tok, *p, write ? OP_WRITE : OP_READ, who);
        if (v.kind != PV_STR)
                return pv_unknown(0);
        v.fl = (v.fl & (PVF_PATH_SEEN | PVF_HOLES)) | PVF_FILEOBJ | (write ? PVF_WRITE : 0);
        return v;
}

struct pv py_getenv_value(struct py *P, struct pv key) {
        if (py_str_eq(key, "HOME") || py_str_eq(key, "USERPROFILE"))
                return py_str(P, "~", 1, 0);
        (void) P;
        return pv_unknown(0);
}

static struct pv fold_bytes(struct py *P, struct pv v) {
        if (v.kind == PV_LIST && !(v.fl & PVF_HOLES)) {
                char *s = py_alloc(P, py_cur_arena(P), v.n + 1);
                if (!s)
                        return pv_unknown(0);
                for (uint32_t k = 0; k < v.n; k++) {
                        if (v.u.items[k].kind != PV_NUM || v.u.items[k].u.num < 0 || v.u.items[k].u.num > 255)
                                return pv_unknown(py_taints(v));
                        s[k] = (char) v.u.items[k].u.num;
                }
                struct pv r = py_str(P, s, v.n, PVF_BYTES | PVF_PIECES | (v.fl & PVF_TAINTS));
                r.ev = EV_PIECES;
                return r;
        }
        if (v.kind == PV_STR)
                return v;
        return pv_unknown(py_taints(v));
}

static struct pv h_chr(struct py *P, struct pv n) {
        if (n.kind != PV_NUM || n.u.num < 0 || n.u.num > 0x10ffff)
                return pv_unknown(py_taints(n));
        char *s = py_alloc(P, py_cur_arena(P), 5);
        if (!s)
                return pv_unknown(0);
        size_t l = 0;
        uint32_t cp = (uint32_t) n.u.num;
        if (cp < 0x80)
                s[l++] = (char) cp;
        else if (cp < 0x800) {
                s[l++] = (char) (0xc0 | cp >> 6);
                s[l++] = (char) (0x80 | (cp & 0x3f));
        } else if (cp < 0x10000) {
                s[l++] = (char) (0xe0 | cp >> 12);
                s[l++] = (char) (0x80 | ((cp >> 6) & 0x3f));
                s[l++] = (char) (0x80 | (cp & 0x3f));
        } else {
                s[l++] = (char) (0xf0 | cp >> 18);
                s[l++] = (char) (0x80 | ((cp >> 12) & 0x3f));
                s[l++] = (char) (0x80 | ((cp >> 6) & 0x3f));
                s[l++] = (char) (0x80 | (cp & 0x3f));
        }
        struct pv r = py_str(P, s, l, PVF_PIECES);
        r.ev = EV_PIECES;
        return r;
}

struct pv py_split_words(struct py *P, struct pv v, struct pv sep) {
        if (!py_is_const_str(v) && !(v.kind == PV_STR && (v.fl & PVF_HOLES)))
                return pv_unknown(py_taints(v));
        size_t n = 0, i = 0;
        bool ws = sep.kind == PV_NONE;
        if (!ws && (!py_is_const_str(sep) || sep.n == 0))
                return pv_unknown(py_taints(v));
        struct pv *items = py_alloc(P, py_cur_arena(P), PY_LIST_MAX * sizeof(*items));
        if (!items)
                return pv_unknown(py_taints(v));
        while (i <= v.n && n < PY_LIST_MAX) {
                if (ws) {
                        while (i < v.n && (v.u.s[i] == ' ' || v.u.s[i] == '\t' || v.u.s[i] == '\n'))
                                i++;
                        if (i >= v.n)
                                break;
                        size_t j = i;
                        while (j < v.n && v.u.s[j] != ' ' && v.u.s[j] != '\t' && v.u.s[j] != '\n')
                                j++;
                        bool hole = memchr(v.u.s + i, PY_HOLE, j - i) != NULL && (v.fl & PVF_HOLES);
                        items[n++] = hole ? pv_unknown(py_taints(v)) : py_str(P, v.u.s + i, j - i, py_taints(v));
                        i = j;
                } else {
                        const char *f = i < v.n ? memmem(v.u.s + i, v.n - i, sep.u.s, sep.n) : NULL;
                        size_t j = f ? (size_t) (f - v.u.s) : v.n;
                        bool hole = memchr(v.u.s + i, PY_HOLE, j - i) != NULL && (v.fl & PVF_HOLES);
                        items[n++] = hole ? pv_unknown(py_taints(v)) : py_str(P, v.u.s + i, j - i, py_taints(v));
                        if (!f)
                                break;
                        i = j + sep.n;
                }
        }
        return py_list(P, items, n, (v.fl & PVF_HOLES) && v.n && v.u.s[v.n - 1] == PY_HOLE ? PVF_HOLES : 0);
}

static void judge_net(struct py *P, const struct py_call *c, const char *who, const struct pv *target, int form,
                      const struct pv *port_arg) {
        py_cur_facts(P)->network = true;
        char host[256] = "";
        uint16_t port = 0;
        bool known = false;
        if (target && form == NET_URL && target->kind == PV_STR)
                known = scan_url_host(target->u.s, target->n, host, sizeof(host), &port);
        else if (target && form == NET_HOST && py_is_const_str(*target) && target->n > 0 && target->n < sizeof(host)) {
                known = true;
                for (size_t k = 0; k < target->n; k++) {
                        unsigned char ch = (unsigned char) target->u.s[k];
                        if (ch <= 0x20 || ch >= 0x7f || ch == '/' || ch == '@')
                                known = false;
                        host[k] = (char) (ch | ((ch >= 'A' && ch <= 'Z') ? 0x20 : 0));
                }
                host[target->n] = '\0';
                if (port_arg && port_arg->kind == PV_NUM && port_arg->u.num > 0 && port_arg->u.num < 65536)
                        port = (uint16_t) port_arg->u.num;
        } else if (target && form == NET_ADDR && target->kind == PV_LIST && target->n >= 1 &&
                   py_is_const_str(target->u.items[0]) && target->u.items[0].n > 0 && target->u.items[0].n < sizeof(host)) {
                known = true;
                memcpy(host, target->u.items[0].u.s, target->u.items[0].n);
                host[target->u.items[0].n] = '\0';
                if (target->n >= 2 && target->u.items[1].kind == PV_NUM && target->u.items[1].u.num > 0 &&
                    target->u.items[1].u.num < 65536)
                        port = (uint16_t) target->u.items[1].u.num;
        }
        py_env_sink_args(P, c->tok, c->a, "sent over the network");
        if (target && (target->fl & PVF_REQUEST))
                return; /* urlopen(Request(...)): judged at the Request */
        bool allowed = known && scan_perm_network(P->ctx->perms, host, port);
        bool harvest = py_prev_facts(P)->secret || py_prev_facts(P)->env || (c->a->taints & (PVF_ENV | PVF_SECRETDATA));
        enum severity sev = allowed ? SEV_SAFE : harvest ? SEV_HIGH : SEV_MEDIUM;
        if (c->callee.ev >= EV_PIECES)
                sev = py_at_least(sev, SEV_HIGH);
        char hq[80];
        py_quote(hq, sizeof(hq), host, strlen(host));
        if (known)
                py_report(P, c->tok, "py.network.connect", sev, "network", "%s connects to %s%s%s%s", who, hq,
                          allowed ? " (declared in skilllite.network)" : " (not declared in skilllite.network)",
                          harvest && !allowed ? " in a file that also collects secrets" : "", PY_EV_TEXT[c->callee.ev]);
        else
                py_report(P, c->tok, "py.network.connect", sev, "network",
                          "%s connects to a host only known at runtime%s%s", who,
                          harvest ? " in a file that also collects secrets" : "", PY_EV_TEXT[c->callee.ev]);
}

/* Constant serialized data that names a function that runs commands or code: a pickle whose
 * REDUCE calls os.system, a YAML !!python/object/apply tag. */
static bool code_payload(struct pv v) {
        if (v.kind != PV_STR || v.n < 6)
                return false;
        static const char *const MODS[] = { "os", "posix", "nt", "subprocess", "builtins", "__builtin__", "commands",
                                            "pty", "socket", "runpy", "importlib", "!!python/" };
        static const char *const FUNCS[] = { "system", "popen", "eval", "exec", "Popen", "check_output", "check_call",
                                             "getoutput", "spawn", "__import__", "execv", "execve", "import_module",
                                             "run_path", "call", "run" };
        bool mod = false, fn = false;
        for (size_t k = 0; k < ELEMENTSOF(MODS) && !mod; k++) {
                size_t l = strlen(MODS[k]);
                for (const char *f = v.u.s; (f = memmem(f, v.n - (size_t) (f - v.u.s), MODS[k], l)); f++) {
                        size_t at = (size_t) (f - v.u.s);
                        unsigned char b = at ? (unsigned char) v.u.s[at - 1] : ' ';
                        unsigned char e = at + l < v.n ? (unsigned char) v.u.s[at + l] : ' ';
                        bool ib = (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || b == '_';
                        if (b == 'c' && (at < 2 || !((v.u.s[at - 2] | 0x20) >= 'a' && (v.u.s[at - 2] | 0x20) <= 'z')))
                                ib = false; /* pickle GLOBAL opcode: "cos\nsystem" */
                        bool ie = (e >= 'a' && e <= 'z') || (e >= 'A' && e <= 'Z') || e == '_';
                        if (MODS[k][0] == '!' || (!ib && !ie)) {
                                mod = true;
                                break;
                        }
                        if (at + l >= v.n)
                                break;
                }
        }
        for (size_t k = 0; k < ELEMENTSOF(FUNCS) && mod && !fn; k++) {
                size_t l = strlen(FUNCS[k]);
                for (const char *f = v.u.s; (f = memmem(f, v.n - (size_t) (f - v.u.s), FUNCS[k], l)); f++) {
                        size_t at = (size_t) (f - v.u.s);
                        unsigned char b = at ? (unsigned char) v.u.s[at - 1] : ' ';
                        unsigned char e = at + l < v.n ? (unsigned char) v.u.s[at + l] : ' ';
                        if (!((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || b == '_') &&
                            !((e >= 'a' && e <= 'z') || (e >= 'A' && e <= 'Z') || e == '_')) {
                                fn = true;
                                break;
                        }
                        if (at + l >= v.n)
                                break;
                }
        }
        return mod && fn;
}

static struct pv h_deser(struct py *P, const struct py_call *c, const char *who, const struct py_handler *h) {
        const struct pv *d = py_arg(P, c->a, 0, NULL);
        struct pv v = d ? *d : pv_unknown(0);
        if (code_payload(v)) {
                py_report(P, c->tok, "py.deserialization.code-payload", SEV_CRITICAL, "deserialization",
                          "%s loads embedded data that calls a command or code function when loaded", who);
                return pv_unknown(py_taints(v) | PVF_DECODED);
        }
        if (h->b == 1) {
                const struct pv *ld = py_arg(P, c->a, 1, "Loader");
                if (ld && ld->kind == PV_REF) {
                        const char *n = py_ref_name(P, ld->u.id);
                        size_t l = strlen(n);
                        if ((l >= 10 && strcmp(n + l - 10, "SafeLoader") == 0) || (l >= 10 && strcmp(n + l - 10, "BaseLoader") == 0))
                                return pv_unknown(py_taints(v));
                }
        }
        enum severity sev = (v.fl & (PVF_NET | PVF_DECODED)) ? SEV_HIGH : SEV_MEDIUM;
        py_report(P, c->tok, "py.deserialization.unsafe", sev, "deserialization",
                  "%s can run code hidden in the data it loads%s", who,
                  (v.fl & PVF_NET) ? " (data from the network)" : (v.fl & PVF_DECODED) ? " (decoded data)" : "");
        if (h->b == 2)
                return pv_unknown(py_taints(v) | PVF_DECODED | PVF_CODE);
        return pv_unknown(py_taints(v) & ~PVF_ENV);
}

void py_native(struct py *P, uint32_t tok, const char *what) {
        py_cur_facts(P)->ctypes_used = true;
        if (P->native_reported)
                return;
        py_report(P, tok, "py.native_code.load", SEV_HIGH, "native_code",
                  "%s loads or calls native code, which no sandbox rule can see into", what);
        P->native_reported = P->report && !P->quiet;
}

void py_note_import(struct py *P, uint32_t tok, uint32_t ref) {
        if (ref == PY_NOREF)
                return;
        if (ref < P->n_refs && P->refs[ref].native == PY_NATIVE_MODULE && P->ctypes_import_tok == UINT32_MAX)
                P->ctypes_import_tok = tok;
}

/* Handlers that never name the callee in a message: they skip formatting its text (a few
 * snprintf per call of str(), chr(), list()...). */
static bool handler_names_callee(uint8_t kind) {
        switch (kind) {
        case H_IMPORT: case H_GETATTR: case H_GLOBALS: case H_CHR: case H_ORD: case H_BYTES: case H_STR:
        case H_MAP: case H_REVERSED: case H_LIST: case H_DICT: case H_SHLEX: case H_DECODE:
                return false;
        default:
                return true;
        }
}

static struct pv dispatch(struct py *P, const struct py_call *c, const struct py_handler *h) {
        const struct py_args *a = c->a;
        char who[160] = "";
        const char *qname = py_ref_name(P, c->callee.u.id);
        if (handler_names_callee(h->kind))
                py_callee_text(P, c, qname, who, sizeof(who));
        const struct pv *p0 = py_arg(P, a, h->a, h->kw);
        struct pv r = generic_result(P, c);
        switch (h->kind) {
        case H_SHELL: {
                struct py_exec_req x = { .shell = true, .cmd = p0 ? *p0 : pv_unknown(0), .rule = "py.process.shell" };
                py_env_sink(P, c->tok, x.cmd, "passed to a shell command");
                py_judge_exec(P, c, qname, &x, 0);
                return r;
        }
        case H_SUBPROCESS:
                py_h_subprocess(P, c, qname, h);
                return r;
        case H_EXECV:
        case H_EXECL: {
                struct py_exec_req x = { .prog = p0 ? *p0 : pv_unknown(0), .rule = "py.process.exec" };
                if (h->kind == H_EXECV) {
                        const struct pv *av = py_arg(P, a, h->b, NULL);
                        if (av && av->kind == PV_LIST && av->n > 0) {
                                x.argv = av->u.items + 1;
                                x.argc = av->n - 1;
                        }
                } else if (a->npos > h->b + 1) {
                        x.argv = a->pos + h->b + 1;
                        x.argc = a->npos - h->b - 1;
                }
                py_judge_exec(P, c, qname, &x, 0);
                return r;
        }
        case H_EXEC_ARGS: {
                struct py_exec_req x = { .prog = p0 ? *p0 : pv_unknown(0), .rule = "py.process.exec" };
                if (a->npos > 1) {
                        x.argv = a->pos + 1;
                        x.argc = a->npos - 1;
                }
                py_judge_exec(P, c, qname, &x, 0);
                return r;
        }
        case H_PTY:
        case H_CMDSTR:
                py_exec_from_value(P, c, qname, p0 ? *p0 : pv_unknown(0), "py.process.exec");
                return r;
        case H_EVAL:
                py_judge_code(P, c->tok, h->b == 2 ? "py.code.execfile" : h->b == 1 ? "py.code.exec" : "py.code.eval", who,
                           p0 ? *p0 : pv_unknown(0), c->callee.ev);
                return pv_unknown(p0 ? py_taints(*p0) & ~PVF_ENV : 0);
        case H_COMPILE:
        case H_CODEOBJ: {
                struct pv v = p0 ? *p0 : pv_unknown(0);
                if (!(h->kind == H_CODEOBJ && (v.fl & PVF_CODE) && !(v.fl & (PVF_NET | PVF_DECODED))))
                        py_judge_code(P, c->tok, h->kind == H_COMPILE ? "py.code.compile" : "py.code.function-type", who, v,
                                   c->callee.ev);
                if (v.kind == PV_STR) {
                        v.fl |= PVF_CODE;
                        return v;
                }
                return pv_unknown(py_taints(v) | PVF_CODE);
        }
        case H_RUNPY: {
                struct pv v = p0 ? *p0 : pv_unknown(0);
                enum severity sev = py_is_const_str(v) ? SEV_MEDIUM : SEV_HIGH;
                if (py_was_downloaded(P, v))
                        py_report(P, c->tok, "py.download_exec.fetch-and-run", SEV_CRITICAL, "download_exec",
                                  "%s runs a file this script downloaded", who);
                py_report(P, c->tok, "py.code.run-file", c->callee.ev ? py_at_least(sev, SEV_HIGH) : sev, "code_injection",
                          "%s runs Python code from another file or module%s", who, PY_EV_TEXT[c->callee.ev]);
                return r;
        }
        case H_IMPORT:
                return h_import(P, c, h);
        case H_GETATTR:
                return h_getattr(P, c);
        case H_GLOBALS:
                if (a->npos == 0)
                        return py_ref(P->ref_globals, 0, EV_NAMESPACE);
                if (a->pos[0].kind == PV_REF && (a->pos[0].u.id == P->ref_builtins))
                        return py_ref(P->ref_builtins_dict, 0, EV_NAMESPACE);
                return pv_unknown(a->taints & ~PVF_ENV);
        case H_CHR:
                return a->npos == 1 ? h_chr(P, a->pos[0]) : pv_unknown(0);
        case H_ORD:
                if (a->npos == 1 && py_is_const_str(a->pos[0]) && a->pos[0].n == 1)
                        return py_num((unsigned char) a->pos[0].u.s[0]);
                return pv_unknown(0);
        case H_BYTES:
                return a->npos >= 1 ? fold_bytes(P, a->pos[0]) : pv_unknown(0);
        case H_STR:
                if (a->npos >= 1) {
                        py_env_sink(P, c->tok, a->pos[0], "turned into text");
                        return h->b ? pv_unknown(py_taints(a->pos[0]) & ~PVF_ENV) : py_to_text(P, a->pos[0]);
                }
                return py_str(P, "", 0, 0);
        case H_MAP:
                if (a->npos == 2 && a->pos[0].kind == PV_REF && a->pos[1].kind == PV_LIST && !(a->pos[1].fl & PVF_HOLES)) {
                        const char *fn = py_ref_name(P, a->pos[0].u.id);
                        bool is_chr = strcmp(fn, "builtins.chr") == 0, is_str = strcmp(fn, "builtins.str") == 0;
                        struct pv *items = is_chr || is_str ? py_scratch(P) : NULL;
                        if (items) {
                                for (uint32_t k = 0; k < a->pos[1].n; k++)
                                        items[k] = is_chr ? h_chr(P, a->pos[1].u.items[k]) : py_to_text(P, a->pos[1].u.items[k]);
                                return py_list(P, items, a->pos[1].n, PVF_PIECES);
                        }
                }
                return pv_unknown(a->taints);
        case H_REVERSED:
                return a->npos == 1 ? py_reverse(P, a->pos[0]) : pv_unknown(0);
        case H_LIST:
                if (a->npos == 1) {
                        if (a->pos[0].kind == PV_LIST && !(a->pos[0].fl & PVF_DICT))
                                return a->pos[0];
                        struct pv *items = py_is_const_str(a->pos[0]) && a->pos[0].n <= PY_LIST_MAX ? py_scratch(P) : NULL;
                        if (items) {
                                for (uint32_t k = 0; k < a->pos[0].n; k++)
                                        items[k] = py_str(P, a->pos[0].u.s + k, 1, 0);
                                return py_list(P, items, a->pos[0].n, 0);
                        }
                }
                return pv_unknown(a->taints);
        case H_DICT:
                return pv_unknown(a->taints | a->kw_unpack_fl);
        case H_SHLEX:
                return p0 ? py_split_words(P, *p0, (struct pv) { .kind = PV_NONE }) : pv_unknown(0);
        case H_DECODE:
                return p0 ? py_decode(P, *p0, h->b) : pv_unknown(PVF_DECODED);
        case H_CODECS: {
                const struct pv *enc = py_arg(P, a, 1, "encoding");
                struct pv v = p0 ? *p0 : pv_unknown(0);
                if (!enc || !py_is_const_str(*enc))
                        return enc ? pv_unknown(py_taints(v) | PVF_DECODED) : v;
                static const struct {
                        const char *name;
                        int how;
                } CODECS[] = {
                        { "base64", DEC_B64 }, { "base_64", DEC_B64 }, { "b64", DEC_B64 }, { "hex", DEC_HEX },
                        { "hex_codec", DEC_HEX }, { "rot13", DEC_ROT13 }, { "rot_13", DEC_ROT13 }, { "zlib", DEC_OPAQUE },
                        { "zip", DEC_OPAQUE }, { "zlib_codec", DEC_OPAQUE }, { "bz2", DEC_OPAQUE }, { "bz2_codec", DEC_OPAQUE },
                        { "uu", DEC_OPAQUE }, { "base64_codec", DEC_B64 }, { "quopri", DEC_OPAQUE },
                };
                for (size_t k = 0; k < ELEMENTSOF(CODECS); k++)
                        if (py_str_eq(*enc, CODECS[k].name)) {
                                if (h->b == 1 && CODECS[k].how != DEC_ROT13)
                                        return pv_unknown(py_taints(v));
                                return py_decode(P, v, CODECS[k].how);
                        }
                return v;
        }
        case H_OPEN:
                return h_open(P, c, who, h);
        case H_OSOPEN: {
                const struct pv *fl = py_arg(P, a, 1, "flags");
                bool write = !fl || fl->kind != PV_NUM || (fl->u.num & 03) != 0 || (fl->u.num & (0100 | 01000 | 02000));
                if (p0)
                        (void) py_judge_path(P, c->tok, *p0, write ? OP_WRITE : OP_READ, who);
                return pv_unknown(0);
        }
        case H_PATH: {
                if (a->npos == 0)
                        return py_str(P, ".", 1, PVF_PATHOBJ);
                struct pv v = py_path_join(P, a->pos, a->npos, PVF_PATHOBJ);
                if (v.kind == PV_STR) {
                        v = py_judge_path(P, c->tok, v, OP_BUILD, who);
                        v.fl |= PVF_PATHOBJ;
                }
                return v;
        }
        case H_PATH_HOME:
                return py_str(P, "~", 1, PVF_PATHOBJ);
        case H_PATHJOIN: {
                struct pv v = py_path_join(P, a->pos, a->npos, 0);
                return py_judge_path(P, c->tok, v, OP_BUILD, who);
        }
        case H_PATHID: {
                if (!p0)
                        return pv_unknown(0);
                struct pv v = *p0;
                if (v.kind == PV_STR)
                        v.fl &= ~(PVF_FILEOBJ | PVF_WRITE | PVF_PATHOBJ);
                return py_judge_path(P, c->tok, v, OP_BUILD, who);
        }
        case H_GETENV:
                return p0 ? py_getenv_value(P, *p0) : pv_unknown(0);
        case H_FILEREAD:
                if (p0)
                        (void) py_judge_path(P, c->tok, *p0, OP_READ, who);
                return r;
        case H_COPY: {
                const struct pv *src = py_arg(P, a, h->a, "src"), *dst = py_arg(P, a, h->b, "dst");
                if (src)
                        (void) py_judge_path(P, c->tok, *src, OP_READ, who);
                if (dst) {
                        (void) py_judge_path(P, c->tok, *dst, OP_WRITE, who);
                        if (src && py_was_downloaded(P, *src))
                                py_note_download(P, *dst);
                }
                return r;
        }
        case H_CHMOD: {
                const struct pv *m = py_arg(P, a, 1, "mode");
                if (m && m->kind == PV_NUM && (m->u.num & 06000))
                        py_report(P, c->tok, "py.privilege.setuid", SEV_CRITICAL, "privilege",
                                  "%s sets the setuid/setgid bit", who);
                if (p0) {
                        (void) py_judge_path(P, c->tok, *p0, OP_CHMOD, who);
                        if (py_was_downloaded(P, *p0) && (!m || m->kind != PV_NUM || (m->fl & PVF_HOLES) || (m->u.num & 0111)))
                                py_report(P, c->tok, "py.download_exec.fetch-and-run", SEV_CRITICAL, "download_exec",
                                          "%s makes a file this script downloaded executable", who);
                }
                return r;
        }
        case H_REMOVE:
                if (p0)
                        (void) py_judge_path(P, c->tok, *p0, OP_REMOVE, who);
                return r;
        case H_SETUID:
                if (p0 && p0->kind == PV_NUM && p0->u.num == 0)
                        py_report(P, c->tok, "py.privilege.setuid", SEV_CRITICAL, "privilege", "%s switches to root", who);
                else if (p0 && p0->kind != PV_NUM)
                        py_report(P, c->tok, "py.privilege.setuid", SEV_MEDIUM, "privilege",
                                  "%s changes the process identity", who);
                return r;
        case H_COPYFILEOBJ: {
                const struct pv *dst = py_arg(P, a, 1, "fdst");
                if (p0 && dst && (p0->fl & PVF_NET) && dst->kind == PV_STR && (dst->fl & PVF_FILEOBJ))
                        py_note_download(P, *dst);
                return r;
        }
        case H_NET:
        case H_URLOPEN:
        case H_REQUEST:
        case H_URLRETRIEVE: {
                const struct pv *port = py_arg(P, a, 1, "port");
                judge_net(P, c, who, p0, h->kind == H_NET ? h->b : NET_URL, h->kind == H_NET && h->b == NET_HOST ? port : NULL);
                if (h->kind == H_URLRETRIEVE) {
                        const struct pv *dst = py_arg(P, a, h->b, "filename");
                        if (!dst)
                                dst = py_arg(P, a, -1, "out");
                        if (dst) {
                                (void) py_judge_path(P, c->tok, *dst, OP_WRITE, who);
                                py_note_download(P, *dst);
                        }
                }
                r.fl |= PVF_NET;
                if (h->kind == H_REQUEST)
                        r.fl |= PVF_REQUEST;
                return r;
        }
        case H_NETDATA:
                r.fl |= PVF_NET;
                return r;
        case H_DESER:
                return h_deser(P, c, who, h);
        case H_NATIVE:
                py_native(P, c->tok, who);
                return r;
        case H_ENV_SINK:
                /* b: the sink is a connection (socket, mail, FTP) */
                if (h->b)
                        py_cur_facts(P)->network = true;
                py_env_sink_args(P, c->tok, a, h->b ? "sent over the network" : "written out");
                return r; /* reported here: what it returns is not reported again */
        case H_ENV_ITER:
                return pv_unknown(PVF_ENV);
        case H_ENV_KEEP:
                return pv_unknown(PVF_ENV);
        case H_NSGET: {
                /* sys.modules.get("os"), globals().get("eval"): the subscript, spelled as a call */
                uint32_t parent = P->refs[c->callee.u.id].parent;
                if (!p0 || parent == PY_NOREF)
                        return pv_unknown(0);
                return py_subscript(P, c->tok, py_ref(parent, 0, c->callee.ev), *p0, false);
        }
        case H_WHICH:
                /* shutil.which("ffmpeg") is ffmpeg (or None) */
                return p0 && p0->kind == PV_STR ? *p0 : pv_unknown(0);
        case H_DIRNAME: {
                if (!p0 || p0->kind != PV_STR)
                        return pv_unknown(p0 ? py_taints(*p0) : 0);
                struct pv v = *p0;
                size_t slash = v.n;
                while (slash > 0 && v.u.s[slash - 1] != '/')
                        slash--;
                bool hole_in_last = memchr(v.u.s + slash, PY_HOLE, v.n - slash) && (v.fl & PVF_HOLES);
                if (h->b == 1) /* basename */
                        return hole_in_last ? pv_unknown(py_taints(v)) : py_str(P, v.u.s + slash, v.n - slash, py_taints(v));
                if (slash == 0)
                        return hole_in_last ? pv_unknown(py_taints(v)) : py_str(P, "", 0, 0);
                size_t end = slash > 1 ? slash - 1 : slash;
                uint32_t fl = v.fl & (PVF_TAINTS | PVF_ALTCONST | PVF_PIECES);
                if (memchr(v.u.s, PY_HOLE, end) && (v.fl & PVF_HOLES))
                        fl |= PVF_HOLES;
                return py_str(P, v.u.s, end, fl);
        }
        case H_SITEPKG: {
                /* where installed packages live: a .pth file there runs at every Python start */
                struct pv site = py_str(P, h->b ? "~/.local/lib/python3/site-packages" : "/usr/lib/python3/site-packages",
                                        h->b ? 34 : 30, 0);
                return h->b ? site : py_list(P, &site, 1, 0);
        }
        case H_CREDSTORE: {
                /* keyring holds the skill's own token as often as someone else's: a look, not an alarm;
                 * browser cookie stores and the OS password vaults are never the skill's own */
                bool net = py_prev_facts(P)->network, foreign = h->b == 1;
                if (foreign)
                        py_cur_facts(P)->secret = true;
                py_report(P, c->tok, "py.sensitive_file.credential-store",
                          foreign ? (net ? SEV_CRITICAL : SEV_HIGH) : SEV_MEDIUM, "sensitive_file",
                          "%s reads %s%s", who, foreign ? "browser cookies or saved passwords" : "a secret from the keyring",
                          foreign && net ? " and this file also talks to the network" : "");
                r.fl |= PVF_SECRETDATA;
                return r;
        }
        case H_DUP2:
                if (p0 && p0->kind == PV_REF && py_ref_has_prefix(P, p0->u.id, "@sock")) {
                        py_cur_facts(P)->network = true;
                        py_report(P, c->tok, "py.download_exec.reverse-shell", SEV_CRITICAL, "download_exec",
                                  "%s wires a network socket to this process's standard input/output: a reverse shell", who);
                }
                return r;
        }
        return r;
}

struct pv py_call(struct py *P, const struct py_call *c) {
        struct pv f = c->callee;
        switch (f.kind) {
        case PV_REF: {
                const struct py_ref *ref = &P->refs[f.u.id];
                if (f.fl & PVF_DYNATTR) {
                        /* getattr(requests, method)(url): still a network call */
                        static const char *const NET[] = { "requests", "httpx", "aiohttp", "urllib", "@http", "socket", "@sock" };
                        for (size_t k = 0; k < ELEMENTSOF(NET); k++)
                                if (py_ref_has_prefix(P, f.u.id, NET[k])) {
                                        char who[160];
                                        snprintf(who, sizeof(who), "%s.<dynamic>", ref->name);
                                        judge_net(P, c, who, c->a->npos > 0 ? &c->a->pos[0] : NULL, NET_URL, NULL);
                                        break;
                                }
                        return pv_unknown(c->a->taints & ~PVF_ENV);
                }
                if (ref->native)
                        py_native(P, c->tok, ref->name);
                if (ref->handler >= 0)
                        return dispatch(P, c, &PY_HANDLERS[ref->handler]);
                return generic_result(P, c);
        }
        case PV_FUNC:
                return call_user(P, c, f.u.id, (f.fl & PVF_BOUND) != 0);
        case PV_CLASS: {
                struct pv init = py_class_lookup(P, f.u.id, P->kw[KW_INIT]);
                if (init.kind == PV_FUNC)
                        (void) call_user(P, c, init.u.id, true);
                return (struct pv) { .kind = PV_OBJ, .u.id = f.u.id };
        }
        default:
                return pv_unknown((py_taints(f) | c->a->taints) & ~PVF_ENV);
        }
}

