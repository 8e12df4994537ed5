// A gate that opens when `count` threads have arrived: the cluster tests line farmers up so
// that their chunk draws reach both pools (and both database members) at the same moment.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <mutex>

namespace downstream::testing::cluster {

class StartGate {
public:
    explicit StartGate(std::size_t count) : waiting_(count) {}
    StartGate(const StartGate&) = delete;
    StartGate& operator=(const StartGate&) = delete;

    // Blocks until `count` threads have called it (the last one opens the gate for all).
    void arrive_and_wait() {
        std::unique_lock<std::mutex> lock(mutex_);
        if (waiting_ > 0 && --waiting_ == 0) {
            opened_.notify_all();
            return;
        }
        opened_.wait(lock, [this] { return waiting_ == 0; });
    }

private:
    std::mutex mutex_;
    std::condition_variable opened_;
    std::size_t waiting_;
};

}  // namespace downstream::testing::cluster
