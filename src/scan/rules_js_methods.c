/* Methods of the values the JavaScript analyser computes: string and array methods used to
 * assemble names (split/reverse/join, replace, slice, fromCharCode maps), Function.prototype
 * call/apply/bind, promise chains that carry network data, sockets and XMLHttpRequest. */
#include <stdio.h>
#include <string.h>

#include "rules_js_int.h"

/* ---- methods of values --------------------------------------------------------------------------- */

static struct jv str_method(struct jsa *a, const struct jv *r, const char *m, size_t ml, const struct jv *args,
                            size_t n) {
        struct jv none = jv_unknown(0);
        const struct jv *a0 = n > 0 ? &args[0] : &none, *a1 = n > 1 ? &args[1] : &none;
        uint16_t keep = r->flags & (VF_TAINT | VF_BUILT | VF_HOME);
        if (!jv_is_str(r))
                return jv_unknown(r->flags & VF_TAINT);
        if (js_name_is(m, ml, "split")) {
                if (!jv_is_str(a0) || r->n > 2 * JS_ITEMS_MAX)
                        return jv_unknown(r->flags & VF_TAINT);
                struct jv *items = arena_alloc(a, (r->n + 1) * sizeof(*items));
                if (!items)
                        return jv_unknown(0);
                uint32_t cnt = 0;
                if (a0->n == 0) {
                        for (uint32_t i = 0; i < r->n; i++)
                                items[cnt++] = jv_str(r->s + i, 1, keep, JS_NONE);
                } else {
                        size_t s = 0;
                        for (;;) {
                                const char *hit = s <= r->n ? memmem(r->s + s, r->n - s, a0->s, a0->n) : NULL;
                                size_t e = hit ? (size_t) (hit - r->s) : r->n;
                                items[cnt++] = jv_str(r->s + s, e - s, keep, JS_NONE);
                                if (!hit || cnt > r->n)
                                        break;
                                s = e + a0->n;
                        }
                }
                return (struct jv) { .kind = JV_ARRAY, .items = items, .n = cnt, .flags = keep, .origin = r->origin };
        }
        struct jfold f = { 0 };
        f.flags = keep;
        if (js_name_is(m, ml, "concat")) {
                jfold_add(&f, r->s, r->n);
                for (size_t i = 0; i < n; i++)
                        jfold_add_jv(&f, &args[i]);
                f.flags |= VF_BUILT;
        } else if ((js_name_is(m, ml, "replace") || js_name_is(m, ml, "replaceAll")) && jv_is_str(a0) &&
                   jv_is_str(a1) && a0->n) {
                bool all = js_name_is(m, ml, "replaceAll");
                size_t s = 0;
                bool done = false;
                while (s <= r->n) {
                        const char *hit = done ? NULL : memmem(r->s + s, r->n - s, a0->s, a0->n);
                        if (!hit) {
                                jfold_add(&f, r->s + s, r->n - s);
                                break;
                        }
                        jfold_add(&f, r->s + s, (size_t) (hit - (r->s + s)));
                        jfold_add(&f, a1->s, a1->n);
                        s = (size_t) (hit - r->s) + a0->n;
                        done = !all;
                }
                f.flags |= VF_BUILT;
        } else if (js_name_is(m, ml, "slice") || js_name_is(m, ml, "substring") || js_name_is(m, ml, "substr")) {
                double s0 = a0->kind == JV_NUM ? a0->num : 0, e0 = a1->kind == JV_NUM ? a1->num : r->n;
                if (js_name_is(m, ml, "substr"))
                        e0 = s0 + (a1->kind == JV_NUM ? a1->num : r->n);
                if (s0 < 0 && !js_name_is(m, ml, "substring"))
                        s0 += r->n;
                if (e0 < 0 && js_name_is(m, ml, "slice"))
                        e0 += r->n;
                if (s0 < 0)
                        s0 = 0;
                if (e0 > r->n)
                        e0 = r->n;
                if (e0 > s0)
                        jfold_add(&f, r->s + (size_t) s0, (size_t) e0 - (size_t) s0);
                f.flags |= VF_BUILT;
        } else if (js_name_is(m, ml, "toLowerCase") || js_name_is(m, ml, "toUpperCase")) {
                bool up = js_name_is(m, ml, "toUpperCase");
                for (uint32_t i = 0; i < r->n; i++) {
                        char c = r->s[i];
                        if (up && c >= 'a' && c <= 'z')
                                c = (char) (c - 32);
                        else if (!up && c >= 'A' && c <= 'Z')
                                c = (char) (c + 32);
                        jfold_add(&f, &c, 1);
                }
        } else if (js_name_is(m, ml, "trim") || js_name_is(m, ml, "toString") || js_name_is(m, ml, "valueOf") ||
                   js_name_is(m, ml, "normalize") || js_name_is(m, ml, "trimStart") || js_name_is(m, ml, "trimEnd")) {
                size_t s = 0, e = r->n;
                if (!js_name_is(m, ml, "toString") && !js_name_is(m, ml, "valueOf") &&
                    !js_name_is(m, ml, "normalize")) {
                        while (s < e && (r->s[s] == ' ' || r->s[s] == '\n' || r->s[s] == '\t' || r->s[s] == '\r'))
                                s++;
                        while (e > s && (r->s[e - 1] == ' ' || r->s[e - 1] == '\n' || r->s[e - 1] == '\t' ||
                                         r->s[e - 1] == '\r'))
                                e--;
                }
                if (js_name_is(m, ml, "toString") && (js_enc_is(a0, "base64") || js_enc_is(a0, "hex")))
                        return jv_unknown(r->flags & VF_TAINT & ~VF_DECODED);
                struct jv v = *r;
                v.s += s;
                v.n = (uint32_t) (e - s);
                free(f.p);
                return v;
        } else if ((js_name_is(m, ml, "charAt") || js_name_is(m, ml, "at")) && a0->kind == JV_NUM) {
                double i = a0->num < 0 ? a0->num + r->n : a0->num;
                if (i >= 0 && i < r->n)
                        jfold_add(&f, r->s + (size_t) i, 1);
                f.flags |= VF_BUILT;
        } else if (js_name_is(m, ml, "repeat") && a0->kind == JV_NUM && a0->num >= 0 && a0->num <= JS_FOLD_MAX &&
                   a0->num * r->n <= JS_FOLD_MAX) {
                for (uint32_t i = 0; i < (uint32_t) a0->num; i++)
                        jfold_add(&f, r->s, r->n);
        } else if (js_name_is(m, ml, "charCodeAt") && a0->kind != JV_UNKNOWN) {
                double i = a0->kind == JV_NUM ? a0->num : 0;
                free(f.p);
                return i >= 0 && i < r->n ? jv_num((unsigned char) r->s[(size_t) i]) : jv_unknown(0);
        } else {
                free(f.p);
                return jv_unknown(r->flags & VF_TAINT);
        }
        struct jv v = jfold_end(a, &f, r->origin);
        if (v.kind == JV_STR && (v.flags & VF_BUILT) && !v.how)
                v.how = r->how ? r->how : "a name built with string methods";
        return v;
}

