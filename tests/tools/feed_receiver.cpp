#include "tests/tools/feed_receiver.hpp"

#include "tests/support.hpp"

#include <boost/json.hpp>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <fstream>
#include <map>
#include <set>
#include <thread>

extern char** environ;

namespace coldtrace::test {
namespace json = boost::json;

child::child(std::vector<std::string> args, const std::filesystem::path& log) {
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

int child::end(int sig) {
  if (pid < 0) return -1;
  ::kill(pid, sig);
  int status = 0;
  ::waitpid(pid, &status, 0);
  pid = -1;
  return status;
}

child::~child() {
  end(SIGKILL);
}

namespace {

std::vector<std::string> receiver_args(const std::filesystem::path& dir, const std::string& token,
                                       const std::string& faults, const std::string& port,
                                       const std::string& hang) {
  std::vector<std::string> a{
      "/usr/bin/python3", COLDTRACE_SOURCE_DIR "/tests/tools/feed_receiver.py",
      "--store",          (dir / "store.jsonl").string(),
      "--token",          token,
      "--faults",         faults,
      "--hang",           hang};
  if (port.empty()) {
    std::filesystem::remove(dir / "port");
    a.insert(a.end(), {"--port-file", (dir / "port").string()});
  } else {
    a.insert(a.end(), {"--port", port});
  }
  return a;
}

}  // namespace

feed_receiver::feed_receiver(const std::filesystem::path& dir, const std::string& token,
                             const std::string& faults, const std::filesystem::path& log,
                             const std::string& p, const std::string& hang)
    : port(p), process(receiver_args(dir, token, faults, p, hang), log) {
  if (!port.empty()) return;
  const auto port_file = dir / "port";
  for (int i = 0; i < 100 && !std::filesystem::exists(port_file); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds{50});
  std::ifstream{port_file} >> port;
  REQUIRE(!port.empty());
}

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

void wait_for(const std::filesystem::path& store, std::size_t n) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds{90};
  while (distinct(store) < n && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(std::chrono::milliseconds{50});
  REQUIRE(distinct(store) >= n);
}

std::string check_exactly_once(const std::vector<stored>& events, std::int64_t total) {
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
  return prev;
}

}  // namespace coldtrace::test
