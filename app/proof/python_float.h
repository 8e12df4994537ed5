// The text Python 3 gives a float (repr() and str() agree since 3.2): the heartbeat library
// signs its states over str(timestamp), and json.dumps writes check fractions the same way,
// so the node must reproduce that text exactly.
#pragma once

#include <string>

namespace downstream::proof {

// repr(value) as Python 3 prints it: the shortest digits that round-trip; positional notation
// with at least one digit after the point ("1418245200.0", "0.0001") when the decimal
// exponent is in [-4, 16), scientific otherwise ("1e+16", "1e-05",
// "1.2345678901234568e+16"); "inf", "-inf", "nan" for the special values.
std::string python_float_repr(double value);

}  // namespace downstream::proof
