#include "server/listener.hpp"
#include "server/serve.hpp"
#include "server/shared_state.hpp"
#include "server/system_handlers.hpp"

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <csignal>
#include <exception>
#include <stdexcept>
#include <thread>
#include <vector>

namespace coldtrace::server {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

std::shared_ptr<connection_set::control> connection_set::enter(asio::any_io_executor executor) {
  std::lock_guard lock(mutex_);
  if (stopping_) return nullptr;
  auto c = std::make_shared<control>();
  c->executor = std::move(executor);
  open_.push_back(c);
  return c;
}

void connection_set::leave(const std::shared_ptr<control>& c) {
  std::function<void()> drained;
  {
    std::lock_guard lock(mutex_);
    open_.remove(c);
    if (stopping_ && open_.empty()) drained = std::exchange(on_drained_, nullptr);
  }
  if (drained) drained();
}

void connection_set::stop(std::function<void()> on_drained) {
  std::list<std::shared_ptr<control>> open;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    open = open_;
    if (!open.empty()) on_drained_ = std::exchange(on_drained, nullptr);
  }
  if (open.empty() && on_drained) on_drained();
  for (auto& c : open) {
    asio::post(c->executor, [c] {
      c->stopping = true;
      if (c->idle && c->close_now) c->close_now();
    });
  }
}

void connection_set::close_all() {
  std::list<std::shared_ptr<control>> open;
  {
    std::lock_guard lock(mutex_);
    open = open_;
  }
  for (auto& c : open) {
    asio::post(c->executor, [c] {
      if (c->close_now) c->close_now();
    });
  }
}

void connection_set::forget_drain_callback() {
  std::lock_guard lock(mutex_);
  on_drained_ = nullptr;
}

std::size_t connection_set::size() const {
  std::lock_guard lock(mutex_);
  return open_.size();
}

namespace {

// How long after the grace period the connections closed by force get to unwind.
constexpr std::chrono::milliseconds hard_stop_delay{500};

// "host:port" or "[v6]:port"; an empty host listens on every IPv4 interface.
tcp::endpoint resolve_listen(asio::io_context& ioc, const std::string& listen) {
  auto colon = listen.rfind(':');
  if (colon == std::string::npos || colon + 1 == listen.size()) {
    throw std::runtime_error("listen address " + listen + " is not host:port");
  }
  auto host = listen.substr(0, colon);
  auto port = listen.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  if (host.empty()) host = "0.0.0.0";
  tcp::resolver resolver(ioc);
  boost::system::error_code ec;
  auto results =
      resolver.resolve(host, port, tcp::resolver::passive | tcp::resolver::numeric_service, ec);
  if (ec || results.empty()) {
    throw std::runtime_error("cannot resolve listen address " + listen + ": " + ec.message());
  }
  return results.begin()->endpoint();
}

std::unique_ptr<asio::ssl::context> make_tls(const serve_options& o) {
  if (o.tls_cert.empty() && o.tls_key.empty()) return nullptr;
  if (o.tls_cert.empty() || o.tls_key.empty()) {
    throw std::runtime_error("TLS needs both a certificate and a private key");
  }
  auto tls = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_server);
  tls->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                   asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                   asio::ssl::context::no_tlsv1_1 | asio::ssl::context::single_dh_use);
  boost::system::error_code ec;
  tls->use_certificate_chain_file(o.tls_cert, ec);
  if (ec)
    throw std::runtime_error("cannot use TLS certificate " + o.tls_cert + ": " + ec.message());
  tls->use_private_key_file(o.tls_key, asio::ssl::context::pem, ec);
  if (ec) throw std::runtime_error("cannot use TLS key " + o.tls_key + ": " + ec.message());
  return tls;
}

}  // namespace

struct http_server::impl {
  explicit impl(serve_options o)
      : state(std::move(o)),
        contexts(make_contexts(state.options.threads
                                   ? state.options.threads
                                   : std::max(1u, std::thread::hardware_concurrency()))),
        control(asio::make_strand(*contexts.front())),
        acceptor(control),
        metrics_acceptor(control),
        signals(control),
        grace(control),
        log_flush(control) {}

