#include "server/session.hpp"

#include "server/error_map.hpp"
#include "server/peer.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <array>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

namespace coldtrace::server {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using clock = std::chrono::steady_clock;
using message = http::request<http::string_body>;

constexpr auto nothrow = asio::as_tuple(asio::use_awaitable);
constexpr std::string_view unmatched = "unmatched";

// The codes that only say the peer or we closed the connection: nothing worth a log line.
bool is_benign(const beast::error_code& ec) {
  return ec == http::error::end_of_stream || ec == asio::error::eof ||
         ec == asio::error::operation_aborted || ec == asio::ssl::error::stream_truncated;
}

void report(shared_state& s, const beast::error_code& ec, std::string_view phase) {
  if (is_benign(ec)) return;
  if (ec == beast::error::timeout) {
    s.log.info("timeout", {{"phase", phase}});  // a slow or silent client was cut off
  } else {
    s.log.error("io", {{"phase", phase}, {"message", ec.message()}});
  }
}

// A syntax error in the request, as opposed to a failing socket or a vanished client.
bool is_parse_error(const beast::error_code& ec) {
  return ec.category() == http::make_error_code(http::error::bad_target).category() &&
         ec != http::error::end_of_stream && ec != http::error::partial_message;
}

// What the session records of each request: the request counter and the latency histogram
// of its route, and the access-log line. A connection keeps the series it has used, so that
// its later requests (keep-alive repeats the same few routes) skip the registry's lock.
class recorder {
 public:
  explicit recorder(shared_state& s) : s_(s) {}

  void record(verb method, std::string_view route, unsigned status, clock::time_point start,
              std::string_view unit = {}, std::string_view detail = {}) {
    double seconds = std::chrono::duration<double>(clock::now() - start).count();
    if (route.empty()) route = unmatched;
    auto& e = series(method, route, status);
    e.requests->inc();
    e.latency->observe(seconds);
    line_.clear();
    format_access(line_, {method, route, status, seconds * 1000, unit, detail});
    s_.log.info_line(line_);
  }

 private:
  struct entry {
    verb method;
    unsigned status;
    std::string route;
    counter* requests;
    histogram* latency;
  };
  static constexpr std::size_t max_kept = 16;

  entry& series(verb method, std::string_view route, unsigned status) {
    for (auto& e : kept_) {
      if (e.method == method && e.status == status && e.route == route) return e;
    }
    auto& m = s_.metrics;
    entry e{method, status, std::string(route),
            &m.counter("coldtrace_http_requests_total",
                       "HTTP requests answered, by method, route and status.",
                       {{"method", std::string(to_string(method))},
                        {"route", std::string(route)},
                        {"status", std::to_string(status)}}),
            &m.histogram("coldtrace_http_request_duration_seconds",
                         "Time from a request's first byte to its response's last, by route.",
                         latency_buckets, {{"route", std::string(route)}})};
    if (kept_.size() == max_kept) kept_.erase(kept_.begin());  // a client wandering widely
    kept_.push_back(std::move(e));
    return kept_.back();
  }

