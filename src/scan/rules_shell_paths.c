/* Shell analyser: arguments as the rules read them. Option walking, what a path is (secret,
 * start-up file, the root, the home directory, a disk), files the script wrote from downloaded,
 * decoded or secret data, and the report helper shared by the rules. */
#include "rules_shell.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../base/macros.h"

int sh_rep(struct chk *k, uint32_t tok, const char *rule, enum severity sev, const char *cat, bool upgrade,
           const char *fmt, ...) {
        char msg[200];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(msg, sizeof(msg), fmt, ap);
        va_end(ap);
        if (k->ci.evasion) {
                if (sev < SEV_HIGH)
                        sev = SEV_HIGH; /* hiding the name of a dangerous tool is itself a sign */
                return sh_report(k->u, tok, rule, sev, cat, upgrade, "%s (%s)", msg, k->ci.evasion);
        }
        return sh_report(k->u, tok, rule, sev, cat, upgrade, "%s", msg);
}

/* What a message shows for an argument: its value, or its source text when not constant. */
const char *sh_disp(const struct chk *k, const struct sh_arg *a, char *buf, size_t cap) {
        if (sh_arg_known(a) || a->word < 0)
                return sh_printable(buf, cap, a->s, a->n, 80);
        const struct sh_unit *u = k->u;
        const struct sh_word *w = &u->w[a->word];
        uint32_t last = w->te > w->tb ? w->te - 1 : w->tb;
        if (last >= u->toks->n)
                last = (uint32_t) u->toks->n - 1;
        const struct token *t0 = &u->toks->v[w->tb], *t1 = &u->toks->v[last];
        size_t end = (size_t) t1->offset + t1->len;
        return sh_printable(buf, cap, u->toks->src + t0->offset, end > t0->offset ? end - t0->offset : 0, 80);
}

/* ---- options ---- */

void sh_optit_init(struct optit *it, const struct sh_argv *av, size_t from, const char *sv,
                   const char *const *lv) {
        *it = (struct optit){ .av = av, .i = from, .sv = sv, .lv = lv };
}

bool sh_optit_next(struct optit *it) {
        const struct sh_argv *av = it->av;
        it->val = NULL, it->vn = 0, it->lname = NULL, it->lnl = 0;
        if (it->pos) { /* the rest of a cluster */
                const struct sh_arg *a = &av->v[it->i];
                char o = a->s[it->pos++];
                it->opt = o;
                it->arg = it->i;
                if (strchr(it->sv, o)) {
                        if (it->pos < a->n) {
                                it->val = a->s + it->pos, it->vn = a->n - it->pos;
                        } else if (it->i + 1 < av->n) {
                                it->i++;
                                it->val = av->v[it->i].s, it->vn = av->v[it->i].n, it->arg = it->i;
                        }
                        it->pos = 0, it->i++;
                } else if (it->pos >= a->n)
                        it->pos = 0, it->i++;
                return true;
        }
        if (it->i >= av->n)
                return false;
        const struct sh_arg *a = &av->v[it->i];
        it->arg = it->i;
        if (it->no_more || a->n < 2 || a->s[0] != '-' || !sh_arg_known(a)) {
                it->opt = 0;
                it->i++;
                return true;
        }
        if (sh_arg_is(a, "--")) {
                it->no_more = true;
                it->i++;
                return sh_optit_next(it);
        }
        if (a->s[1] == '-') {
                it->opt = '-';
                it->lname = a->s + 2;
                const char *eq = memchr(a->s, '=', a->n);
                it->lnl = eq ? (size_t) (eq - a->s) - 2 : a->n - 2;
                if (eq)
                        it->val = eq + 1, it->vn = a->n - (size_t) (eq + 1 - a->s);
                else
                        for (size_t k = 0; it->lv && it->lv[k]; k++)
                                if (strlen(it->lv[k]) == it->lnl &&
                                    memcmp(it->lv[k], it->lname, it->lnl) == 0 && it->i + 1 < av->n) {
                                        it->i++;
                                        it->val = av->v[it->i].s, it->vn = av->v[it->i].n, it->arg = it->i;
                                        break;
                                }
                it->i++;
                return true;
        }
        it->pos = 1;
        return sh_optit_next(it);
}

