// How long the master waits before replacing a worker that died unexpectedly.
//
// A worker that ran for a while and then died (a kill -9, an OOM kill) is replaced at once.
// A worker that dies soon after starting is probably crashing on startup (a bad config, the
// database refusing logins): each such crash in a row doubles the wait, up to a ceiling, so
// a crash loop costs a few forks a minute instead of a spinning core.
#pragma once

#include <chrono>

namespace downstream::node {

class RestartBackoff {
public:
    struct Policy {
        // Wait after the first early crash.
        std::chrono::milliseconds initial{100};
        // The longest wait.
        std::chrono::milliseconds ceiling{10000};
        // A worker that lived this long was healthy: its death restarts the count.
        std::chrono::milliseconds healthy_after{10000};
    };

    RestartBackoff() = default;
    explicit RestartBackoff(Policy policy) : policy_(policy) {}

    // A worker died unexpectedly after living `lifetime`: the wait before its replacement.
    std::chrono::milliseconds on_crash(std::chrono::milliseconds lifetime);

    // Early crashes in a row so far.
    int consecutive_crashes() const { return consecutive_; }

private:
    Policy policy_;
    int consecutive_ = 0;
};

}  // namespace downstream::node
