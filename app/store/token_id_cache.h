// Token ids by storage hash, as this process last read them. A token's id never changes and
// is never given to another token (AUTO_INCREMENT is not reused), so an entry can only go
// stale by the token's removal: whoever then finds none of the token's rows looks the token
// up again and forgets the entry.
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace downstream::store {

// Thread-safe; bounded: when full it starts over (every farmer is read again once).
class TokenIdCache {
public:
    explicit TokenIdCache(std::size_t capacity) : capacity_(capacity) {}
    TokenIdCache(const TokenIdCache&) = delete;
    TokenIdCache& operator=(const TokenIdCache&) = delete;

    // The id remembered for `token_hash`, if any.
    std::optional<std::int64_t> find(const std::string& token_hash) const;
    void remember(const std::string& token_hash, std::int64_t id);
    void forget(const std::string& token_hash);
    std::size_t size() const;

private:
    const std::size_t capacity_;
    mutable std::mutex mutex_;
    std::unordered_map<std::string, std::int64_t> ids_;  // GUARDED_BY(mutex_)
};

}  // namespace downstream::store
