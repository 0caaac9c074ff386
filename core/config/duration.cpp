// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "duration.h"

#include <QHash>
#include <QRegularExpression>

#include <cmath>

namespace Greenroom::Config {

namespace {

constexpr double Second = 1000, Minute = 60 * Second, Hour = 60 * Minute, Day = 24 * Hour, Week = 7 * Day,
                 Month = 30 * Day, Year = 365.25 * Day;

const char *const HumanProperties[] = {"years", "months", "weeks", "days", "hours", "minutes", "seconds", "milliseconds"};
const double HumanUnits[] = {Year, Month, Week, Day, Hour, Minute, Second, 1};

QString humanPropertyList()
{
    QStringList names;
    for (const char *name : HumanProperties)
        names.append(QStringLiteral("'%1'").arg(QLatin1String(name)));
    return names.join(QStringLiteral(", "));
}

// The `ms` package: a number and an optional unit.
Result<double> parseMs(const QString &text)
{
    static const QRegularExpression plain(QStringLiteral("^\\d+$"));
    if (plain.match(text).hasMatch())
        return Error::input(QStringLiteral("The value cannot be a plain number; try adding a unit like 'ms' or 'seconds'"));
    static const QRegularExpression form(
        QStringLiteral("^(-?(?:\\d+)?\\.?\\d+) *(milliseconds?|msecs?|ms|seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|h|"
                       "days?|d|weeks?|w|years?|yrs?|y)?$"),
        QRegularExpression::CaseInsensitiveOption);
    const QRegularExpressionMatch match = form.match(text);
    if (text.size() > 100 || !match.hasMatch())
        return Error::input(QStringLiteral("Not a valid duration string, try a number followed by a unit such as '1d' or '2 seconds'"));
    static const QHash<QString, double> units{
        {QStringLiteral("milliseconds"), 1}, {QStringLiteral("millisecond"), 1}, {QStringLiteral("msecs"), 1},
        {QStringLiteral("msec"), 1},          {QStringLiteral("ms"), 1},          {QStringLiteral("seconds"), Second},
        {QStringLiteral("second"), Second},   {QStringLiteral("secs"), Second},   {QStringLiteral("sec"), Second},
        {QStringLiteral("s"), Second},        {QStringLiteral("minutes"), Minute}, {QStringLiteral("minute"), Minute},
        {QStringLiteral("mins"), Minute},     {QStringLiteral("min"), Minute},    {QStringLiteral("m"), Minute},
        {QStringLiteral("hours"), Hour},      {QStringLiteral("hour"), Hour},     {QStringLiteral("hrs"), Hour},
        {QStringLiteral("hr"), Hour},         {QStringLiteral("h"), Hour},        {QStringLiteral("days"), Day},
        {QStringLiteral("day"), Day},         {QStringLiteral("d"), Day},         {QStringLiteral("weeks"), Week},
        {QStringLiteral("week"), Week},       {QStringLiteral("w"), Week},        {QStringLiteral("years"), Year},
        {QStringLiteral("year"), Year},       {QStringLiteral("yrs"), Year},      {QStringLiteral("yr"), Year},
        {QStringLiteral("y"), Year},
    };
    const double number = match.captured(1).toDouble();
    const double factor = match.captured(2).isEmpty() ? 1 : units.value(match.captured(2).toLower());
    const double milliseconds = number * factor;
    if (milliseconds < 0)
        return Error::input(QStringLiteral("Negative durations are not allowed"));
    return milliseconds;
}

Result<double> parseIso(const QString &text)
{
    static const QRegularExpression iso(QStringLiteral(
        "^-?P(?:(?:(-?\\d{1,20}(?:\\.\\d{1,20})?)Y)?(?:(-?\\d{1,20}(?:\\.\\d{1,20})?)M)?(?:(-?\\d{1,20}(?:\\.\\d{1,20})?)W)?"
        "(?:(-?\\d{1,20}(?:\\.\\d{1,20})?)D)?(?:T(?:(-?\\d{1,20}(?:\\.\\d{1,20})?)H)?(?:(-?\\d{1,20}(?:\\.\\d{1,20})?)M)?"
        "(?:(-?\\d{1,20})(?:[.,](-?\\d{1,20}))?S)?)?)$"));
    const QRegularExpressionMatch match = iso.match(text);
    if (!match.hasMatch())
        return Error::input(QStringLiteral("Invalid ISO format, expected a value similar to 'P2DT6H' (2 days 6 hours) or 'PT1M' (1 minute)"));
    bool any = false;
    double total = 0;
    const double units[] = {Year, Month, Week, Day, Hour, Minute, Second};
    for (int i = 0; i < 7; ++i) {
        if (match.hasCaptured(i + 1) && !match.captured(i + 1).isEmpty()) {
            any = true;
            total += match.captured(i + 1).toDouble() * units[i];
        }
    }
    if (match.hasCaptured(8) && !match.captured(8).isEmpty()) {
        any = true;
        const double fraction = std::floor(QStringLiteral("0.%1").arg(match.captured(8)).toDouble() * 1000);
        total += match.captured(7).startsWith(QLatin1Char('-')) ? -fraction : fraction;
    }
    if (!any)
        return Error::input(QStringLiteral("Invalid ISO format, no values given"));
    if (text.startsWith(QLatin1Char('-')))
        total = -total;
    // Upstream lets negative ISO parts through; a negative interval means nothing to us.
    if (total < 0)
        return Error::input(QStringLiteral("Negative durations are not allowed"));
    return total;
}

} // namespace

Result<std::chrono::milliseconds> parseDuration(const QString &text)
{
    const QString trimmed = text.trimmed();
    auto milliseconds = trimmed.startsWith(QLatin1Char('P')) ? parseIso(trimmed) : parseMs(trimmed);
    if (!milliseconds)
        return milliseconds.error();
    return std::chrono::milliseconds(qint64(std::llround(milliseconds.value())));
}

Result<std::chrono::milliseconds> readDuration(const ConfigReader &config, const QString &key)
{
    auto raw = config.optional(key);
    if (!raw)
        return raw.error();
    if (raw->has_value() && (*raw)->isString()) {
        const QString text = (*raw)->toString().trimmed();
        auto parsed = parseDuration(text);
        if (!parsed)
            return Error::input(QStringLiteral("Invalid duration '%1' in config at '%2', %3")
                                    .arg(text, config.fullKey(key), parsed.error().message));
        return parsed;
    }
    const QString prefix = QStringLiteral("Failed to read duration from config at '%1', ").arg(config.fullKey(key));
    auto object = config.config(key);
    if (!object)
        return Error::input(QStringLiteral("Failed to read duration from config, Error: ") + object.error().message);
    double total = 0;
    bool found = false;
    for (size_t i = 0; i < std::size(HumanProperties); ++i) {
        auto value = object->optionalNumber(QLatin1String(HumanProperties[i]));
        if (!value)
            return Error::input(QStringLiteral("Failed to read duration from config, Error: ") + value.error().message);
        if (value->has_value()) {
            found = true;
            total += **value * HumanUnits[i];
        }
    }
    if (!found)
        return Error::input(prefix + QStringLiteral("Error: Needs one or more of %1").arg(humanPropertyList()));
    QStringList unknown;
    for (const QString &property : object->keys()) {
        bool known = false;
        for (const char *name : HumanProperties)
            known = known || property == QLatin1String(name);
        if (!known)
            unknown.append(QStringLiteral("'%1'").arg(property));
    }
    if (!unknown.isEmpty())
        return Error::input(prefix + QStringLiteral("Error: Unknown %1 %2; expected one or more of %3")
                                         .arg(unknown.size() == 1 ? QStringLiteral("property") : QStringLiteral("properties"),
                                              unknown.join(QStringLiteral(", ")), humanPropertyList()));
    if (total < 0)
        return Error::input(prefix + QStringLiteral("Error: Negative durations are not allowed"));
    return std::chrono::milliseconds(qint64(std::llround(total)));
}

} // namespace Greenroom::Config
