// `coldtrace serve` as an operator runs it: the binary on a fresh database and key directory,
// the API answering on the port it logged, and exit status 0 after SIGTERM's drain.
#include "tests/server/client.hpp"
#include "tests/support.hpp"

#include <boost/json.hpp>

#include <signal.h>
#include <sys/resource.h>
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

// Runs the binary with `args`, stderr to `log`; answers its pid. `open_files`: the child's
// soft RLIMIT_NOFILE, as `ulimit -Sn` would set it.
pid_t spawn(const std::vector<std::string>& args, const std::filesystem::path& log,
            rlim_t open_files = 0) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    if (open_files != 0) {
      rlimit r{};
      ::getrlimit(RLIMIT_NOFILE, &r);
      r.rlim_cur = open_files;
      ::setrlimit(RLIMIT_NOFILE, &r);
    }
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

// The first log line of `event`, once it is there (null after 5 s).
boost::json::value logged(const std::filesystem::path& log, std::string_view event) {
  const std::string needle = "\"event\":\"" + std::string(event) + "\"";
  for (int i = 0; i < 500; ++i) {
    std::ifstream in(log);
    for (std::string line; std::getline(in, line);) {
      if (line.find(needle) != std::string::npos) return boost::json::parse(line);
    }
    std::this_thread::sleep_for(10ms);
  }
  return nullptr;
}

// The port from the server's "listening" log line, once it is there.
std::uint16_t logged_port(const std::filesystem::path& log) {
  auto line = logged(log, "listening");
  return line.is_null() ? 0 : static_cast<std::uint16_t>(line.at("port").to_number<int>());
}

// A key directory and a database, as an operator makes them.
struct installation {
  test::temp_dir dir;
  std::string keys = (dir.path / "keys").string(), db = (dir.path / "ledger.db").string();
  installation() {
    REQUIRE(wait_status(spawn({"keygen", "--dir", keys}, dir.path / "keygen.log")) == 0);
    REQUIRE(wait_status(spawn({"db", "init", "--db", db}, dir.path / "init.log")) == 0);
  }
  std::vector<std::string> serve_args() const {
    return {"serve",
            "--db",
            db,
            "--keys",
            keys,
            "--listen",
            "127.0.0.1:0",
            "--public-url",
            "https://trace.example.gov.cn",
            "--threads",
            "1"};
  }
};

std::size_t jwks_size(std::uint16_t port) {
  server::test::client c(port);
  auto r = c.request("GET", "/.well-known/jwks.json");
  return boost::json::parse(r.body).at("keys").as_array().size();
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

TEST_CASE("SIGHUP reloads the key directory without a restart", "[server][api]") {
  if (!std::filesystem::exists(coldtrace_binary)) return;
  installation at;
  const auto log = at.dir.path / "serve.log";
  const pid_t server = spawn(at.serve_args(), log);
  const auto port = logged_port(log);
  REQUIRE(port != 0);
  CHECK(jwks_size(port) == 1);
  REQUIRE(wait_status(spawn({"keygen", "--dir", at.keys, "--rotate"}, at.dir.path / "rot.log")) ==
          0);
  ::kill(server, SIGHUP);
  auto reloaded = logged(log, "hangup");
  REQUIRE_FALSE(reloaded.is_null());
  CHECK(reloaded.at("level") == "info");
  CHECK(jwks_size(port) == 2);
  {
    // /metrics on the main listener is an admin's.
    server::test::client c(port);
    CHECK(c.request("GET", "/metrics").status == 401);
  }
  ::kill(server, SIGTERM);
  CHECK(wait_status(server) == 0);
}

TEST_CASE("coldtrace serve raises its open-file limit and sizes the caps by it", "[server][api]") {
  if (!std::filesystem::exists(coldtrace_binary)) return;
  rlimit r{};
  ::getrlimit(RLIMIT_NOFILE, &r);
  if (r.rlim_max != RLIM_INFINITY && r.rlim_max <= 256) return;  // nothing to raise
  installation at;
  const auto log = at.dir.path / "serve.log";
  const pid_t server = spawn(at.serve_args(), log, 256);
  REQUIRE(logged_port(log) != 0);
  auto raised = logged(log, "open_files");
  REQUIRE_FALSE(raised.is_null());
  CHECK(raised.at("from").to_number<std::uint64_t>() == 256);
  CHECK(raised.at("to").to_number<std::uint64_t>() > 256);
  auto listening = logged(log, "listening");
  CHECK(listening.at("max_connections").to_number<std::uint64_t>() > 256);
  ::kill(server, SIGTERM);
  CHECK(wait_status(server) == 0);
}

TEST_CASE("coldtrace serve signs a checkpoint of the audit chain every --checkpoint-interval",
          "[server][api]") {
  if (!std::filesystem::exists(coldtrace_binary)) return;
  installation at;
  const auto log = at.dir.path / "serve.log";
  // One event to sign: an empty chain has no head.
  REQUIRE(wait_status(
              spawn({"unit", "add", "--db", at.db, "--credit-code", "11310000MB2C12345F", "--name",
                     "上海市市场监督管理局", "--kind", "regulator", "--region", "上海市"},
                    at.dir.path / "unit.log")) == 0);
  auto args = at.serve_args();
  args.insert(args.end(), {"--checkpoint-interval", "1"});
  const pid_t server = spawn(args, log);
  const auto port = logged_port(log);
  REQUIRE(port != 0);
  int status = 0;
  for (int i = 0; i < 100 && status != 200; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    server::test::client c(port);
    status = c.request("GET", "/api/v1/audit/checkpoint").status;
  }
  CHECK(status == 200);
  ::kill(server, SIGTERM);
  CHECK(wait_status(server) == 0);
}
