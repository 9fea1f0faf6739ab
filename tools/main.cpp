#include "tools/cli.hpp"

#include <exception>
#include <iostream>

int main(int argc, char** argv) {
  namespace cli = coldtrace::cli;
  CLI::App app{
      "coldtrace — cold-chain food traceability: signed codes, the lot ledger, the service"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "coldtrace 0.1.0");
  cli::add_key_commands(app);
  cli::add_code_commands(app);
#ifdef COLDTRACE_HAVE_STORAGE
  cli::add_db_commands(app);
  cli::add_account_commands(app);
  cli::add_export_command(app);
#endif
#ifdef COLDTRACE_HAVE_SERVER
  cli::add_stats_command(app);
  cli::add_epcis_command(*app.get_subcommand("export"));
  cli::add_push_command(app);
  cli::add_serve_command(app);
  cli::add_import_command(app);
#endif
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // Prints help or the usage error; usage errors exit 2, like malformed input.
    return app.exit(e) == 0 ? 0 : 2;
  } catch (const cli::cli_exit& e) {
    return e.status;
  } catch (const std::exception& e) {
    std::cerr << "coldtrace: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
