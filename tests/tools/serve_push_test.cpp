// coldtrace serve --push-to: the pusher inside the server, against a receiver on loopback that
// answers 503, takes longer than the timeout and is killed and restarted, while a client writes
// through the API and the server itself is killed with SIGKILL and restarted on the same
// cursor: the receiver ends with every event exactly once after de-duplication, in order, and
// /metrics says so (no lag, the failures counted, never the token).
#include "tests/storage/pg_support.hpp"
#include "tests/support.hpp"
#include "tests/tools/cluster.hpp"
#include "tests/tools/feed_receiver.hpp"
#include "tests/tools/run_cli.hpp"

#include <atomic>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

using namespace coldtrace;
using namespace coldtrace::test;

namespace {

// The value of an unlabelled series in a /metrics page; -1 when absent.
std::int64_t metric(const std::string& page, const std::string& name) {
  std::istringstream in{page};
  std::string line;
  while (std::getline(in, line))
    if (line.starts_with(name + " ")) return std::stoll(line.substr(name.size() + 1));
  return -1;
}

// Accounts made through the API, one after another, for as long as it runs; a server that is
// down (killed, restarting) is asked again a moment later.
class writer {
 public:
  writer(std::uint16_t port, std::string token) : port_(port), token_(std::move(token)) {
    thread_ = std::jthread([this](std::stop_token stop) {
      for (int i = 0; !stop.stop_requested(); ++i) {
        try {
          server::test::client c{port_.load()};
          const auto r = c.request(
              "POST", "/api/v1/accounts",
              R"({"unit":1,"role":"inspector","name":"推送)" + std::to_string(i) + R"("})",
              {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + token_}});
          if (r.status == 201) ++made_;
        } catch (const std::exception&) {
        }
        std::this_thread::sleep_for(std::chrono::milliseconds{100});
      }
    });
  }
  void retarget(std::uint16_t port) { port_ = port; }
  int stop() {
    thread_ = {};
    return made_;
  }

 private:
  std::atomic<std::uint16_t> port_;
  std::string token_;
  std::atomic<int> made_{0};
  std::jthread thread_;
};

}  // namespace

