// The JSON entries of contract replies (/chunk, /challenge), written exactly as the farmers'
// client reads them. Keys are sorted, as the original node's jsonify wrote them.
#pragma once

#include "base/clock.h"
#include "store/contract_repository.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace downstream::api {

// Whole seconds from `now_ms` until `due_ms` (never negative): the protocol's "due".
std::int64_t seconds_until(UnixMillis due_ms, UnixMillis now_ms);

// {"challenge": ..., "due": s, "file_hash": "<hex>", "seed": "...", "size": n, "tag": ...}
std::string chunk_entry_json(const store::IssuedContract& contract, UnixMillis now_ms);

// The entry of a challenge list for one file. `file_hash_json` is the file hash as the farmer
// sent it (JSON text), or as the node names it.
//   {"answered": b, "challenge": ..., "due": s, "file_hash": ...}
std::string challenge_entry_json(std::string_view file_hash_json, std::string_view challenge_json,
                                 UnixMillis due_ms, bool answered, UnixMillis now_ms);
//   {"file_hash": ..., "status": "no more challenges"}
std::string no_more_challenges_json(std::string_view file_hash_json);
//   {"error": "<message>", "file_hash": ...}
std::string file_error_json(std::string_view file_hash_json, std::string_view message);
//   {"file_hash": ..., "status": "ok"}
std::string file_ok_json(std::string_view file_hash_json);

// "\"<64 hex>\"": a contract's file hash as JSON text.
std::string file_hash_json(std::string_view file_hash_bytes);

}  // namespace downstream::api
