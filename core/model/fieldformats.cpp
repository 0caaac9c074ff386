// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "fieldformats.h"

#include <QStringList>

namespace Greenroom::Model::FieldFormats {

namespace {

bool isLower(char16_t c) { return c >= 'a' && c <= 'z'; }
bool isUpper(char16_t c) { return c >= 'A' && c <= 'Z'; }
bool isDigit(char16_t c) { return c >= '0' && c <= '9'; }
bool isAlnum(char16_t c) { return isLower(c) || isUpper(c) || isDigit(c); }
bool isLowerAlnum(char16_t c) { return isLower(c) || isDigit(c); }

// `value` split at `separator`: one part = suffix only, two = prefix/suffix, more = invalid.
bool isValidPrefixAndOrSuffix(const QString &value, QChar separator,
                              bool (*prefixRule)(const QString &), bool (*suffixRule)(const QString &))
{
    const qsizetype first = value.indexOf(separator);
    if (first < 0)
        return suffixRule(value);
    if (value.indexOf(separator, first + 1) >= 0)
        return false;
    return prefixRule(value.left(first)) && suffixRule(value.mid(first + 1));
}

bool isApiVersionSuffix(const QString &value)
{
    if (value.isEmpty() || value.size() > 63)
        return false;
    return std::all_of(value.cbegin(), value.cend(), [](QChar c) { return isAlnum(c.unicode()); });
}

} // namespace

bool isValidObjectName(const QString &value)
{
    // ^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$
    const qsizetype n = value.size();
    if (n < 1 || n > 63)
        return false;
    if (!isAlnum(value.front().unicode()) || !isAlnum(value.back().unicode()))
        return false;
    for (qsizetype i = 1; i + 1 < n; ++i) {
        const char16_t c = value.at(i).unicode();
        if (!(isAlnum(c) || c == '-' || c == '_' || c == '.'))
            return false;
    }
    return true;
}

bool isValidDnsLabel(const QString &value)
{
    // ^[a-z0-9]+(?:\-+[a-z0-9]+)*$
    const qsizetype n = value.size();
    if (n < 1 || n > 63)
        return false;
    if (!isLowerAlnum(value.front().unicode()) || !isLowerAlnum(value.back().unicode()))
        return false;
    for (QChar c : value) {
        if (!(isLowerAlnum(c.unicode()) || c == QLatin1Char('-')))
            return false;
    }
    return true;
}

bool isValidDnsSubdomain(const QString &value)
{
    if (value.isEmpty() || value.size() > 253)
        return false;
    const QStringList labels = value.split(QLatin1Char('.'));
    return std::all_of(labels.cbegin(), labels.cend(), isValidDnsLabel);
}

bool isValidKind(const QString &value)
{
    // ^[a-zA-Z][a-z0-9A-Z]*$
    if (value.isEmpty() || value.size() > 63)
        return false;
    if (!isLower(value.front().unicode()) && !isUpper(value.front().unicode()))
        return false;
    return std::all_of(value.cbegin(), value.cend(), [](QChar c) { return isAlnum(c.unicode()); });
}

bool isValidApiVersion(const QString &value)
{
    return isValidPrefixAndOrSuffix(value, QLatin1Char('/'), isValidDnsSubdomain, isApiVersionSuffix);
}

bool isValidLabelKey(const QString &value)
{
    return isValidPrefixAndOrSuffix(value, QLatin1Char('/'), isValidDnsSubdomain, isValidObjectName);
}

bool isValidAnnotationKey(const QString &value)
{
    return isValidPrefixAndOrSuffix(value, QLatin1Char('/'), isValidDnsSubdomain, isValidObjectName);
}

bool isValidLabelValue(const QString &value)
{
    return value.isEmpty() || isValidObjectName(value);
}

bool isValidTag(const QString &value)
{
    // ^[a-z0-9:+#]+(\-[a-z0-9:+#]+)*$
    const qsizetype n = value.size();
    if (n < 1 || n > 63)
        return false;
    auto isTagChar = [](char16_t c) { return isLowerAlnum(c) || c == ':' || c == '+' || c == '#'; };
    bool previousWasDash = true;   // so a leading dash fails
    for (QChar qc : value) {
        const char16_t c = qc.unicode();
        if (c == '-') {
            if (previousWasDash)
                return false;
            previousWasDash = true;
        } else if (isTagChar(c)) {
            previousWasDash = false;
        } else {
            return false;
        }
    }
    return !previousWasDash;
}

bool isNonEmptyString(const QString &value)
{
    return !value.trimmed().isEmpty();
}

namespace {

bool isSpecialScheme(const QString &scheme)
{
    static const QStringList special{QStringLiteral("http"), QStringLiteral("https"), QStringLiteral("ws"),
                                     QStringLiteral("wss"), QStringLiteral("ftp"), QStringLiteral("file")};
    return special.contains(scheme);
}

bool isForbiddenHostCodePoint(char16_t c, bool opaque)
{
    if (c <= 0x1f || c == 0x7f)
        return !opaque || c != 0x09;  // tabs/newlines were removed earlier anyway
    switch (c) {
    case ' ': case '#': case '/': case ':': case '<': case '>': case '?':
    case '@': case '[': case '\\': case ']': case '^': case '|':
        return true;
    case '%':
        return !opaque;
    default:
        return false;
    }
}

// Parses an IPv4 number part (decimal, 0x hex or 0-prefixed octal) as the URL standard does.
bool parseIpv4Number(const QString &part, qulonglong &out)
{
    if (part.isEmpty())
        return false;
    int base = 10;
    QString digits = part;
    if (digits.size() >= 2 && digits.at(0) == QLatin1Char('0')
        && (digits.at(1) == QLatin1Char('x') || digits.at(1) == QLatin1Char('X'))) {
        base = 16;
        digits = digits.mid(2);
    } else if (digits.size() >= 2 && digits.at(0) == QLatin1Char('0')) {
        base = 8;
        digits = digits.mid(1);
    }
    if (digits.isEmpty()) {
        out = 0;
        return true;
    }
    bool ok = false;
    out = digits.toULongLong(&ok, base);
    return ok;
}

bool endsInNumber(const QString &host)
{
    QStringList parts = host.split(QLatin1Char('.'));
    if (parts.last().isEmpty() && parts.size() > 1)
        parts.removeLast();
    const QString last = parts.last();
    if (!last.isEmpty() && std::all_of(last.cbegin(), last.cend(), [](QChar c) { return isDigit(c.unicode()); }))
        return true;
    qulonglong ignored = 0;
    return last.startsWith(QLatin1String("0x"), Qt::CaseInsensitive) && parseIpv4Number(last, ignored);
}

bool isValidIpv4(const QString &host)
{
    QStringList parts = host.split(QLatin1Char('.'));
    if (parts.last().isEmpty() && parts.size() > 1)
        parts.removeLast();
    if (parts.size() > 4)
        return false;
    QList<qulonglong> numbers;
    for (const QString &part : parts) {
        qulonglong n = 0;
        if (!parseIpv4Number(part, n))
            return false;
        numbers.append(n);
    }
    for (qsizetype i = 0; i + 1 < numbers.size(); ++i) {
        if (numbers.at(i) > 255)
            return false;
    }
    const int remainingBytes = 5 - int(numbers.size());
    return numbers.last() < (qulonglong(1) << (8 * remainingBytes));
}

bool isValidIpv6(const QString &address)
{
    if (address.isEmpty())
        return false;
    return std::all_of(address.cbegin(), address.cend(), [](QChar c) {
        const char16_t u = c.unicode();
        return isDigit(u) || (u >= 'a' && u <= 'f') || (u >= 'A' && u <= 'F') || u == ':' || u == '.';
    }) && address.contains(QLatin1Char(':'));
}

// Validates "userinfo@host:port" of a URL with an authority.
bool isValidAuthority(const QString &authority, bool special)
{
    const qsizetype at = authority.lastIndexOf(QLatin1Char('@'));
    const QString hostAndPort = at >= 0 ? authority.mid(at + 1) : authority;
    QString host = hostAndPort;
    QString port;
    if (hostAndPort.startsWith(QLatin1Char('['))) {
        const qsizetype close = hostAndPort.indexOf(QLatin1Char(']'));
        if (close < 0 || !isValidIpv6(hostAndPort.mid(1, close - 1)))
            return false;
        const QString rest = hostAndPort.mid(close + 1);
        if (!rest.isEmpty() && !rest.startsWith(QLatin1Char(':')))
            return false;
        port = rest.mid(1);
        host = hostAndPort.left(close + 1);
    } else {
        const qsizetype colon = hostAndPort.lastIndexOf(QLatin1Char(':'));
        if (colon >= 0) {
            host = hostAndPort.left(colon);
            port = hostAndPort.mid(colon + 1);
        }
    }
    if (!port.isEmpty()) {
        if (!std::all_of(port.cbegin(), port.cend(), [](QChar c) { return isDigit(c.unicode()); }))
            return false;
        if (port.size() > 5 || port.toInt() > 65535)
            return false;
    }
    if (host.startsWith(QLatin1Char('[')))
        return true;
    if (host.isEmpty())
        return !special;
    const QString decoded = special ? QString::fromUtf8(QByteArray::fromPercentEncoding(host.toUtf8())) : host;
    for (QChar c : decoded) {
        if (isForbiddenHostCodePoint(c.unicode(), !special))
            return false;
    }
    if (special && endsInNumber(decoded.toLower()))
        return isValidIpv4(decoded.toLower());
    return true;
}

} // namespace

bool isValidUrl(const QString &input)
{
    // The WHATWG URL parser, reduced to the decisions that make `new URL()` throw.
    QString value = input;
    qsizetype begin = 0, end = value.size();
    while (begin < end && value.at(begin).unicode() <= 0x20)
        ++begin;
    while (end > begin && value.at(end - 1).unicode() <= 0x20)
        --end;
    value = value.mid(begin, end - begin);
    value.remove(QLatin1Char('\t')).remove(QLatin1Char('\n')).remove(QLatin1Char('\r'));

    if (value.isEmpty() || !(isLower(value.front().unicode()) || isUpper(value.front().unicode())))
        return false;
    qsizetype colon = -1;
    for (qsizetype i = 1; i < value.size(); ++i) {
        const char16_t c = value.at(i).unicode();
        if (c == ':') {
            colon = i;
            break;
        }
        if (!(isAlnum(c) || c == '+' || c == '-' || c == '.'))
            return false;
    }
    if (colon < 0)
        return false;
    const QString scheme = value.left(colon).toLower();
    QString rest = value.mid(colon + 1);
    const bool special = isSpecialScheme(scheme);
    if (special) {
        if (scheme == QLatin1String("file"))
            return true;
        qsizetype i = 0;
        while (i < rest.size() && (rest.at(i) == QLatin1Char('/') || rest.at(i) == QLatin1Char('\\')))
            ++i;
        rest = rest.mid(i);
    } else {
        if (!rest.startsWith(QLatin1String("//")))
            return true;   // opaque path: anything goes
        rest = rest.mid(2);
    }
    qsizetype authorityEnd = rest.size();
    for (qsizetype i = 0; i < rest.size(); ++i) {
        const QChar c = rest.at(i);
        if (c == QLatin1Char('/') || c == QLatin1Char('?') || c == QLatin1Char('#')
            || (special && c == QLatin1Char('\\'))) {
            authorityEnd = i;
            break;
        }
    }
    return isValidAuthority(rest.left(authorityEnd), special);
}

} // namespace Greenroom::Model::FieldFormats