  static std::vector<std::unique_ptr<asio::io_context>> make_contexts(unsigned n) {
    std::vector<std::unique_ptr<asio::io_context>> out;
    // One thread runs each: the hint lets Asio skip waking other threads for its own work.
    for (unsigned k = 0; k < n; ++k) out.push_back(std::make_unique<asio::io_context>(1));
    return out;
  }

  void stop_contexts() {
    for (auto& c : contexts) c->stop();
  }

  // The access log is buffered: flushed a few times a second, and at once for errors.
  void flush_log_periodically() {
    log_flush.expires_after(log_flush_interval);
    log_flush.async_wait([this](boost::system::error_code ec) {
      state.log.flush();
      if (!ec) flush_log_periodically();
    });
  }

  ~impl() {
    // Handlers still running on the blocking pool, and asynchronous answers still due, post
    // to our io_contexts: let them finish while those still exist. No stop() first: work it
    // dropped would be destroyed with the pool, after the io_contexts and the connection set
    // it refers to.
    state.blocking.join();
    state.answers.wait_none();
  }

  void begin_stop(std::string_view why) {
    if (stopping) return;
    stopping = true;
    state.draining = true;
    state.log.info("stopping", {{"reason", why}, {"connections", state.connections.size()}});
    boost::system::error_code ignored;
    acceptor.close(ignored);
    metrics_acceptor.close(ignored);
    grace.expires_after(state.options.grace);
    grace.async_wait([this](boost::system::error_code ec) {
      if (ec) return;
      state.log.error("grace_expired", {{"connections", state.connections.size()}});
      // Clients still waiting learn at once that no answer is coming. A handler that is
      // still running keeps its session alive; the hard stop below does not wait for it.
      state.connections.close_all();
      grace.expires_after(hard_stop_delay);
      grace.async_wait([this](boost::system::error_code e) {
        if (!e) stop_contexts();
      });
    });
    state.connections.stop([this] {
      asio::post(control, [this] {
        grace.cancel();
        signals.cancel();
        log_flush.cancel();
        busy.clear();  // nothing left to serve: each thread's run() may return
      });
    });
  }

  void wait_for_signal() {
    signals.async_wait([this](boost::system::error_code ec, int signal) {
      if (ec) return;
      if (signal == SIGHUP) {
        hangup();
        wait_for_signal();
        return;
      }
      if (stopping) {
        state.log.error("forced_stop", {{"signal", signal}});  // a second signal: no drain
        stop_contexts();
        return;
      }
      begin_stop(signal == SIGINT ? "SIGINT" : "SIGTERM");
      wait_for_signal();
    });
  }

  // SIGHUP: the hook runs on the blocking pool, off the I/O threads; it may read files.
  void hangup() {
    if (!state.options.on_hangup) {
      state.log.info("hangup", {{"message", "nothing to reload"}});
      return;
    }
    asio::post(state.blocking, [this] {
      auto done = state.options.on_hangup();
      if (done) {
        state.log.info("hangup", {{"message", *done}});
      } else {
        state.log.error("hangup", {{"message", done.error().message}});
      }
    });
  }

  shared_state state;
  std::vector<std::unique_ptr<asio::io_context>> contexts;  // one per thread
  // Keeps every context's run() going while it has no connection; cleared on `control` once
  // a stop has drained.
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> busy;
  asio::strand<asio::io_context::executor_type> control;  // the listener, signals and stop
  tcp::acceptor acceptor;
  tcp::acceptor metrics_acceptor;  // open with serve_options::metrics_listen
  asio::signal_set signals;
  asio::steady_timer grace;
  asio::steady_timer log_flush;
  static constexpr std::chrono::milliseconds log_flush_interval{250};
  bool stopping = false;  // on `control` only
  std::uint16_t port = 0;
  std::uint16_t metrics_port = 0;
};

namespace {

// Binds and listens at once, so that the port is known before serving.
void open_acceptor(tcp::acceptor& a, const tcp::endpoint& endpoint, const std::string& listen) {
  boost::system::error_code ec;
  a.open(endpoint.protocol(), ec);
  if (!ec) a.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) a.bind(endpoint, ec);
  if (!ec) a.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) throw std::runtime_error("cannot listen on " + listen + ": " + ec.message());
}

}  // namespace

