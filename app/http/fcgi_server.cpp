#include "http/fcgi_server.h"

#include "base/log.h"
#include "http/error_mapping.h"
#include "http/fcgi_request.h"
#include "http/fcgi_response_writer.h"
#include "http/http_error.h"
#include "http/router.h"

#include <fcgiapp.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

namespace downstream::http {

namespace {

[[noreturn]] void fail_system(const char* what) {
    throw std::runtime_error(std::string(what) + ": " + std::strerror(errno));
}

}  // namespace

FcgiServer::FcgiServer(int listen_fd, FcgiServerOptions options, Dispatch dispatch)
    : listen_fd_(listen_fd), options_(std::move(options)), dispatch_(std::move(dispatch)) {
    if (options_.threads < 1) throw std::invalid_argument("FcgiServer needs at least one thread");
    // libfcgi's global state; idempotent. It also installs handlers for SIGPIPE (ignored: a
    // write to a vanished nginx connection returns EPIPE) and SIGTERM/SIGUSR1 (only where the
    // disposition is still the default; the worker pool blocks those and waits for them).
    if (FCGX_Init() != 0) throw std::runtime_error("FCGX_Init failed");
    // Blocking accept() with a receive timeout: the kernel wakes exactly one waiting thread
    // per connection (no thundering herd, no extra syscalls per request), and every
    // accept_timeout a waiting loop looks at the stop flag. A non-blocking socket (some
    // launchers hand one over) would make accept spin, so O_NONBLOCK is cleared.
    const int flags = ::fcntl(listen_fd_, F_GETFL);
    if (flags < 0 || ::fcntl(listen_fd_, F_SETFL, flags & ~O_NONBLOCK) < 0) {
        fail_system("fcntl(listen socket)");
    }
    const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(options_.accept_timeout).count();
    timeval timeout{};
    timeout.tv_sec = static_cast<time_t>(micros / 1000000);
    timeout.tv_usec = static_cast<suseconds_t>(micros % 1000000);
    if (::setsockopt(listen_fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout) != 0) {
        fail_system("setsockopt(listen socket, SO_RCVTIMEO)");
    }
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    if (::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
        tcp_ = address.ss_family == AF_INET || address.ss_family == AF_INET6;
    }
}

void FcgiServer::serve(int stop_fd, const std::function<void()>& on_ready) {
    // One watcher turns the stop fd into a flag the loops read for free.
    std::thread watcher([this, stop_fd] {
        pollfd p{stop_fd, POLLIN, 0};
        while (::poll(&p, 1, -1) <= 0) {
        }
        stopping_.store(true);
    });
    std::mutex mutex;
    std::condition_variable all_waiting;
    int started = 0;
    std::vector<std::thread> loops;
    loops.reserve(static_cast<std::size_t>(options_.threads));
    for (int i = 0; i < options_.threads; ++i) {
        loops.emplace_back([&, stop_fd] {
            {
                std::lock_guard<std::mutex> lock(mutex);
                ++started;
            }
            all_waiting.notify_one();
            accept_loop(stop_fd);
        });
    }
    {
        std::unique_lock<std::mutex> lock(mutex);
        all_waiting.wait(lock, [&] { return started == options_.threads; });
    }
    if (on_ready) on_ready();
    for (auto& loop : loops) loop.join();
    watcher.join();
}

void FcgiServer::accept_loop(int stop_fd) {
    FcgiRequest slot(listen_fd_);
    const int wait_ms = static_cast<int>(options_.accept_timeout.count());
    while (!stopping_.load(std::memory_order_relaxed)) {
        const int kept = slot.kept_connection_fd();
        if (kept >= 0) {
            // fastcgi_keep_conn on: the next request arrives on the kept connection, where a
            // blocking read would not notice the stop; wait for either.
            pollfd fds[2] = {{kept, POLLIN, 0}, {stop_fd, POLLIN, 0}};
            if (::poll(fds, 2, wait_ms) <= 0) continue;  // timeout or EINTR
            if (fds[1].revents != 0) {
                slot.close_connection();
                break;
            }
        }
        const int rc = slot.accept();
        if (rc < 0) {
            // EAGAIN: the receive timeout passed with no connection; look at the flag again.
            if (rc == -EAGAIN || rc == -EWOULDBLOCK || rc == -EINTR || rc == -ECONNABORTED) continue;
            log::error(std::string("FastCGI accept failed: ") + std::strerror(-rc));
            // Out of descriptors or memory: pause instead of spinning on the ready socket.
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
            continue;
        }
        if (tcp_) {
            // TCP connections inherit the listener's receive timeout (unix ones do not):
            // a request body must not time out after accept_timeout.
            const timeval none{};
            ::setsockopt(slot.kept_connection_fd(), SOL_SOCKET, SO_RCVTIMEO, &none, sizeof none);
        }
        answer(slot);
        slot.finish();
    }
}

void FcgiServer::answer(FcgiRequest& slot) {
    const auto start = std::chrono::steady_clock::now();
    in_flight_.fetch_add(1);
    FcgiResponseWriter writer(slot.out());
    AccessRecord record;
    try {
        ReadOutcome incoming = slot.read(options_.trusted, options_.max_body_size);
        record.body_bytes_in = incoming.request.body.size();
        if (incoming.error) {
            record.route = incoming.request.method + " " + redact_path(incoming.request.path);
            write_error(writer, *incoming.error);
        } else {
            record.route = incoming.request.method + " " + redact_path(incoming.request.path);
            try {
                record.route = dispatch_(incoming.request, writer);
            } catch (...) {
                respond_to_exception(std::current_exception(), writer, record.route);
            }
        }
        if (!writer.started()) write_error(writer, HttpError{500, "internal error", {}});
    } catch (...) {
        // Reading itself failed (out of memory): still answer if nothing was sent.
        respond_to_exception(std::current_exception(), writer, record.route.empty() ? "?" : record.route);
    }
    record.status = writer.status();
    record.body_bytes_out = writer.body_bytes();
    record.client_gone = writer.failed();
    record.milliseconds = std::chrono::duration<double, std::milli>(
                              std::chrono::steady_clock::now() - start).count();
    in_flight_.fetch_sub(1);
    served_.fetch_add(1);
    if (options_.on_request) options_.on_request(record);
}

}  // namespace downstream::http
