// Parsing untrusted JSON text into a document, with limits checked while parsing.
#pragma once

#include "base/result.h"
#include "json/json.h"

#include <memory>
#include <string_view>

namespace downstream::json {

struct ParseLimits {
    // Deepest nesting of arrays and objects accepted (the protocol needs 5).
    int max_depth = 32;
};

// Parses exactly one JSON value (surrounding white space allowed). Never recurses on the
// input's nesting, so hostile input cannot exhaust the stack; errors name the byte offset.
// Numbers read as Python reads them: integers of up to 64 bits exactly ("-0" is 0), anything
// else as the correctly rounded double; one that rounds to infinity (1e400) or to zero from a
// non-zero text (1e-400) is an error, so every number in the document is finite. Text with a NUL byte is an error, and so is a string
// escaping a lone UTF-16 surrogate ("\udc00"): every string in the document is valid UTF-8.
// The document is returned by pointer because RapidJSON documents are not cheaply movable
// across allocator boundaries.
Result<std::unique_ptr<Document>> parse_json(std::string_view text, ParseLimits limits = {});

// The JSON type of `value` in words ("a string", "an object", ...), for error messages.
const char* describe_type(const Value& value);

}  // namespace downstream::json
