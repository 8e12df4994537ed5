// Gzip compression of request bodies, so tests can send what a gzip-speaking client sends
// (the node inflates a body exactly when it starts with the gzip magic bytes).
#pragma once

#include <string>
#include <string_view>

namespace downstream::farmer {

// `text` as one gzip member (RFC 1952), default compression level.
std::string gzip_compress(std::string_view text);

}  // namespace downstream::farmer
