// coldtrace push against a receiver on loopback that the test starts (tests/tools/
// feed_receiver.py) and that answers 503, times out, loses an acknowledgement and is killed
// and restarted mid-run, while the pusher itself is killed with SIGKILL and restarted and new
// events are written: the receiver ends with every event of the chain exactly once after
// de-duplication by seq, in order, each linked to the one before.
#include "tests/support.hpp"
#include "tests/tools/run_cli.hpp"

#include <boost/json.hpp>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <thread>

extern char** environ;

using namespace coldtrace;
using coldtrace::test::run_cli;
namespace json = boost::json;

namespace {

// A process the test starts and ends itself, its output to `log`.
struct child {
  pid_t pid = -1;
  child(std::vector<std::string> args, const std::filesystem::path& log) {
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_adddup2(&fa, 1, 2);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    REQUIRE(posix_spawn(&pid, argv[0], &fa, nullptr, argv.data(), environ) == 0);
    posix_spawn_file_actions_destroy(&fa);
  }
  int end(int sig) {
    if (pid < 0) return -1;
    ::kill(pid, sig);
    int status = 0;
    ::waitpid(pid, &status, 0);
    pid = -1;
    return status;
  }
  ~child() { end(SIGKILL); }
};

struct stored {
  std::int64_t seq;
  std::string hash, prev_hash;
};

std::vector<stored> read_store(const std::filesystem::path& file) {
  std::vector<stored> out;
  std::ifstream in{file};
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line.back() != '}') continue;  // a line being written
    const auto v = json::parse(line).as_object();
    out.push_back({v.at("seq").to_number<std::int64_t>(), std::string(v.at("hash").as_string()),
                   std::string(v.at("prev_hash").as_string())});
  }
  return out;
}

std::size_t distinct(const std::filesystem::path& file) {
  std::set<std::int64_t> seqs;
  for (const auto& e : read_store(file)) seqs.insert(e.seq);
  return seqs.size();
}

// Waits until the receiver holds at least `n` distinct events.
void wait_for(const std::filesystem::path& store, std::size_t n) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds{90};
  while (distinct(store) < n && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(std::chrono::milliseconds{50});
  REQUIRE(distinct(store) >= n);
}

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
  const auto store = dir.path / "store.jsonl", port_file = dir.path / "port";
  const std::string receiver = COLDTRACE_SOURCE_DIR "/tests/tools/feed_receiver.py";
  const auto log = dir.path / "log";

  auto rx = std::make_unique<child>(
      std::vector<std::string>{"/usr/bin/python3", receiver, "--store", store.string(), "--token",
                               "secret-token", "--port-file", port_file.string(), "--faults",
                               "2:503,3:503,5:hang,7:lost", "--hang", "2"},
      log);
  for (int i = 0; i < 100 && !std::filesystem::exists(port_file); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds{50});
  std::string port;
  std::ifstream{port_file} >> port;
  REQUIRE(!port.empty());
  const std::vector<std::string> push_args{
      COLDTRACE_CLI,   "push",
      "--db",          db,
      "--to",          "http://127.0.0.1:" + port + "/coldtrace/feed",
      "--credentials", (dir.path / "credentials").string(),
      "--batch",       "20",
      "--timeout",     "1",
      "--max-backoff", "0.4",
      "--interval",    "0.1"};
  auto pusher = std::make_unique<child>(push_args, log);

  // The pusher killed mid-run, and started again: it goes on from its cursor.
  wait_for(store, static_cast<std::size_t>(first / 3));
  pusher->end(SIGKILL);
  pusher = std::make_unique<child>(push_args, log);
  // The receiver killed and, a moment later, started again on the same port.
  wait_for(store, static_cast<std::size_t>(2 * first / 3));
  rx->end(SIGKILL);
  std::this_thread::sleep_for(std::chrono::milliseconds{600});
  rx = std::make_unique<child>(
      std::vector<std::string>{"/usr/bin/python3", receiver, "--store", store.string(), "--token",
                               "secret-token", "--port", port, "--faults", "1:503"},
      log);
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
  std::vector<stored> firsts;
  std::set<std::int64_t> seen;
  for (const auto& e : events)
    if (seen.insert(e.seq).second) firsts.push_back(e);
  REQUIRE(firsts.size() == static_cast<std::size_t>(total));
  std::string prev(64, '0');
  for (std::size_t i = 0; i < firsts.size(); ++i) {
    CHECK(firsts[i].seq == static_cast<std::int64_t>(i + 1));  // in order, none missing
    CHECK(firsts[i].prev_hash == prev);
    prev = firsts[i].hash;
  }
  // Duplicates are the same event, not another.
  std::map<std::int64_t, std::string> hash_of;
  for (const auto& e : firsts) hash_of[e.seq] = e.hash;
  for (const auto& e : events) CHECK(hash_of[e.seq] == e.hash);
  std::ifstream cursor{db + ".push-cursor"};
  std::int64_t seq = 0;
  std::string hash;
  cursor >> seq >> hash;
  CHECK(seq == total);
  CHECK(hash == prev);
  CHECK(log_text.str().find("HTTP 503") != std::string::npos);
  CHECK(log_text.str().find("no answer within") != std::string::npos);
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
  CHECK(run_cli({"push", "--db", db, "--to", "http://127.0.0.1:1/", "--batch", "0"}).status == 2);
  // A receiver that does not know the token: 401 is final.
  const auto port_file = dir.path / "port";
  child rx{{"/usr/bin/python3", COLDTRACE_SOURCE_DIR "/tests/tools/feed_receiver.py", "--store",
            (dir.path / "s").string(), "--token", "other", "--port-file", port_file.string()},
           dir.path / "log"};
  for (int i = 0; i < 100 && !std::filesystem::exists(port_file); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds{50});
  std::string port;
  std::ifstream{port_file} >> port;
  std::ofstream(dir.path / "c") << "mine\n";
  auto r = run_cli({"push", "--db", db, "--to", "http://127.0.0.1:" + port + "/", "--credentials",
                    (dir.path / "c").string(), "--once"});
  CHECK(r.status == 1);
  CHECK(r.err.find("HTTP 401") != std::string::npos);
  CHECK(!std::filesystem::exists(db + ".push-cursor"));
}
