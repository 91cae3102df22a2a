/* Unit tests for src/base/envnum.c: numeric settings from the environment. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>

#include "../../src/base/envnum.h"

#define VAR "SKILLLITE_TEST_ENVNUM"

Test(envnum, unset_and_empty_keep_the_default) {
        unsigned long long n = 42;
        unsetenv(VAR);
        cr_assert_eq(env_number(VAR, 1, 10, &n), 0);
        setenv(VAR, "", 1);
        cr_assert_eq(env_number(VAR, 1, 10, &n), 0);
        cr_assert_eq(n, 42);
}

Test(envnum, whole_numbers_in_range) {
        unsigned long long n = 0;
        setenv(VAR, "7", 1);
        cr_assert_eq(env_number(VAR, 1, 10, &n), 1);
        cr_assert_eq(n, 7);
        setenv(VAR, "0", 1);
        cr_assert_eq(env_number(VAR, 0, 10, &n), 1);
        cr_assert_eq(n, 0);
        setenv(VAR, "10", 1);
        cr_assert_eq(env_number(VAR, 1, 10, &n), 1);
        cr_assert_eq(n, 10);
}

Test(envnum, anything_else_is_invalid_and_keeps_the_value) {
        static const char *const bad[] = { "0", "11", "-1", "+3", " 3", "3 ", "3s", "0x5", "1e2",
                                           "99999999999999999999999" };
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
                unsigned long long n = 5;
                setenv(VAR, bad[i], 1);
                cr_assert_eq(env_number(VAR, 1, 10, &n), -EINVAL, "%s", bad[i]);
                cr_assert_eq(n, 5, "%s", bad[i]);
        }
}
