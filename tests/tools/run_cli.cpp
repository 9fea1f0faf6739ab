#include "tests/tools/run_cli.hpp"

#include "tests/support.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>

#include <fstream>
#include <sstream>

extern char** environ;

namespace coldtrace::test {
namespace {

std::string slurp(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

cli_run run_cli(const std::vector<std::string>& args, const std::string* input) {
  temp_dir dir;
  const auto out = (dir.path / "stdout").string(), err = (dir.path / "stderr").string();
  const auto in = (dir.path / "stdin").string();
  posix_spawn_file_actions_t files;
  REQUIRE(posix_spawn_file_actions_init(&files) == 0);
  if (input) {
    std::ofstream(in, std::ios::binary) << *input;
    posix_spawn_file_actions_addopen(&files, 0, in.c_str(), O_RDONLY, 0);
  }
  posix_spawn_file_actions_addopen(&files, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&files, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  std::vector<std::string> argv_text{COLDTRACE_CLI};
  argv_text.insert(argv_text.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_text) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  const int spawned = ::posix_spawn(&pid, argv[0], &files, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&files);
  REQUIRE(spawned == 0);
  int raw = 0;
  REQUIRE(::waitpid(pid, &raw, 0) == pid);
  return {WIFEXITED(raw) ? WEXITSTATUS(raw) : -1, slurp(out), slurp(err)};
}

}  // namespace coldtrace::test
