#include "store/token_id_cache.h"

namespace downstream::store {

std::optional<std::int64_t> TokenIdCache::find(const std::string& token_hash) const {
    std::lock_guard<std::mutex> lock(mutex_);
    const auto found = ids_.find(token_hash);
    if (found == ids_.end()) return std::nullopt;
    return found->second;
}

void TokenIdCache::remember(const std::string& token_hash, std::int64_t id) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (ids_.size() >= capacity_ && ids_.find(token_hash) == ids_.end()) ids_.clear();
    ids_[token_hash] = id;
}

void TokenIdCache::forget(const std::string& token_hash) {
    std::lock_guard<std::mutex> lock(mutex_);
    ids_.erase(token_hash);
}

std::size_t TokenIdCache::size() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return ids_.size();
}

}  // namespace downstream::store
