// `coldtrace serve` as an operator runs it: the binary on a fresh database and key directory,
// the API answering on the port it logged, and exit status 0 after SIGTERM's drain.
#include "tests/server/client.hpp"
#include "tests/support.hpp"

#include <boost/json.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <thread>

using namespace coldtrace;
using namespace std::chrono_literals;

namespace {

const std::filesystem::path coldtrace_binary =
    std::filesystem::path(COLDTRACE_BINARY_DIR) / "tools" / "coldtrace";

// Runs the binary with `args`, stderr to `log`; answers its pid.
pid_t spawn(const std::vector<std::string>& args, const std::filesystem::path& log) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    std::freopen(log.c_str(), "w", stderr);
    std::freopen("/dev/null", "w", stdout);
    std::vector<char*> argv;
    std::string program = coldtrace_binary.string();
    argv.push_back(program.data());
    std::vector<std::string> copy = args;
    for (auto& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  return pid;
}

int wait_status(pid_t pid) {
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// The port from the server's "listening" log line, once it is there.
std::uint16_t logged_port(const std::filesystem::path& log) {
  for (int i = 0; i < 500; ++i) {
    std::ifstream in(log);
    for (std::string line; std::getline(in, line);) {
      if (line.find("\"listening\"") == std::string::npos) continue;
      return static_cast<std::uint16_t>(boost::json::parse(line).at("port").to_number<int>());
    }
    std::this_thread::sleep_for(10ms);
  }
  return 0;
}

}  // namespace

TEST_CASE("coldtrace serve answers on its port and exits 0 after SIGTERM", "[server][api]") {
  if (!std::filesystem::exists(coldtrace_binary)) {
    WARN("not built: " << coldtrace_binary.string());
    return;
  }
  test::temp_dir dir;
  const auto keys = (dir.path / "keys").string(), db = (dir.path / "ledger.db").string();
  REQUIRE(wait_status(spawn({"keygen", "--dir", keys}, dir.path / "keygen.log")) == 0);
  REQUIRE(wait_status(spawn({"db", "init", "--db", db}, dir.path / "init.log")) == 0);

  const auto log = dir.path / "serve.log";
  const pid_t server = spawn({"serve", "--db", db, "--keys", keys, "--listen", "127.0.0.1:0",
                              "--public-url", "https://trace.example.gov.cn", "--threads", "1"},
                             log);
  const auto port = logged_port(log);
  REQUIRE(port != 0);
  {
    server::test::client c(port);
    auto jwks = c.request("GET", "/.well-known/jwks.json");
    CHECK(jwks.status == 200);
    CHECK(jwks.body.find("Ed25519") != std::string::npos);
    CHECK(c.request("GET", "/api/v1/me").status == 401);
  }
  ::kill(server, SIGTERM);
  CHECK(wait_status(server) == 0);

  // A bad public URL is a usage error, before anything is served.
  CHECK(wait_status(spawn({"serve", "--db", db, "--keys", keys, "--public-url", "ftp://x"},
                          dir.path / "bad.log")) == 2);
}
