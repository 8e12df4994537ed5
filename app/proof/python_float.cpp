#include "proof/python_float.h"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <system_error>

namespace downstream::proof {

std::string python_float_repr(double value) {
    if (std::isnan(value)) return "nan";
    if (std::isinf(value)) return value > 0 ? "inf" : "-inf";

    // The shortest round-trip digits in scientific form ("d.ddde±x"): both libstdc++ (Ryu)
    // and CPython (dtoa mode 0) choose the shortest digit string that reads back as the
    // same double, the nearest to the exact value when several qualify.
    char buffer[64];
    const auto [end, ec] =
        std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::scientific);
    if (ec != std::errc()) return "nan";  // cannot happen: 64 bytes hold any double
    const std::string text(buffer, end);

    const bool negative = text[0] == '-';
    const std::size_t e_pos = text.find('e');
    const int exponent = std::atoi(text.c_str() + e_pos + 1);
    std::string digits;
    for (std::size_t i = negative ? 1 : 0; i < e_pos; ++i)
        if (text[i] != '.') digits += text[i];

    std::string out = negative ? "-" : "";
    if (exponent < -4 || exponent >= 16) {
        // CPython: "d[.ddd]e[+-]XX", the exponent with at least two digits.
        out += digits[0];
        if (digits.size() > 1) out += "." + digits.substr(1);
        out += exponent < 0 ? "e-" : "e+";
        const int magnitude = std::abs(exponent);
        if (magnitude < 10) out += '0';
        out += std::to_string(magnitude);
        return out;
    }
    if (exponent < 0) {
        out += "0." + std::string(static_cast<std::size_t>(-exponent - 1), '0') + digits;
        return out;
    }
    const auto point = static_cast<std::size_t>(exponent) + 1;
    if (digits.size() <= point) {
        out += digits + std::string(point - digits.size(), '0') + ".0";
    } else {
        out += digits.substr(0, point) + "." + digits.substr(point);
    }
    return out;
}

}  // namespace downstream::proof