http_server::http_server(serve_options options)
    : impl_(std::make_unique<impl>(std::move(options))) {
  auto& i = *impl_;
  auto& o = i.state.options;
  i.state.tls = make_tls(o);
  const bool separate_metrics = !o.metrics_listen.empty();
  auto draining = [&s = i.state] { return s.draining.load(); };
  add_system_routes(i.state.routes, !separate_metrics, o.metrics_access, draining);
  if (o.install) o.install(i.state.routes, i.state.metrics);
  if (o.handle_signals) {
    // Installed now, not in run(), so that a signal arriving in between is not fatal.
    i.signals.add(SIGTERM);
    i.signals.add(SIGINT);
    i.signals.add(SIGHUP);
  }

  auto endpoint = resolve_listen(*i.contexts.front(), o.listen);
  open_acceptor(i.acceptor, endpoint, o.listen);
  i.port = i.acceptor.local_endpoint().port();
  auto on_failure = [&i](std::exception_ptr e) {
    if (e) i.state.log.error("listener", {{"message", "the accept loop failed"}});
  };
  asio::co_spawn(i.control, listen(i.acceptor, i.contexts, i.state, i.state.routes), on_failure);
  if (separate_metrics) {
    add_system_routes(i.state.metrics_routes, true, {}, draining);
    auto metrics_endpoint = resolve_listen(*i.contexts.front(), o.metrics_listen);
    open_acceptor(i.metrics_acceptor, metrics_endpoint, o.metrics_listen);
    i.metrics_port = i.metrics_acceptor.local_endpoint().port();
    asio::co_spawn(i.control,
                   listen(i.metrics_acceptor, i.contexts, i.state, i.state.metrics_routes),
                   on_failure);
  }
  i.state.log.info("listening", {{"address", endpoint.address().to_string()},
                                 {"port", i.port},
                                 {"tls", i.state.tls != nullptr},
                                 {"threads", i.contexts.size()},
                                 {"max_connections", o.max_connections},
                                 {"max_connections_per_client", o.max_connections_per_client},
                                 {"metrics_port", i.metrics_port}});
}

http_server::~http_server() = default;

std::uint16_t http_server::port() const {
  return impl_->port;
}
std::uint16_t http_server::metrics_port() const {
  return impl_->metrics_port;
}
router& http_server::routes() {
  return impl_->state.routes;
}
metrics_registry& http_server::metrics() {
  return impl_->state.metrics;
}
logger& http_server::log() {
  return impl_->state.log;
}

void http_server::run() {
  auto& i = *impl_;
  // Before any thread starts: a context without work would return from run() at once, and
  // the connections dealt to it would never be served. A stop drains, then clears these (a
  // stop() before run() too: it was posted first).
  for (auto& c : i.contexts) i.busy.push_back(asio::make_work_guard(*c));
  asio::post(i.control, [&i] {
    if (i.stopping) return;  // stop() came first: no signals to wait for, no log to flush
    if (i.state.options.handle_signals) i.wait_for_signal();
    i.flush_log_periodically();
  });
  std::vector<std::thread> extra;
  for (std::size_t k = 1; k < i.contexts.size(); ++k) {
    extra.emplace_back([&i, k] { i.contexts[k]->run(); });
  }
  i.contexts.front()->run();
  for (auto& t : extra) t.join();
  i.state.connections.forget_drain_callback();
  i.state.log.info("stopped");
  i.state.log.flush();
}

void http_server::stop() {
  asio::post(impl_->control, [&i = *impl_] { i.begin_stop("stop"); });
}

int serve(const serve_options& options) {
  // Every connection is a descriptor: the soft limit (often 1024) is too low for a server, and
  // the connection caps are derived from it.
  if (auto [before, after] = raise_open_file_limit(); after != before) {
    logger(options.log_sink).info("open_files", {{"from", before}, {"to", after}});
  }
  std::unique_ptr<http_server> server;
  try {
    server = std::make_unique<http_server>(options);
  } catch (const std::exception& e) {
    logger(options.log_sink).error("startup", {{"message", e.what()}});
    return 1;
  }
  server->run();
  return 0;
}

}  // namespace coldtrace::server
