// The accept loop: one coroutine per listening socket, one session per accepted connection.
#pragma once

#include "server/shared_state.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <memory>
#include <vector>

namespace coldtrace::server {

// Accepts until the acceptor is closed, within the connection caps of state.admitted. Each
// connection lives on one of `contexts`, taken in turn; each context is run by one thread, so
// a connection's coroutine never needs a strand and never wakes another thread. Its requests
// go to `routes`.
boost::asio::awaitable<void> listen(
    boost::asio::ip::tcp::acceptor& acceptor,
    const std::vector<std::unique_ptr<boost::asio::io_context>>& contexts, shared_state& state,
    const router& routes);

}  // namespace coldtrace::server
