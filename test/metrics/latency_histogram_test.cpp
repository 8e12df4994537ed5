#include "metrics/latency_histogram.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace downstream::metrics;

class LatencyHistogramTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(LatencyHistogramTest);
    CPPUNIT_TEST(boundsAreAscendingAndDenseAroundTheTarget);
    CPPUNIT_TEST(anObservationOnABoundBelongsToThatBucket);
    CPPUNIT_TEST(cumulativeCountsEndWithTheTotal);
    CPPUNIT_TEST(quantileInterpolatesInsideItsBucket);
    CPPUNIT_TEST(quantileOfAnEmptyHistogramIsUnknown);
    CPPUNIT_TEST(quantileInTheInfBucketIsTheLargestBound);
    CPPUNIT_TEST(secondsTextIsExactAndShort);
    CPPUNIT_TEST_SUITE_END();

public:
    void boundsAreAscendingAndDenseAroundTheTarget() {
        CPPUNIT_ASSERT_EQUAL(std::size_t{16}, kLatencyBoundsUs.size());
        CPPUNIT_ASSERT_EQUAL(std::size_t{17}, kLatencyBuckets);
        for (std::size_t i = 1; i < kLatencyBoundsUs.size(); ++i)
            CPPUNIT_ASSERT(kLatencyBoundsUs[i] > kLatencyBoundsUs[i - 1]);
        // The 20 ms target is a bound, with neighbours 5 ms or 10 ms away.
        CPPUNIT_ASSERT_EQUAL(std::uint64_t{15000}, kLatencyBoundsUs[5]);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t{20000}, kLatencyBoundsUs[6]);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t{30000}, kLatencyBoundsUs[7]);
    }

    void anObservationOnABoundBelongsToThatBucket() {
        CPPUNIT_ASSERT_EQUAL(std::size_t{0}, latency_bucket(0));
        CPPUNIT_ASSERT_EQUAL(std::size_t{0}, latency_bucket(500));
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, latency_bucket(501));
        CPPUNIT_ASSERT_EQUAL(std::size_t{6}, latency_bucket(20000));
        CPPUNIT_ASSERT_EQUAL(std::size_t{7}, latency_bucket(20001));
        CPPUNIT_ASSERT_EQUAL(std::size_t{15}, latency_bucket(10000000));
        CPPUNIT_ASSERT_EQUAL(std::size_t{16}, latency_bucket(10000001));
        CPPUNIT_ASSERT_EQUAL(std::size_t{16}, latency_bucket(UINT64_MAX));
    }

    void cumulativeCountsEndWithTheTotal() {
        LatencyCounts per{};
        per[0] = 2;
        per[3] = 5;
        per[16] = 1;
        const LatencyCounts c = cumulative(per);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t{2}, c[0]);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t{2}, c[2]);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t{7}, c[3]);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t{7}, c[15]);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t{8}, c[16]);
    }

    void quantileInterpolatesInsideItsBucket() {
        // 100 observations: 60 in (0, 0.5 ms], 30 in (10, 15] ms, 10 in (15, 20] ms.
        LatencyCounts per{};
        per[0] = 60;
        per[5] = 30;
        per[6] = 10;
        // p50: rank 50 of 60 in the first bucket: 500 * 50/60.
        CPPUNIT_ASSERT_DOUBLES_EQUAL(500.0 * 50 / 60, *quantile_us(per, 0.5), 1e-9);
        // p90: rank 90, the last of bucket (10, 15] ms: its upper bound.
        CPPUNIT_ASSERT_DOUBLES_EQUAL(15000.0, *quantile_us(per, 0.9), 1e-9);
        // p99: rank 99 = 9 of 10 into (15, 20] ms: 15000 + 5000 * 0.9.
        CPPUNIT_ASSERT_DOUBLES_EQUAL(19500.0, *quantile_us(per, 0.99), 1e-9);
        // p75: rank 75 = 15 of 30 into (10, 15] ms, past the empty buckets between.
        CPPUNIT_ASSERT_DOUBLES_EQUAL(12500.0, *quantile_us(per, 0.75), 1e-9);
    }

    void quantileOfAnEmptyHistogramIsUnknown() {
        CPPUNIT_ASSERT(!quantile_us(LatencyCounts{}, 0.99).has_value());
    }

    void quantileInTheInfBucketIsTheLargestBound() {
        LatencyCounts per{};
        per[0] = 1;
        per[16] = 99;
        CPPUNIT_ASSERT_DOUBLES_EQUAL(10000000.0, *quantile_us(per, 0.5), 1e-9);
    }

    void secondsTextIsExactAndShort() {
        CPPUNIT_ASSERT_EQUAL(std::string("0"), seconds_text(0));
        CPPUNIT_ASSERT_EQUAL(std::string("0.0005"), seconds_text(500));
        CPPUNIT_ASSERT_EQUAL(std::string("0.000001"), seconds_text(1));
        CPPUNIT_ASSERT_EQUAL(std::string("0.015"), seconds_text(15000));
        CPPUNIT_ASSERT_EQUAL(std::string("1"), seconds_text(1000000));
        CPPUNIT_ASSERT_EQUAL(std::string("2.5"), seconds_text(2500000));
        CPPUNIT_ASSERT_EQUAL(std::string("1234.056789"), seconds_text(1234056789));
    }
};
CPPUNIT_TEST_SUITE_REGISTRATION(LatencyHistogramTest);
