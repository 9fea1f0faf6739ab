#include "tests/server/client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <optional>
#include <stdexcept>

namespace coldtrace::server::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr std::chrono::seconds patience{5};

// Runs one asynchronous operation to completion; the stream's deadline bounds it.
template <class Start>
beast::error_code complete(asio::io_context& ioc, Start&& start) {
  beast::error_code result;
  start([&result](beast::error_code ec, std::size_t = 0) { result = ec; });
  ioc.restart();
  ioc.run();
  return result;
}

}  // namespace

std::optional<std::string> reply::header(std::string_view name) const {
  for (const auto& [n, v] : headers) {
    if (beast::iequals(n, name)) return v;
  }
  return std::nullopt;
}

struct client::impl {
  asio::io_context ioc;
  asio::ssl::context ssl{asio::ssl::context::tls_client};
  std::optional<beast::tcp_stream> plain;
  std::optional<beast::ssl_stream<beast::tcp_stream>> secure;
  beast::flat_buffer buffer;
  bool last_was_head = false;

  beast::tcp_stream& lowest() { return secure ? beast::get_lowest_layer(*secure) : *plain; }

  template <class F>
  beast::error_code on_stream(F&& f) {
    if (secure) return complete(ioc, [&](auto handler) { f(*secure, handler); });
    return complete(ioc, [&](auto handler) { f(*plain, handler); });
  }
};

client::client(std::uint16_t port, std::string ca_file) : impl_(std::make_unique<impl>()) {
  auto& i = *impl_;
  i.plain.emplace(i.ioc);
  i.plain->expires_after(patience);
  auto ec = complete(i.ioc, [&](auto handler) {
    i.plain->async_connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port),
                           [handler](beast::error_code e) { handler(e); });
  });
  if (ec) throw std::runtime_error("connect: " + ec.message());
  if (ca_file.empty()) return;

  i.ssl.load_verify_file(ca_file);
  i.ssl.set_verify_mode(asio::ssl::verify_peer);
  i.secure.emplace(std::move(*i.plain), i.ssl);
  i.plain.reset();
  i.lowest().expires_after(patience);
  ec = complete(i.ioc, [&](auto handler) {
    i.secure->async_handshake(asio::ssl::stream_base::client,
                              [handler](beast::error_code e) { handler(e); });
  });
  if (ec) throw std::runtime_error("TLS handshake: " + ec.message());
}

client::~client() = default;

reply client::request(std::string_view method, std::string_view target, std::string body,
                      const fields& extra) {
  http::request<http::string_body> req;
  req.method_string(method);
  req.target(target);
  req.version(11);
  req.set(http::field::host, "127.0.0.1");
  for (const auto& [name, value] : extra) req.set(name, value);
  if (!body.empty()) {
    req.body() = std::move(body);
    req.prepare_payload();
  }
  impl_->last_was_head = method == "HEAD";
  impl_->lowest().expires_after(patience);
  auto ec = impl_->on_stream([&](auto& s, auto handler) { http::async_write(s, req, handler); });
  if (ec) throw std::runtime_error("write: " + ec.message());
  auto r = read_reply();
  if (!r) throw std::runtime_error("the server closed the connection instead of answering");
  return *r;
}

void client::write_raw(std::string_view bytes) {
  if (!try_write_raw(bytes)) throw std::runtime_error("write failed");
}

bool client::try_write_raw(std::string_view bytes) {
  impl_->lowest().expires_after(patience);
  auto ec = impl_->on_stream(
      [&](auto& s, auto handler) { asio::async_write(s, asio::buffer(bytes), handler); });
  return !ec;
}

std::optional<reply> client::read_reply() {
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 << 20);
  parser.skip(impl_->last_was_head);  // a response to HEAD has no body
  impl_->lowest().expires_after(patience);
  auto ec = impl_->on_stream(
      [&](auto& s, auto handler) { http::async_read(s, impl_->buffer, parser, handler); });
  if (ec) return std::nullopt;
  auto& msg = parser.get();
  reply r;
  r.status = msg.result_int();
  r.body = msg.body();
  r.keep_alive = msg.keep_alive();
  for (const auto& f : msg) r.headers.emplace_back(f.name_string(), f.value());
  return r;
}

bool client::closed_within(std::chrono::milliseconds within) {
  impl_->lowest().expires_after(within);
  char scratch[4096];
  for (;;) {
    auto ec = impl_->on_stream(
        [&](auto& s, auto handler) { s.async_read_some(asio::buffer(scratch), handler); });
    if (ec == beast::error::timeout) return false;
    if (ec) return true;  // EOF, reset or a truncated TLS stream: closed all the same
  }
}

bool connection_refused(std::uint16_t port) {
  asio::io_context ioc;
  tcp::socket socket(ioc);
  beast::error_code ec;
  socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), ec);
  return ec == asio::error::connection_refused;
}

}  // namespace coldtrace::server::test