static bool body_mentions(const struct jsa *a, const struct jv *fn, const char *word) {
        if (fn->kind != JV_FUNC || fn->aux >= a->n)
                return false;
        size_t wl = strlen(word);
        for (size_t i = fn->aux; i < fn->n && i < a->n; i++)
                if (a->tk[i].kind == TOK_IDENT && a->tk[i].len == wl && memcmp(a->tk[i].text, word, wl) == 0)
                        return true;
        return false;
}

static struct jv array_method(struct jsa *a, const struct jv *r, const char *m, size_t ml, const struct jv *args,
                              size_t n) {
        struct jv none = jv_unknown(0);
        const struct jv *a0 = n > 0 ? &args[0] : &none;
        uint16_t taint = r->flags & VF_TAINT;
        for (uint32_t i = 0; i < r->n; i++)
                taint |= r->items[i].flags & VF_TAINT;
        if (js_name_is(m, ml, "join") || js_name_is(m, ml, "toString")) {
                struct jfold f = { 0 };
                for (uint32_t i = 0; i < r->n; i++) {
                        if (i) {
                                if (js_name_is(m, ml, "join") && jv_is_str(a0))
                                        jfold_add(&f, a0->s, a0->n);
                                else if (!js_name_is(m, ml, "join") || a0->kind == JV_UNKNOWN)
                                        jfold_add(&f, ",", 1);
                        }
                        jfold_add_jv(&f, &r->items[i]);
                }
                f.flags |= VF_BUILT | (r->flags & (VF_DECODED));
                struct jv v = jfold_end(a, &f, r->origin);
                if (v.kind == JV_STR && !v.how)
                        v.how = r->how ? r->how : "a name joined from an array";
                return v;
        }
        if (js_name_is(m, ml, "reverse") || js_name_is(m, ml, "toReversed")) {
                struct jv *items = arena_alloc(a, (r->n + 1) * sizeof(*items));
                if (!items)
                        return jv_unknown(taint);
                for (uint32_t i = 0; i < r->n; i++)
                        items[i] = r->items[r->n - 1 - i];
                return (struct jv) { .kind = JV_ARRAY, .items = items, .n = r->n, .flags = r->flags | VF_BUILT,
                                     .how = "a reversed string", .origin = r->origin };
        }
        if (js_name_is(m, ml, "map")) {
                bool fcc = (a0->kind == JV_MEMBER && a0->mod == MOD_STRING &&
                            js_name_is(a0->s, a0->n, "fromCharCode")) ||
                           body_mentions(a, a0, "fromCharCode");
                if (fcc) {
                        struct jv *items = arena_alloc(a, (r->n + 1) * sizeof(*items));
                        if (!items)
                                return jv_unknown(taint | VF_DECODED);
                        for (uint32_t i = 0; i < r->n; i++) {
                                items[i] = js_from_char_codes(a, &r->items[i], 1);
                                if (items[i].kind != JV_STR)
                                        return jv_unknown(taint | VF_DECODED);
                        }
                        return (struct jv) { .kind = JV_ARRAY, .items = items, .n = r->n,
                                             .flags = VF_BUILT | VF_DECODED | taint, .how = "String.fromCharCode",
                                             .origin = r->origin };
                }
                return jv_unknown(taint);
        }
        if (js_name_is(m, ml, "concat")) {
                size_t total = r->n;
                for (size_t i = 0; i < n; i++)
                        total += args[i].kind == JV_ARRAY ? args[i].n : 1;
                if (total > 2 * JS_ITEMS_MAX)
                        return jv_unknown(taint);
                struct jv *items = arena_alloc(a, (total + 1) * sizeof(*items));
                if (!items)
                        return jv_unknown(taint);
                size_t c = 0;
                for (uint32_t i = 0; i < r->n; i++)
                        items[c++] = r->items[i];
                for (size_t i = 0; i < n; i++) {
                        if (args[i].kind == JV_ARRAY)
                                for (uint32_t j = 0; j < args[i].n; j++)
                                        items[c++] = args[i].items[j];
                        else
                                items[c++] = args[i];
                }
                return (struct jv){
                        .kind = JV_ARRAY, .items = items, .n = (uint32_t) c, .flags = r->flags, .origin = r->origin
                };
        }
        return jv_unknown(taint);
}

