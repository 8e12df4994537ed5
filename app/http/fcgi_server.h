// The FastCGI side of a worker process: `threads` accept loops on one listening socket.
//
// The server knows nothing of the API: it turns each FastCGI request into an http::Request
// (limits, inflation, client address), hands it to a Dispatch function with a
// ResponseWriter, and logs one access line. Stopping is cooperative and local to this
// process: when `stop_fd` becomes readable every loop stops accepting, requests in flight
// run to completion, and serve() returns. The shared listening socket is never shut down,
// because sibling workers (and, during a reload, the next generation) keep accepting on it
// (docs/DECISIONS.md).
#pragma once

#include "http/access_log.h"
#include "http/client_address.h"
#include "http/request.h"
#include "http/response_writer.h"

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

namespace downstream::http {

// Answers one request and returns the route label to log (see Router::dispatch).
using Dispatch = std::function<std::string(const Request&, ResponseWriter&)>;

struct FcgiServerOptions {
    // Accept loops (threads) in this process (config `threads`).
    int threads = 4;
    // Largest request body, before and after inflation (config `limits.max_body_size`).
    std::size_t max_body_size = 16 * 1024 * 1024;
    // Peers whose X-Forwarded-For is believed (config `proxy.trusted`).
    TrustedProxies trusted;
    // Called after every request (from the request's thread); default: log_access.
    std::function<void(const AccessRecord&)> on_request = log_access;
    // How often an idle accept loop looks whether it must stop (the longest a stop waits
    // for an idle loop).
    std::chrono::milliseconds accept_timeout{200};
};

class FcgiServer {
public:
    // Serves on `listen_fd`, a listening socket the caller owns and keeps open. The socket is
    // made blocking with a receive timeout (SO_RCVTIMEO = accept_timeout), which every
    // process sharing it sees.
    FcgiServer(int listen_fd, FcgiServerOptions options, Dispatch dispatch);
    FcgiServer(const FcgiServer&) = delete;
    FcgiServer& operator=(const FcgiServer&) = delete;

    // Runs the accept loops until `stop_fd` is readable (an eventfd or pipe that the caller
    // signals; it is never read here, so one signal stops every loop), then waits for the
    // requests in flight and returns. `on_ready` runs once all loops are waiting.
    void serve(int stop_fd, const std::function<void()>& on_ready = {});

    // Requests answered so far, and being answered now.
    std::uint64_t requests_served() const { return served_.load(); }
    int requests_in_flight() const { return in_flight_.load(); }

private:
    void accept_loop(int stop_fd);
    void answer(class FcgiRequest& slot);

    int listen_fd_;
    FcgiServerOptions options_;
    Dispatch dispatch_;
    std::atomic<std::uint64_t> served_{0};
    std::atomic<int> in_flight_{0};
    std::atomic<bool> stopping_{false};
    bool tcp_ = false;  // a TCP listener (FastCGI over the network) rather than a unix socket
};

}  // namespace downstream::http
