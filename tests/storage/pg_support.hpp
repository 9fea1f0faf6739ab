// The throwaway PostgreSQL cluster the `pg` ctest fixture starts (tools/lib/pg_throwaway.sh),
// and a fresh database in it for each test.
#pragma once

#include "tests/support.hpp"

#include <optional>
#include <string>

namespace coldtrace::storage::test {

// The cluster's URI without a database name (postgresql://user:password@host:port/), from
// COLDTRACE_TEST_PG_URI, else from the file the fixture writes. nullopt when the environment
// says there is none (COLDTRACE_TEST_PG=none); a missing cluster otherwise fails the test,
// saying how to start one. Clears the PG* environment variables, so the URI alone counts.
std::optional<std::string> pg_cluster();

// Leaves the test (it passes, with a warning) when there is no cluster.
#define REQUIRE_PG_OR_RETURN()                                                      \
  do {                                                                              \
    if (!::coldtrace::storage::test::pg_cluster()) {                                \
      WARN("COLDTRACE_TEST_PG=none: the PostgreSQL part of this test was skipped"); \
      return;                                                                       \
    }                                                                               \
  } while (0)

// A new, empty database owned by the test role, dropped (with its connections) at the end.
class pg_database {
 public:
  pg_database();
  ~pg_database();
  pg_database(const pg_database&) = delete;
  pg_database& operator=(const pg_database&) = delete;

  std::string name;
  std::string uri;  // postgresql://...:port/<name>
};

}  // namespace coldtrace::storage::test