TEST_CASE(
    "serve --push-to delivers every event exactly once after de-duplication, in order, across "
    "receiver failures, a kill -9 of the server and writes meanwhile, its status on /metrics",
    "[tools][push]") {
  temp_dir dir;
  const auto db = (dir.path / "demo.db").string(), keys = (dir.path / "keys").string();
  REQUIRE(run_cli({"keygen", "--dir", keys}).status == 0);
  const auto token_file = (dir.path / "admin-token").string();
  REQUIRE(run_cli({"db", "demo", "--db", db, "--keys", keys, "--token-out", token_file}).status ==
          0);
  std::string admin;
  std::ifstream{token_file} >> admin;
  std::ofstream(dir.path / "credentials") << "secret-token\n";
  const auto store = dir.path / "store.jsonl", log = dir.path / "log";

  auto rx = std::make_unique<feed_receiver>(dir.path, "secret-token", "2:503,4:hang", log);
  const auto port = rx->port;
  const std::vector<std::string> serve_args{"serve",
                                            "--db",
                                            db,
                                            "--keys",
                                            keys,
                                            "--public-url",
                                            "https://trace.example.gov.cn",
                                            "--push-to",
                                            rx->url(),
                                            "--push-credentials",
                                            (dir.path / "credentials").string(),
                                            "--push-batch",
                                            "10",
                                            "--push-timeout",
                                            "1",
                                            "--push-max-backoff",
                                            "0.4",
                                            "--push-interval",
                                            "5"};  // long: a commit wakes the pusher, not the poll
  auto server = std::make_unique<server_process>(serve_args, log.string());
  const auto first = server->call("GET", "/api/v1/feed?limit=1", {}, admin)
                         .at("head")
                         .as_object()
                         .at("seq")
                         .to_number<std::int64_t>();
  REQUIRE(first > 200);
  writer w{server->port(), admin};

  // The server killed mid-run and started again on the same cursor file.
  wait_for(store, static_cast<std::size_t>(first / 3));
  server->kill9();
  server = std::make_unique<server_process>(serve_args, log.string());
  w.retarget(server->port());
  // The receiver killed and, a moment later, started again on the same port.
  wait_for(store, static_cast<std::size_t>(2 * first / 3));
  rx.reset();
  std::this_thread::sleep_for(std::chrono::milliseconds{800});
  rx = std::make_unique<feed_receiver>(dir.path, "secret-token", "1:503,3:hang", log, port);
  wait_for(store, static_cast<std::size_t>(first + 5));
  REQUIRE(w.stop() >= 5);

  const auto total = server->call("GET", "/api/v1/feed?limit=1", {}, admin)
                         .at("head")
                         .as_object()
                         .at("seq")
                         .to_number<std::int64_t>();
  wait_for(store, static_cast<std::size_t>(total));
  // The cursor moves just after the receiver stored the batch: /metrics catches up at once.
  std::string page;
  for (int i = 0; i < 100; ++i) {
    page = server->call("GET", "/metrics", {}, admin).body;
    if (metric(page, "coldtrace_push_lag_events") == 0 &&
        metric(page, "coldtrace_push_last_acked_seq") == total)
      break;
    std::this_thread::sleep_for(std::chrono::milliseconds{100});
  }
  INFO(page);
  CHECK(metric(page, "coldtrace_push_last_acked_seq") == total);
  CHECK(metric(page, "coldtrace_push_chain_head_seq") == total);
  CHECK(metric(page, "coldtrace_push_lag_events") == 0);
  CHECK(metric(page, "coldtrace_push_up") == 1);
  // The receiver's outage, its 503 and its hang, since this server started.
  CHECK(metric(page, "coldtrace_push_failures_total") >= 3);
  CHECK(metric(page, "coldtrace_push_events_total") > 0);
  CHECK(metric(page, "coldtrace_push_last_success_unixtime") > 1'700'000'000);
  CHECK(page.find("secret-token") == std::string::npos);
  server->stop();

  std::ifstream logf{log};
  std::stringstream log_text;
  log_text << logf.rdbuf();
  INFO(log_text.str());
  CHECK(log_text.str().find("HTTP 503") != std::string::npos);
  CHECK(log_text.str().find("no answer within") != std::string::npos);
  CHECK(log_text.str().find("secret-token") == std::string::npos);
  const auto events = read_store(store);
  CHECK(events.size() > static_cast<std::size_t>(total));  // resent batches: duplicates
  const auto last_hash = check_exactly_once(events, total);
  std::ifstream cursor{db + ".push-cursor"};
  std::int64_t seq = 0;
  std::string hash;
  cursor >> seq >> hash;
  CHECK(seq == total);
  CHECK(hash == last_hash);
}

TEST_CASE("serve refuses push options it cannot use, without starting", "[tools][push]") {
  temp_dir dir;
  const auto db = (dir.path / "l.db").string(), keys = (dir.path / "keys").string();
  REQUIRE(run_cli({"keygen", "--dir", keys}).status == 0);
  REQUIRE(run_cli({"db", "init", "--db", db}).status == 0);
  const std::vector<std::string> base{"serve",       "--db",         db,
                                      "--keys",      keys,           "--listen",
                                      "127.0.0.1:0", "--public-url", "https://t.example.cn"};
  auto with = [&](std::vector<std::string> extra) {
    auto a = base;
    a.insert(a.end(), extra.begin(), extra.end());
    return run_cli(a);
  };
  auto r = with({"--push-to", "ftp://x/"});
  CHECK(r.status == 2);
  CHECK(r.err.find("--push-to must look like") != std::string::npos);
  r = with({"--push-to", "http://127.0.0.1:1/", "--push-batch", "0"});
  CHECK(r.status == 2);
  CHECK(r.err.find("--push-batch") != std::string::npos);
  r = with(
      {"--push-to", "http://127.0.0.1:1/", "--push-credentials", (dir.path / "missing").string()});
  CHECK(r.status == 2);
  CHECK(r.err.find("--push-credentials") != std::string::npos);
  r = with({"--push-credentials", (dir.path / "missing").string()});
  CHECK(r.status == 2);
  CHECK(r.err.find("need --push-to") != std::string::npos);
}

TEST_CASE("serve --push-to on PostgreSQL: the cursor file is required, and the chain arrives whole",
          "[tools][push][postgres]") {
  REQUIRE_PG_OR_RETURN();
  storage::test::pg_database pg;
  temp_dir dir;
  const auto keys = (dir.path / "keys").string();
  const auto log = dir.path / "log";
  REQUIRE(run_cli({"keygen", "--dir", keys}).status == 0);
  REQUIRE(run_cli({"db", "demo", "--db", pg.uri, "--keys", keys, "--token-out",
                   (dir.path / "admin-token").string()})
              .status == 0);
  std::string admin;
  std::ifstream{dir.path / "admin-token"} >> admin;
  std::ofstream(dir.path / "credentials") << "pg-token\n";
  feed_receiver rx{dir.path, "pg-token", "2:503", log};
  std::vector<std::string> args{"serve",
                                "--db",
                                pg.uri,
                                "--keys",
                                keys,
                                "--public-url",
                                "https://t.example.cn",
                                "--push-to",
                                rx.url(),
                                "--push-credentials",
                                (dir.path / "credentials").string(),
                                "--push-timeout",
                                "1",
                                "--push-max-backoff",
                                "0.4",
                                "--push-interval",
                                "0.2"};
  auto r = run_cli(args);
  CHECK(r.status == 2);
  CHECK(r.err.find("--push-cursor is required") != std::string::npos);

  const auto cursor = (dir.path / "cursor").string();
  args.insert(args.end(), {"--push-cursor", cursor});
  server_process s{args, log.string()};
  // On PostgreSQL other servers commit too, so no commit counter wakes the pusher: its poll
  // (--push-interval) finds these.
  for (int i = 0; i < 3; ++i)
    REQUIRE(s.call("POST", "/api/v1/accounts",
                   R"({"unit":1,"role":"inspector","name":"省平台)" + std::to_string(i) + R"("})",
                   admin)
                .status == 201);
  const auto head = s.call("GET", "/api/v1/feed?limit=1", {}, admin)
                        .at("head")
                        .as_object()
                        .at("seq")
                        .to_number<std::int64_t>();
  wait_for(dir.path / "store.jsonl", static_cast<std::size_t>(head));
  s.stop();
  const auto last_hash = check_exactly_once(read_store(dir.path / "store.jsonl"), head);
  std::ifstream in{cursor};
  std::int64_t seq = 0;
  std::string hash;
  in >> seq >> hash;
  CHECK(seq == head);
  CHECK(hash == last_hash);
}

TEST_CASE("serve stops at once on SIGTERM while the pusher waits for an answer", "[tools][push]") {
  temp_dir dir;
  const auto db = (dir.path / "l.db").string(), keys = (dir.path / "keys").string();
  REQUIRE(run_cli({"keygen", "--dir", keys}).status == 0);
  REQUIRE(run_cli({"db", "demo", "--db", db, "--keys", keys, "--token-out",
                   (dir.path / "admin-token").string()})
              .status == 0);
  std::ofstream(dir.path / "credentials") << "secret-token\n";
  const auto log = dir.path / "log";
  // The first batch is stored and then answered only after 30 s.
  feed_receiver rx{dir.path, "secret-token", "1:hang", log, {}, "30"};
  server_process s{
      {"serve", "--db", db, "--keys", keys, "--public-url", "https://t.example.cn", "--push-to",
       rx.url(), "--push-credentials", (dir.path / "credentials").string(), "--push-timeout", "60"},
      log.string()};
  wait_for(dir.path / "store.jsonl", 1);
  const auto start = std::chrono::steady_clock::now();
  s.stop();
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds{5});
  // Not acknowledged: the cursor has not moved, and the batch will be sent again.
  CHECK(!std::filesystem::exists(db + ".push-cursor"));
}

