// The pusher's HTTP client (push_http.hpp): Beast over one io_context per request, run until
// the exchange ends or its deadline expires.
#include "server/push/push_http.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/url/parse.hpp>

#include <openssl/ssl.h>

namespace coldtrace::server {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using asio::use_awaitable;

http::request<http::string_body> make_request(const push_target& t, const std::string& token,
                                              const std::string& body) {
  http::request<http::string_body> req{http::verb::post, t.path, 11};
  req.set(http::field::host, t.host);
  req.set(http::field::content_type, "application/json");
  req.set(http::field::user_agent, "coldtrace-push");
  if (!token.empty()) req.set(http::field::authorization, "Bearer " + token);
  req.body() = body;
  req.prepare_payload();
  return req;
}

template <class Stream>
asio::awaitable<push_answer> exchange(Stream& s, const push_target& t, const std::string& token,
                                      const std::string& body) {
  co_await http::async_write(s, make_request(t, token, body), use_awaitable);
  beast::flat_buffer buf;
  http::response_parser<http::string_body> parser;
  parser.body_limit(1 << 20);
  co_await http::async_read(s, buf, parser, use_awaitable);
  push_answer a;
  a.status = static_cast<int>(parser.get().result_int());
  a.body = parser.get().body().substr(0, 200);
  co_return a;
}

asio::awaitable<push_answer> post(const push_target& t, const std::string& token,
                                  const std::string& body, std::chrono::milliseconds timeout) {
  auto ex = co_await asio::this_coro::executor;
  tcp::resolver resolver{ex};
  const auto endpoints = co_await resolver.async_resolve(t.host, t.port, use_awaitable);
  if (!t.tls) {
    beast::tcp_stream s{ex};
    s.expires_after(timeout);
    co_await s.async_connect(endpoints, use_awaitable);
    co_return co_await exchange(s, t, token, body);
  }
  ssl::context ctx{ssl::context::tls_client};
  ctx.set_default_verify_paths();
  ctx.set_verify_mode(ssl::verify_peer);
  beast::ssl_stream<beast::tcp_stream> s{ex, ctx};
  if (!SSL_set_tlsext_host_name(s.native_handle(), t.host.c_str()))
    throw std::runtime_error("cannot set the TLS server name");
  s.set_verify_callback(ssl::host_name_verification(t.host));
  beast::get_lowest_layer(s).expires_after(timeout);
  co_await beast::get_lowest_layer(s).async_connect(endpoints, use_awaitable);
  co_await s.async_handshake(ssl::stream_base::client, use_awaitable);
  co_return co_await exchange(s, t, token, body);
}

}  // namespace

bool parse_push_target(const std::string& url, push_target& out) {
  auto u = boost::urls::parse_absolute_uri(url);
  if (!u || (u->scheme() != "http" && u->scheme() != "https") || u->host().empty() ||
      u->has_userinfo())
    return false;
  out.tls = u->scheme() == "https";
  out.host = u->host();
  out.port = u->has_port() ? std::string(u->port()) : (out.tls ? "443" : "80");
  out.path = u->encoded_path().empty() ? "/" : std::string(u->encoded_path());
  if (u->has_query()) out.path += "?" + std::string(u->encoded_query());
  return true;
}

push_answer post_json(const push_target& t, const std::string& token, const std::string& body,
                      std::chrono::milliseconds timeout, const std::function<bool()>& cancelled) {
  asio::io_context ioc;
  auto done = asio::co_spawn(ioc, post(t, token, body, timeout), asio::use_future);
  // The resolver has no deadline of its own: the whole run has one. Run in slices, so that a
  // cancellation is seen within one.
  const auto until = std::chrono::steady_clock::now() + timeout + std::chrono::milliseconds{200};
  bool given_up = false;
  while (!ioc.stopped()) {
    const auto now = std::chrono::steady_clock::now();
    if (now >= until || (cancelled && cancelled())) {
      given_up = true;
      break;
    }
    ioc.run_for(
        std::min<std::chrono::steady_clock::duration>(until - now, std::chrono::milliseconds{50}));
  }
  if (done.wait_for(std::chrono::seconds{0}) != std::future_status::ready) {
    ioc.stop();
    if (given_up && cancelled && cancelled()) return {0, "cancelled: the pusher is stopping", {}};
    return {0, "no answer within " + std::to_string(timeout.count()) + " ms", {}};
  }
  try {
    return done.get();
  } catch (const boost::system::system_error& e) {
    return {0,
            e.code() == beast::error::timeout
                ? "no answer within " + std::to_string(timeout.count()) + " ms"
                : e.code().message(),
            {}};
  } catch (const std::exception& e) {
    return {0, e.what(), {}};
  }
}

}  // namespace coldtrace::server
