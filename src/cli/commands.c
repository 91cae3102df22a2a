/* The command table. The core binary (skilllite-sandbox) and the full one share it; commands of
 * the agent layer are added under SKILLLITE_FULL once that layer exists. */
#include "cli.h"

extern const struct command command_validate;
extern const struct command command_info;
extern const struct command command_list;
extern const struct command command_show;
extern const struct command command_run;
extern const struct command command_exec;
extern const struct command command_bash;
extern const struct command command_doctor;
extern const struct command command_explain;
extern const struct command command_scan;
extern const struct command command_advisories;
extern const struct command command_add;
extern const struct command command_remove;
extern const struct command command_verify;
extern const struct command command_approve;
extern const struct command command_reindex;
extern const struct command command_init;
extern const struct command command_build_env;
extern const struct command command_clean_env;
extern const struct command command_serve;
extern const struct command command_mcp;
extern const struct command command_init_cursor;
extern const struct command command_init_opencode;
extern const struct command command_mcp_config;

const struct command *const cli_commands[] = {
        &command_validate,
        &command_info,
        &command_list,
        &command_show,
        &command_add,
        &command_remove,
        &command_verify,
        &command_approve,
        &command_reindex,
        &command_init,
        &command_run,
        &command_exec,
        &command_bash,
        &command_scan,
        &command_explain,
        &command_doctor,
        &command_advisories,
        &command_build_env,
        &command_clean_env,
        &command_serve,
        &command_mcp,
        &command_init_cursor,
        &command_init_opencode,
        &command_mcp_config,
        NULL,
};
