/* SKILL.md text checks (skill_md_checks.h). Plain byte scanning, line by line, with a tiny phrase
 * matcher instead of a regex engine: every loop is linear in the input, bounded by small tables. */
#include "skill_md_checks.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "../base/macros.h"
#include "../base/utf8.h"

#define NPOS SIZE_MAX
#define WS_RUN_MAX 16   /* "ignore   previous" still matches, but a blank run is never rescanned far */
#define B64_RUN_MIN 200 /* shorter base64 is an example; longer hides a payload from the reader */
#define TAG_SHOW_MAX 120
#define CP_LIST_MAX 6

struct line {
        const char *s;
        size_t n;
        uint32_t no;
};

struct md_scan {
        const char *text, *file;
        struct findings *f;
        bool bad_utf8_seen, in_fence, in_comment, comment_hot; /* hot: instructions or commands inside */
        char fence_ch;
        size_t fence_n;
        struct line comment_at, b64_at;
        uint32_t comment_col;
        size_t b64_len; /* base64-only lines in a fenced block, summed */
        unsigned b64_classes;
        uint32_t phrase_first[256];
        /* Reading secrets and sending to an address may be told on different lines: */
        bool secret_read_seen;       /* an md.secrets.read at medium or above */
        bool send_seen;              /* a sending verb on a line with a concrete address */
        struct line send_at;
        size_t send_col;
};

static char lower(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
}
static bool is_word(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}
static bool is_ws(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}
static size_t skip_ws(const char *s, size_t n, size_t i) {
        while (i < n && (s[i] == ' ' || s[i] == '\t'))
                i++;
        return i;
}

/* Length of lowercase w when it occurs at s[i] (case-insensitive), else 0. */
static size_t ci_at(const char *s, size_t n, size_t i, const char *w) {
        size_t k = 0;
        for (; w[k]; k++)
                if (i + k >= n || lower(s[i + k]) != w[k])
                        return 0;
        return k;
}
static size_t ci_find(const char *s, size_t n, size_t from, const char *w) {
        for (size_t i = from; i < n; i++)
                if (ci_at(s, n, i, w))
                        return i;
        return NPOS;
}
/* w at s[i] as a whole word: no word character glued to either end (when w's end is one). */
static bool word_at(const char *s, size_t n, size_t i, const char *w) {
        size_t k = ci_at(s, n, i, w);
        return k && (i == 0 || !is_word(s[i - 1]) || !is_word(w[0])) &&
               (i + k == n || !is_word(s[i + k]) || !is_word(w[k - 1]));
}
static size_t find_word(const char *s, size_t n, const char *w) {
        for (size_t i = 0; i < n; i++)
                if (word_at(s, n, i, w))
                        return i;
        return NPOS;
}
static size_t find_any_word(const char *s, size_t n, const char *const *ws) {
        size_t best = NPOS;
        for (; *ws; ws++) {
                size_t i = find_word(s, n, *ws);
                if (i < best)
                        best = i;
        }
        return best;
}

/* A finding on line l at byte offset col0 of the line; the snippet is the line. */
#define ADD(m, rule, sev, cat, l, col0, ...)                                                                  \
        findings_add((m)->f, rule, sev, cat, (m)->file, (l)->no,                                           \
                     (uint32_t) ((col0) < UINT32_MAX ? (col0) + 1 : UINT32_MAX), (l)->s, (l)->n, __VA_ARGS__)

/* ---- phrase matcher: a phrase is a list of slots; a slot is "alt|alt|..." and optional when it starts
 * with '?'. Slots are separated by 1..WS_RUN_MAX blanks; a ' ' inside an alternative is such a run
 * too; the alternative "$" matches the end of a sentence. Depth <= slots, so recursion is bounded. */
struct phrase {
        const char *rule;
        enum severity sev;
        const char *what;
        const char *slots[8];
};