bool sh_long_is(const struct optit *it, const char *name) {
        return it->opt == '-' && it->lnl == strlen(name) && memcmp(it->lname, name, it->lnl) == 0;
}

/* The index of the first operand after the name, or av->n. */
size_t sh_first_operand(const struct chk *k, const char *sv, const char *const *lv) {
        struct optit it;
        sh_optit_init(&it, k->av, k->ci.name + 1, sv, lv);
        while (sh_optit_next(&it))
                if (!it.opt)
                        return it.arg;
        return k->av->n;
}

/* ---- paths ---- */

static bool ends_with(const char *s, size_t n, const char *suf) {
        size_t m = strlen(suf);
        return n >= m && strncasecmp(s + n - m, suf, m) == 0;
}

/* scan_path_classify, minus templates: ".env.example" is documentation, not a secret. Cached
 * in the argument (several rules ask about the same one). */
static enum scan_path_kind classify_uncached(const struct sh_arg *a, struct scan_path_hit *hit);
static enum scan_path_kind classify_templates(const struct sh_arg *a, struct scan_path_hit *hit);

enum scan_path_kind sh_classify(const struct sh_arg *a, struct scan_path_hit *hit) {
        struct sh_arg *m = (struct sh_arg *) a;
        if (a->pkind >= 0) {
                *hit = (struct scan_path_hit){ (enum scan_path_kind) a->pkind, a->pwhat };
                return (enum scan_path_kind) a->pkind;
        }
        enum scan_path_kind k = classify_uncached(a, hit);
        m->pkind = (int8_t) k;
        m->pwhat = hit->what;
        return k;
}

static bool kw_at(const char *s, size_t n, size_t i, const char *k) {
        size_t m = strlen(k);
        return n - i >= m && strncasecmp(s + i, k, m) == 0;
}

/* A one-pass necessary condition for scan_path_classify (which matches ~90 patterns one by one):
 * every pattern contains one of these keywords. tests/unit/test_rules_shell.c checks that this
 * stays true for every pattern in rules_common.c. */
bool sh_path_may_be_sensitive(const char *s, size_t n) {
#define K(k) kw_at(s, n, i, k)
        for (size_t i = 0; i < n; i++) {
                switch (s[i] | 0x20) {
                case '.':
                        if (K(".env"))
                                return true;
                        break;
                case 'a':
                        if (K("autostart") || K("aws") || K("azure"))
                                return true;
                        break;
                case 'b':
                        if (K("bash") || K("brave"))
                                return true;
                        break;
                case 'c':
                        if (K("cron") || K("customize") || K("credential") || K("chrom") || K("cookies"))
                                return true;
                        break;
                case 'd':
                        if (K("docker"))
                                return true;
                        break;
                case 'e':
                        if (K("environ") || K("electrum") || K("edge"))
                                return true;
                        break;
                case 'f':
                        if (K("fish") || K("firefox"))
                                return true;
                        break;
                case 'g':
                        if (K("gcloud") || K("gnupg"))
                                return true;
                        break;
                case 'h':
                        if (K("hooks") || K("hosts.yml"))
                                return true;
                        break;
                case 'i':
                        if (K("id_") || K("init.d"))
                                return true;
                        break;
                case 'k':
                        if (K("key") || K("kube"))
                                return true;
                        break;
                case 'l':
                        if (K("launch") || K("login") || K("ld.so"))
                                return true;
                        break;
                case 'n':
                        if (K("netrc") || K("npmrc"))
                                return true;
                        break;
                case 'p':
                        if (K("profile") || K("preload") || K("passwd") || K("password") || K("pypirc"))
                                return true;
                        break;
                case 'r':
                        if (K("rc.local"))
                                return true;
                        break;
                case 's':
                        if (K("ssh") || K("shadow") || K("sudoers") || K("systemd"))
                                return true;
                        break;
                case 'w':
                        if (K("wallet"))
                                return true;
                        break;
                case 'x':
                        if (K("xinit"))
                                return true;
                        break;
                case 'z':
                        if (K("zsh") || K("zlogin"))
                                return true;
                        break;
                default: break;
                }
        }
#undef K
        return false;
}

