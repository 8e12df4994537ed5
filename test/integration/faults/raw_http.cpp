#include "integration/faults/raw_http.h"

#include "base/unique_fd.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <thread>

namespace downstream::testing {
namespace {

using Clock = std::chrono::steady_clock;

int remaining_ms(Clock::time_point deadline) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    return left > 0 ? static_cast<int>(left) : 0;
}

// Writes all of `data`; false on error, a closed peer or the deadline.
bool send_all(int fd, const char* data, std::size_t size, Clock::time_point deadline) {
    while (size > 0) {
        pollfd p{fd, POLLOUT, 0};
        if (::poll(&p, 1, remaining_ms(deadline)) <= 0) return false;
        const ssize_t n = ::send(fd, data, size, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR || errno == EAGAIN) continue;
            return false;
        }
        data += n;
        size -= static_cast<std::size_t>(n);
    }
    return true;
}

// True when the server already replied (or closed) while we were still sending.
bool readable(int fd) {
    pollfd p{fd, POLLIN, 0};
    return ::poll(&p, 1, 0) > 0;
}

std::string lower(std::string text) {
    for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
}

std::string dechunk(const std::string& body) {
    std::string out;
    std::size_t at = 0;
    while (at < body.size()) {
        const std::size_t eol = body.find("\r\n", at);
        if (eol == std::string::npos) break;
        const std::size_t size = std::stoul(body.substr(at, eol - at), nullptr, 16);
        if (size == 0) break;
        out += body.substr(eol + 2, size);
        at = eol + 2 + size + 2;
    }
    return out;
}

void parse_reply(const std::string& data, RawReply& reply) {
    const std::size_t head_end = data.find("\r\n\r\n");
    if (data.compare(0, 5, "HTTP/") != 0 || head_end == std::string::npos) {
        if (reply.error.empty()) reply.error = data.empty() ? "no reply" : "malformed reply: " + data.substr(0, 80);
        return;
    }
    const std::size_t line_end = data.find("\r\n");
    const std::size_t space = data.find(' ');
    reply.status = std::atoi(data.c_str() + space + 1);
    reply.answered = reply.status > 0;
    std::size_t at = line_end + 2;
    while (at < head_end) {
        const std::size_t eol = data.find("\r\n", at);
        const std::string line = data.substr(at, eol - at);
        const std::size_t colon = line.find(':');
        if (colon != std::string::npos) {
            std::size_t value = colon + 1;
            while (value < line.size() && line[value] == ' ') ++value;
            reply.headers[lower(line.substr(0, colon))] = line.substr(value);
        }
        at = eol + 2;
    }
    reply.body = data.substr(head_end + 4);
    if (lower(reply.headers["transfer-encoding"]) == "chunked") reply.body = dechunk(reply.body);
    reply.headers.erase("");
}

}  // namespace

RawReply raw_exchange(int port, const RawRequest& request) {
    RawReply reply;
    const auto started = Clock::now();
    const auto deadline = started + std::chrono::milliseconds(request.timeout_ms);
    UniqueFd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!fd) {
        reply.error = std::string("socket: ") + std::strerror(errno);
        return reply;
    }
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd.get(), reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        reply.error = std::string("connect: ") + std::strerror(errno);
        return reply;
    }

    const std::string& bytes = request.bytes;
    const std::size_t first = std::min(request.hold_after, bytes.size());
    bool sent = send_all(fd.get(), bytes.data(), first, deadline);
    if (sent && first < bytes.size()) {
        if (request.trickle_ms < 0) {
            // Stall: send nothing more; the server's timeout has to end it.
        } else {
            for (std::size_t i = first; i < bytes.size() && sent; ++i) {
                if (readable(fd.get())) break;  // the server gave up on us
                std::this_thread::sleep_for(std::chrono::milliseconds(request.trickle_ms));
                if (Clock::now() >= deadline) break;
                sent = send_all(fd.get(), bytes.data() + i, 1, deadline);
            }
        }
    }
    if (!sent) reply.error = "sending failed (the server closed the connection)";

    std::string data;
    char buffer[65536];
    for (;;) {
        pollfd p{fd.get(), POLLIN, 0};
        const int ready = ::poll(&p, 1, remaining_ms(deadline));
        if (ready <= 0) {
            reply.error = "timed out waiting for the reply";
            break;
        }
        const ssize_t n = ::recv(fd.get(), buffer, sizeof buffer, 0);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            if (data.empty()) reply.error = std::string("recv: ") + std::strerror(errno);
            break;
        }
        if (n == 0) break;
        data.append(buffer, static_cast<std::size_t>(n));
    }
    parse_reply(data, reply);
    reply.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
    return reply;
}

std::string raw_http_request(const std::string& method, const std::string& path, const std::string& body,
                             const std::string& extra_headers, const std::string& ip) {
    std::string text = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
    if (!ip.empty()) text += "X-Forwarded-For: " + ip + "\r\n";
    text += extra_headers;
    if (!body.empty() || method == "POST") text += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    text += "\r\n";
    return text + body;
}

}  // namespace downstream::testing
