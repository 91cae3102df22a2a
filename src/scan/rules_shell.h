/* Private to the shell analyser, one file per responsibility: rules_shell.c (entry points,
 * nested texts, findings), _parse.c (tokens -> the command model), _vars.c, _words.c, _argv.c,
 * _fold.c (what words and command names stand for), _paths.c, _flow.c (arguments, paths, what
 * flows where), _exec.c and _checks.c (the rules). lex_shell's tokens become lists of simple
 * commands joined by pipes, with their words, redirections and substitutions; the rules judge
 * resolved commands, never raw text. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "../base/bigarray.h"
#include "rules_common.h"

#define SH_MAX_DEPTH 4           /* nested command strings: bash -c "..", eval, heredoc to sh */
#define SH_EVAL_DEPTH 12         /* variables inside variables, substitutions inside words */
#define SH_WORD_MAX 4096         /* a word's value is cut (and unknown) beyond this */
#define SH_FOLD_MAX (64u * 1024) /* a folded `echo .. | base64 -d` text */
#define SH_ARGV_MAX 128          /* arguments of one command that the rules look at */
#define SH_ARENA (64u * 1024)    /* argument text of one command */
#define SH_INNER_MIN (1u << 20)  /* nested texts analysed: max(this, 4 x the source) bytes */
#define SH_PENDING_MAX 20000     /* findings held before the file is finished */
#define SH_FILES_MAX 65536       /* downloaded / decoded / secret files remembered */
#define SH_FILE_BUCKETS 1024     /* files are found by the hash of their base name */
#define SH_FRAMES_MAX 320        /* parser nesting (the lexer stops at TOKEN_MAX_NESTING) */

/* Where what flows carries something the rules care about. */
enum {
        SHT_DOWNLOAD = 1u << 0, /* fetched from the network by curl/wget/... */
        SHT_DECODED = 1u << 1,  /* passed through base64 -d, xxd -r, rev, rot13 ... */
        SHT_NETSOCK = 1u << 2,  /* read from a raw socket tool (nc, socat, telnet) */
        SHT_SECRET = 1u << 3,   /* the content of a secret file */
        SHT_ENV = 1u << 4,      /* a dump of the environment */
        SHT_SHELL = 1u << 5,    /* the output of a shell reading its commands from stdin */
};

enum sh_list_kind {
        SHL_ROOT,
        SHL_SUBSHELL,    /* ( ... ) as a command */
        SHL_CMDSUB,      /* $( ... ) */
        SHL_BACKTICK,    /* ` ... ` */
        SHL_PROCSUB_IN,  /* <( ... ) */
        SHL_PROCSUB_OUT, /* >( ... ): fed by the command it belongs to */
        SHL_ARITH,       /* $(( ... )), (( ... )) */
        SHL_ARRAY,       /* x=( ... ): words, not a command */
        SHL_FUNCPARENS,  /* the () of f() */
        SHL_PATTERN,     /* ( of a case pattern "(a)" */
};

enum sh_op { SHO_END, SHO_SEMI, SHO_NL, SHO_AMP, SHO_AND, SHO_OR, SHO_PIPE };

enum sh_redir_kind {
        SHR_OUT,     /* > >| */
        SHR_APPEND,  /* >> */
        SHR_OUT_ALL, /* &> >& (to a file) */
        SHR_APP_ALL, /* &>> */
        SHR_IN,      /* < */
        SHR_RW,      /* <> */
        SHR_HEREDOC, /* << <<- */
        SHR_HERESTR, /* <<< */
        SHR_DUP_IN,  /* <& */
};

struct sh_word {
        uint32_t tb, te;   /* tokens [tb, te): the parts, and the tokens of nested substitutions */
        int32_t cmd;       /* the command it belongs to, -1 (case pattern, reserved word) */
        int32_t next;      /* next word of the command */
        int32_t sub_first; /* substitutions inside it, linked by sh_list.next_sibling */
        int32_t sub_last;
};

struct sh_list {
        uint8_t kind;
        bool taint_done;
        uint8_t taint;
        int32_t parent;      /* enclosing list, -1 for the root */
        int32_t owner_word;  /* the word it is part of, or -1 */
        int32_t owner_redir; /* the heredoc whose body it is in, or -1 */
        int32_t owner_cmd;   /* the command whose body it is: "( ... )", f(), or -1 */
        int32_t next_sibling;
        int32_t first_cmd, last_cmd;
        uint32_t open_tok, close_tok; /* close_tok UINT32_MAX: unterminated */
};

