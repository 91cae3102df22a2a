#pragma once

/* Python code given to the interpreter with -c, before the script path (python_boot.c). */
extern const char PYTHON_BOOT[];
