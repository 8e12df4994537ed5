// Store-internal: a farmer's row of table tokens as the columns of a SELECT, bound with
// Poco's into(), and turned into TokenRecords. One mapping for every reader of the table: the
// token repository (with the token hash) and the status feeds (without it: the status API never
// sees a token hash).
#pragma once

#include "store/token_repository.h"

#include <Poco/Data/Statement.h>
#include <Poco/Nullable.h>

#include <cstdint>
#include <string>
#include <vector>

namespace downstream::store {

class TokenColumns {
public:
    // Every column (the token repository's reads).
    static TokenColumns with_hash() { return TokenColumns(true); }
    // Every column but token_hash (the status feeds').
    static TokenColumns without_hash() { return TokenColumns(false); }

    // The SELECT list these columns read, in their order: "id, [token_hash, ]farmer_id, ...".
    const std::string& select_list() const;

    // Binds the columns to `statement` as its results, in select_list()'s order.
    void bind(Poco::Data::Statement& statement);

    // Empties every column: Poco appends a statement's rows to them at each execution.
    void clear();

    // The rows read so far, moved out as records (token_hash empty when left out).
    std::vector<TokenRecord> take_records();

private:
    explicit TokenColumns(bool with_hash) : with_hash_(with_hash) {}

    bool with_hash_;
    std::vector<std::int64_t> id_, created_, heartbeats_, covered_, contracts_, size_, changed_;
    std::vector<std::string> hash_, farmer_id_, address_, ip_;
    std::vector<Poco::Nullable<std::string>> city_, country_, state_, zip_;
    std::vector<Poco::Nullable<double>> lat_, lon_;
    std::vector<Poco::Nullable<std::int64_t>> first_, start_, end_, last_due_;
};

}  // namespace downstream::store