struct sh_redir {
        int32_t next; /* next redirection of the command */
        int32_t cmd;
        int32_t word;                /* target (file, delimiter, here-string), -1 */
        int32_t body_tok;            /* here-document body token, -1 */
        int32_t sub_first, sub_last; /* substitutions in an unquoted body */
        uint32_t tok;                /* the operator */
        uint8_t kind;
        int16_t fd; /* explicit IO number, -1 */
};

#define SHC_FUNCDEF (1u << 0)

struct sh_cmd {
        int32_t list, next;
        int32_t pipe_prev; /* the command whose output this one reads through a pipe */
        int32_t w_first, w_last, r_first, r_last;
        int32_t body; /* "( ... )": its list */
        uint32_t tok; /* first token */
        uint8_t op;   /* what ended it */
        uint8_t flags;
        uint8_t own; /* taint it produces itself (own_done) */
        uint8_t out; /* taint of its standard output, set by the rule pass */
        bool own_done, own_busy, out_done;
};

/* A variable of the script: counted assignments, the words assigned (RHS after "NAME="). */
#define SH_VAR_RHS 4
struct sh_var {
        const char *name;
        uint32_t nlen;
        uint32_t count;                /* assignments seen (read, for ... count, with no word) */
        int32_t rhs[SH_VAR_RHS];       /* word indices, -1: a value from read/for/... */
        uint32_t rhs_skip[SH_VAR_RHS]; /* bytes of the word's first token before the value */
        uint8_t nrhs;
        uint8_t state; /* 0 unresolved, 1 resolving, 2 done */
        bool taint_busy, taint_done;
        uint8_t taint;
        uint16_t vflags; /* of the value (SHV_*) */
        char *value;     /* known constant value (count == 1), malloc'd */
        uint32_t vlen;
};

/* A shell function: its body's tokens, and what its output carries (computed when called). */
struct sh_func {
        const char *name;
        uint32_t nlen;
        uint32_t body_tb, body_te;
        bool taint_done, taint_busy;
        uint8_t taint;
};

/* How this unit's tokens map to positions in the scanned file. */
struct sh_map {
        bool fixed;         /* every finding at (line, col, off) */
        uint32_t line, col; /* shift: where the unit's byte 0 is */
        size_t off;
};

/* A file written from downloaded or decoded data: running it later is download-and-execute. */
struct sh_file {
        char path[256];
        uint8_t taint;
        uint32_t line;
        int32_t next; /* same bucket */
        char how[24]; /* "curl", "base64 -d" ... */
};

struct sh_pending;

/* One scan: the file (or command string) and everything nested in it. */
struct sh_scan {
        const struct scan_ctx *ctx;
        struct sh_pending *pend;
        size_t npend, cappend, pdropped;
        int32_t *phash; /* dedup of (rule, line, column) */
        size_t phash_cap;
        bool net_seen; /* the file talks to the network somewhere */
        /* Evaluation (values, taints) is bounded by SH_EVAL_DEPTH and by a step budget; an
         * answer computed while either cut something short is not memoised. */
        size_t cuts, steps, step_budget;
        size_t inner_bytes, inner_budget;
        struct sh_argv *argv[SH_EVAL_DEPTH + 2];
        struct sh_file *files;
        size_t nfiles, capfiles;
        int32_t fbucket[SH_FILE_BUCKETS];
};

/* A nested command text waiting for its analysis (a copy: the value it came from is gone by
 * then). */
struct sh_inner {
        char *text;
        size_t len;
        struct sh_map map;
};

/* One text analysed as shell: the file, or a command string inside it. */
struct sh_unit {
        struct sh_scan *sc;
        struct sh_unit *parent; /* variables are looked up there too */
        const struct token_list *toks;
        struct sh_map map;
        unsigned depth;

        struct sh_word *w;
        size_t nw, capw;
        struct sh_list *l;
        size_t nl, capl;
        struct sh_redir *r;
        size_t nr, capr;
        struct sh_cmd *c;
        size_t nc, capc;

        struct sh_inner *inner; /* command texts to analyse after this unit's rules */
        size_t ninner, capinner;

        struct sh_func *funcs; /* functions defined in the unit, hashed by name */
        size_t nfuncs, capfuncs;
        int32_t *fhash;
        size_t fhash_cap;
        bool devtcp_text; /* "/dev/tcp/" or "/dev/udp/" appears in the text at all */

