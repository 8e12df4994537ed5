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

    // Split "-d.ddde±x" into sign, digits and exponent.
    const char* p = buffer;
    const bool negative = *p == '-';
    if (negative) ++p;
    char digits[32];
    std::size_t count = 0;
    for (; p < end && *p != 'e'; ++p)
        if (*p != '.') digits[count++] = *p;
    // to_chars writes no terminator: read the exponent ("e+XX" / "e-XX") up to `end`.
    int exponent = 0;
    const bool negative_exponent = p + 1 < end && p[1] == '-';
    for (const char* q = p + 2; q < end; ++q) exponent = exponent * 10 + (*q - '0');
    if (negative_exponent) exponent = -exponent;

    std::string out;
    out.reserve(32);
    if (negative) out += '-';
    if (exponent < -4 || exponent >= 16) {
        // CPython: "d[.ddd]e[+-]XX", the exponent with at least two digits.
        out += digits[0];
        if (count > 1) {
            out += '.';
            out.append(digits + 1, count - 1);
        }
        out += exponent < 0 ? "e-" : "e+";
        const int magnitude = std::abs(exponent);
        if (magnitude < 10) out += '0';
        out += std::to_string(magnitude);
    } else if (exponent < 0) {
        out += "0.";
        out.append(static_cast<std::size_t>(-exponent - 1), '0');
        out.append(digits, count);
    } else {
        const auto point = static_cast<std::size_t>(exponent) + 1;
        if (count <= point) {
            out.append(digits, count);
            out.append(point - count, '0');
            out += ".0";
        } else {
            out.append(digits, point);
            out += '.';
            out.append(digits + point, count - point);
        }
    }
    return out;
}

}  // namespace downstream::proof
