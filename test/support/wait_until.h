// Waiting in a test for another thread to reach a state, with no timing involved.
#pragma once

#include <thread>

namespace downstream::testing {

// Yields until `done()` is true: the condition is what the test waits for, never a delay.
template <class F>
void wait_until(F done) {
    while (!done()) std::this_thread::yield();
}

}  // namespace downstream::testing