static const struct phrase PHRASES[] = {
        { "md.injection.ignore-instructions", SEV_HIGH, "tells the agent to drop the instructions it was given",
          { "ignore|forget|disregard", "?all", "?of", "?the|your|any|my", "previous|prior|above|earlier|preceding",
            "?system", "instructions|instruction|directions|rules|prompts|prompt|guidelines" } },
        { "md.injection.ignore-instructions", SEV_HIGH, "tells the agent to drop the instructions it was given",
          { "disregard", "?all", "?the|your|any", "previous|system|prior|above|earlier" } },
        { "md.injection.hide-from-user", SEV_HIGH, "tells the agent to keep something from its user",
          { "do not|don't|don’t|dont|never|must not", "tell|inform|notify|alert|warn", "?the", "user|users" } },
        { "md.injection.hide-from-user", SEV_HIGH, "tells the agent to keep something from its user",
          { "without", "telling|informing|notifying|alerting|warning", "?the", "user|users|them|anyone" } },
        { "md.injection.hide-from-user", SEV_HIGH, "tells the agent to act without the user's consent",
          { "without asking", "?the",
            "user|users|permission|for permission|for confirmation|for approval|for consent|first|$" } },
        { "md.injection.hide-from-user", SEV_HIGH, "tells the agent to keep something from its user",
          { "hide|conceal|keep", "?this|it|that|these|everything", "?secret|hidden", "from", "the user|users" } },
        { "md.injection.role-override", SEV_MEDIUM, "tries to give the agent a new identity",
          { "you are now", "a|an|dan|no longer|free|unrestricted|jailbroken|in developer mode|in god mode|"
                           "operating|acting|my|the new|evil" } },
        { "md.injection.role-override", SEV_MEDIUM, "tries to give the agent a new identity",
          { "act as|pretend to be|behave as", "?a|an", "unrestricted|jailbroken|dan|uncensored|unfiltered" } },
        { "md.injection.new-instructions", SEV_MEDIUM, "announces replacement instructions for the agent",
          { "new", "?system", "instructions:|instructions :|instruction:" } },
        { "md.injection.system-prompt", SEV_MEDIUM, "asks the agent to disclose its system prompt",
          { "reveal|print|show|output|repeat|leak|display|dump", "?me", "your",
            "?full|entire|original|initial|hidden", "?system", "prompt|instructions" } },
        { "md.injection.system-prompt", SEV_MEDIUM, "asks the agent to disclose its system prompt",
          { "reveal|leak|dump", "?the", "?system|hidden|initial", "prompt" } },
        /* Prompt-writing skills name the system prompt honestly: a bare mention is only noted. */
        { "md.injection.system-prompt", SEV_LOW, "mentions the agent's system prompt",
          { "system prompt|system-prompt|system message" } },
        { "md.injection.safety-override", SEV_MEDIUM, "tells the agent to switch off its safety rules",
          { "override|bypass|circumvent", "?the|your|all|any", "safety|security" } },
};

static size_t alt_at(const char *s, size_t n, size_t i, const char *a, size_t alen) {
        if (alen == 1 && a[0] == '$') {
                i = skip_ws(s, n, i);
                return i == n || (s[i] && strchr(".!;,)\"'", s[i])) ? i : NPOS;
        }
        for (size_t k = 0; k < alen; k++) {
                if (a[k] == ' ') {
                        size_t w = 0;
                        for (; i < n && is_ws(s[i]) && w < WS_RUN_MAX; w++)
                                i++;
                        if (!w)
                                return NPOS;
                } else if (i < n && lower(s[i]) == a[k])
                        i++;
                else
                        return NPOS;
        }
        return i;
}

static size_t phrase_at(const char *s, size_t n, size_t i, const char *const *slots, bool first) {
        if (!*slots)
                return i == n || i == 0 || !is_word(s[i]) || !is_word(s[i - 1]) ? i : NPOS;
        const char *slot = *slots;
        bool opt = *slot == '?';
        slot += opt;
        size_t j = i, w = 0;
        for (; !first && j < n && is_ws(s[j]) && w < WS_RUN_MAX; w++)
                j++;
        for (const char *a = slot; *a;) {
                size_t alen = strcspn(a, "|");
                bool end = alen == 1 && *a == '$';
                size_t e = first || w || end ? alt_at(s, n, end ? i : j, a, alen) : NPOS;
                if (e != NPOS) {
                        size_t r = phrase_at(s, n, e, slots + 1, false);
                        if (r != NPOS)
                                return r;
                }
                a += alen + (a[alen] == '|');
        }
        return opt ? phrase_at(s, n, i, slots + 1, first) : NPOS;
}

_Static_assert(ELEMENTSOF(PHRASES) <= 32, "phrase_first holds one bit per phrase");

/* Which phrases can start with each byte: one pass over a line tries only those. A first slot is never
 * optional. */
static void phrase_first_init(uint32_t first[256]) {
        for (size_t k = 0; k < ELEMENTSOF(PHRASES); k++)
                for (const char *a = PHRASES[k].slots[0]; *a; a += *a == '|')
                        first[(unsigned char) *a] |= 1u << k, a += strcspn(a, "|");
}

