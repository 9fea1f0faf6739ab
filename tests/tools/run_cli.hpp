// Runs the coldtrace binary as a user would, without a shell (arguments may hold spaces and
// Chinese text as they are), and keeps what it wrote to stdout and to stderr apart.
#pragma once

#include <string>
#include <vector>

namespace coldtrace::test {

struct cli_run {
  int status = -1;  // the exit status; -1 when it did not exit normally
  std::string out, err;
};

// `input`, when given, is the command's standard input (a password for --password-stdin).
cli_run run_cli(const std::vector<std::string>& args, const std::string* input = nullptr);

}  // namespace coldtrace::test
