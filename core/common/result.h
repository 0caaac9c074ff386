// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include "error.h"

#include <utility>
#include <variant>

namespace Greenroom {

/*
 * A value or an Error. C++20 has no std::expected; this is the small subset
 * core needs. Accessing the wrong alternative is a programming error and
 * asserts (std::get throws bad_variant_access in release builds).
 */
template<typename T>
class [[nodiscard]] Result
{
public:
    Result(T value) : m_data(std::in_place_index<0>, std::move(value)) {}
    Result(Error error) : m_data(std::in_place_index<1>, std::move(error)) {}

    bool isOk() const { return m_data.index() == 0; }
    explicit operator bool() const { return isOk(); }

    const T &value() const & { return std::get<0>(m_data); }
    T &value() & { return std::get<0>(m_data); }
    T &&value() && { return std::get<0>(std::move(m_data)); }
    const Error &error() const { return std::get<1>(m_data); }

    const T *operator->() const { return &value(); }
    const T &operator*() const & { return value(); }

private:
    std::variant<T, Error> m_data;
};

// For operations that succeed with nothing to return.
struct Ok {};
using Status = Result<Ok>;

} // namespace Greenroom
