#include "node/listen_socket.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <string>
#include <vector>

namespace downstream::node {

namespace {

constexpr int kSystemdFirstFd = 3;

std::string errno_text() { return ::strerror(errno); }

bool is_listening_socket(int fd) {
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISSOCK(st.st_mode)) return false;
    int listening = 0;
    socklen_t size = sizeof listening;
    return ::getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &size) == 0 && listening != 0;
}

Result<sockaddr_un> unix_address(const std::string& path) {
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    if (path.empty() || path.size() >= sizeof address.sun_path) {
        return make_error("socket path is empty or longer than " +
                          std::to_string(sizeof address.sun_path - 1) + " bytes: " + path);
    }
    ::memcpy(address.sun_path, path.c_str(), path.size() + 1);
    return address;
}

// Removes a socket file nobody listens on; refuses live sockets and non-sockets.
Status clear_stale(const std::string& path, const sockaddr_un& address) {
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0) {
        if (errno == ENOENT) return {};
        return make_error("cannot inspect " + path + ": " + errno_text());
    }
    if (!S_ISSOCK(st.st_mode)) return make_error(path + " exists and is not a socket");
    UniqueFd probe(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!probe) return make_error("socket(): " + errno_text());
    if (::connect(probe.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0) {
        return make_error("another process is listening on " + path);
    }
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
        return make_error("cannot remove stale socket " + path + ": " + errno_text());
    }
    return {};
}

Status make_parent_directory(const std::string& path) {
    const std::size_t slash = path.rfind('/');
    if (slash == std::string::npos || slash == 0) return {};
    const std::string parent = path.substr(0, slash);
    struct stat st {};
    if (::stat(parent.c_str(), &st) == 0) return {};
    // mkdir -p, one level at a time.
    for (std::size_t i = 1; i <= parent.size(); ++i) {
        if (i != parent.size() && parent[i] != '/') continue;
        const std::string step = parent.substr(0, i);
        if (::mkdir(step.c_str(), 0755) != 0 && errno != EEXIST) {
            return make_error("cannot create directory " + step + ": " + errno_text());
        }
    }
    return {};
}

}  // namespace

int ListenSocket::find_inherited() {
    const char* pid = ::getenv("LISTEN_PID");
    const char* fds = ::getenv("LISTEN_FDS");
    if (pid != nullptr && fds != nullptr && ::atol(pid) == static_cast<long>(::getpid()) &&
        ::atoi(fds) >= 1) {
        ::unsetenv("LISTEN_PID");
        ::unsetenv("LISTEN_FDS");
        ::unsetenv("LISTEN_FDNAMES");
        if (is_listening_socket(kSystemdFirstFd)) return kSystemdFirstFd;
    }
    if (is_listening_socket(STDIN_FILENO)) return STDIN_FILENO;
    return -1;
}

Result<ListenSocket> ListenSocket::open(const ListenSocketOptions& options) {
    const int inherited = find_inherited();
    if (inherited < 0) return create(options);
    ListenSocket socket;
    socket.fd_.reset(inherited);
    socket.inherited_ = true;
    ::fcntl(inherited, F_SETFD, FD_CLOEXEC);
    return socket;
}

Result<ListenSocket> ListenSocket::create(const ListenSocketOptions& options) {
    auto address = unix_address(options.path);
    if (!address.ok()) return address.error();
    if (auto made = make_parent_directory(options.path); !made.ok()) return made.error();
    if (auto cleared = clear_stale(options.path, *address); !cleared.ok()) return cleared.error();

    ListenSocket socket;
    socket.fd_.reset(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!socket.fd_) return make_error("socket(): " + errno_text());
    if (::bind(socket.fd_.get(), reinterpret_cast<const sockaddr*>(&*address), sizeof *address) != 0) {
        return make_error("cannot bind " + options.path + ": " + errno_text());
    }
    socket.path_ = options.path;
    socket.owner_ = ::getpid();
    // bind() applied the umask; set the mode and group nginx needs explicitly.
    if (::chmod(options.path.c_str(), options.mode) != 0) {
        return make_error("cannot chmod " + options.path + ": " + errno_text());
    }
    if (!options.group.empty()) {
        std::vector<char> buffer(16384);
        group entry {};
        group* found = nullptr;
        if (::getgrnam_r(options.group.c_str(), &entry, buffer.data(), buffer.size(), &found) != 0 ||
            found == nullptr) {
            return make_error("unknown group \"" + options.group + "\" for " + options.path);
        }
        if (::chown(options.path.c_str(), static_cast<uid_t>(-1), found->gr_gid) != 0) {
            return make_error("cannot give " + options.path + " to group " + options.group + ": " +
                              errno_text());
        }
    }
    if (::listen(socket.fd_.get(), options.backlog) != 0) {
        return make_error("cannot listen on " + options.path + ": " + errno_text());
    }
    return socket;
}

ListenSocket::~ListenSocket() {
    if (!path_.empty() && owner_ == ::getpid() && fd_.valid()) ::unlink(path_.c_str());
}

Result<mode_t> parse_socket_mode(const std::string& text) {
    if (text.empty() || text.size() > 4) return make_error("bad socket mode \"" + text + "\"");
    mode_t mode = 0;
    for (char c : text) {
        if (c < '0' || c > '7') return make_error("bad socket mode \"" + text + "\" (octal, e.g. 0660)");
        mode = static_cast<mode_t>(mode * 8 + static_cast<mode_t>(c - '0'));
    }
    if (mode > 0777) return make_error("bad socket mode \"" + text + "\"");
    return mode;
}

}  // namespace downstream::node
