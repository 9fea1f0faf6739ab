// The coldtrace CLI's command groups. Each add_* registers its subcommands on the app; a
// command's callback sets the exit status through cli_exit.
#pragma once

#include <CLI/CLI.hpp>

namespace coldtrace::cli {

// Thrown by a command to end the program with a status (after printing its own message).
struct cli_exit {
  int status;
};

void add_key_commands(CLI::App& app);
void add_code_commands(CLI::App& app);
#ifdef COLDTRACE_HAVE_STORAGE
void add_db_commands(CLI::App& app);  // db, audit, stats, trace, recall
#endif
#ifdef COLDTRACE_HAVE_SERVER
void add_serve_command(CLI::App& app);
#endif

}  // namespace coldtrace::cli