/* Scripts pass the same paths again and again: a small memo of recent answers, one per thread
 * (serve scans in several). On the heap, allocated at a thread's first use, not as a 32 KiB
 * _Thread_local array: static TLS is zeroed at every process and thread start, 8 page faults for
 * every `run` and `scan` whether it reads a shell script or not (~10 us each on our VMs). */
#define CLASSIFY_MEMO 512
#define CLASSIFY_MEMO_LEN 48
struct memo_slot {
        uint32_t hash;
        uint8_t len;
        int8_t kind;
        const char *what;
        char s[CLASSIFY_MEMO_LEN];
};

static pthread_key_t memo_key;
static pthread_once_t memo_once = PTHREAD_ONCE_INIT;
static bool memo_key_ok;

static void memo_key_init(void) {
        memo_key_ok = pthread_key_create(&memo_key, free) == 0; /* freed when its thread exits */
}

/* NULL when memory is short: then every answer is computed. */
static struct memo_slot *memo_table(void) {
        static _Thread_local struct memo_slot *memo;
        if (memo)
                return memo;
        (void) pthread_once(&memo_once, memo_key_init);
        if (!memo_key_ok)
                return NULL;
        struct memo_slot *m = calloc(CLASSIFY_MEMO, sizeof(*m));
        if (m && pthread_setspecific(memo_key, m) != 0) {
                free(m);
                m = NULL;
        }
        return memo = m;
}

static enum scan_path_kind classify_uncached(const struct sh_arg *a, struct scan_path_hit *hit) {
        *hit = (struct scan_path_hit){ SCAN_PATH_NONE, NULL };
        if (a->n < 3 || !sh_path_may_be_sensitive(a->s, a->n))
                return SCAN_PATH_NONE;
        uint32_t h = 2166136261u;
        struct memo_slot *memo = a->n <= CLASSIFY_MEMO_LEN ? memo_table() : NULL;
        if (memo) {
                for (size_t i = 0; i < a->n; i++)
                        h = (h ^ (unsigned char) a->s[i]) * 16777619u;
                size_t slot = h % CLASSIFY_MEMO;
                if (memo[slot].len == a->n && memo[slot].hash == h && memcmp(memo[slot].s, a->s, a->n) == 0) {
                        *hit = (struct scan_path_hit){ (enum scan_path_kind) memo[slot].kind,
                                                       memo[slot].what };
                        return hit->kind;
                }
        }
        enum scan_path_kind k = classify_templates(a, hit);
        if (memo) {
                size_t slot = h % CLASSIFY_MEMO;
                memo[slot].hash = h;
                memo[slot].len = (uint8_t) a->n;
                memo[slot].kind = (int8_t) k;
                memo[slot].what = hit->what;
                memcpy(memo[slot].s, a->s, a->n);
        }
        return k;
}

static enum scan_path_kind classify_templates(const struct sh_arg *a, struct scan_path_hit *hit) {
        if (ends_with(a->s, a->n, ".example") || ends_with(a->s, a->n, ".sample") ||
            ends_with(a->s, a->n, ".template") || ends_with(a->s, a->n, ".dist") ||
            ends_with(a->s, a->n, ".tmpl"))
                return SCAN_PATH_NONE;
        return scan_path_classify(a->s, a->n, hit);
}

bool sh_under_home(const struct sh_arg *a) {
        return (a->n >= 1 && a->s[0] == '~') || (a->n >= 6 && memcmp(a->s, "/home/", 6) == 0) ||
               (a->n >= 5 && memcmp(a->s, "/root", 5) == 0) || (a->n >= 7 && memcmp(a->s, "/Users/", 7) == 0);
}

/* A secret only because it is ".env" in the working directory: the skill's own settings, most
 * likely; less than a key in the home directory. */
bool sh_local_dotenv(const struct sh_arg *a, const struct scan_path_hit *hit) {
        return hit->what && strcmp(hit->what, "a .env secrets file") == 0 && !sh_under_home(a) &&
               !(a->n && a->s[0] == '/');
}

bool sh_proc_environ(const struct sh_arg *a) {
        return a->n >= 13 && memcmp(a->s, "/proc/", 6) == 0 && ends_with(a->s, a->n, "/environ");
}

/* "/dev/tcp/" or "/dev/udp/" anywhere in the argument. Asked of most arguments: one pass over
 * its slashes rather than two memmem. */