/* ret_at[k]: where PHRASES[k] first occurs in s, or NPOS. */
static void phrase_scan(const struct md_scan *m, const char *s, size_t n, size_t ret_at[ELEMENTSOF(PHRASES)]) {
        for (size_t k = 0; k < ELEMENTSOF(PHRASES); k++)
                ret_at[k] = NPOS;
        for (size_t i = 0; i < n; i++) {
                if (!is_word(s[i]) || (i > 0 && is_word(s[i - 1])))
                        continue;
                for (uint32_t k = 0, bits = m->phrase_first[(unsigned char) lower(s[i])]; bits; k++, bits >>= 1)
                        if ((bits & 1) && ret_at[k] == NPOS && phrase_at(s, n, i, PHRASES[k].slots, true) != NPOS)
                                ret_at[k] = i;
        }
}

static const char *const COMMAND_WORDS[] = { "curl", "wget", "bash", "zsh", "base64", "eval", "iex", "powershell",
                                              "nc", "chmod", "sudo", NULL };

/* An HTML comment is hidden from the reader of the rendered page, so what it says to the agent matters. */
static bool comment_text_is_hot(const struct md_scan *m, const char *s, size_t n) {
        size_t at[ELEMENTSOF(PHRASES)];
        phrase_scan(m, s, n, at);
        for (size_t k = 0; k < ELEMENTSOF(PHRASES); k++)
                if (PHRASES[k].sev >= SEV_MEDIUM && at[k] != NPOS)
                        return true;
        if (find_any_word(s, n, COMMAND_WORDS) != NPOS)
                return true;
        return find_word(s, n, "-c") != NPOS && (find_word(s, n, "sh") != NPOS || find_word(s, n, "python") != NPOS);
}

