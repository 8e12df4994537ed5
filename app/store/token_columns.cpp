#include "store/token_columns.h"

#include "store/sql_binding.h"

namespace downstream::store {

using Poco::Data::Keywords::into;

const std::string& TokenColumns::select_list() const {
    static constexpr const char* kAfterHash =
        "farmer_id, address, ip, location_city, location_country, location_state, location_zip,"
        " location_lat, location_lon, created_ms, heartbeats, first_contract_ms, online_start_ms,"
        " online_end_ms, covered_ms, contracts_online, size_online, last_due_ms, changed_ms";
    // Built once: every token lookup names these columns.
    static const std::string with = std::string("id, token_hash, ") + kAfterHash;
    static const std::string without = std::string("id, ") + kAfterHash;
    return with_hash_ ? with : without;
}

void TokenColumns::bind(Poco::Data::Statement& st) {
    st, into(id_);
    if (with_hash_) st, into(hash_);
    st, into(farmer_id_), into(address_), into(ip_), into(city_), into(country_), into(state_),
        into(zip_), into(lat_), into(lon_), into(created_), into(heartbeats_), into(first_),
        into(start_), into(end_), into(covered_), into(contracts_), into(size_), into(last_due_),
        into(changed_);
}

void TokenColumns::clear() {
    for (auto* v : {&id_, &created_, &heartbeats_, &covered_, &contracts_, &size_, &changed_}) v->clear();
    for (auto* v : {&hash_, &farmer_id_, &address_, &ip_}) v->clear();
    for (auto* v : {&city_, &country_, &state_, &zip_}) v->clear();
    lat_.clear();
    lon_.clear();
    for (auto* v : {&first_, &start_, &end_, &last_due_}) v->clear();
}

std::vector<TokenRecord> TokenColumns::take_records() {
    std::vector<TokenRecord> result(id_.size());
    for (std::size_t i = 0; i < id_.size(); ++i) {
        TokenRecord& t = result[i];
        t.id = id_[i];
        if (with_hash_) t.token_hash = std::move(hash_[i]);
        t.farmer_id = std::move(farmer_id_[i]);
        t.address = std::move(address_[i]);
        t.ip = std::move(ip_[i]);
        t.location = Location{to_optional(city_[i]), to_optional(country_[i]), to_optional(state_[i]),
                              to_optional(zip_[i]),  to_optional(lat_[i]),     to_optional(lon_[i])};
        t.created_ms = created_[i];
        t.heartbeats = heartbeats_[i];
        t.online = OnlineInterval(to_optional(first_[i]), to_optional(start_[i]).value_or(0),
                                  to_optional(end_[i]).value_or(0), covered_[i]);
        t.contracts_online = contracts_[i];
        t.size_online = size_[i];
        t.last_due_ms = to_optional(last_due_[i]);
        t.changed_ms = changed_[i];
    }
    clear();
    return result;
}

}  // namespace downstream::store
