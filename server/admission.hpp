// How many connections the server holds at once, in all and per client address, so that idle
// connections from one client cannot use up the process's file descriptors and shut everyone
// else out. No Beast or Asio here.
#pragma once

#include <cstddef>
#include <mutex>
#include <string>
#include <unordered_map>

namespace coldtrace::server {

class admission {
 public:
  enum class refusal { none, total, per_client };

  // A connection's place, given back when it is destroyed. Empty when refused.
  class slot {
   public:
    slot() = default;
    slot(slot&& other) noexcept;
    slot& operator=(slot&& other) noexcept;
    ~slot();
    explicit operator bool() const { return owner_ != nullptr; }

   private:
    friend class admission;
    slot(admission* owner, std::string client) : owner_(owner), client_(std::move(client)) {}
    admission* owner_ = nullptr;
    std::string client_;
  };

  admission(std::size_t max_total, std::size_t max_per_client);

  // A slot for one more connection from `client` (its address), or an empty one and `why`.
  slot enter(const std::string& client, refusal& why);

  std::size_t open() const;
  std::size_t max_total() const { return max_total_; }
  std::size_t max_per_client() const { return max_per_client_; }

 private:
  void leave(const std::string& client);

  const std::size_t max_total_;
  const std::size_t max_per_client_;
  mutable std::mutex mutex_;
  std::size_t open_ = 0;
  std::unordered_map<std::string, std::size_t> by_client_;
};

// The open-file limit (RLIMIT_NOFILE's soft value) of this process.
std::size_t open_file_limit();

// Raises the soft open-file limit to the hard one; answers {before, after}.
std::pair<std::size_t, std::size_t> raise_open_file_limit();

// The defaults when the options say 0: the open-file limit less a reserve for the database,
// the log and the listening sockets; a client address gets a quarter of that, at most 512.
std::size_t default_max_connections(std::size_t open_files);
std::size_t default_max_per_client(std::size_t max_total);

}  // namespace coldtrace::server