static int check_injection(struct md_scan *m, const struct line *l) {
        const char *done[ELEMENTSOF(PHRASES)];
        size_t n_done = 0, at[ELEMENTSOF(PHRASES)];
        phrase_scan(m, l->s, l->n, at);
        for (size_t k = 0; k < ELEMENTSOF(PHRASES); k++) {
                const struct phrase *p = &PHRASES[k];
                bool seen = false;
                for (size_t d = 0; d < n_done; d++)
                        seen = seen || streq(done[d], p->rule);
                if (seen)
                        continue; /* one finding per family and line; families list high severity first */
                if (at[k] == NPOS)
                        continue;
                done[n_done++] = p->rule;
                int r = ADD(m, p->rule, p->sev, "prompt_injection", l, at[k], "Text %s (prompt injection).", p->what);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* ---- invisible characters, one pass over the line's code points */
/* ZWJ/ZWNJ are text between emoji (family, rainbow flag) and in Arabic, Persian and Indic scripts. */
static unsigned joiner_context(uint32_t c) {
        if ((c >= 0x1F000 && c <= 0x1FAFF) || (c >= 0x2600 && c <= 0x27BF) || (c >= 0x2B00 && c <= 0x2BFF) ||
            c == 0xFE0F)
                return 1;
        return ((c >= 0x0600 && c <= 0x06FF) || (c >= 0x0750 && c <= 0x077F) || (c >= 0x08A0 && c <= 0x08FF) ||
                (c >= 0x0900 && c <= 0x0DFF) || (c >= 0xFB50 && c <= 0xFDFF) || (c >= 0xFE70 && c <= 0xFEFC)) ? 2 : 0;
}
static bool is_invisible(uint32_t c, uint32_t prev, uint32_t next, bool at_start) {
        if (c == 0x200C || c == 0x200D)
                return !joiner_context(prev) || joiner_context(prev) != joiner_context(next);
        if (c == 0xFEFF)
                return !at_start; /* a byte order mark */
        return (c >= 0x200B && c <= 0x200F) || (c >= 0x2060 && c <= 0x2064) || c == 0x00AD || c == 0x180E;
}
static void cp_note(uint32_t *v, size_t *n, size_t *col, size_t at, uint32_t c) {
        if (*n == 0)
                *col = at;
        for (size_t i = 0; i < *n; i++)
                if (v[i] == c)
                        return;
        if (*n < CP_LIST_MAX)
                v[(*n)++] = c;
}
static void cp_list(char *buf, size_t sz, const uint32_t *v, size_t n) {
        size_t o = 0;
        buf[0] = 0;
        for (size_t i = 0; i < n && o < sz; i++) {
                int k = snprintf(buf + o, sz - o, "%sU+%04X", i ? ", " : "", (unsigned) v[i]);
                if (k < 0)
                        break;
                o += (size_t) k;
        }
}

struct tags {
        char shown[TAG_SHOW_MAX + 1];
        size_t n_shown, count, col; /* count: committed tag characters; col: of the first one */
        size_t run_len, run_col, mark_shown;
        bool run_after_flag, run_flag_ok, run_cancelled;
};
static void tags_add(struct tags *t, uint32_t c, uint32_t prev, size_t at) {
        if (t->run_len == 0) {
                t->run_col = at, t->mark_shown = t->n_shown;
                t->run_after_flag = prev == 0x1F3F4, t->run_flag_ok = true, t->run_cancelled = false;
        }
        unsigned a = (unsigned) (c - 0xE0000);
        if (t->run_cancelled || !(a == 0x7F || (a >= '0' && a <= '9') || (a >= 'a' && a <= 'z')))
                t->run_flag_ok = false;
        t->run_cancelled = t->run_cancelled || a == 0x7F;
        t->run_len++;
        if (t->n_shown < TAG_SHOW_MAX)
                t->shown[t->n_shown++] = a >= 0x20 && a < 0x7F ? (char) a : '?';
}
static void tags_end_run(struct tags *t) {
        /* U+1F3F4 + lowercase tags + CANCEL TAG is an emoji subdivision flag (Scotland, Wales...). */
        if (t->run_len && t->run_after_flag && t->run_flag_ok && t->run_cancelled && t->run_len <= 8)
                t->n_shown = t->mark_shown;
        else if (t->run_len) {
                if (t->count == 0)
                        t->col = t->run_col;
                t->count += t->run_len;
        }
        t->run_len = 0;
}

static int check_chars(struct md_scan *m, const struct line *l) {
        const unsigned char *s = (const unsigned char *) l->s;
        uint32_t zw[CP_LIST_MAX], bidi[CP_LIST_MAX], prev = 0;
        size_t n_zw = 0, n_bidi = 0, zw_col = 0, bidi_col = 0;
        struct tags t = { .n_shown = 0 };
        int r;
        for (size_t i = 0; i < l->n;) {
                uint32_t c, next = 0;
                size_t k = utf8_decode(s + i, l->n - i, &c);
                if (!k) {
                        size_t off = (size_t) (l->s - m->text) + i;
                        if (!m->bad_utf8_seen && (r = ADD(m, "md.text.non-utf8", SEV_MEDIUM, "undecodable", l, i,
                                                          "Invalid UTF-8 at byte offset %zu: the text cannot be shown "
                                                          "faithfully to a reviewer.", off)) < 0)
                                return r;
                        m->bad_utf8_seen = true;
                        tags_end_run(&t);
                        prev = 0xFFFD, i++;
                        continue;
                }
                if (c >= 0xE0000 && c <= 0xE007F)
                        tags_add(&t, c, prev, i);
                else
                        tags_end_run(&t);
                if ((c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069))
                        cp_note(bidi, &n_bidi, &bidi_col, i, c);
                else if (c == 0x200C || c == 0x200D || c == 0xFEFF || c == 0x00AD || c == 0x180E ||
                         (c >= 0x200B && c <= 0x200F) || (c >= 0x2060 && c <= 0x2064)) {
                        if (i + k >= l->n || !utf8_decode(s + i + k, l->n - i - k, &next))
                                next = 0;
                        if (is_invisible(c, prev, next, l->no == 1 && i == 0))
                                cp_note(zw, &n_zw, &zw_col, i, c);
                }
                prev = c, i += k;
        }
        tags_end_run(&t);
        char list[CP_LIST_MAX * 10 + 1];
        if (n_zw && (cp_list(list, sizeof(list), zw, n_zw),
                     r = ADD(m, "md.hidden.zero-width", SEV_HIGH, "hidden_text", l, zw_col,
                             "Invisible character(s) %s: text a person does not see but the agent reads.", list)) < 0)
                return r;
        if (n_bidi && (cp_list(list, sizeof(list), bidi, n_bidi),
                       r = ADD(m, "md.hidden.bidi", SEV_HIGH, "hidden_text", l, bidi_col,
                               "Bidirectional control(s) %s reorder the displayed text (Trojan Source): what a person "
                               "reads differs from what the agent reads.", list)) < 0)
                return r;
        t.shown[t.n_shown] = 0;
        return t.count ? ADD(m, "md.hidden.tag-chars", SEV_CRITICAL, "hidden_text", l, t.col,
                             "%zu Unicode tag character(s) smuggle invisible ASCII to the agent: \"%s\".", t.count,
                             t.shown) : 0;
}

/* ---- download and run */
static const char *const INTERPRETERS[] = { "sh", "bash", "zsh", "dash", "ksh", "fish", "python", "python2",
                                            "python3", "perl", "ruby", "node", "source", NULL };
static const char *const DOWNLOADERS[] = { "curl", "wget", NULL };
static const char *const PS_FETCH[] = { "iwr", "irm", "invoke-webrequest", "invoke-restmethod", "downloadstring",
                                        "net.webclient", "curl", "wget", NULL };

static bool word_in_at(const char *s, size_t n, size_t i, const char *const *ws) {
        for (; *ws; ws++)
                if (word_at(s, n, i, *ws))
                        return true;
        return false;
}

/* `curl ... | [sudo [-x]] [/path/][env ]sh` -> true. Scans only up to the next '|', so linear. */
static bool pipe_into_interpreter(const char *s, size_t n, size_t j) {
        size_t k = skip_ws(s, n, j + 1);
        if (word_at(s, n, k, "sudo")) {
                k = skip_ws(s, n, k + 4);
                while (k < n && s[k] == '-') {
                        while (k < n && !is_ws(s[k]) && s[k] != '|')
                                k++;
                        k = skip_ws(s, n, k);
                }
        }
        for (size_t t = k; t < n && !is_ws(s[t]) && s[t] != '|'; t++)
                if (s[t] == '/')
                        k = t + 1;
        if (word_at(s, n, k, "env"))
                k = skip_ws(s, n, k + 3);
        return word_in_at(s, n, k, INTERPRETERS);
}

static size_t download_exec_at(const char *s, size_t n) {
        size_t dl = find_any_word(s, n, DOWNLOADERS);
        if (dl != NPOS) {
                bool eval = find_word(s, n, "eval") != NPOS;
                bool dash_c = find_word(s, n, "-c") != NPOS && find_any_word(s, n, INTERPRETERS) != NPOS;
                for (size_t j = 0; j < n; j++) {
                        if (j > dl && s[j] == '|' && s[j - 1] != '|' && (j + 1 == n || s[j + 1] != '|') &&
                            pipe_into_interpreter(s, n, j))
                                return dl;
                        bool subst = s[j] == '`' || (j + 1 < n && s[j + 1] == '(' && (s[j] == '<' || s[j] == '$'));
                        if (!subst || !word_in_at(s, n, skip_ws(s, n, j + (s[j] == '`' ? 1 : 2)), DOWNLOADERS))
                                continue;
                        if (s[j] != '<' && (eval || dash_c))
                                return dl; /* eval "$(curl ...)", sh -c "$(curl ...)" */
                        if (s[j] == '<') { /* bash <(curl ...) */
                                size_t e = j, b;
                                while (e > 0 && (s[e - 1] == ' ' || s[e - 1] == '\t'))
                                        e--;
                                for (b = e; b > 0 && is_word(s[b - 1]);)
                                        b--;
                                if ((e > b && word_in_at(s, e, b, INTERPRETERS)) || (e > 0 && s[e - 1] == '.'))
                                        return dl;
                        }
                }
        }
        size_t ps = find_word(s, n, "iex");
        if (ps == NPOS)
                ps = find_word(s, n, "invoke-expression");
        return ps != NPOS && find_any_word(s, n, PS_FETCH) != NPOS ? ps : NPOS;
}

/* Does the command after `from` name a real place to download from: a URL ("x://"), a host
 * name with a dotted alphabetic TLD (get.example.com/install.sh), or a dotted-quad IP? A
 * checklist that writes `curl ... | sh` or `curl <url> | bash` names none: it is describing
 * the pattern, not telling the agent to run it. */
static bool has_concrete_target(const char *s, size_t n, size_t from) {
        for (size_t i = from; i < n;) {
                while (i < n && (is_ws(s[i]) || s[i] == '`' || s[i] == '"' || s[i] == '\'' || s[i] == '('))
                        i++;
                size_t b = i;
                while (i < n && !is_ws(s[i]) && s[i] != '`' && s[i] != '"' && s[i] != '\'' && s[i] != ')' &&
                       s[i] != '|')
                        i++;
                if (i == b) {
                        i++;
                        continue;
                }
                if (memmem(s + b, i - b, "://", 3))
                        return true;
                /* host[.label]+ with an alphabetic last label of 2+ letters, or a.b.c.d digits */
                size_t labels = 0, alpha_last = 0, digits_only = 1, k = b;
                while (k < i && s[k] != '/' && s[k] != ':') {
                        size_t lb = k;
                        bool alpha = true, digit = true;
                        while (k < i && s[k] != '.' && s[k] != '/' && s[k] != ':') {
                                char c = s[k];
                                bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
                                if (!letter)
                                        alpha = false;
                                if (!(c >= '0' && c <= '9'))
                                        digit = false;
                                if (!letter && !(c >= '0' && c <= '9') && c != '-')
                                        alpha = digit = false, labels = 99;
                                k++;
                        }
                        if (k == lb) {
                                labels = 99; /* "..." or a leading dot: a placeholder */
                                break;
                        }
                        labels++;
                        alpha_last = alpha && k - lb >= 2;
                        digits_only &= digit;
                        if (k < i && s[k] == '.')
                                k++;
                        else
                                break;
                }
                if (labels >= 2 && labels < 99 && (alpha_last || (digits_only && labels == 4)))
                        return true;
        }
        return false;
}

/* ---- secrets */
static const char *const SECRET_PATHS[] = { "~/.ssh", ".ssh/", "id_rsa", "id_ed25519", "id_ecdsa", "id_dsa",
                                            ".aws/credentials", "/etc/shadow", "login data", "cookies.sqlite",
                                            ".mozilla/firefox", "keychain", ".gnupg", ".netrc", ".git-credentials",
                                            ".docker/config.json", ".kube/config", "wallet.dat", NULL };
static const char *const SEND_VERBS[] = { "send", "sends", "sending", "sent", "upload", "uploads", "uploading",
                                          "post", "posts", "posting", "exfiltrate", "exfiltrates", "exfiltrating",
                                          "exfil", "transmit", "transmits", "curl", "wget", "scp", "nc", "netcat",
                                          "rsync", "webhook", "leak", "forward", "forwards", "email", NULL };
static const char *const SECRET_PARTS[] = { "KEY", "KEYS", "APIKEY", "TOKEN", "TOKENS", "SECRET", "SECRETS",
                                            "PASSWORD", "PASSWD", NULL };

/* An environment variable that holds a credential: UPPER_CASE (or $NAME) with a KEY/TOKEN/SECRET part. */
static bool is_secret_var(const char *s, size_t b, size_t e) {
        bool dollar = b > 0 && s[b - 1] == '$', underscore = false, part = false;
        for (size_t i = b; i < e; i++) {
                if (s[i] >= 'a' && s[i] <= 'z')
                        return false;
                underscore = underscore || s[i] == '_';
        }
        for (size_t i = b; i < e && !part;) {
                size_t j = i;
                while (j < e && s[j] != '_')
                        j++;
                for (const char *const *p = SECRET_PARTS; *p && !part; p++)
                        part = strlen(*p) == j - i && strneq(*p, s + i, j - i);
                i = j + 1;
        }
        return part && (dollar || underscore);
}

static int check_secrets(struct md_scan *m, const struct line *l) {
        const char *s = l->s;
        size_t n = l->n, path = NPOS, var = NPOS, dotenv = NPOS, verb = NPOS;
        const char *path_name = NULL;
        bool first[256] = { false }; /* one pass for all paths, not one per path */
        for (const char *const *p = SECRET_PATHS; *p; p++)
                first[(unsigned char) (*p)[0]] = true;
        for (size_t i = 0; i < n; i++) {
                for (const char *const *p = SECRET_PATHS; path == NPOS && first[(unsigned char) lower(s[i])] && *p; p++)
                        if (ci_at(s, n, i, *p))
                                path = i, path_name = *p;
                /* .env, ./.env, .env.local - but not process.env or os.environ */
                if (dotenv == NPOS && s[i] == '.' && ci_at(s, n, i + 1, "env") &&
                    (i == 0 || (!is_word(s[i - 1]) && s[i - 1] != '.')) && (i + 4 == n || !is_word(s[i + 4])))
                        dotenv = i;
                if (!is_word(s[i]) || (i > 0 && is_word(s[i - 1])))
                        continue;
                size_t e = i;
                while (e < n && is_word(s[e]))
                        e++;
                if (verb == NPOS && word_in_at(s, e, i, SEND_VERBS))
                        verb = i;
                if (var == NPOS && is_secret_var(s, i, e))
                        var = i;
        }
        if (verb != NPOS && !m->send_seen && has_concrete_target(s, n, 0))
                m->send_seen = true, m->send_at = *l, m->send_col = verb;
        if (path != NPOS || (verb != NPOS && (var != NPOS || dotenv != NPOS))) {
                bool sent = verb != NPOS;
                m->secret_read_seen = true;
                const char *what = path != NPOS ? path_name : var != NPOS ? "a secret environment variable" : ".env";
                size_t at = path != NPOS ? path : var != NPOS ? var : dotenv;
                return ADD(m, "md.secrets.read", sent ? SEV_HIGH : SEV_MEDIUM, "sensitive_file", l, at,
                           "Mentions %s%s: an instruction to read credentials%s.", what,
                           sent ? " next to a sending command" : "", sent ? " and send them off the machine" : "");
        }
        return dotenv == NPOS ? 0 : ADD(m, "md.secrets.read", SEV_LOW, "sensitive_file", l, dotenv,
                                        "Mentions a .env file, which usually holds credentials.");
}

/* ---- hidden HTML: comments (may span lines) and elements styled out of sight */
static bool css_prop(const char *s, size_t n, const char *name, const char *value) {
        for (size_t i = 0; (i = ci_find(s, n, i, name)) != NPOS; i++) {
                size_t k = skip_ws(s, n, i + strlen(name));
                if (k < n && s[k] == ':') {
                        k = skip_ws(s, n, k + 1);
                        size_t v = ci_at(s, n, k, value);
                        if (v && (k + v == n || (!is_word(s[k + v]) && s[k + v] != '.')))
                                return true;
                }
        }
        return false;
}
static size_t hidden_element_at(const char *s, size_t n) {
        for (size_t i = 0; i + 1 < n; i++) {
                if (s[i] != '<')
                        continue;
                size_t e = i + 1; /* a tag: <name then a blank, '>' or '/' */
                while (e < n && ((lower(s[e]) >= 'a' && lower(s[e]) <= 'z') ||
                                 (e > i + 1 && s[e] >= '0' && s[e] <= '9')))
                        e++;
                if (e == i + 1 || (e < n && !is_ws(s[e]) && s[e] != '>' && s[e] != '/'))
                        continue;
                /* it ends at '>' or the next '<': ranges never overlap */
                while (e < n && s[e] != '>' && s[e] != '<')
                        e++;
                const char *t = s + i;
                size_t tn = e - i;
                if (css_prop(t, tn, "display", "none") || css_prop(t, tn, "visibility", "hidden") ||
                    css_prop(t, tn, "font-size", "0") || css_prop(t, tn, "opacity", "0"))
                        return i;
                for (size_t h = 1; (h = ci_find(t, tn, h, "hidden")) != NPOS; h++)
                        if (is_ws(t[h - 1]) && (h + 6 == tn || is_ws(t[h + 6]) || t[h + 6] == '=' || t[h + 6] == '/'))
                                return i;
                i = e - 1;
        }
        return NPOS;
}

static int comment_close(struct md_scan *m, uint32_t end_line, bool terminated) {
        m->in_comment = false;
        return ADD(m, "md.hidden.html-comment", m->comment_hot ? SEV_MEDIUM : SEV_LOW, "hidden_text", &m->comment_at,
                   m->comment_col, "%sHTML comment (lines %u-%u) is invisible when rendered%s.",
                   terminated ? "" : "Unterminated ", (unsigned) m->comment_at.no, (unsigned) end_line,
                   m->comment_hot ? " and holds instructions or commands for the agent" : "");
}

static int check_html(struct md_scan *m, const struct line *l) {
        int r;
        for (size_t i = 0; i < l->n;) {
                if (!m->in_comment) {
                        size_t o = ci_find(l->s, l->n, i, "<!--");
                        if (o == NPOS)
                                break;
                        m->in_comment = true, m->comment_hot = false;
                        m->comment_at = *l, m->comment_col = (uint32_t) o;
                        i = o + 4;
                }
                size_t c = ci_find(l->s, l->n, i, "-->");
                size_t end = c == NPOS ? l->n : c;
                m->comment_hot = m->comment_hot || comment_text_is_hot(m, l->s + i, end - i);
                if (c == NPOS)
                        break;
                if ((r = comment_close(m, l->no, true)) < 0)
                        return r;
                i = c + 3;
        }
        size_t h = m->in_comment ? NPOS : hidden_element_at(l->s, l->n);
        if (h == NPOS)
                return 0;
        return ADD(m, "md.hidden.html-comment", SEV_MEDIUM, "hidden_text", l, h, "%s",
                   "HTML element styled to be invisible: the agent reads its text, the reader does not.");
}

/* ---- long base64 */
static unsigned b64_class(char c) {
        if (c >= 'A' && c <= 'Z')
                return 1;
        if (c >= 'a' && c <= 'z')
                return 2;
        return (c >= '0' && c <= '9') || c == '+' || c == '/' ? 4 : c == '=' ? 8 : 0;
}
static int b64_report(struct md_scan *m, const struct line *l, size_t col, size_t len, unsigned classes) {
        if (len < B64_RUN_MIN || (classes & 7) != 7) /* hex digests and identifiers lack a mixed alphabet */
                return 0;
        return ADD(m, "md.encoding.long-base64", SEV_MEDIUM, "obfuscation", l, col,
                   "Base64-looking run of %zu characters: an encoded payload the reader cannot review.", len);
}
static int b64_flush(struct md_scan *m) {
        int r = m->b64_len ? b64_report(m, &m->b64_at, 0, m->b64_len, m->b64_classes) : 0;
        m->b64_len = 0, m->b64_classes = 0;
        return r;
}
static int check_base64(struct md_scan *m, const struct line *l) {
        size_t b = skip_ws(l->s, l->n, 0), e = l->n;
        while (e > b && is_ws(l->s[e - 1]))
                e--;
        unsigned classes = 0;
        bool pure = m->in_fence && e > b;
        for (size_t i = b; i < e && pure; i++) {
                classes |= b64_class(l->s[i]);
                pure = b64_class(l->s[i]) != 0;
        }
        if (pure) { /* a payload wrapped over many lines of a code block */
                if (m->b64_len == 0)
                        m->b64_at = *l;
                m->b64_len += e - b, m->b64_classes |= classes;
                return 0;
        }
        int r = b64_flush(m);
        for (size_t i = 0; r >= 0 && i < l->n;) {
                size_t j = i;
                classes = 0;
                while (j < l->n && b64_class(l->s[j]))
                        classes |= b64_class(l->s[j++]);
                if (j - i >= B64_RUN_MIN && (classes & 7) == 7)
                        return b64_report(m, l, i, j - i, classes); /* one per line */
                i = j + 1;
        }
        return r;
}

/* ``` or ~~~ (after up to 3 spaces) opens a fenced block; the same fence, at least as long, closes it. */
static bool fence_toggle(struct md_scan *m, const struct line *l) {
        size_t i = 0, k;
        while (i < l->n && i < 3 && l->s[i] == ' ')
                i++;
        if (i >= l->n || (l->s[i] != '`' && l->s[i] != '~'))
                return false;
        char ch = l->s[i];
        for (k = i; k < l->n && l->s[k] == ch;)
                k++;
        if (k - i < 3)
                return false;
        if (!m->in_fence) {
                m->in_fence = true, m->fence_ch = ch, m->fence_n = k - i;
                return true;
        }
        if (ch != m->fence_ch || k - i < m->fence_n || skip_ws(l->s, l->n, k) != l->n)
                return false;
        m->in_fence = false;
        return true;
}

static int check_line(struct md_scan *m, const struct line *l) {
        int r;
        if ((r = check_chars(m, l)) < 0)
                return r;
        bool fence = !m->in_comment && fence_toggle(m, l);
        if (fence && (r = b64_flush(m)) < 0)
                return r;
        if (!fence && (!m->in_fence || m->in_comment) && (r = check_html(m, l)) < 0)
                return r; /* inside a code block, HTML is shown as text, not hidden */
        if ((r = check_injection(m, l)) < 0)
                return r;
        size_t d = download_exec_at(l->s, l->n);
        if (d != NPOS && has_concrete_target(l->s, l->n, 0) &&
            (r = ADD(m, "md.exec.download-and-run", SEV_CRITICAL, "download_exec", l, d, "%s",
                     "Downloads code and runs it at once: what runs is whatever the server sends, "
                     "never reviewed.")) < 0)
                return r;
        if (d != NPOS && !has_concrete_target(l->s, l->n, 0) &&
            (r = ADD(m, "md.exec.download-and-run-mention", SEV_LOW, "download_exec", l, d, "%s",
                     "Mentions a download-and-run pattern without an address (a placeholder such as "
                     "'...' or <url>): documentation, not a command the agent could run.")) < 0)
                return r;
        if ((r = check_secrets(m, l)) < 0)
                return r;
        return fence ? 0 : check_base64(m, l);
}

int scan_skill_md(const char *text, size_t len, const char *file, struct findings *f) {
        struct md_scan m = { .text = text, .file = file, .f = f };
        phrase_first_init(m.phrase_first);
        uint32_t no = 0;
        int r;
        if (!text)
                len = 0;
        for (size_t pos = 0; pos < len;) {
                size_t e = pos;
                while (e < len && text[e] != '\n' && text[e] != '\r')
                        e++;
                struct line l = { .s = text + pos, .n = e - pos, .no = no < UINT32_MAX ? ++no : no };
                if ((r = check_line(&m, &l)) < 0)
                        return r;
                pos = e + (e < len) + (e + 1 < len && text[e] == '\r' && text[e + 1] == '\n');
        }
        if ((r = b64_flush(&m)) < 0)
                return r;
        if (m.secret_read_seen && m.send_seen &&
            (r = ADD(&m, "md.secrets.exfil", SEV_HIGH, "sensitive_file", &m.send_at, m.send_col, "%s",
                     "Tells the agent to read credentials (above) and to send data to an address: "
                     "together, an exfiltration recipe.")) < 0)
                return r;
        return m.in_comment ? comment_close(&m, no, false) : 0;
}