        struct sh_var *vars;
        size_t nvars, capvars;
        int32_t *vhash; /* open addressing, indices into vars, -1 empty */
        size_t vhash_cap;
};

/* Flags of a word's value. */
enum {
        SHV_UNKNOWN = 1u << 0, /* some part is not a constant (marker byte SH_UNKNOWN in text) */
        SHV_QUOTED = 1u << 1,
        SHV_ESCAPES = 1u << 2, /* backslash escapes or $'\x..' decoding */
        SHV_PIECES = 1u << 3,  /* the last path component joins two or more parts */
        SHV_VAR = 1u << 4,     /* a variable was expanded */
        SHV_SUBST = 1u << 5,   /* a command substitution */
        SHV_DECODED = 1u << 6, /* folded from printf / echo -e / base64 -d of constants */
        SHV_SPLIT = 1u << 7,   /* an unquoted expansion brought blanks: split into fields */
        SHV_TRUNC = 1u << 8,
        SHV_ASSIGN = 1u << 9, /* NAME=value word (value is the whole word) */
        SHV_PROCSUB = 1u << 10,
        SHV_IFS = 1u << 11, /* words glued with ${IFS} */
};
#define SH_UNKNOWN '\x01'

/* Where a word's value starts from, for "rm -rf $X/" and "~". */
enum { SHLEAD_TEXT, SHLEAD_HOME, SHLEAD_EMPTYABLE, SHLEAD_UNKNOWN };

struct sh_arg {
        const char *s;
        uint32_t n;
        uint16_t vflags;
        uint8_t taint;
        uint8_t lead;
        uint32_t lead_end; /* end of the leading expansion in s */
        int32_t word;
        uint32_t tok; /* first token of the word, for positions */
        int8_t pkind; /* scan_path_classify, cached (-1: not yet) */
        const char *pwhat;
};

struct sh_argv {
        struct sh_arg v[SH_ARGV_MAX];
        size_t n;
        char *arena;
        size_t used, cap;
        /* built lazily: the command name first, the rest when a rule needs it */
        struct sh_unit *u;
        int32_t next_w;
        unsigned depth;
        bool complete, assigns;
};

/* What a command name is. */
enum sh_tool {
        TL_NONE = 0,
        TL_SHELL,
        TL_PYTHON,
        TL_PERL,
        TL_RUBY,
        TL_NODE,
        TL_PHP,
        TL_LUA,
        TL_SOURCE,
        TL_EVAL,
        TL_CURL,
        TL_WGET,
        TL_FETCH,
        TL_ARIA2C,
        TL_HTTPIE,
        TL_NC,
        TL_SOCAT,
        TL_TELNET,
        TL_OPENSSL,
        TL_SSH,
        TL_SCP,
        TL_SFTP,
        TL_RSYNC,
        TL_FTP,
        TL_GIT,
        TL_DNS,
        TL_MAIL,
        TL_NMAP,
        TL_RM,
        TL_FIND,
        TL_MKFS,
        TL_DD,
        TL_SHRED,
        TL_WIPEFS,
        TL_CHMOD,
        TL_CHOWN,
        TL_CHGRP,
        TL_SETCAP,
        TL_SU,
        TL_PRIV,
        TL_USERMOD,
        TL_KILL,
        TL_CRONTAB,
        TL_SYSTEMCTL,
        TL_LAUNCHCTL,
        TL_RCSERVICE,
        TL_AT,
        TL_LOGINCTL,
        TL_TEE,
        TL_CP,
        TL_MV,
        TL_LN,
        TL_INSTALL,
        TL_SED,
        TL_TOUCH,
        TL_BASE64,
        TL_BASE32,
        TL_XXD,
        TL_REV,
        TL_TR,
        TL_UNCOMPRESS,
        TL_UUDECODE,
        TL_ECHO,
        TL_PRINTF,
        TL_ENV,
        TL_PRINTENV,
        TL_SET,
        TL_EXPORT,
        TL_DECLARE,
        TL_COMPGEN,
        TL_READER,
        TL_PROBE,
        TL_TEST,
        TL_AWK,
        TL_SECURITY,
        TL_MKFIFO,
        TL_XARGS,
        TL_READ,
        TL_FOR,
        TL_LOCAL,
        TL_GETOPTS,
        TL_MAPFILE,
        TL_CD,
        TL_TRAP,
};

