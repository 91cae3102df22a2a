/* The command table. The core binary (skilllite-sandbox) and the full one share it; commands of
 * the agent layer are added under SKILLLITE_FULL once that layer exists. */
#include "cli.h"

extern const struct command command_validate;
extern const struct command command_info;
extern const struct command command_list;
extern const struct command command_show;

const struct command *const cli_commands[] = {
        &command_validate,
        &command_info,
        &command_list,
        &command_show,
        NULL,
};
