/* The Python analyser's attributes, subscripts and methods of values (rules_python_internal.h):
 * module attributes and special objects, globals()/sys.modules/__builtins__ lookups, instance
 * attributes of user classes, and the methods of strings, paths and open files. */
#include "rules_python_internal.h"

#include <stdio.h>
#include <string.h>

#include "../base/macros.h"

/* ---- attributes, subscripts, methods of values ---- */

static bool sym_is(const struct py *P, uint32_t sym, const char *s) {
        if (sym == PY_NOSYM)
                return false;
        size_t n = strlen(s);
        return P->syms[sym].len == n && memcmp(P->syms[sym].s, s, n) == 0;
}

static bool env_keeping(const struct py *P, uint32_t sym) {
        return sym_is(P, sym, "copy") || sym_is(P, sym, "items") || sym_is(P, sym, "keys") || sym_is(P, sym, "values") ||
               sym_is(P, sym, "__iter__") || sym_is(P, sym, "__dict__") || sym_is(P, sym, "_data");
}

struct pv py_attr(struct py *P, uint32_t tok, struct pv v, uint32_t name) {
        if (name == PY_NOSYM)
                return pv_unknown(0);
        switch (v.kind) {
        case PV_REF: {
                /* another module reached through this one: subprocess.os.system is os.system */
                static const char *const MODS[] = { "os", "subprocess", "sys", "builtins", "__builtins__", "importlib" };
                for (size_t k = 0; k < ELEMENTSOF(MODS); k++)
                        if (sym_is(P, name, MODS[k]) && !(v.u.id == P->ref_builtins && k == 3)) {
                                uint32_t r = py_module_ref(P, MODS[k], strlen(MODS[k]));
                                return py_ref(r, 0, v.ev > EV_NAMESPACE ? v.ev : EV_NAMESPACE);
                        }
                uint32_t r = py_ref_child(P, v.u.id, name);
                if (r == PY_NOREF)
                        return pv_unknown(py_taints(v) & ~PVF_ENV);
                uint32_t fl = py_taints(v);
                if ((fl & PVF_ENV) && !env_keeping(P, name))
                        fl &= ~PVF_ENV;
                int at = P->refs[r].attr;
                if (at >= 0) {
                        switch (PY_ATTRS[at].kind) {
                        case A_NUM:
                                return py_num(PY_ATTRS[at].num);
                        case A_ENV:
                                fl |= PVF_ENV;
                                break;
                        case A_PYTHON:
                                return py_str(P, "python3", 7, 0);
                        case A_STR:
                                return py_str(P, PY_ATTRS[at].s, strlen(PY_ATTRS[at].s), 0);
                        case A_TAG: {
                                uint32_t t = py_ref_dotted(P, PY_ATTRS[at].s, strlen(PY_ATTRS[at].s));
                                return py_ref(t, 0, v.ev > EV_NAMESPACE ? v.ev : EV_NAMESPACE);
                        }
                        case A_PROT_EXEC:
                                py_native(P, tok, "mmap with PROT_EXEC");
                                return py_num(PY_ATTRS[at].num);
                        }
                }
                return py_ref(r, fl, v.ev);
        }
        case PV_OBJ:
        case PV_CLASS: {
                struct pv m = py_class_lookup(P, v.u.id, name);
                if (py_not_found(m))
                        return pv_unknown(0);
                if (m.kind == PV_FUNC && m.u.id < P->n_scopes) {
                        const struct py_scope *sc = &P->scopes[m.u.id];
                        if ((v.kind == PV_OBJ && !sc->is_static) || sc->is_classmethod)
                                m.fl |= PVF_BOUND;
                }
                return m;
        }
        case PV_STR:
                if (v.fl & PVF_PATHOBJ) {
                        if (sym_is(P, name, "parent")) {
                                size_t n = v.n;
                                while (n > 1 && v.u.s[n - 1] == '/')
                                        n--;
                                while (n > 0 && v.u.s[n - 1] != '/')
                                        n--;
                                if (n > 1)
                                        n--;
                                return py_str(P, v.u.s, n ? n : 1, (v.fl & (PVF_PATHOBJ | PVF_TAINTS | PVF_HOLES)));
                        }
                }
                return pv_unknown(py_taints(v) & ~PVF_ENV);
        default: {
                uint32_t fl = py_taints(v);
                if ((fl & PVF_ENV) && !env_keeping(P, name))
                        fl &= ~PVF_ENV;
                return pv_unknown(fl);
        }
        }
}

