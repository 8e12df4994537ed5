#include "crypto/secure_random.h"

#include <sys/random.h>

#include <cerrno>
#include <stdexcept>

namespace downstream::crypto {

std::string secure_random_bytes(std::size_t count) {
    std::string bytes(count, '\0');
    std::size_t filled = 0;
    while (filled < count) {
        const ssize_t n = getrandom(bytes.data() + filled, count - filled, 0);
        if (n < 0) {
            if (errno == EINTR) continue;
            throw std::runtime_error("getrandom failed");
        }
        filled += static_cast<std::size_t>(n);
    }
    return bytes;
}

}  // namespace downstream::crypto
