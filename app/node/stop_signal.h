// SIGTERM and SIGINT for the long-running commands (maintain, generate-chunk): a flag they
// check between chunks, and a sleep that ends at once when the signal arrives.
#pragma once

#include <chrono>

namespace downstream::node {

// Installs the handlers (once per process; later calls do nothing).
void install_stop_signal_handlers();

// True once SIGTERM or SIGINT arrived (or request_stop() was called).
bool stop_requested();

// Acts as if a stop signal arrived, and forgets it again (for tests).
void request_stop();
void clear_stop_request();

// Sleeps up to `duration`; returns early, with true, when a stop is requested.
bool wait_for_stop(std::chrono::milliseconds duration);

}  // namespace downstream::node