  shared_state& s_;
  std::vector<entry> kept_;
  std::string line_;
};

// The client's address as the handlers see it (server/peer.hpp): set here on every request,
// replacing a field of that name the client may have sent.
void set_peer(request& req, tcp::socket& socket) {
  boost::system::error_code ec;
  const auto peer = socket.remote_endpoint(ec);
  req.fields.set(std::string{peer_field}, ec ? std::string{} : peer.address().to_string());
}

request to_request(message& msg) {
  request req;
  req.method = verb_from_string(msg.method_string());
  req.target = std::string(msg.target());
  for (const auto& f : msg) req.fields.add(std::string(f.name_string()), std::string(f.value()));
  req.body = std::move(msg.body());
  return req;
}

http::response<http::string_body> to_message(response r, unsigned version, bool keep_alive,
                                             bool head) {
  http::response<http::string_body> res;
  res.result(r.status);
  res.version(version);
  res.set(http::field::server, "coldtrace");
  if (!r.content_type.empty() && r.status != 204 && r.status != 304) {
    res.set(http::field::content_type, r.content_type);
  }
  for (const auto& f : r.fields) res.set(f.name, f.value);
  res.body() = std::move(r.body);
  res.keep_alive(keep_alive);
  res.prepare_payload();
  if (head) {
    // HEAD announces the length of the body it does not send (RFC 9110 §9.3.2).
    auto length = res.body().size();
    res.body().clear();
    res.content_length(length);
  }
  return res;
}

// After refusing a request whose rest we did not read: close our half, then read and drop
// what the client still sends for a moment. Closing with unread bytes would make the kernel
// send a reset, which can destroy our response before the client reads it.
template <class Stream>
asio::awaitable<void> linger(Stream& stream, shared_state& s) {
  if constexpr (std::is_same_v<Stream, beast::tcp_stream>) {
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream.expires_after(std::min(s.options.header_timeout, std::chrono::milliseconds(2000)));
    std::array<char, 16384> scratch;
    for (;;) {
      auto [ec, n] = co_await stream.async_read_some(asio::buffer(scratch), nothrow);
      if (ec) break;
    }
  }
  // Over TLS the close_notify exchange in run_session drops the unread records.
  co_return;
}

// Sends an error response for a request we stop reading, then closes the connection.
template <class Stream>
asio::awaitable<void> refuse(Stream& stream, shared_state& s, recorder& rec, response r,
                             verb method, unsigned version, clock::time_point start) {
  auto status = r.status;
  auto out = to_message(std::move(r), version, false, false);
  beast::get_lowest_layer(stream).expires_after(s.options.write_timeout);
  auto [ec, n] = co_await http::async_write(stream, out, nothrow);
  rec.record(method, {}, status, start);
  if (ec) {
    report(s, ec, "write");
    co_return;
  }
  co_await linger(stream, s);
}

// Waits for the first byte of the next request on its own, so that a stop can close an idle
// connection without cutting a request short. False: the connection is to close. The first
// request keeps the deadline set at the accept: a silent new connection is not kept waiting
// for the keep-alive timeout.
template <class Stream>
asio::awaitable<bool> wait_for_request(Stream& stream, beast::flat_buffer& buffer,
                                       connection_set::control& ctl, shared_state& s, bool first) {
  if (buffer.size() > 0) co_return true;  // pipelined: the next request is already here
  if (ctl.stopping) co_return false;
  ctl.idle = true;  // from here until the read completes, a stop may close us
  if (!first) beast::get_lowest_layer(stream).expires_after(s.options.idle_timeout);
  auto [ec, n] = co_await stream.async_read_some(buffer.prepare(4096), nothrow);
  ctl.idle = false;
  // A timeout here is the keep-alive ending, not a client's fault.
  if (ec && ec != beast::error::timeout) report(s, ec, "idle");
  if (ec) co_return false;
  buffer.commit(n);
  co_return true;
}

// What makes a request's header unusable although Beast parsed it, or nothing.
// RFC 9112 §6.3: a Transfer-Encoding whose final coding is not chunked leaves the body's length
// unknown; taking it as empty would run the body as a second, smuggled request.
// RFC 9112 §3.2: an HTTP/1.1 request without Host, or any with more than one, is refused.
std::optional<std::string> framing_error(const http::request_parser<http::string_body>& p) {
  const auto& h = p.get();
  // The only coding we take is chunked alone: any other would reach the handler still encoded.
  if (const auto te = h.count(http::field::transfer_encoding); te > 0) {
    if (te > 1 || !p.chunked() || !iequals(h[http::field::transfer_encoding], "chunked"))
      return std::string("the only Transfer-Encoding accepted is chunked");
  }
  const auto hosts = h.count(http::field::host);
  if (hosts > 1) return std::string("the request has more than one Host header");
  if (hosts == 0 && h.version() >= 11)
    return std::string("an HTTP/1.1 request needs a Host header");
  return std::nullopt;
}

// Reads one request, the header and the body each within their deadline. Nothing: the
// request was refused (413, 431, 400) or the connection failed, and it is to close.
template <class Stream>
asio::awaitable<std::optional<message>> read_request(Stream& stream, beast::flat_buffer& buffer,
                                                     shared_state& s, recorder& rec,
                                                     clock::time_point start, bool first) {
  const auto& o = s.options;
  auto& lowest = beast::get_lowest_layer(stream);
  http::request_parser<http::string_body> parser;
  parser.header_limit(static_cast<std::uint32_t>(o.header_limit));
  parser.body_limit(o.body_limit);
  auto refusal = [&](const beast::error_code& ec) -> std::optional<response> {
    if (ec == http::error::header_limit) {
      return error_response(
          errc::header_too_large,
          "the request header is larger than " + std::to_string(o.header_limit / 1024) + " KiB");
    }
    if (ec == http::error::body_limit) {
      return error_response(errc::body_too_large, "the request body is larger than " +
                                                      std::to_string(o.body_limit) + " bytes");
    }
    if (is_parse_error(ec)) {
      return error_response(errc::bad_request, "the HTTP request is malformed: " + ec.message());
    }
    return std::nullopt;
  };
  // The start line may be missing when the header failed; then the method is "other".
  auto method = [&] { return verb_from_string(parser.get().method_string()); };

  // A Content-Length over the limit fails here already, before any of the body is read.
  if (!first) lowest.expires_after(o.header_timeout);  // the first runs from the accept
  if (auto [ec, n] = co_await http::async_read_header(stream, buffer, parser, nothrow); ec) {
    auto r = refusal(ec);
    if (!r) {
      report(s, ec, "header");
      co_return std::nullopt;
    }
    co_await refuse(stream, s, rec, std::move(*r), method(), 11, start);
    co_return std::nullopt;
  }
  const auto version = parser.get().version();
  if (auto bad = framing_error(parser)) {
    co_await refuse(stream, s, rec, error_response(errc::bad_request, *bad), method(), version,
                    start);
    co_return std::nullopt;
  }
  if (version >= 11 && iequals(parser.get()[http::field::expect], "100-continue")) {
    http::response<http::empty_body> go_on{http::status::continue_, version};
    lowest.expires_after(o.write_timeout);
    if (auto [ec, n] = co_await http::async_write(stream, go_on, nothrow); ec) {
      {
        report(s, ec, "write");
        co_return std::nullopt;
      }
    }
  }
  lowest.expires_after(o.body_timeout);
  if (auto [ec, n] = co_await http::async_read(stream, buffer, parser, nothrow); ec) {
    auto r = refusal(ec);
    if (!r) {
      report(s, ec, "body");
      co_return std::nullopt;
    }
    co_await refuse(stream, s, rec, std::move(*r), method(), version, start);
    co_return std::nullopt;
  }
  lowest.expires_never();  // the handler's time is not the client's fault
  co_return parser.release();
}

// Starts an asynchronous handler and waits for its answer, which another thread hands back;
// the response is then made here, on the connection's thread.
asio::awaitable<response> answer_later(shared_state& s, const router::target& t, const request& req,
                                       context& ctx) {
  auto here = co_await asio::this_coro::executor;
  using made = std::function<response()>;
  auto make = co_await asio::async_initiate<decltype(asio::use_awaitable), void(made)>(
      [&](auto resume) {
        // std::function wants a copyable callable; the coroutine's handler is move-only.
        auto shared = std::make_shared<decltype(resume)>(std::move(resume));
        s.answers.enter();
        router::invoke_async(t, req, ctx, [shared, here, &s](made m) {
          asio::post(here, [shared, m = std::move(m)]() mutable { (*shared)(std::move(m)); });
          s.answers.leave();
        });
      },
      asio::use_awaitable);
  co_return make();
}

// Routes a request and runs its handler: here, on the blocking pool when the route asks for
// it, or asynchronously.
asio::awaitable<response> handle(shared_state& s, const router& routes, const request& req,
                                 context& ctx) {
  auto found = routes.resolve(req, ctx);
  if (found.found == nullptr) co_return std::move(found.rejection);
  if (found.found->async_fn) co_return co_await answer_later(s, *found.found, req, ctx);
  if (!found.found->options.blocking) co_return router::invoke(*found.found, req, ctx);
  co_return co_await asio::co_spawn(
      s.blocking.get_executor(),
      [&]() -> asio::awaitable<response> { co_return router::invoke(*found.found, req, ctx); },
      asio::use_awaitable);
}

template <class Stream>
asio::awaitable<void> serve_requests(Stream& stream, connection_set::control& ctl, shared_state& s,
                                     const router& routes) {
  beast::flat_buffer buffer;
  recorder rec(s);
  for (bool first = true; co_await wait_for_request(stream, buffer, ctl, s, first); first = false) {
    auto start = clock::now();
    auto msg = co_await read_request(stream, buffer, s, rec, start, first);
    if (!msg) co_return;
    auto req = to_request(*msg);
    set_peer(req, beast::get_lowest_layer(stream).socket());
    context ctx(s.metrics);
    auto res = co_await handle(s, routes, req, ctx);

    // A stop that arrived meanwhile closes the connection after this response.
    const bool keep_alive = msg->keep_alive() && !ctl.stopping;
    const auto status = res.status;
    auto out =
        to_message(std::move(res), msg->version(), keep_alive, msg->method() == http::verb::head);
    beast::get_lowest_layer(stream).expires_after(s.options.write_timeout);
    auto [ec, n] = co_await http::async_write(stream, out, nothrow);
    rec.record(req.method, ctx.route, status, start, ctx.unit, ctx.detail);
    if (ec) {
      report(s, ec, "write");
      co_return;
    }
    if (!keep_alive) co_return;
  }
}

}  // namespace