struct pv py_subscript(struct py *P, uint32_t tok, struct pv v, struct pv key, bool rev) {
        if (rev)
                return py_reverse(P, v);
        if (v.kind == PV_REF) {
                uint32_t id = v.u.id;
                if (id == P->ref_os_environ || (P->refs[id].attr >= 0 && PY_ATTRS[P->refs[id].attr].kind == A_ENV))
                        return py_getenv_value(P, key);
                if (!py_is_const_str(key) || key.n == 0 || key.n > 128)
                        return pv_unknown(0);
                uint8_t ev = key.ev > EV_NAMESPACE ? key.ev : (key.fl & PVF_PIECES) ? EV_PIECES : EV_NAMESPACE;
                if (id == P->ref_sys_modules)
                        return py_ref(py_module_ref(P, key.u.s, key.n), 0, ev);
                uint32_t sym = py_intern(P, key.u.s, key.n, true);
                if (sym == PY_NOSYM)
                        return pv_unknown(0);
                if (id == P->ref_globals) {
                        uint32_t saved = P->scope;
                        P->scope = 0;
                        struct pv r = py_lookup(P, sym, tok);
                        P->scope = saved;
                        if (r.kind == PV_REF && r.ev < ev)
                                r.ev = ev;
                        return r;
                }
                if (id == P->ref_builtins_dict || id == P->ref_builtins)
                        return py_ref(py_ref_child(P, P->ref_builtins, sym), 0, ev);
                return pv_unknown(py_taints(v) & ~PVF_ENV);
        }
        if (v.kind == PV_LIST && key.kind == PV_NUM && !(v.fl & PVF_DICT)) {
                int64_t i = key.u.num < 0 ? key.u.num + v.n : key.u.num;
                if (i >= 0 && i < (int64_t) v.n && !((v.fl & PVF_HOLES) && key.u.num < 0))
                        return v.u.items[i];
        }
        /* TOOLS[kind], ARGS[i]: one of the elements (keys of a dict are not kept) */
        if (v.kind == PV_LIST && !(v.fl & PVF_HOLES) && v.n > 0 && v.n <= 64) {
                struct pv acc = v.u.items[0];
                for (uint32_t k = 1; k < v.n; k++)
                        acc = py_join(P, acc, v.u.items[k]);
                acc.fl |= py_taints(v) & ~PVF_ENV;
                return acc;
        }
        if (py_is_const_str(v) && key.kind == PV_NUM) {
                int64_t i = key.u.num < 0 ? key.u.num + v.n : key.u.num;
                if (i >= 0 && i < (int64_t) v.n)
                        return py_str(P, v.u.s + i, 1, PVF_PIECES | (v.fl & PVF_TAINTS));
        }
        return pv_unknown(py_taints(v) & ~PVF_ENV);
}

