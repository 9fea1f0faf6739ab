// coldtrace push against a receiver on loopback that the test starts (tests/tools/
// feed_receiver.py) and that answers 503, times out, loses an acknowledgement and is killed
// and restarted mid-run, while the pusher itself is killed with SIGKILL and restarted and new
// events are written: the receiver ends with every event of the chain exactly once after
// de-duplication by seq, in order, each linked to the one before.
#include "tests/support.hpp"
#include "tests/tools/feed_receiver.hpp"
#include "tests/tools/run_cli.hpp"

#include <signal.h>
#include <sys/wait.h>

#include <fstream>
#include <sstream>
#include <thread>

using namespace coldtrace;
using namespace coldtrace::test;

namespace {

std::int64_t chain_length(const std::string& db) {
  const auto r = run_cli({"audit", "verify", "--db", db});
  REQUIRE(r.status == 0);
  return std::stoll(r.out.substr(r.out.find("intact: ") + 8));
}

}  // namespace

TEST_CASE(
    "push delivers the whole chain exactly once after de-duplication, in order, across "
    "receiver failures, restarts and a kill -9 of the pusher",
    "[tools][push]") {
  test::temp_dir dir;
  const auto db = (dir.path / "demo.db").string(), keys = (dir.path / "keys").string();
  REQUIRE(run_cli({"keygen", "--dir", keys}).status == 0);
  REQUIRE(
      run_cli({"db", "demo", "--db", db, "--keys", keys, "--token-out", (dir.path / "t").string()})
          .status == 0);
  const auto first = chain_length(db);
  REQUIRE(first > 200);
  std::ofstream(dir.path / "credentials") << "secret-token\n";
  const auto store = dir.path / "store.jsonl";
  const auto log = dir.path / "log";

  auto rx =
      std::make_unique<feed_receiver>(dir.path, "secret-token", "2:503,3:503,5:hang,7:lost", log);
  const auto port = rx->port;
  const std::vector<std::string> push_args{
      COLDTRACE_CLI,   "push",    "--db",          db,
      "--to",          rx->url(), "--credentials", (dir.path / "credentials").string(),
      "--batch",       "20",      "--timeout",     "1",
      "--max-backoff", "0.4",     "--interval",    "0.1"};
  auto pusher = std::make_unique<child>(push_args, log);

  // The pusher killed mid-run, and started again: it goes on from its cursor.
  wait_for(store, static_cast<std::size_t>(first / 3));
  pusher->end(SIGKILL);
  pusher = std::make_unique<child>(push_args, log);
  // The receiver killed and, a moment later, started again on the same port.
  wait_for(store, static_cast<std::size_t>(2 * first / 3));
  rx.reset();
  std::this_thread::sleep_for(std::chrono::milliseconds{600});
  rx = std::make_unique<feed_receiver>(dir.path, "secret-token", "1:503", log, port);
  // New events while it runs: the pusher follows the chain.
  for (int i = 0; i < 3; ++i)
    REQUIRE(run_cli({"account", "create", "--db", db, "--unit", "1", "--role", "inspector",
                     "--name", "推送" + std::to_string(i)})
                .status == 0);
  const auto total = chain_length(db);
  REQUIRE(total >= first + 3);  // an account is an event or more (its token, its password)
  wait_for(store, static_cast<std::size_t>(total));
  CHECK(WEXITSTATUS(pusher->end(SIGTERM)) == 0);

  const auto events = read_store(store);
  std::ifstream logf{log};
  std::stringstream log_text;
  log_text << logf.rdbuf();
  INFO(log_text.str());
  CHECK(events.size() > static_cast<std::size_t>(total));  // resent batches: duplicates
  const auto last_hash = check_exactly_once(events, total);
  std::ifstream cursor{db + ".push-cursor"};
  std::int64_t seq = 0;
  std::string hash;
  cursor >> seq >> hash;
  CHECK(seq == total);
  CHECK(hash == last_hash);
  CHECK(log_text.str().find("HTTP 503") != std::string::npos);
  CHECK(log_text.str().find("no answer within") != std::string::npos);
  CHECK(log_text.str().find("secret-token") == std::string::npos);
}

TEST_CASE("push refuses bad arguments and stops on an answer a retry cannot change",
          "[tools][push]") {
  test::temp_dir dir;
  const auto db = (dir.path / "l.db").string();
  REQUIRE(run_cli({"db", "init", "--db", db}).status == 0);
  REQUIRE(run_cli({"unit", "add", "--db", db, "--credit-code", "91310115MA7CT0001J", "--name", "仓",
                   "--kind", "warehouse", "--region", "上海市"})
              .status == 0);
  CHECK(run_cli({"push", "--db", db, "--to", "ftp://x/"}).status == 2);
  CHECK(run_cli({"push", "--db", db, "--to", "https://user:pw@x/"}).status == 2);
  CHECK(run_cli({"push", "--db", db, "--to", "http://127.0.0.1:1/", "--batch", "0"}).status == 2);
  // A receiver that does not know the token: 401 is final.
  feed_receiver rx{dir.path, "other", "", dir.path / "log"};
  std::ofstream(dir.path / "c") << "mine\n";
  auto r = run_cli(
      {"push", "--db", db, "--to", rx.url(), "--credentials", (dir.path / "c").string(), "--once"});
  CHECK(r.status == 1);
  CHECK(r.err.find("HTTP 401") != std::string::npos);
  CHECK(!std::filesystem::exists(db + ".push-cursor"));
}
