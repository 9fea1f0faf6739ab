// `coldtrace serve` processes on one fresh PostgreSQL database of the test cluster, for the
// multi-server tests: the schema, a warehouse, a shop and the bureau with a token each, one
// key directory they all use, and each server on a free loopback port.
#pragma once

#include "tests/server/client.hpp"
#include "tests/storage/pg_support.hpp"
#include "tests/tools/run_cli.hpp"

#include <boost/json.hpp>

#include <sys/types.h>

#include <cstdint>
#include <list>
#include <string>

namespace coldtrace::test {

namespace json = boost::json;

#define REQUIRE_CLUSTER_OR_RETURN() REQUIRE_PG_OR_RETURN()

struct http_reply {
  unsigned status = 0;
  std::string body;
  json::value json;  // null when the body is not JSON
  const json::value& at(std::string_view key) const { return json.as_object().at(key); }
};

// One `coldtrace serve` process. Requests on one keep-alive connection per calling thread
// would need locking: each call opens its own connection, as a load balancer's would.
class server_process {
 public:
  server_process(const std::vector<std::string>& args, const std::string& log_file);
  ~server_process();
  server_process(const server_process&) = delete;
  server_process& operator=(const server_process&) = delete;

  // Throws std::runtime_error when the server does not answer (after kill9(), say).
  http_reply call(std::string_view method, std::string_view target, std::string body = {},
                  const std::string& token = {});
  void kill9();
  void stop();  // SIGTERM, and waits for the exit
  std::uint16_t port() const { return port_; }

 private:
  pid_t pid_ = -1;
  std::uint16_t port_ = 0;
};

class cluster {
 public:
  cluster();
  // Starts another server on the database (with extra arguments, e.g. another key directory).
  server_process& start(std::vector<std::string> extra = {});
  // Starts one expected to refuse: its exit status and what it said.
  cli_run start_refused(std::vector<std::string> extra);
  void stop_all();
  std::int64_t scalar(const std::string& sql) const;

  storage::test::pg_database db;
  coldtrace::test::temp_dir dir;
  std::string keys;                    // the key directory
  std::string admin, warehouse, shop;  // bearer tokens
  std::int64_t shop_unit = 0;

 private:
  std::list<server_process> servers_;
};

}  // namespace coldtrace::test
