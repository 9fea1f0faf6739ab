// A small synchronous HTTP client for the tests, plain or TLS, one connection per object.
// Every read gives up after a few seconds so a server bug fails a test instead of hanging it.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace coldtrace::server::test {

using fields = std::vector<std::pair<std::string, std::string>>;

struct reply {
  unsigned status = 0;
  std::string body;
  fields headers;
  bool keep_alive = false;
  std::optional<std::string> header(std::string_view name) const;
};

class client {
 public:
  // Connects to 127.0.0.1:port; over TLS trusting only `ca_file` when it is given.
  explicit client(std::uint16_t port, std::string ca_file = {});
  ~client();
  client(const client&) = delete;
  client& operator=(const client&) = delete;

  // Sends a request (Content-Length set when there is a body) and reads the response.
  reply request(std::string_view method, std::string_view target, std::string body = {},
                const fields& extra = {});

  // Bytes as they are, for requests a real client would not send.
  void write_raw(std::string_view bytes);
  // False when the write failed because the server closed the connection.
  bool try_write_raw(std::string_view bytes);
  // The next response, or nullopt when the connection ends first.
  std::optional<reply> read_reply();
  // True when the server closes the connection (EOF or reset) within `within`.
  bool closed_within(std::chrono::milliseconds within);

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

// True when a TCP connection to 127.0.0.1:port is refused.
bool connection_refused(std::uint16_t port);

// A self-signed certificate and key for CN=localhost, written as PEM files in `dir`.
struct tls_files {
  std::string cert;
  std::string key;
};
tls_files make_self_signed(const std::string& dir);

}  // namespace coldtrace::server::test
