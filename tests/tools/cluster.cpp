#include "tests/tools/cluster.hpp"

#include "codec/keys.hpp"
#include "storage/demo.hpp"
#include "storage/postgres/pg.hpp"
#include "storage/postgres_ledger.hpp"

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <thread>

extern char** environ;

namespace coldtrace::test {
namespace {

// A loopback port nobody listens on now (the server binds it a moment later).
std::uint16_t free_port() {
  const int s = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
  socklen_t n = sizeof a;
  ::getsockname(s, reinterpret_cast<sockaddr*>(&a), &n);
  ::close(s);
  return ntohs(a.sin_port);
}

pid_t spawn(const std::vector<std::string>& args, const std::string& log_file) {
  std::vector<char*> argv{const_cast<char*>(COLDTRACE_CLI)};
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  posix_spawn_file_actions_t files;
  posix_spawn_file_actions_init(&files);
  posix_spawn_file_actions_addopen(&files, 1, log_file.c_str(), O_WRONLY | O_CREAT | O_APPEND,
                                   0600);
  posix_spawn_file_actions_adddup2(&files, 1, 2);
  pid_t pid = -1;
  const int rc = ::posix_spawn(&pid, argv[0], &files, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&files);
  REQUIRE(rc == 0);
  return pid;
}

}  // namespace

server_process::server_process(const std::vector<std::string>& args, const std::string& log_file)
    : port_(free_port()) {
  auto all = args;
  all.insert(all.end(), {"--listen", "127.0.0.1:" + std::to_string(port_)});
  pid_ = spawn(all, log_file);
  for (int i = 0; i < 200; ++i) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      FAIL("coldtrace serve exited at start; see " + log_file);
    }
    try {
      if (call("GET", "/healthz").status == 200) return;
    } catch (const std::exception&) {
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  FAIL("coldtrace serve did not answer /healthz within 10 s; see " + log_file);
}

server_process::~server_process() {
  stop();
}

http_reply server_process::call(std::string_view method, std::string_view target, std::string body,
                                const std::string& token) {
  server::test::fields extra;
  if (!body.empty()) extra.emplace_back("Content-Type", "application/json");
  if (!token.empty()) extra.emplace_back("Authorization", "Bearer " + token);
  extra.emplace_back("Accept-Language", "en");
  server::test::client c{port_};
  auto r = c.request(method, target, std::move(body), extra);
  http_reply out{r.status, std::move(r.body), nullptr};
  boost::system::error_code ec;
  auto parsed = json::parse(out.body, ec);
  if (!ec) out.json = std::move(parsed);
  return out;
}

void server_process::kill9() {
  if (pid_ < 0) return;
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

void server_process::stop() {
  if (pid_ < 0) return;
  ::kill(pid_, SIGTERM);
  ::waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

cluster::cluster() {
  const auto key_dir = dir.path / "keys";
  keys = key_dir.string();
  std::filesystem::create_directories(key_dir);
  auto key = std::make_shared<codec::signing_key>(codec::signing_key::generate().value());
  key->save_pem(key_dir / "signing-key.pem").value();
  codec::key_set published;
  published.add(key->public_part());
  published.save(key_dir / "jwks.json").value();

  // The cast, straight through the ledger (as `unit add` and `account create` would).
  auto l = storage::open_postgres_ledger({db.uri, key}).value();
  const storage::context c{storage::actor::local_admin(), std::chrono::floor<std::chrono::seconds>(
                                                              std::chrono::system_clock::now())};
  auto unit = [&](std::string_view first17, std::string name, storage::unit_kind kind) {
    return l
        ->register_unit(c,
                        {storage::with_check_character(first17), std::move(name), kind, "上海市"})
        .value()
        .id;
  };
  auto token = [&](std::int64_t u, storage::account_role role) {
    return l->create_account(c, {u, role, "张伟"}).value().token;
  };
  admin = token(unit("11310100MB0000000", "上海市市场监督管理局", storage::unit_kind::regulator),
                storage::account_role::admin);
  warehouse = token(unit("91310115MA1H00001", "浦东集中监管仓", storage::unit_kind::warehouse),
                    storage::account_role::warehouse);
  shop_unit = unit("92310104MA1H00004", "天平路生鲜超市", storage::unit_kind::seller);
  shop = token(shop_unit, storage::account_role::unit_operator);
  l->close();
}

namespace {

// serve's arguments on the cluster's database: the cluster's key directory unless `extra`
// names another.
std::vector<std::string> serve_args(const cluster& c, const std::vector<std::string>& extra) {
  std::vector<std::string> args{"serve", "--db", c.db.uri, "--public-url",
                                "https://trace.example.gov.cn"};
  if (std::find(extra.begin(), extra.end(), "--keys") == extra.end())
    args.insert(args.end(), {"--keys", c.keys});
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

}  // namespace

server_process& cluster::start(std::vector<std::string> extra) {
  auto args = serve_args(*this, extra);
  args.insert(args.end(), {"--threads", "2", "--blocking-threads", "8"});
  const auto log = (dir.path / ("server-" + std::to_string(servers_.size()) + ".log")).string();
  return servers_.emplace_back(args, log);
}

cli_run cluster::start_refused(std::vector<std::string> extra) {
  auto args = serve_args(*this, extra);
  args.insert(args.end(), {"--listen", "127.0.0.1:0"});
  return run_cli(args);
}

void cluster::stop_all() {
  for (auto& s : servers_) s.stop();
}

std::int64_t cluster::scalar(const std::string& sql) const {
  auto c = storage::pg::connection::open(db.uri);
  return c.exec(sql).int64(0, 0);
}

}  // namespace coldtrace::test
