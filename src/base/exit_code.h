/* The exit-code contract shared by every command (DESIGN.md §8). */
#pragma once

enum exit_code {
        EXIT_OK = 0,                  /* success */
        EXIT_FAILED = 1,              /* the skill or the command failed */
        EXIT_USAGE = 2,               /* usage error or invalid input */
        EXIT_REFUSED = 3,             /* refused by security policy */
        EXIT_SANDBOX_UNAVAILABLE = 4, /* refused to run unconfined */
        EXIT_LIMIT = 5,               /* a resource limit was hit */
};
