// Result<T>: a value or an Error, returned across internal boundaries instead of throwing.
//
// A bad proof, a malformed JSON object or an invalid address is a normal outcome, not an
// exception: functions that can meet such input return Result<T>. Exceptions are kept for the
// truly exceptional (the database is down, memory is exhausted) and are mapped to HTTP status in
// one place (app/http/error_mapping).
#pragma once

#include <stdexcept>
#include <string>
#include <utility>
#include <variant>

namespace downstream {

// Why something failed, in words fit to show a farmer or an operator.
struct Error {
    std::string message;
};

inline Error make_error(std::string message) { return Error{std::move(message)}; }

// Thrown only by Result::value() on an error: a programming mistake, never input-driven.
class BadResultAccess : public std::logic_error {
public:
    explicit BadResultAccess(const std::string& message)
        : std::logic_error("Result holds an error: " + message) {}
};

template <class T>
class [[nodiscard]] Result {
public:
    Result(T value) : state_(std::move(value)) {}        // NOLINT: implicit by design
    Result(Error error) : state_(std::move(error)) {}    // NOLINT: implicit by design

    bool ok() const { return state_.index() == 0; }
    explicit operator bool() const { return ok(); }

    // The value; throws BadResultAccess when the result is an error.
    const T& value() const& { check(); return std::get<0>(state_); }
    T& value() & { check(); return std::get<0>(state_); }
    T&& value() && { check(); return std::get<0>(std::move(state_)); }

    const T& operator*() const& { return value(); }
    T& operator*() & { return value(); }
    const T* operator->() const { return &value(); }
    T* operator->() { return &value(); }

    // The error; only meaningful when !ok().
    const Error& error() const { return std::get<1>(state_); }

private:
    void check() const {
        if (!ok()) throw BadResultAccess(std::get<1>(state_).message);
    }
    std::variant<T, Error> state_;
};

// Success or an Error, for operations with no value to return.
template <>
class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT: implicit by design

    bool ok() const { return ok_; }
    explicit operator bool() const { return ok_; }
    const Error& error() const { return error_; }

private:
    Error error_;
    bool ok_ = true;
};

using Status = Result<void>;

}  // namespace downstream