asio::awaitable<void> run_session(tcp::socket socket, shared_state& s, const router& routes) {
  auto ctl = s.connections.enter(socket.get_executor());
  if (!ctl) co_return;  // stopping: the socket closes as it goes out of scope
  auto& open = s.metrics.gauge("coldtrace_http_open_connections", "Connections open now.");
  open.add(1);
  struct leave_on_exit {
    shared_state& s;
    std::shared_ptr<connection_set::control> ctl;
    gauge& open;
    ~leave_on_exit() {
      // A stop posted before we left must find nothing to cancel.
      ctl->idle = false;
      ctl->close_now = nullptr;
      open.add(-1);
      s.connections.leave(ctl);
    }
  } guard{s, ctl, open};

  beast::error_code ignored;
  // Small responses on a kept-alive connection must not wait for Nagle's algorithm.
  socket.set_option(tcp::no_delay(true), ignored);
  beast::tcp_stream stream(std::move(socket));
  // From the accept: the TLS handshake and the first request's header (see serve_options).
  stream.expires_after(s.options.header_timeout);
  auto close_now = [](beast::tcp_stream& lowest) {
    return [&lowest] {
      beast::error_code ec;
      lowest.socket().shutdown(tcp::socket::shutdown_both, ec);
      lowest.cancel();
    };
  };
  ctl->close_now = close_now(stream);
  if (!s.tls) {
    co_await serve_requests(stream, *ctl, s, routes);
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    co_return;
  }

  beast::ssl_stream<beast::tcp_stream> tls(std::move(stream), *s.tls);
  ctl->close_now = close_now(beast::get_lowest_layer(tls));
  if (auto [ec] = co_await tls.async_handshake(asio::ssl::stream_base::server, nothrow); ec) {
    {
      report(s, ec, "tls_handshake");
      co_return;
    }
  }
  co_await serve_requests(tls, *ctl, s, routes);
  beast::get_lowest_layer(tls).expires_after(s.options.header_timeout);
  if (auto [ec] = co_await tls.async_shutdown(nothrow); ec && ec != beast::error::timeout) {
    report(s, ec, "tls_shutdown");
  }
}

}  // namespace coldtrace::server
