// The node's JSON vocabulary: RapidJSON, included only through this header.
//
// Why RapidJSON and not Poco::JSON: the answer route parses about 20 MB/s of proofs at the
// performance target; Poco's parser manages 19 MB/s per core, RapidJSON about 240 (see
// docs/DECISIONS.md). Including RapidJSON through here guarantees two settings everywhere:
// std::string support, and RAPIDJSON_ASSERT throwing JsonMisuse instead of aborting the
// process, so a decoder bug becomes one HTTP 500 rather than a dead worker.
#pragma once

#include <stdexcept>

namespace downstream::json {

// A RapidJSON precondition failed (e.g. GetInt() on a string). Decoders check types first,
// so this signals a bug in the node, never bad input.
class JsonMisuse : public std::logic_error {
public:
    using std::logic_error::logic_error;
};

}  // namespace downstream::json

#ifndef RAPIDJSON_ASSERT
#define RAPIDJSON_ASSERT(x) \
    ((x) ? static_cast<void>(0) : throw ::downstream::json::JsonMisuse("RapidJSON: " #x))
#endif
#define RAPIDJSON_HAS_STDSTRING 1
#define RAPIDJSON_NOMEMBERITERATORCLASS 0

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace downstream::json {

using Value = rapidjson::Value;
using Document = rapidjson::Document;
using Buffer = rapidjson::StringBuffer;
using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

}  // namespace downstream::json
