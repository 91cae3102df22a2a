/* libFuzzer target: one OSV document -> osv_reduce() (what an import keeps), then every stored
 * package evaluated the way the audit does (exact versions, version specs, "every version") and
 * its name through the typosquat check. Must never crash, hang or read out of bounds, and the
 * answers stay in their contracts. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/base/json.h"
#include "../../src/scan/advisory_osv.h"
#include "../../src/scan/supply_chain.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(bool ok) {
        if (!ok)
                abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        static const char *const VERSIONS[] = { "0", "0.0.0", "1.0", "1.0.0", "1.2.3-beta.1", "2.0rc1", "v3", "x" };
        static const char *const SPECS[] = { "", ">=1.0", "^1.2.0", "<2", "1.x", "==1.*", "latest", ">=1 <2 || 3" };
        json_t *doc = json_parse_strict((const char *) data, size, ADVISORY_FILE_MAX, NULL);
        struct osv_adv a = { 0 };
        int r = doc ? osv_reduce(doc, &a) : -EINVAL;
        check(r == 0 || r == -EINVAL || r == -ENOMEM);
        const char *key;
        json_t *p;
        if (r == 0)
                json_object_foreach(a.packages, key, p) {
                        enum dep_ecosystem eco = (enum dep_ecosystem) json_integer_value(json_object_get(p, "eco"));
                        check(eco == DEP_PYPI || eco == DEP_NPM);
                        struct advisory adv = {
                                .id = (char *) a.id,
                                .malicious = a.malicious,
                                .ranges = json_object_get(p, "ranges"),
                                .versions = json_object_get(p, "versions"),
                        };
                        check(json_array_size(adv.ranges) + json_array_size(adv.versions) > 0);
                        for (size_t i = 0; i < sizeof(VERSIONS) / sizeof(VERSIONS[0]); i++) {
                                int k = advisory_affects_version(&adv, eco, VERSIONS[i]);
                                check(k == 0 || k == 1 || k == -EINVAL);
                        }
                        for (size_t i = 0; i < sizeof(SPECS) / sizeof(SPECS[0]); i++) {
                                int k = advisory_affects_spec(&adv, eco, SPECS[i]);
                                check(k == 0 || k == 1 || k == -EINVAL);
                        }
                        if (advisory_affects_all(&adv))
                                check(advisory_affects_version(&adv, eco, eco == DEP_PYPI ? "1.0" : "1.0.0") == 1);
                        (void) supply_typosquat_target(eco, json_string_value(json_object_get(p, "name")));
                }
        osv_adv_done(&a);
        json_decref(doc);
        return 0;
}
