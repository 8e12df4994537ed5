#include "node/heartbeat_key.h"

#include "base/log.h"
#include "crypto/secure_random.h"
#include "crypto/sha256.h"
#include "encoding/hex.h"
#include "proof/swizzle_scheme.h"
#include "store/node_settings_repository.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace downstream::node {
namespace {

std::string system_error(const std::string& what) { return what + ": " + std::strerror(errno); }

// mkdir -p with mode 0700 for the directories it creates.
Status make_directories(const std::string& dir) {
    if (dir.empty()) return {};
    struct stat st {};
    if (stat(dir.c_str(), &st) == 0) {
        if (S_ISDIR(st.st_mode)) return {};
        return make_error(dir + " exists and is not a directory");
    }
    const auto slash = dir.find_last_of('/');
    if (slash != std::string::npos && slash > 0)
        if (Status s = make_directories(dir.substr(0, slash)); !s) return s;
    if (mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST)
        return make_error(system_error("cannot create directory " + dir));
    return {};
}

std::string directory_of(const std::string& path) {
    const auto slash = path.find_last_of('/');
    if (slash == std::string::npos) return {};
    if (slash == 0) return "/";
    return path.substr(0, slash);
}

Status write_all(int fd, const std::string& bytes) {
    std::size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            return make_error(system_error("write"));
        }
        done += static_cast<std::size_t>(n);
    }
    return {};
}

const char* type_name(HeartbeatType type) {
    return type == HeartbeatType::Merkle ? "merkle" : "swizzle";
}

// A key file of the wrong scheme (heartbeat.type changed without a new key) is the likely
// mistake here, so the message names both.
Status check_key_bytes(const std::string& path, const std::string& bytes, HeartbeatType type) {
    const bool valid =
        type == HeartbeatType::Merkle
            ? bytes.size() == kHeartbeatKeySize
            : proof::SwizzleScheme::create(bytes, 1.0).ok();
    if (valid) return {};
    return make_error("heartbeat key file " + path + " (" + std::to_string(bytes.size()) +
                      " bytes) is not a " + type_name(type) +
                      " key made by initdb: restore the node's key file, or, if heartbeat.type "
                      "was changed, point heartbeat.key_file at a new path and run "
                      "`downstream-node initdb --replace-key`");
}

std::string new_key_bytes(HeartbeatType type) {
    return type == HeartbeatType::Merkle ? crypto::secure_random_bytes(kHeartbeatKeySize)
                                         : proof::generate_swizzle_private_heartbeat();
}

}  // namespace

std::string HeartbeatKey::fingerprint_hex() const { return encoding::hex_encode(fingerprint); }

Result<HeartbeatKey> load_heartbeat_key(const std::string& path, HeartbeatType type) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT)
            return make_error("heartbeat key file " + path + " does not exist: run "
                              "`downstream-node initdb` on the first host to create it, or copy "
                              "the key file from another host of this node (heartbeat.key_file)");
        return make_error(system_error("cannot open heartbeat key file " + path));
    }
    struct stat st {};
    fstat(fd, &st);
    std::string bytes;
    char buffer[256];
    for (;;) {
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        bytes.append(buffer, static_cast<std::size_t>(n));
        if (bytes.size() > 1 << 16) break;
    }
    ::close(fd);
    if (Status valid = check_key_bytes(path, bytes, type); !valid) return valid.error();
    if ((st.st_mode & 077) != 0) {
        char mode[8];
        std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
        log::warn("heartbeat key file " + path + " is readable by other users (mode " + mode +
                  "); run chmod 600 " + path);
    }
    HeartbeatKey key;
    key.path = path;
    key.type = type;
    key.bytes = std::move(bytes);
    key.fingerprint = crypto::sha256(key.bytes);
    return key;
}

Result<HeartbeatKey> create_heartbeat_key_if_missing(const std::string& path, HeartbeatType type,
                                                     bool& created) {
    created = false;
    struct stat st {};
    if (stat(path.c_str(), &st) == 0) return load_heartbeat_key(path, type);
    if (Status s = make_directories(directory_of(path)); !s)
        return make_error("cannot create the heartbeat key: " + s.error().message);

    // Write a temporary file and link it into place: the key appears complete or not at all,
    // and an existing key (another initdb racing) is never overwritten.
    const std::string temporary = path + ".new." + std::to_string(getpid());
    const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) return make_error(system_error("cannot create heartbeat key file " + temporary));
    Status written = write_all(fd, new_key_bytes(type));
    if (written && fsync(fd) != 0) written = make_error(system_error("fsync " + temporary));
    ::close(fd);
    if (!written) {
        ::unlink(temporary.c_str());
        return written.error();
    }
    if (::link(temporary.c_str(), path.c_str()) == 0) {
        created = true;
    } else if (errno != EEXIST) {
        const Error e{system_error("cannot create heartbeat key file " + path)};
        ::unlink(temporary.c_str());
        return e;
    }
    ::unlink(temporary.c_str());
    return load_heartbeat_key(path, type);
}

Status check_heartbeat_key(const HeartbeatKey& key, store::NodeSettingsRepository& settings) {
    const auto recorded = settings.get(store::kHeartbeatKeyFingerprint);
    if (!recorded)
        return make_error("the database records no heartbeat key: run `downstream-node initdb` "
                          "first (it creates the key if missing and records its fingerprint)");
    if (*recorded != key.fingerprint_hex())
        return make_error("heartbeat key " + key.path + " (fingerprint " +
                          key.fingerprint_hex().substr(0, 16) +
                          "...) is not the key this database was initialised with (fingerprint " +
                          recorded->substr(0, 16) +
                          "...). Contracts and pool chunks made with the other key cannot be "
                          "verified with this one. Restore the original key file (it must be "
                          "identical on every host; set heartbeat.key_file to its path). To "
                          "start over with this key instead, run `downstream-node initdb "
                          "--replace-key` (all issued contracts become unverifiable).");
    return {};
}

}  // namespace downstream::node
