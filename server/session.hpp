// The per-connection loop: read a request within its deadlines, route it, write the
// response, and again while the client keeps the connection alive.
#pragma once

#include "server/shared_state.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

namespace coldtrace::server {

// Serves one accepted connection, over TLS when state.tls is set, routing its requests by
// `routes`. Runs on the socket's executor, an io_context run by one thread; returns when the
// connection is closed.
boost::asio::awaitable<void> run_session(boost::asio::ip::tcp::socket socket, shared_state& state,
                                         const router& routes);

}  // namespace coldtrace::server