/* Wrappers seen before the command name. */
enum {
        SHW_SUDO = 1u << 0, /* sudo, doas, pkexec, run0 */
        SHW_XARGS = 1u << 1,
        SHW_ENV = 1u << 2,
        SHW_EXEC = 1u << 3,
};

struct sh_cmdinfo {
        struct sh_unit *u;
        int32_t cmd;
        struct sh_argv *av;
        size_t name;   /* index of the command name in av; av->n: none */
        char base[64]; /* basename of the name (or "" when not a constant) */
        enum sh_tool tool;
        uint32_t wrap;
        size_t wrap_arg;     /* index of the privilege wrapper word */
        const char *evasion; /* how the name was hidden, or NULL */
        bool name_known;
};

/* ---- rules_shell.c: units, nested texts, findings ---- */
/* Grow *v to hold need elements (capacity doubles): a big array (base/bigarray.h), freed with
 * big_free. */
int sh_grow(void **v, size_t *cap, size_t need, size_t elem);
const char *sh_tok_text(const struct sh_unit *u, uint32_t i);
bool sh_tok_is(const struct sh_unit *u, uint32_t i, enum token_kind k, const char *text);
/* Queue a finding at token i of u (its mapped position). upgrade: raised to critical when the
 * file also uses the network. Returns 0 or -ENOMEM. */
int sh_report(struct sh_unit *u, uint32_t tok, const char *rule, enum severity sev, const char *cat,
              bool upgrade, const char *fmt, ...) __attribute__((format(printf, 7, 8)));
/* Analyse text as shell one level deeper; shift: text is a verbatim piece of u's source
 * starting at token tok + skip bytes (findings keep their real lines), else every finding is
 * reported at token tok. Skips silently when too deep or over the budget. */
int sh_analyse_inner(struct sh_unit *u, uint32_t tok, const char *text, size_t len, bool shift, size_t skip);
void sh_note_network(struct sh_unit *u);
uint32_t sh_tok_line(const struct sh_unit *u, uint32_t tok);
/* Safe for a message: printable ASCII, at most max bytes, "..." when cut. */
const char *sh_printable(char *out, size_t cap, const char *s, size_t n, size_t max);
struct sh_argv *sh_argv_at(struct sh_scan *sc, unsigned depth);

/* Evaluation stopped short (too deep, over budget): the answer is incomplete. */
static inline bool sh_cut(struct sh_unit *u) {
        u->sc->cuts++;
        return true;
}
/* One more evaluation step; false (and a cut) when the scan's budget is spent. */
static inline bool sh_step(struct sh_unit *u) {
        struct sh_scan *sc = u->sc;
        if (++sc->steps <= sc->step_budget)
                return true;
        sc->cuts++;
        return false;
}

/* ---- rules_shell_parse.c ---- */
int sh_parse(struct sh_unit *u);

/* ---- rules_shell_vars.c ---- */
int sh_vars_collect(struct sh_unit *u);
void sh_vars_free(struct sh_unit *u);
uint32_t sh_name_hash(const char *s, size_t n);
/* The variable, in this unit or the ones it is nested in; *owner gets the unit that has it. */
struct sh_var *sh_var_find(struct sh_unit *u, const char *name, size_t n, struct sh_unit **owner);
/* Its constant value (memoised), or NULL; what its assignments carry. */
const struct sh_var *sh_var_value(struct sh_unit *owner, struct sh_var *v, unsigned depth);
uint8_t sh_var_taint(struct sh_unit *owner, struct sh_var *v, unsigned depth);
/* "NAME=" / "NAME+=" at the start of word w: the name length and where the value starts. */
bool sh_assign_word(const struct sh_unit *u, int32_t w, size_t *nlen, uint32_t *skip);
/* The text of a single-token literal word (no quotes, no escapes, no $), or NULL. */
const char *sh_plain_word(const struct sh_unit *u, int32_t w, size_t *n);
/* What the output of a call to the function name carries (0 when it is not one). */
uint8_t sh_func_taint(struct sh_unit *u, const char *name, size_t n, unsigned depth);

/* ---- rules_shell_words.c ---- */
/* Value of word w into out (cap >= 2), from byte skip of its first token. */
size_t sh_word_value(struct sh_unit *u, int32_t w, uint32_t skip, char *out, size_t cap, struct sh_arg *info,
                     unsigned depth);
