// What every fuzz target shares: stating an invariant, and cutting the fuzzer's bytes into the
// pieces a target needs. Header-only, so a target stays one file (test/fuzz/README.md).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace downstream::fuzz {

// Reports a broken invariant and aborts: libFuzzer records the input as a crash.
[[noreturn]] inline void fail(const char* condition, const char* file, int line,
                              std::string_view detail = {}) {
    std::fprintf(stderr, "fuzz invariant failed: %s at %s:%d%s%.*s\n", condition, file, line,
                 detail.empty() ? "" : ": ", static_cast<int>(detail.size()), detail.data());
    std::abort();
}

// The fuzzer's input, read front to back. Reads past the end give empty pieces and zero
// bytes, never an error, so every input is a valid one.
class FuzzInput {
public:
    FuzzInput(const std::uint8_t* data, std::size_t size)
        : rest_(reinterpret_cast<const char*>(data), size) {}

    bool empty() const { return rest_.empty(); }
    std::size_t size() const { return rest_.size(); }

    // The next byte (0 once the input is used up).
    std::uint8_t byte() {
        if (rest_.empty()) return 0;
        const auto b = static_cast<std::uint8_t>(rest_.front());
        rest_.remove_prefix(1);
        return b;
    }

    // Everything up to the next `separator` (which is consumed), or the rest.
    std::string_view field(char separator = '\n') {
        const std::size_t end = rest_.find(separator);
        const std::string_view out = rest_.substr(0, end);
        rest_.remove_prefix(end == std::string_view::npos ? rest_.size() : end + 1);
        return out;
    }

    // Up to `count` bytes.
    std::string_view take(std::size_t count) {
        const std::string_view out = rest_.substr(0, count);
        rest_.remove_prefix(out.size());
        return out;
    }

    // Everything not read yet.
    std::string_view rest() {
        const std::string_view out = rest_;
        rest_ = {};
        return out;
    }

private:
    std::string_view rest_;
};

// A printable excerpt of bytes for failure messages.
inline std::string shown(std::string_view bytes, std::size_t limit = 80) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (std::size_t i = 0; i < bytes.size() && i < limit; ++i) {
        const auto c = static_cast<unsigned char>(bytes[i]);
        if (c >= 0x20 && c < 0x7f && c != '\\') {
            out += static_cast<char>(c);
        } else {
            out += "\\x";
            out += kHex[c >> 4];
            out += kHex[c & 15];
        }
    }
    if (bytes.size() > limit) out += "...";
    return out;
}

}  // namespace downstream::fuzz

// Aborts the run, naming the condition, when it is false.
#define FUZZ_CHECK(condition)                                                               \
    ((condition) ? static_cast<void>(0)                                                     \
                 : ::downstream::fuzz::fail(#condition, __FILE__, __LINE__))

// The same, with a detail (anything convertible to std::string_view) in the report.
#define FUZZ_CHECK_MSG(condition, detail)                                                   \
    ((condition) ? static_cast<void>(0)                                                     \
                 : ::downstream::fuzz::fail(#condition, __FILE__, __LINE__, (detail)))
