// The upper platform's endpoint for the pusher's tests: tests/tools/feed_receiver.py started on
// loopback, and what it stored (one line per event received, duplicates included).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace coldtrace::test {

// A process the test starts and ends itself, its output appended to `log`.
struct child {
  pid_t pid = -1;
  child(std::vector<std::string> args, const std::filesystem::path& log);
  int end(int sig);  // sends `sig`, waits; the wait status
  ~child();          // SIGKILL
};

// feed_receiver.py on a free port (or `port`), faults as its --faults takes them; a `hang`
// fault answers after `hang_seconds`.
struct feed_receiver {
  feed_receiver(const std::filesystem::path& dir, const std::string& token,
                const std::string& faults, const std::filesystem::path& log,
                const std::string& port = {}, const std::string& hang_seconds = "2");
  std::string port;
  std::string url() const { return "http://127.0.0.1:" + port + "/coldtrace/feed"; }
  child process;
};

struct stored {
  std::int64_t seq;
  std::string hash, prev_hash;
};
std::vector<stored> read_store(const std::filesystem::path& store);
std::size_t distinct(const std::filesystem::path& store);
// Waits (90 s at most) until the store holds at least `n` distinct events.
void wait_for(const std::filesystem::path& store, std::size_t n);

// Checks that `events`, after de-duplication by seq, are exactly seq 1..total in order, each
// linked to the one before, and that every duplicate is the same event. The last hash.
std::string check_exactly_once(const std::vector<stored>& events, std::int64_t total);

}  // namespace coldtrace::test