bool sh_dev_tcp(const struct sh_arg *a) {
        const char *s = a->s;
        size_t n = a->n;
        if (n < 9)
                return false;
        for (const char *p = s, *end = s + n - 8; p < end && (p = memchr(p, '/', (size_t) (end - p))); p++)
                if (memcmp(p, "/dev/", 5) == 0 && (memcmp(p + 5, "tcp/", 4) == 0 || memcmp(p + 5, "udp/", 4) == 0))
                        return true;
        return false;
}

bool sh_is_device(const char *s, size_t n) {
        static const char *const devs[] = { "/dev/sd",     "/dev/nvme", "/dev/hd",      "/dev/vd", "/dev/xvd",
                                            "/dev/mmcblk", "/dev/disk", "/dev/mapper/", "/dev/md" };
        if (n <= 7 || memcmp(s, "/dev/", 5) != 0) /* each needs at least 7 bytes and one more */
                return false;
        for (size_t i = 0; i < ELEMENTSOF(devs); i++)
                if (n > strlen(devs[i]) && memcmp(s, devs[i], strlen(devs[i])) == 0)
                        return true;
        return false;
}

bool sh_in_list(const char *s, size_t n, const char *const *list) {
        for (size_t i = 0; list[i]; i++)
                if (strlen(list[i]) == n && memcmp(list[i], s, n) == 0)
                        return true;
        return false;
}

/* What deleting (or chmod -R on) this argument would hit. */
enum tgt sh_target_class(const struct sh_arg *a) {
        static const char *const SYS[] = { "bin",     "boot",    "dev",    "etc",     "home",         "lib",
                                           "lib32",   "lib64",   "libx32", "media",   "mnt",          "opt",
                                           "proc",    "run",     "sbin",   "snap",    "srv",          "sys",
                                           "usr",     "var",     "System", "Library", "Applications", "Users",
                                           "Volumes", "private", NULL };
        static const char *const USERDIRS[] = { "Desktop", "Documents", "Downloads", "Pictures", "Music",
                                                "Videos",  "Public",    "Templates", "Projects", "projects",
                                                "src",     "code",      "work",      "Library",  ".config",
                                                ".local",  ".mozilla",  "snap",      NULL };
        const char *s = a->s;
        size_t n = a->n;
        if (a->lead == SHLEAD_EMPTYABLE) {
                /* "$X/" or "$X"/\* with X never set: an empty X leaves "/" */
                const char *r = s + a->lead_end;
                size_t rn = n - a->lead_end;
                if (sh_arg_is(&(struct sh_arg){ .s = r, .n = (uint32_t) rn }, "/") ||
                    sh_arg_is(&(struct sh_arg){ .s = r, .n = (uint32_t) rn }, "/*") ||
                    sh_arg_is(&(struct sh_arg){ .s = r, .n = (uint32_t) rn }, "/.*"))
                        return TG_EMPTYVAR;
                return TG_NONE;
        }
        if (memchr(s, SH_UNKNOWN, n))
                return TG_NONE;
        if (sh_is_device(s, n))
                return TG_DEVICE;
        bool abs = n > 0 && s[0] == '/';
        /* strip trailing "/", "/\*", "/." */
        while (n > 0) {
                if (s[n - 1] == '/')
                        n--;
                else if (n >= 2 && s[n - 1] == '*' && s[n - 2] == '/')
                        n -= 2;
                else if (n >= 2 && s[n - 1] == '.' && s[n - 2] == '/')
                        n -= 2;
                else
                        break;
        }
        if (n == 0)
                return abs ? TG_ROOT : TG_NONE;
        if ((n == 1 && s[0] == '~') || (n == 5 && memcmp(s, "/root", 5) == 0))
                return TG_HOME;
        if ((n > 6 && memcmp(s, "/home/", 6) == 0 && !memchr(s + 6, '/', n - 6)) ||
            (n > 7 && memcmp(s, "/Users/", 7) == 0 && !memchr(s + 7, '/', n - 7)))
                return TG_HOME;
        bool parents = true;
        for (size_t i = 0; i < n; i += 3) {
                if (!(i + 2 <= n && s[i] == '.' && s[i + 1] == '.' && (i + 2 == n || s[i + 2] == '/'))) {
                        parents = false;
                        break;
                }
        }
        if (parents)
                return TG_PARENT;
        if (abs && !memchr(s + 1, '/', n - 1) && sh_in_list(s + 1, n - 1, SYS))
                return TG_SYS;
        if (n > 2 && s[0] == '~' && s[1] == '/' && !memchr(s + 2, '/', n - 2) &&
            sh_in_list(s + 2, n - 2, USERDIRS))
                return TG_HOMEDIR;
        struct scan_path_hit hit;
        struct sh_arg cut = *a;
        cut.n = (uint32_t) n;
        cut.pkind = -1;
        if (sh_under_home(&cut) && sh_classify(&cut, &hit) != SCAN_PATH_NONE)
                return TG_HOMEDIR;
        return TG_NONE;
}

