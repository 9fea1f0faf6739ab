// The coldtrace CLI's command groups. Each add_* registers its subcommands on the app; a
// command's callback sets the exit status through cli_exit.
#pragma once

#include "codec/error.hpp"

#include <CLI/CLI.hpp>

#include <iostream>
#include <type_traits>

namespace coldtrace::cli {

// Thrown by a command to end the program with a status (after printing its own message).
struct cli_exit {
  int status;
};

// The value of `r`, or its message on stderr and the end of the program with `status`.
template <class T>
T or_exit(result<T> r, int status) {
  if (!r) {
    std::cerr << "coldtrace: " << r.error().message << "\n";
    throw cli_exit{status};
  }
  if constexpr (!std::is_void_v<T>) return std::move(*r);
}

void add_key_commands(CLI::App& app);
void add_code_commands(CLI::App& app);
void add_verify_command(CLI::App& code);  // code verify, offline (cli_verify.cpp)
#ifdef COLDTRACE_HAVE_STORAGE
void add_db_commands(CLI::App& app);       // db, audit, trace, recall
void add_account_commands(CLI::App& app);  // unit add, account create
void add_export_command(CLI::App& app);    // export (XLSX, CSV)
#endif
#ifdef COLDTRACE_HAVE_SERVER
void add_stats_command(CLI::App& app);  // its JSON is the API's (server/api)
void add_epcis_command(CLI::App& export_cmd);
void add_push_command(CLI::App& app);  // push: the feed to an upper platform (cli_push.cpp)  //
                                       // export epcis: server/api's EPCIS mapping
void add_serve_command(CLI::App& app);
void add_import_command(CLI::App& app);  // reads files as the API's import does
#endif

}  // namespace coldtrace::cli