TEST_CASE(
    "serve keeps trying a batch the endpoint refuses, reading the token again, and /metrics "
    "says it is failing meanwhile",
    "[tools][push]") {
  temp_dir dir;
  const auto db = (dir.path / "l.db").string(), keys = (dir.path / "keys").string();
  REQUIRE(run_cli({"keygen", "--dir", keys}).status == 0);
  const auto token_file = (dir.path / "admin-token").string();
  REQUIRE(run_cli({"db", "demo", "--db", db, "--keys", keys, "--token-out", token_file}).status ==
          0);
  std::string admin;
  std::ifstream{token_file} >> admin;
  const auto credentials = dir.path / "credentials", log = dir.path / "log";
  std::ofstream(credentials) << "revoked-token\n";
  feed_receiver rx{dir.path, "new-token", "", log};
  server_process s{
      {"serve", "--db", db, "--keys", keys, "--public-url", "https://t.example.cn", "--push-to",
       rx.url(), "--push-credentials", credentials.string(), "--push-max-backoff", "0.3"},
      log.string()};
  std::string page;
  for (int i = 0; i < 100 && metric(page, "coldtrace_push_failures_total") < 2; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds{50});
    page = s.call("GET", "/metrics", {}, admin).body;
  }
  CHECK(metric(page, "coldtrace_push_failures_total") >= 2);  // 401, and 401 again
  CHECK(metric(page, "coldtrace_push_up") == 0);
  CHECK(metric(page, "coldtrace_push_last_acked_seq") == 0);
  CHECK(metric(page, "coldtrace_push_lag_events") > 200);
  CHECK(metric(page, "coldtrace_push_last_success_unixtime") == 0);
  CHECK(distinct(dir.path / "store.jsonl") == 0);

  // The operator puts the new token in the file: the pusher goes on, no restart.
  std::ofstream(credentials) << "new-token\n";
  const auto head = metric(page, "coldtrace_push_chain_head_seq");
  wait_for(dir.path / "store.jsonl", static_cast<std::size_t>(head));
  for (int i = 0; i < 100 && metric(page, "coldtrace_push_lag_events") != 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds{50});
    page = s.call("GET", "/metrics", {}, admin).body;
  }
  CHECK(metric(page, "coldtrace_push_lag_events") == 0);
  CHECK(metric(page, "coldtrace_push_up") == 1);
  s.stop();
  std::ifstream logf{log};
  const std::string text{std::istreambuf_iterator<char>(logf), {}};
  INFO(text);
  CHECK(text.find("HTTP 401") != std::string::npos);
  CHECK(text.find("revoked-token") == std::string::npos);
  CHECK(text.find("new-token") == std::string::npos);
}
