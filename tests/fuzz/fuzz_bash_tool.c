/* libFuzzer target: untrusted allowed-tools text and bash commands (src/skill/bash_tool.c).
 * Input: "<allowed-tools>\n<command>". */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/base/macros.h"
#include "../../src/skill/bash_tool.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        char *text = strndup((const char *) data, size);
        if (!text)
                return 0;
        char *command = strchr(text, '\n');
        if (command)
                *command++ = '\0';
        char **prefixes = NULL;
        if (bash_tool_prefixes(text, &prefixes) >= 0 && command) {
                char *tool = NULL;
                struct error err = ERROR_INIT;
                if (bash_command_check(prefixes, command, &tool, &err) == 0)
                        free(tool);
        }
        strv_free(prefixes);
        free(text);
        return 0;
}