/* A one-token literal word: info points at the token's own value. */
bool sh_word_value_fast(const struct sh_unit *u, int32_t wi, struct sh_arg *info);
/* What a word carries (downloaded, decoded, secret ...) without computing its value. */
uint8_t sh_word_taint(struct sh_unit *u, int32_t w, unsigned depth);

/* ---- rules_shell_argv.c ---- */
/* The words of command c as fields (unquoted expansions split). */
void sh_argv_build(struct sh_unit *u, int32_t c, struct sh_argv *av, unsigned depth);
/* Only up to the command name (sh_resolve completes it past wrappers), then the rest. */
void sh_argv_begin(struct sh_unit *u, int32_t c, struct sh_argv *av, unsigned depth);
void sh_argv_complete(struct sh_argv *av);
void sh_resolve(struct sh_unit *u, int32_t c, struct sh_argv *av, struct sh_cmdinfo *ci);
enum sh_tool sh_tool_of(const char *name, size_t n);
bool sh_tool_is_interp(enum sh_tool t);
bool sh_tool_is_net(enum sh_tool t);
bool sh_name_is_data(enum sh_tool t);
/* No rule is about this command by name (echo, local, cd, a program we do not know ...). */
bool sh_tool_ordinary(enum sh_tool t);

/* ---- rules_shell_fold.c ---- */
/* Fold a substitution list that only prints constants (echo, printf, base64 -d, rev, xxd -r).
 * Returns the length, or -1 when it is not such a list. */
long sh_fold_list(struct sh_unit *u, int32_t l, char *out, size_t cap, unsigned depth);
/* Fold the pipeline that ends before command c (its pipe_prev chain); -1 if not constant. */
long sh_fold_pipeline(struct sh_unit *u, int32_t c, char *out, size_t cap, unsigned depth);
/* Does the command write its standard output to a file (not a pipe)? */
bool sh_cmd_stdout_to_file(const struct sh_unit *u, int32_t c);

/* ---- the rules: one command being judged ---- */
struct chk {
        struct sh_unit *u;
        int32_t c;
        struct sh_cmdinfo ci;
        struct sh_argv *av;
        uint8_t in_; /* taint of standard input: use sh_stdin_taint() */
        bool in_done;
        int32_t feeder; /* the command that writes to our standard input, -1 */
        uint32_t tok;   /* where command findings are reported: the name (or the command) */
};

/* Walk a command's options and operands. Short options in sv take a value (attached or the next
 * word); long options in lv take the next word unless written --x=v. One call per option
 * letter, per long option, per operand. */
struct optit {
        const struct sh_argv *av;
        size_t i, pos; /* pos: inside a short cluster */
        const char *sv;
        const char *const *lv;
        bool no_more;
        /* result */
        char opt;          /* short letter, '-' for a long option, 0 for an operand */
        const char *lname; /* long option name without "--" */
        size_t lnl;
        const char *val; /* the option's value (NULL: none) */
        size_t vn;
        size_t arg; /* index of the word holding the option / operand / value */
};

enum tgt { TG_NONE, TG_ROOT, TG_HOME, TG_SYS, TG_PARENT, TG_EMPTYVAR, TG_HOMEDIR, TG_DEVICE };

#define DISP(a) sh_disp(k, (a), (char[96]){ 0 }, 96)

struct dl {
        bool to_stdout;
        size_t nout;
        struct {
                const char *s;
                size_t n;
                size_t arg;
                bool remote_name; /* -O: named after the URL */
        } out[4];
        const char *dir;
        size_t dirn;
        int32_t url; /* first URL argument, -1 */
};

#define SH_CURL_SV "AbcCdDeEFHKmoPQrTtuUwxXyYz"

#define SH_WGET_SV "OoaPeUTtwQlAiBDIXR"

static inline bool sh_arg_is(const struct sh_arg *a, const char *s) {
        return a->n == strlen(s) && memcmp(a->s, s, a->n) == 0;
}

static inline bool sh_arg_known(const struct sh_arg *a) {
        return !(a->vflags & SHV_UNKNOWN);
}

static inline bool sh_arg_has(const struct sh_arg *a, const char *needle) {
        return memmem(a->s, a->n, needle, strlen(needle)) != NULL;
}

static inline bool sh_name_char(char c, bool first) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
               (!first && c >= '0' && c <= '9');
}

/* A TOK_WORD's value is its raw text exactly when it is as long: lex_shell only ever removes
 * bytes from a word (escapes, line continuations), and a word where nothing was removed is its
 * text verbatim. Saves comparing the two on every look at a word. */
