#include "node/stop_signal.h"

#include <atomic>
#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <mutex>
#include <poll.h>
#include <unistd.h>

namespace downstream::node {
namespace {

// Process-wide by nature: signals are delivered to the process. The pipe wakes sleepers
// (write() is async-signal-safe, condition variables are not).
std::atomic<bool> g_stop{false};
int g_pipe[2] = {-1, -1};
std::once_flag g_once;

void on_signal(int) {
    g_stop.store(true);
    if (g_pipe[1] >= 0) {
        const char byte = 1;
        const int saved = errno;
        [[maybe_unused]] const ssize_t n = ::write(g_pipe[1], &byte, 1);
        errno = saved;
    }
}

void make_pipe() {
    std::call_once(g_once, [] {
        if (pipe(g_pipe) == 0) {
            for (int fd : g_pipe) {
                fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
                fcntl(fd, F_SETFD, FD_CLOEXEC);
            }
        }
    });
}

}  // namespace

void install_stop_signal_handlers() {
    make_pipe();
    struct sigaction action {};
    action.sa_handler = on_signal;
    sigemptyset(&action.sa_mask);
    sigaction(SIGTERM, &action, nullptr);
    sigaction(SIGINT, &action, nullptr);
}

bool stop_requested() { return g_stop.load(); }

void request_stop() {
    make_pipe();
    on_signal(0);
}

void clear_stop_request() {
    make_pipe();
    g_stop.store(false);
    char drain[64];
    while (::read(g_pipe[0], drain, sizeof drain) > 0) {
    }
}

bool wait_for_stop(std::chrono::milliseconds duration) {
    make_pipe();
    const auto deadline = std::chrono::steady_clock::now() + duration;
    while (!g_stop.load()) {
        const auto left = std::chrono::ceil<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) return false;
        pollfd fd{g_pipe[0], POLLIN, 0};
        poll(&fd, 1, static_cast<int>(left.count()));
    }
    return true;
}

}  // namespace downstream::node
