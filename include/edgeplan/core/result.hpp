#pragma once

#include <edgeplan/core/error.hpp>

#include <utility>
#include <variant>

namespace edgeplan {

/// A value or an Error. GCC 12 in C++20 mode has no std::expected; this is the small
/// subset the project needs. Access the value only after checking `ok()`.
template <typename T> class Result {
public:
    Result(T value) : state_(std::move(value)) {}
    Result(Error error) : state_(std::move(error)) {}

    [[nodiscard]] bool ok() const { return std::holds_alternative<T>(state_); }
    explicit operator bool() const { return ok(); }

    T& value() & { return std::get<T>(state_); }
    const T& value() const& { return std::get<T>(state_); }
    T&& value() && { return std::get<T>(std::move(state_)); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

    const Error& error() const { return std::get<Error>(state_); }

private:
    std::variant<T, Error> state_;
};

/// Result of an operation that returns nothing on success.
struct Done {};
using Status = Result<Done>;

inline Error make_error(ExitCode code, std::string where, std::string message) {
    return Error{code, std::move(where), std::move(message)};
}

} // namespace edgeplan