/* A method called on a value that is not a module or class: strings, paths, open files. */
struct pv py_method(struct py *P, uint32_t tok, struct pv recv, uint32_t name, const struct py_args *a) {
        uint32_t t = py_taints(recv);
        char who[96];
        const struct py_sym *ms = &P->syms[name];
        if (recv.kind == PV_STR && (recv.fl & PVF_FILEOBJ)) {
                if (sym_is(P, name, "write") || sym_is(P, name, "writelines")) {
                        if (a->npos >= 1) {
                                py_env_sink(P, tok, a->pos[0], "written to a file");
                                if (a->pos[0].fl & PVF_NET)
                                        py_note_download(P, recv);
                        }
                        return pv_unknown(0);
                }
                if (sym_is(P, name, "read") || sym_is(P, name, "readlines") || sym_is(P, name, "readline")) {
                        bool secret = scan_path_classify(recv.u.s, recv.n, NULL) == SCAN_PATH_SECRET;
                        return pv_unknown(secret ? PVF_SECRETDATA : 0);
                }
                return pv_unknown(0);
        }
        if (recv.kind == PV_STR && (recv.fl & PVF_PATHOBJ)) {
                snprintf(who, sizeof(who), ".%.*s()", (int) (ms->len > 40 ? 40 : ms->len), ms->s);
                struct pv path = recv;
                path.fl &= ~PVF_PATHOBJ;
                if (sym_is(P, name, "write_text") || sym_is(P, name, "write_bytes") || sym_is(P, name, "touch") ||
                    sym_is(P, name, "symlink_to") || sym_is(P, name, "hardlink_to")) {
                        snprintf(who, sizeof(who), "Path.%.*s()", (int) (ms->len > 40 ? 40 : ms->len), ms->s);
                        (void) py_judge_path(P, tok, recv, OP_WRITE, who);
                        if (a->npos >= 1) {
                                py_env_sink(P, tok, a->pos[0], "written to a file");
                                if (a->pos[0].fl & PVF_NET)
                                        py_note_download(P, path);
                        }
                        return pv_unknown(0);
                }
                if (sym_is(P, name, "read_text") || sym_is(P, name, "read_bytes") || sym_is(P, name, "iterdir") ||
                    sym_is(P, name, "glob") || sym_is(P, name, "rglob")) {
                        snprintf(who, sizeof(who), "Path.%.*s()", (int) (ms->len > 40 ? 40 : ms->len), ms->s);
                        (void) py_judge_path(P, tok, recv, OP_READ, who);
                        bool secret = scan_path_classify(recv.u.s, recv.n, NULL) == SCAN_PATH_SECRET;
                        return pv_unknown(secret ? PVF_SECRETDATA : 0);
                }
                if (sym_is(P, name, "open")) {
                        const struct pv *m = py_arg(P, a, 0, "mode");
                        bool write = m && (m->kind != PV_STR || memchr(m->u.s, 'w', m->n) || memchr(m->u.s, 'a', m->n) ||
                                           memchr(m->u.s, 'x', m->n) || memchr(m->u.s, '+', m->n));
                        struct pv v = py_judge_path(P, tok, recv, write ? OP_WRITE : OP_READ, "Path.open()");
                        v.fl = (v.fl & (PVF_PATH_SEEN | PVF_HOLES)) | PVF_FILEOBJ | (write ? PVF_WRITE : 0);
                        return v;
                }
                if (sym_is(P, name, "chmod")) {
                        if (a->npos >= 1 && a->pos[0].kind == PV_NUM && (a->pos[0].u.num & 06000))
                                py_report(P, tok, "py.privilege.setuid", SEV_CRITICAL, "privilege",
                                          "Path.chmod() sets the setuid/setgid bit");
                        (void) py_judge_path(P, tok, recv, OP_CHMOD, "Path.chmod()");
                        if (py_was_downloaded(P, path))
                                py_report(P, tok, "py.download_exec.fetch-and-run", SEV_CRITICAL, "download_exec",
                                          "Path.chmod() makes a file this script downloaded executable");
                        return pv_unknown(0);
                }
                if (sym_is(P, name, "unlink") || sym_is(P, name, "rmdir")) {
                        (void) py_judge_path(P, tok, path, OP_REMOVE, who);
                        return pv_unknown(0);
                }
                if (sym_is(P, name, "joinpath")) {
                        struct pv *parts = py_scratch(P);
                        if (!parts || a->npos + 1u > PY_LIST_MAX)
                                return pv_unknown(t);
                        parts[0] = recv;
                        memcpy(parts + 1, a->pos, a->npos * sizeof(parts[0]));
                        struct pv v = py_path_join(P, parts, a->npos + 1u, PVF_PATHOBJ | (recv.fl & PVF_PATH_SEEN));
                        return v.kind == PV_STR ? py_judge_path(P, tok, v, OP_BUILD, "Path.joinpath()") : v;
                }
                if (sym_is(P, name, "expanduser") || sym_is(P, name, "resolve") || sym_is(P, name, "absolute") ||
                    sym_is(P, name, "as_posix") || sym_is(P, name, "__str__"))
                        return sym_is(P, name, "as_posix") ? path : recv;
                if (sym_is(P, name, "rename") || sym_is(P, name, "replace")) {
                        if (a->npos >= 1)
                                (void) py_judge_path(P, tok, a->pos[0], OP_WRITE, who);
                        return pv_unknown(0);
                }
                return pv_unknown(t & ~PVF_ENV);
        }
        if (recv.kind == PV_STR) {
                if (sym_is(P, name, "join") && a->npos == 1) {
                        struct pv l = a->pos[0];
                        py_env_sink(P, tok, l, "joined into a string");
                        if (l.kind != PV_LIST || (l.fl & PVF_DICT))
                                return l.kind == PV_STR ? l : (struct pv) pv_unknown(py_taints(l) | t);
                        struct pv acc = py_str(P, "", 0, 0);
                        for (uint32_t k = 0; k < l.n; k++) {
                                if (k)
                                        acc = py_concat(P, acc, recv);
                                acc = py_concat(P, acc, py_to_text(P, l.u.items[k]));
                        }
                        if (l.fl & PVF_HOLES)
                                acc = py_concat(P, acc, pv_unknown(0));
                        if (acc.kind == PV_STR) {
                                acc.fl |= PVF_PIECES;
                                acc.fl &= ~PVF_LITERAL;
                                if (acc.ev < EV_PIECES && l.n > 1)
                                        acc.ev = EV_PIECES;
                        }
                        return acc;
                }
                if (sym_is(P, name, "decode") || sym_is(P, name, "encode")) {
                        const struct pv *enc = py_arg(P, a, 0, "encoding");
                        if (enc && py_is_const_str(*enc)) {
                                if (py_str_eq(*enc, "hex") || py_str_eq(*enc, "hex_codec"))
                                        return sym_is(P, name, "decode") ? py_decode(P, recv, DEC_HEX) : pv_unknown(t);
                                if (py_str_eq(*enc, "base64") || py_str_eq(*enc, "base64_codec"))
                                        return sym_is(P, name, "decode") ? py_decode(P, recv, DEC_B64) : pv_unknown(t);
                                if (py_str_eq(*enc, "rot13") || py_str_eq(*enc, "rot_13"))
                                        return py_decode(P, recv, DEC_ROT13);
                                if (py_str_eq(*enc, "zlib") || py_str_eq(*enc, "bz2"))
                                        return py_decode(P, recv, DEC_OPAQUE);
                        }
                        struct pv r = recv;
                        r.fl &= ~(PVF_BYTES | PVF_FILEOBJ | PVF_WRITE | PVF_PATHOBJ);
                        if (sym_is(P, name, "encode"))
                                r.fl |= PVF_BYTES;
                        return r;
                }
                if (sym_is(P, name, "format")) {
                        py_env_sink_args(P, tok, a, "formatted into a string");
                        return py_format(P, recv, a, false, pv_unknown(0));
                }
                if ((sym_is(P, name, "lower") || sym_is(P, name, "upper") || sym_is(P, name, "swapcase") ||
                     sym_is(P, name, "casefold")) && recv.kind == PV_STR) {
                        char *s = py_alloc(P, py_cur_arena(P), recv.n + 1);
                        if (!s)
                                return pv_unknown(t);
                        bool up = sym_is(P, name, "upper"), sw = sym_is(P, name, "swapcase");
                        for (uint32_t k = 0; k < recv.n; k++) {
                                unsigned char ch = (unsigned char) recv.u.s[k];
                                bool isu = ch >= 'A' && ch <= 'Z', isl = ch >= 'a' && ch <= 'z';
                                if ((up || (sw && isl)) && isl)
                                        ch = (unsigned char) (ch - 32);
                                else if ((!up || sw) && isu)
                                        ch = (unsigned char) (ch + 32);
                                s[k] = (char) ch;
                        }
                        struct pv r = py_str(P, s, recv.n, (recv.fl & (PVF_TAINTS | PVF_HOLES | PVF_BYTES)) | PVF_PIECES);
                        r.ev = recv.ev > EV_PIECES ? recv.ev : EV_PIECES;
                        return r;
                }
                if (sym_is(P, name, "strip") || sym_is(P, name, "lstrip") || sym_is(P, name, "rstrip")) {
                        if (a->npos > 0 || recv.kind != PV_STR)
                                return pv_unknown(t);
                        size_t i = 0, j = recv.n;
                        bool l = !sym_is(P, name, "rstrip"), r = !sym_is(P, name, "lstrip");
                        while (l && i < j && strchr(" \t\n\r\v\f", recv.u.s[i]))
                                i++;
                        while (r && j > i && strchr(" \t\n\r\v\f", recv.u.s[j - 1]))
                                j--;
                        return py_str(P, recv.u.s + i, j - i, recv.fl & (PVF_TAINTS | PVF_HOLES | PVF_BYTES | PVF_PIECES));
                }
                if (sym_is(P, name, "replace") && a->npos >= 2 && py_is_const_str(a->pos[0]) && a->pos[0].n > 0 &&
                    py_is_const_str(a->pos[1]) && recv.kind == PV_STR) {
                        struct pv acc = py_str(P, "", 0, 0);
                        size_t i = 0;
                        while (i < recv.n && acc.kind == PV_STR) {
                                const char *f = memmem(recv.u.s + i, recv.n - i, a->pos[0].u.s, a->pos[0].n);
                                size_t j = f ? (size_t) (f - recv.u.s) : recv.n;
                                acc = py_concat(P, acc, py_str(P, recv.u.s + i, j - i, 0));
                                if (!f)
                                        break;
                                acc = py_concat(P, acc, a->pos[1]);
                                i = j + a->pos[0].n;
                        }
                        if (acc.kind == PV_STR) {
                                acc.fl |= (recv.fl & (PVF_TAINTS | PVF_HOLES)) | PVF_PIECES;
                                acc.ev = EV_PIECES;
                        }
                        return acc;
                }
                if (sym_is(P, name, "split"))
                        return py_split_words(P, recv, a->npos >= 1 ? a->pos[0] : (struct pv) { .kind = PV_NONE });
                if (sym_is(P, name, "fromhex"))
                        return a->npos >= 1 ? py_decode(P, a->pos[0], DEC_HEX) : pv_unknown(0);
                return pv_unknown(t & ~PVF_ENV);
        }
        if (py_is_env(P, recv)) {
                /* a copy of the environment is still the environment; one variable is not */
                if (sym_is(P, name, "items") || sym_is(P, name, "keys") || sym_is(P, name, "values") ||
                    sym_is(P, name, "copy"))
                        return pv_unknown(t);
                return pv_unknown(t & ~PVF_ENV);
        }
        if (recv.kind == PV_LIST && sym_is(P, name, "copy"))
                return recv;
        if (recv.kind == PV_LIST && (recv.fl & PVF_DICT)) {
                if (sym_is(P, name, "values")) {
                        struct pv r = recv;
                        r.fl &= ~PVF_DICT;
                        return r;
                }
                if (sym_is(P, name, "get") && a->npos >= 1 && !(recv.fl & PVF_HOLES) && recv.n > 0 && recv.n <= 64) {
                        struct pv acc = a->npos >= 2 ? a->pos[1] : (struct pv) { .kind = PV_NONE };
                        for (uint32_t k = 0; k < recv.n; k++)
                                acc = py_join(P, acc, recv.u.items[k]);
                        return acc;
                }
        }
        return pv_unknown(t & ~PVF_ENV);
}
