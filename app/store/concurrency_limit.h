// A bound on how many callers of one process run a piece of work at once (a counting
// semaphore). The store uses it to keep the number of concurrent pool draws in MariaDB
// small whatever the worker's thread count (DECISIONS 125).
#pragma once

#include <condition_variable>
#include <cstddef>
#include <mutex>

namespace downstream::store {

// Thread-safe. Not copyable: callers share one limit.
class ConcurrencyLimit {
public:
    // At most `slots` holders at a time (at least 1).
    explicit ConcurrencyLimit(std::size_t slots) : free_(slots > 0 ? slots : 1) {}
    ConcurrencyLimit(const ConcurrencyLimit&) = delete;
    ConcurrencyLimit& operator=(const ConcurrencyLimit&) = delete;

    // Holds one slot from construction (waiting for one if none is free) to destruction.
    class Slot {
    public:
        explicit Slot(ConcurrencyLimit& limit) : limit_(limit) { limit_.acquire(); }
        ~Slot() { limit_.release(); }
        Slot(const Slot&) = delete;
        Slot& operator=(const Slot&) = delete;

    private:
        ConcurrencyLimit& limit_;
    };

private:
    void acquire() {
        std::unique_lock<std::mutex> lock(mutex_);
        freed_.wait(lock, [this] { return free_ > 0; });
        --free_;
    }
    void release() {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            ++free_;
        }
        freed_.notify_one();
    }

    std::mutex mutex_;
    std::condition_variable freed_;
    std::size_t free_;  // GUARDED_BY(mutex_)
};

}  // namespace downstream::store