const char *sh_tgt_what(enum tgt t) {
        switch (t) {
        case TG_ROOT: return "the root of the file system";
        case TG_HOME: return "the home directory";
        case TG_SYS: return "a system directory";
        case TG_PARENT: return "a parent directory";
        case TG_EMPTYVAR: return "/ when a variable that is never set is empty";
        case TG_HOMEDIR: return "user data in the home directory";
        case TG_DEVICE: return "a disk device";
        default: return "";
        }
}

/* ---- downloaded / decoded files ---- */

static void path_norm(const char *s, size_t n, char *out, size_t cap) {
        while (n >= 2 && s[0] == '.' && s[1] == '/')
                s += 2, n -= 2;
        size_t o = 0;
        for (size_t i = 0; i < n && o + 1 < cap; i++) {
                if (s[i] == '/' && o > 0 && out[o - 1] == '/')
                        continue;
                out[o++] = s[i];
        }
        out[o] = '\0';
}

static uint32_t base_hash(const char *p) {
        const char *b = strrchr(p, '/');
        b = b ? b + 1 : p;
        uint32_t h = 2166136261u;
        for (; *b; b++)
                h = (h ^ (unsigned char) *b) * 16777619u;
        return h % SH_FILE_BUCKETS;
}

void sh_file_add(struct chk *k, const char *s, size_t n, uint8_t taint, const char *how) {
        struct sh_scan *sc = k->u->sc;
        if (n == 0 || sh_arg_is(&(struct sh_arg){ .s = s, .n = (uint32_t) n }, "-") ||
            sh_arg_is(&(struct sh_arg){ .s = s, .n = (uint32_t) n }, "/dev/null"))
                return;
        if (sc->nfiles >= SH_FILES_MAX ||
            sh_grow((void **) &sc->files, &sc->capfiles, sc->nfiles + 1, sizeof(*sc->files)) < 0)
                return; /* a memory shortage costs a later match, not the scan */
        struct sh_file *f = &sc->files[sc->nfiles];
        path_norm(s, n, f->path, sizeof(f->path));
        f->taint = taint;
        f->line = sh_tok_line(k->u, k->tok);
        snprintf(f->how, sizeof(f->how), "%s", how);
        uint32_t b = base_hash(f->path);
        f->next = sc->fbucket[b];
        sc->fbucket[b] = (int32_t) sc->nfiles++;
}

static const char *base_of(const char *p) {
        const char *b = strrchr(p, '/');
        return b ? b + 1 : p;
}

/* The latest file written with one of the taints in mask that a is (same path, or same base
 * name: "cd /tmp && curl -O .../x.sh && sh x.sh"). */
const struct sh_file *sh_file_find(const struct chk *k, const struct sh_arg *a, uint8_t mask) {
        const struct sh_scan *sc = k->u->sc;
        char p[256];
        if (sc->nfiles == 0 || a->n == 0 || a->n >= sizeof(p))
                return NULL;
        path_norm(a->s, a->n, p, sizeof(p));
        const char *pb = base_of(p);
        for (int32_t i = sc->fbucket[base_hash(p)]; i >= 0; i = sc->files[i].next) {
                const struct sh_file *f = &sc->files[i];
                if (!(f->taint & mask))
                        continue;
                if (strcmp(f->path, p) == 0)
                        return f;
                if (strlen(pb) > 2 && strcmp(base_of(f->path), pb) == 0)
                        return f;
        }
        return NULL;
}
