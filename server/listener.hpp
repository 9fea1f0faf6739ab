// The accept loop: one coroutine per listening socket, one session per accepted connection.
#pragma once

#include "server/shared_state.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

namespace coldtrace::server {

// Accepts until the acceptor is closed; each connection gets its own strand on `ioc`.
boost::asio::awaitable<void> listen(boost::asio::ip::tcp::acceptor& acceptor,
                                    boost::asio::io_context& ioc, shared_state& state);

}  // namespace coldtrace::server