struct jv js_method_call(struct jsa *a, const struct jv *mcall, const struct jv *args, size_t n, uint32_t k,
                         uint32_t from, uint32_t first_arg_tok) {
        const struct jv *r = mcall->recv;
        const char *m = mcall->s;
        size_t ml = mcall->n;
        struct jv none = jv_unknown(0);
        const struct jv *a0 = n > 0 ? &args[0] : &none;
        (void) first_arg_tok;
        if (js_name_is(m, ml, "_compile")) {
                struct who w;
                snprintf(w.text, sizeof(w.text), "Module._compile");
                js_code_sink(a, k, "js.code.module-compile", mcall, a0, &w);
                return jv_unknown(0);
        }
        if ((jv_is_fn(r) || r->kind == JV_FUNC) &&
            (js_name_is(m, ml, "call") || js_name_is(m, ml, "apply") || js_name_is(m, ml, "bind"))) {
                struct jv fn = *r;
                if (js_name_is(m, ml, "bind")) {
                        /* Function.call.bind(f) calls f, not Function */
                        if (r->kind == JV_METHOD && (js_name_is(r->s, r->n, "call") || js_name_is(r->s, r->n, "apply")))
                                return n > 0 && jv_is_fn(a0) ? js_member(a, a0, r->s, r->n, false, NULL)
                                                             : jv_unknown(0);
                        return fn;
                }
                if (js_name_is(m, ml, "call"))
                        return js_call(a, &fn, n > 1 ? args + 1 : NULL, n > 1 ? n - 1 : 0, false, k, JS_NONE, from,
                                       NULL);
                struct jv one = jv_unknown(n > 1 ? args[1].flags & VF_TAINT : 0);
                if (n > 1 && args[1].kind == JV_ARRAY)
                        return js_call(a, &fn, args[1].items, args[1].n, false, k, JS_NONE, from, NULL);
                return js_call(a, &fn, &one, n > 1, false, k, JS_NONE, from, NULL);
        }
        if (r->kind == JV_STR)
                return str_method(a, r, m, ml, args, n);
        if (r->kind == JV_ARRAY)
                return array_method(a, r, m, ml, args, n);
        if (js_name_is(m, ml, "then") || js_name_is(m, ml, "catch") || js_name_is(m, ml, "finally")) {
                if (a0->kind == JV_FUNC && a0->ret) {
                        struct jv v = *a0->ret;
                        v.flags |= r->flags & VF_TAINT;
                        return v;
                }
                return jv_unknown(r->flags & VF_TAINT);
        }
        struct who w;
        if (r->flags & VF_SOCKET) {
                if (js_name_is(m, ml, "connect")) {
                        snprintf(w.text, sizeof(w.text), "socket.connect");
                        js_net_host(a, k, &w, args, n);
                        return jv_unknown(VF_NETWORK | VF_SOCKET);
                }
                if (js_name_is(m, ml, "send")) {
                        /* dgram: send(msg, [offset, length,] port, host) */
                        const struct jv *host = NULL;
                        for (size_t i = n; i-- > 1;)
                                if (args[i].kind == JV_STR) {
                                        host = &args[i];
                                        break;
                                }
                        char h[256];
                        snprintf(w.text, sizeof(w.text), "socket.send");
                        js_net_report(a, k, "js.network.socket", &w,
                                      host && js_str_host(host, h, sizeof(h)) ? h : NULL, 0, args, 1);
                        return jv_unknown(0);
                }
                if (js_name_is(m, ml, "write") || js_name_is(m, ml, "end")) {
                        if (a->reporting)
                                js_env_exfil(a, k, args, n, "sent over a socket");
                        return jv_unknown(0);
                }
        }
        if ((r->flags & VF_XHR) && js_name_is(m, ml, "open") && n > 1) {
                snprintf(w.text, sizeof(w.text), "XMLHttpRequest.open");
                js_net_url(a, k, "js.network.http", &w, &args[1], args, 0);
                return jv_unknown(VF_NETWORK | VF_XHR);
        }
        if ((r->flags & VF_XHR) && js_name_is(m, ml, "send")) {
                if (a->reporting)
                        js_env_exfil(a, k, args, n, "sent over the network");
                return jv_unknown(0);
        }
        if (js_name_is(m, ml, "pipe") && (r->flags & VF_NETWORK) && (a0->flags & VF_WSTREAM) && a0->s)
                js_record_download(a, a0->s, a0->n);
        if (js_name_is(m, ml, "toString") && (js_enc_is(a0, "base64") || js_enc_is(a0, "hex")))
                return jv_unknown(r->flags & VF_TAINT & ~VF_DECODED);
        return jv_unknown(r->flags & VF_TAINT);
}
