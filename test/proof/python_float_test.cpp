#include "proof/python_float.h"

#include "support/test_data.h"
#include "support/vector_fields.h"

#include <cppunit/extensions/HelperMacros.h>

#include <cmath>
#include <cstdlib>
#include <limits>

using downstream::proof::python_float_repr;
using namespace downstream::testing;

// Python 3's repr(float): the state HMAC vectors' timestamp texts, plus answers taken from
// CPython 3.11 (`python3 -c 'print(repr(x))'`).
class PythonFloatTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(PythonFloatTest);
    CPPUNIT_TEST(stateTimestampTextsMatchReference);
    CPPUNIT_TEST(matchesCPython);
    CPPUNIT_TEST(specialValues);
    CPPUNIT_TEST_SUITE_END();

public:
    void stateTimestampTextsMatchReference() {
        auto vectors = load_vectors("merkle.json");
        const auto& helpers = field(*vectors, "helpers");
        int checked = 0;
        for (const auto& h : array_field(helpers, "state_get_hmac", 14).GetArray()) {
            const std::string text = string_field(h, "timestamp_str");
            // strtod is correctly rounded: the double Python printed.
            CPPUNIT_ASSERT_EQUAL(text, python_float_repr(std::strtod(text.c_str(), nullptr)));
            ++checked;
        }
        CPPUNIT_ASSERT_EQUAL(14, checked);
        const std::string fixed = string_field(*vectors, "fixed_state_timestamp_str");
        CPPUNIT_ASSERT_EQUAL(fixed, python_float_repr(double_field(*vectors, "fixed_state_timestamp")));
    }

    void matchesCPython() {
        const std::pair<double, const char*> cases[] = {
            {0.01, "0.01"},
            {0.29, "0.29"},
            {1e16, "1e+16"},
            {5e-324, "5e-324"},
            {1.7976931348623157e308, "1.7976931348623157e+308"},
            {-0.0, "-0.0"},
            {0.0, "0.0"},
            {123.0, "123.0"},
            {1e22, "1e+22"},
            {0.1 + 0.2, "0.30000000000000004"},
            {-1.5, "-1.5"},
            {1e-4, "0.0001"},
            {1e-5, "1e-05"},
            {9999999999999998.0, "9999999999999998.0"},
            {1e15, "1000000000000000.0"},
            {123456789012345678.0, "1.2345678901234568e+17"},
            {2.5e-7, "2.5e-07"},
            {1418245200.739, "1418245200.739"},
        };
        for (const auto& [value, text] : cases) CPPUNIT_ASSERT_EQUAL(std::string(text), python_float_repr(value));
    }

    void specialValues() {
        CPPUNIT_ASSERT_EQUAL(std::string("inf"), python_float_repr(std::numeric_limits<double>::infinity()));
        CPPUNIT_ASSERT_EQUAL(std::string("-inf"), python_float_repr(-std::numeric_limits<double>::infinity()));
        CPPUNIT_ASSERT_EQUAL(std::string("nan"), python_float_repr(std::nan("")));
    }
};
CPPUNIT_TEST_SUITE_REGISTRATION(PythonFloatTest);
