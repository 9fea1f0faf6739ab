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
                             shared_state& state) {
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
    auto executor = socket.get_executor();
    asio::co_spawn(executor, run_session(std::move(socket), state), [&state](std::exception_ptr e) {
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
