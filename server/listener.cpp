#include "server/listener.hpp"

#include "server/session.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <chrono>
#include <exception>

namespace coldtrace::server {

namespace asio = boost::asio;
using asio::ip::tcp;

asio::awaitable<void> listen(tcp::acceptor& acceptor,
                             const std::vector<std::unique_ptr<asio::io_context>>& contexts,
                             shared_state& state, const router& routes) {
  constexpr auto nothrow = asio::as_tuple(asio::use_awaitable);
  for (std::size_t next = 0;; next = (next + 1) % contexts.size()) {
    auto [ec, socket] = co_await acceptor.async_accept(*contexts[next], nothrow);
    if (ec == asio::error::operation_aborted || !acceptor.is_open()) co_return;  // stopping
    if (ec) {
      // Out of descriptors, usually: wait a little instead of spinning on the error.
      state.log.error("accept", {{"message", ec.message()}});
      asio::steady_timer pause(acceptor.get_executor(), std::chrono::milliseconds(100));
      co_await pause.async_wait(nothrow);
      continue;
    }
    // Over a cap: closed at once, unread. A full server refuses cheaply instead of holding
    // descriptors it will need for the clients it is serving.
    boost::system::error_code addr_ec;
    const auto peer = socket.remote_endpoint(addr_ec);
    admission::refusal why{};
    auto place = state.admitted.enter(addr_ec ? std::string() : peer.address().to_string(), why);
    if (!place) {
      state.refused(why == admission::refusal::total ? "total" : "per_client");
      boost::system::error_code ignored;
      socket.close(ignored);
      continue;
    }
    auto executor = socket.get_executor();
    asio::co_spawn(executor, run_session(std::move(socket), state, routes),
                   [&state, place = std::move(place)](std::exception_ptr e) {
                     if (!e) return;
                     try {
                       std::rethrow_exception(e);
                     } catch (const std::exception& x) {
                       state.log.error("session", {{"message", x.what()}});
                     } catch (...) {
                       state.log.error("session", {{"message", "unknown exception"}});
                     }
                   });
  }
}

}  // namespace coldtrace::server
