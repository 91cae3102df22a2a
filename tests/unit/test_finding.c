/* Unit tests for src/scan/finding.c: severities, the findings list, snippets and the JSON form. */
#include <criterion/criterion.h>
#include <string.h>

#include "../../src/base/json.h"
#include "../../src/base/macros.h"
#include "../../src/scan/finding.h"

Test(scan_finding, severity_names_round_trip) {
        for (int s = SEV_SAFE; s <= SEV_CRITICAL; s++)
                cr_expect_eq(severity_from_string(severity_to_string((enum severity) s)), s);
        cr_expect_eq(severity_from_string("HIGH"), SEV_HIGH);
        cr_expect_eq(severity_from_string("severe"), -1);
        cr_expect_eq(severity_from_string(NULL), -1);
        cr_expect(SEV_SAFE < SEV_LOW && SEV_LOW < SEV_MEDIUM && SEV_MEDIUM < SEV_HIGH && SEV_HIGH < SEV_CRITICAL);
}

Test(scan_finding, verdict_is_the_highest) {
        struct findings f = { 0 };
        cr_expect_eq(findings_verdict(&f), SEV_SAFE);
        cr_assert_eq(findings_add(&f, "a.b", SEV_LOW, "process", "x.py", 1, 1, NULL, 0, "low"), 0);
        cr_assert_eq(findings_add(&f, "a.c", SEV_HIGH, "process", "x.py", 2, 1, NULL, 0, "high %d", 2), 0);
        cr_assert_eq(findings_add(&f, "a.d", SEV_MEDIUM, "network", "y.js", 3, 4, NULL, 0, "medium"), 0);
        cr_expect_eq(findings_verdict(&f), SEV_HIGH);
        cr_expect_str_eq(f.v[1].message, "high 2");
        findings_done(&f);
        cr_expect_eq(f.n, 0);
        cr_expect_null(f.v);
}

Test(scan_finding, snippet_is_trimmed_cut_and_valid_utf8) {
        struct findings f = { 0 };
        const char line[] = "   \tsubprocess.run(['id'])  \r\n";
        cr_assert_eq(findings_add(&f, "r", SEV_LOW, "process", "a.py", 1, 4, line, sizeof(line) - 1, "m"), 0);
        cr_expect_str_eq(f.v[0].snippet, "subprocess.run(['id'])");
        char bad[] = "x\xff\xfey";
        cr_assert_eq(findings_add(&f, "r", SEV_LOW, "process", "a.py", 1, 1, bad, 4, "m"), 0);
        cr_expect_str_eq(f.v[1].snippet, "x\xef\xbf\xbd\xef\xbf\xbdy"); /* U+FFFD for each bad byte */
        char longline[600];
        memset(longline, 'a', sizeof(longline));
        memcpy(longline + FINDING_SNIPPET_MAX - 1, "\xc3\xa9", 2); /* an e-acute across the cut */
        cr_assert_eq(findings_add(&f, "r", SEV_LOW, "process", "a.py", 1, 1, longline, sizeof(longline), "m"), 0);
        cr_expect_eq(strlen(f.v[2].snippet), FINDING_SNIPPET_MAX - 1, "cut before the character");
        cr_assert_eq(findings_add(&f, "r", SEV_LOW, "process", NULL, 0, 0, NULL, 0, "m"), 0);
        cr_expect_str_eq(f.v[3].snippet, "");
        cr_expect_str_eq(f.v[3].file, "");
        cr_assert_eq(findings_add(&f, "r", SEV_LOW, "process", "bad\xffname.py", 0, 0, NULL, 0, "m"), 0);
        cr_expect_str_eq(f.v[4].file, "bad\xef\xbf\xbdname.py", "file names are made valid UTF-8 for the report");
        findings_done(&f);
}

Test(scan_finding, json_form) {
        struct findings f = { 0 };
        cr_assert_eq(findings_add(&f, "py.dynamic.eval", SEV_HIGH, "process", "scripts/main.py", 7, 5,
                                  "eval(x)", 7, "runs dynamic code"), 0);
        _cleanup_json_ json_t *j = findings_to_json(&f);
        cr_assert_not_null(j);
        cr_assert_eq(json_array_size(j), 1);
        json_t *o = json_array_get(j, 0);
        cr_expect_str_eq(json_string_value(json_object_get(o, "rule_id")), "py.dynamic.eval");
        cr_expect_str_eq(json_string_value(json_object_get(o, "severity")), "high");
        cr_expect_str_eq(json_string_value(json_object_get(o, "category")), "process");
        cr_expect_str_eq(json_string_value(json_object_get(o, "file")), "scripts/main.py");
        cr_expect_eq(json_integer_value(json_object_get(o, "line")), 7);
        cr_expect_eq(json_integer_value(json_object_get(o, "column")), 5);
        cr_expect_str_eq(json_string_value(json_object_get(o, "snippet")), "eval(x)");
        cr_expect_eq(json_object_size(o), 8);
        findings_done(&f);
}

Test(scan_finding, the_cap_counts_what_it_drops) {
        struct findings f = { 0 };
        for (int i = 0; i < FINDINGS_MAX + 5; i++)
                cr_assert_eq(findings_add(&f, "r", SEV_LOW, "process", "a", 1, 1, NULL, 0, "m"), 0);
        cr_expect_eq(f.n, FINDINGS_MAX);
        cr_expect_eq(f.dropped, 5);
        findings_done(&f);
}
