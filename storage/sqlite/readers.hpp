// A pool of read-only connections. In WAL mode a reader sees the last committed state and
// never waits for the writer; a thread leases a connection for one read and gives it back.
#pragma once

#include "storage/sqlite/db.hpp"

#include <mutex>
#include <vector>

namespace coldtrace::storage::sql {

class readers {
 public:
  readers(std::filesystem::path file, int busy_timeout_ms);

  class lease {
   public:
    lease(readers& pool, std::unique_ptr<connection> c) : pool_(&pool), c_(std::move(c)) {}
    lease(lease&&) noexcept = default;
    lease& operator=(lease&&) = delete;
    ~lease();
    connection& operator*() const { return *c_; }
    connection* operator->() const { return c_.get(); }

   private:
    readers* pool_;
    std::unique_ptr<connection> c_;
  };

  // An idle connection, or a new one when all are busy (the pool grows to the peak number of
  // concurrent readers and keeps them; each keeps its prepared statements).
  lease acquire();

 private:
  std::filesystem::path file_;
  int busy_timeout_ms_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<connection>> idle_;
};

}  // namespace coldtrace::storage::sql
