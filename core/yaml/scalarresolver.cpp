// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "scalarresolver_p.h"

#include <QString>
#include <charconv>
#include <cmath>
#include <limits>

namespace Greenroom::Yaml::Internal {

namespace {

bool isOneOf(const std::string &s, std::initializer_list<const char *> options)
{
    for (const char *option : options) {
        if (s == option)
            return true;
    }
    return false;
}

bool allOf(std::string_view s, bool (*predicate)(char))
{
    if (s.empty())
        return false;
    for (char c : s) {
        if (!predicate(c))
            return false;
    }
    return true;
}

bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isOctal(char c) { return c >= '0' && c <= '7'; }
bool isHex(char c) { return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// [-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?
bool isCoreFloat(std::string_view s)
{
    size_t i = 0;
    if (i < s.size() && (s[i] == '-' || s[i] == '+'))
        ++i;
    size_t intDigits = 0, fracDigits = 0;
    while (i < s.size() && isDigit(s[i])) { ++i; ++intDigits; }
    if (i < s.size() && s[i] == '.') {
        ++i;
        while (i < s.size() && isDigit(s[i])) { ++i; ++fracDigits; }
    }
    if (intDigits == 0 && fracDigits == 0)
        return false;
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        ++i;
        if (i < s.size() && (s[i] == '-' || s[i] == '+'))
            ++i;
        if (!allOf(s.substr(i), isDigit))
            return false;
        i = s.size();
    }
    return i == s.size();
}

QJsonValue integerValue(std::string_view digits, int base, bool negative)
{
    // JSON numbers are doubles, as in JavaScript; precision beyond 2^53 is lost there too.
    double value = 0;
    for (char c : digits) {
        const int d = isDigit(c) ? c - '0' : (c | 0x20) - 'a' + 10;
        value = value * base + d;
    }
    return negative ? -value : value;
}

QJsonValue stringValue(const std::string &text)
{
    return QString::fromUtf8(text.data(), qsizetype(text.size()));
}

} // namespace

QJsonValue resolvePlainScalar(const std::string &s)
{
    if (s.empty() || isOneOf(s, {"~", "null", "Null", "NULL"}))
        return QJsonValue::Null;
    const char first = s.front();
    // Fast path: most scalars in catalog files are words.
    if (!(isDigit(first) || first == '-' || first == '+' || first == '.' || first == 't'
          || first == 'T' || first == 'f' || first == 'F'))
        return stringValue(s);
    if (isOneOf(s, {"true", "True", "TRUE"}))
        return true;
    if (isOneOf(s, {"false", "False", "FALSE"}))
        return false;

    std::string_view v(s);
    if (v.size() > 2 && v[0] == '0' && v[1] == 'o' && allOf(v.substr(2), isOctal))
        return integerValue(v.substr(2), 8, false);
    if (v.size() > 2 && v[0] == '0' && v[1] == 'x' && allOf(v.substr(2), isHex))
        return integerValue(v.substr(2), 16, false);
    const bool signedNumber = v[0] == '-' || v[0] == '+';
    if (allOf(signedNumber ? v.substr(1) : v, isDigit))
        return integerValue(signedNumber ? v.substr(1) : v, 10, v[0] == '-');
    if (isOneOf(s, {".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"}))
        return std::numeric_limits<double>::infinity();
    if (isOneOf(s, {"-.inf", "-.Inf", "-.INF"}))
        return -std::numeric_limits<double>::infinity();
    if (isOneOf(s, {".nan", ".NaN", ".NAN"}))
        return std::numeric_limits<double>::quiet_NaN();
    if (isCoreFloat(v)) {
        double d = 0;
        const char *begin = s.data() + (v[0] == '+' ? 1 : 0);
        const auto [ptr, ec] = std::from_chars(begin, s.data() + s.size(), d);
        if (ec == std::errc() && ptr == s.data() + s.size())
            return d;
    }
    return stringValue(s);
}

QJsonValue resolveTaggedScalar(const std::string &tag, const std::string &text)
{
    static const std::string core = "tag:yaml.org,2002:";
    if (tag.rfind(core, 0) == 0) {
        const std::string type = tag.substr(core.size());
        if (type == "str")
            return stringValue(text);
        const QJsonValue resolved = resolvePlainScalar(text);
        if ((type == "int" || type == "float") && resolved.isDouble())
            return resolved;
        if (type == "bool" && resolved.isBool())
            return resolved;
        if (type == "null" && resolved.isNull())
            return resolved;
    }
    // Unknown or mismatched tags: the `yaml` package warns and keeps the text.
    return stringValue(text);
}

} // namespace Greenroom::Yaml::Internal
