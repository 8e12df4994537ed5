// The FastCGI listening socket of the master: inherited, or created as a unix socket.
//
// Inherited first, in this order:
//   * systemd socket activation: LISTEN_PID is this process and LISTEN_FDS >= 1 -> fd 3
//     (the LISTEN_* variables are then removed, so workers do not act on them again);
//   * spawn-fcgi and other FastCGI launchers: fd 0 is a listening socket.
// Otherwise a unix socket is created at `path` with the configured mode and group: nginx's
// workers run as `nobody` (or www-data), and a socket created under the default umask gives
// them "13: Permission denied" and 502 (PLATFORM.md).
#pragma once

#include "base/result.h"
#include "base/unique_fd.h"

#include <sys/types.h>

#include <string>

namespace downstream::node {

struct ListenSocketOptions {
    // Config `fcgi.socket`.
    std::string path = "/run/downstream-node/fcgi.sock";
    // Config `fcgi.socket_mode`: 0660 with a shared group in production, 0666 for a local run.
    mode_t mode = 0660;
    // Config `fcgi.socket_group`: the group nginx runs in (e.g. www-data); empty keeps ours.
    std::string group;
    // Pending connections the kernel queues (capped by net.core.somaxconn).
    int backlog = 1024;
};

class ListenSocket {
public:
    // The inherited socket if there is one, else a new one (create()).
    static Result<ListenSocket> open(const ListenSocketOptions& options);

    // A new unix socket at options.path. A stale socket file left by a dead node is
    // replaced; a socket some process still listens on, or a path that is not a socket, is
    // an error (never steal a live node's socket, never delete an unrelated file). The
    // parent directory is created (0755) when missing.
    static Result<ListenSocket> create(const ListenSocketOptions& options);

    // The fd handed over by systemd or spawn-fcgi, or -1 when there is none.
    static int find_inherited();

    ListenSocket(ListenSocket&&) noexcept = default;
    ListenSocket& operator=(ListenSocket&&) noexcept = default;
    // Closes the socket; removes the socket file if this process created it.
    ~ListenSocket();

    int fd() const { return fd_.get(); }
    bool inherited() const { return inherited_; }
    // The path of a created socket; empty when inherited.
    const std::string& path() const { return path_; }

private:
    ListenSocket() = default;

    UniqueFd fd_;
    bool inherited_ = false;
    std::string path_;
    pid_t owner_ = -1;  // forked children never remove the file
};

// Parses an octal mode such as "0660" or "666" (config `fcgi.socket_mode`).
Result<mode_t> parse_socket_mode(const std::string& text);

}  // namespace downstream::node
