// The node's notion of "now": a seam so tests can move time across a challenge's due date
// without sleeping. Times are UTC milliseconds since the Unix epoch everywhere in the node
// (in memory, in SQL columns named *_ms, in logs).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace downstream {

using UnixMillis = std::int64_t;

class Clock {
public:
    virtual ~Clock() = default;
    // Current UTC time in milliseconds since 1970-01-01T00:00:00Z.
    virtual UnixMillis now_ms() const = 0;
};

// The real wall clock.
class SystemClock final : public Clock {
public:
    UnixMillis now_ms() const override {
        return std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::system_clock::now().time_since_epoch())
            .count();
    }
};

// A clock that moves only when told to; safe to read from several threads.
class ManualClock final : public Clock {
public:
    explicit ManualClock(UnixMillis start) : now_(start) {}
    UnixMillis now_ms() const override { return now_.load(); }
    void set(UnixMillis t) { now_.store(t); }
    void advance(UnixMillis ms) { now_.fetch_add(ms); }

private:
    std::atomic<UnixMillis> now_;
};

}  // namespace downstream