static inline bool sh_word_is_raw(const struct token *t) {
        return t->value_len == t->len;
}

/* "$x", "${x}", "$1", "$@" ...: an expansion token (not literal text that starts with '$'). */
static inline bool sh_raw_is_expansion(const char *raw, size_t len) {
        if (len < 2 || raw[0] != '$')
                return false;
        char n = raw[1];
        switch (n) {
        case '@': case '*': case '#': case '?': case '-': case '$': case '!': case '{':
                return true;
        default:
                return sh_name_char(n, false);
        }
}

/* ---- rules_shell_paths.c: arguments, paths, files, reporting ---- */
/* A finding about the command being judged; hiding the command's name raises it to high. */
int sh_rep(struct chk *k, uint32_t tok, const char *rule, enum severity sev, const char *cat, bool upgrade,
           const char *fmt, ...) __attribute__((format(printf, 7, 8)));
/* What a message shows for an argument: its value, or its source text when not constant. */
const char *sh_disp(const struct chk *k, const struct sh_arg *a, char *buf, size_t cap);
void sh_optit_init(struct optit *it, const struct sh_argv *av, size_t from, const char *sv,
                   const char *const *lv);
bool sh_optit_next(struct optit *it);
bool sh_long_is(const struct optit *it, const char *name);
/* The index of the first operand after the name, or av->n. */
size_t sh_first_operand(const struct chk *k, const char *sv, const char *const *lv);
/* scan_path_classify without templates (.env.example), cached in the argument. */
enum scan_path_kind sh_classify(const struct sh_arg *a, struct scan_path_hit *hit);
/* Cheap necessary condition for scan_path_classify() != SCAN_PATH_NONE. */
bool sh_path_may_be_sensitive(const char *s, size_t n);
bool sh_under_home(const struct sh_arg *a);
bool sh_local_dotenv(const struct sh_arg *a, const struct scan_path_hit *hit);
bool sh_proc_environ(const struct sh_arg *a);
bool sh_dev_tcp(const struct sh_arg *a);
bool sh_is_device(const char *s, size_t n);
bool sh_in_list(const char *s, size_t n, const char *const *list);
/* What deleting (or chmod -R on) this argument would hit. */
enum tgt sh_target_class(const struct sh_arg *a);
const char *sh_tgt_what(enum tgt t);
/* Files written from downloaded, decoded or secret data; found by path or base name. */
void sh_file_add(struct chk *k, const char *s, size_t n, uint8_t taint, const char *how);
const struct sh_file *sh_file_find(const struct chk *k, const struct sh_arg *a, uint8_t mask);

/* ---- rules_shell_flow.c: taints ---- */
extern const char *const sh_curl_long[];
extern const char *const sh_wget_long[];
void sh_dl_parse(const struct chk *k, struct dl *d);
bool sh_is_decoder(const struct chk *k);
bool sh_env_dump(const struct chk *k);
bool sh_reads_files(enum sh_tool t);
/* The first argument naming a secret (for a file-reading command). */
const struct sh_arg *sh_secret_arg(const struct chk *k, struct scan_path_hit *hit);
/* A file the script filled with secrets earlier. */
const struct sh_file *sh_secret_copy(const struct chk *k, const struct sh_arg *a);
uint8_t sh_own_from(struct chk *k, unsigned depth);
uint8_t sh_ordinary_own(struct chk *k, unsigned depth);
uint8_t sh_redir_in_taint(struct sh_unit *u, int32_t c, unsigned depth);
/* Taint a command produces by itself (downloader, decoder, secret reader ...). */
uint8_t sh_cmd_own_taint(struct sh_unit *u, int32_t c, unsigned depth);
uint8_t sh_list_taint(struct sh_unit *u, int32_t l, unsigned depth);

/* ---- rules_shell_exec.c: running code, the network ---- */
const char *sh_taint_source(uint8_t t);
int sh_check_inline(struct chk *k, const struct sh_arg *code, bool shell);
int sh_check_interp(struct chk *k);
int sh_check_eval(struct chk *k);
int sh_check_network(struct chk *k);

/* ---- rules_shell_checks.c: the other rules, the pass over a unit ---- */
int sh_check_unit(struct sh_unit *u);
uint8_t sh_own_taint(struct chk *k);
uint8_t sh_stdin_taint(struct chk *k);
