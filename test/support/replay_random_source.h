// A RandomSource that hands out recorded draws in order, so a test can rebuild objects that
// the reference made with its own randomness. Asking for a draw of the wrong size, or for more
// draws than were recorded, fails the test.
#pragma once

#include "proof/swizzle_random_source.h"

#include <cstddef>
#include <string>
#include <vector>

namespace downstream::testing {

class ReplayRandomSource final : public proof::RandomSource {
public:
    explicit ReplayRandomSource(std::vector<std::string> draws) : draws_(std::move(draws)) {}

    std::string bytes(std::size_t count) override;
    // Draws not yet handed out.
    std::size_t remaining() const { return draws_.size() - next_; }

private:
    std::vector<std::string> draws_;
    std::size_t next_ = 0;
};

}  // namespace downstream::testing
