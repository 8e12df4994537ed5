#include "support/replay_random_source.h"

#include <cppunit/TestAssert.h>

namespace downstream::testing {

std::string ReplayRandomSource::bytes(std::size_t count) {
    if (next_ >= draws_.size()) CPPUNIT_FAIL("ReplayRandomSource: no recorded draw left");
    const std::string& draw = draws_[next_++];
    CPPUNIT_ASSERT_EQUAL_MESSAGE("ReplayRandomSource: size of the recorded draw", draw.size(),
                                 count);
    return draw;
}

}  // namespace downstream::testing
