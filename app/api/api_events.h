// What the handlers report as they work, for whoever counts it (the node's metrics). The
// handlers know only this interface: how events are counted, stored or published is not
// their business. Each event is reported after the database work it describes committed.
#pragma once

#include <cstddef>
#include <cstdint>

namespace downstream::api {

enum class AnswerResult;  // api/answer_resolution.h

class ApiEvents {
public:
    virtual ~ApiEvents() = default;

    // A token was created (GET or POST /new).
    virtual void token_issued() {}
    // `count` contracts holding `bytes` bytes in all were issued from the pool (one /chunk).
    virtual void contracts_issued(std::size_t /*count*/, std::int64_t /*bytes*/) {}
    // `count` next challenges were issued to answered contracts that fell due (a contract's
    // first challenge comes with the contract and is not counted here).
    virtual void challenges_issued(std::size_t /*count*/) {}
    // One proof got its final result (one per entry of a /answer).
    virtual void answer_checked(AnswerResult /*result*/) {}

    // A sink that ignores every event (the default of ApiContext::events).
    static ApiEvents& none();
};

}  // namespace downstream::api
