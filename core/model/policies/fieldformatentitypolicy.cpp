// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "fieldformatentitypolicy.h"

#include <model/fieldformats.h>

#include <QJsonArray>

namespace Greenroom::Model {

namespace {

using Rule = bool (*)(const QString &);

enum class Expectation { ObjectName, PrefixSuffix, DnsLabel, Tag, Kind, Url, NonEmpty, AnyString };

QString expectationText(Expectation e)
{
    switch (e) {
    case Expectation::ObjectName:
        return QStringLiteral("a string that is sequences of [a-zA-Z0-9] separated by any of [-_.], at most 63 characters in total");
    case Expectation::PrefixSuffix:
        return QStringLiteral("a valid prefix and/or suffix");
    case Expectation::DnsLabel:
        return QStringLiteral("a string that is sequences of [a-z0-9] separated by [-], at most 63 characters in total");
    case Expectation::Tag:
        return QStringLiteral("a string that is sequences of [a-z0-9+#] separated by [-], at most 63 characters in total");
    case Expectation::Kind:
        return QStringLiteral("a string that is a sequence of [a-zA-Z][a-z0-9A-Z], at most 63 characters in total");
    case Expectation::Url:
        return QStringLiteral("a string that is a valid url");
    case Expectation::NonEmpty:
        return QStringLiteral("a non empty string");
    case Expectation::AnyString:
        return QStringLiteral("a string");
    }
    return {};
}

// JavaScript's String(value) for what can reach a validator after the schema check.
QString jsString(const QJsonValue &value)
{
    if (value.isString())
        return value.toString();
    if (value.isBool())
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    if (value.isDouble())
        return QString::number(value.toDouble(), 'g', QLocale::FloatingPointShortest);
    if (value.isArray())
        return QStringLiteral("[object Array]");
    return QStringLiteral("[object Object]");
}

struct Checker
{
    std::optional<PolicyViolation> violation;

    // Backstage's require(): absent/null fails with "must have a value";
    // non-strings fail the rule (its validators test typeof first).
    void require(const QString &field, const QStringList &path, const QJsonValue &value, Rule rule,
                 Expectation expectation)
    {
        if (violation)
            return;
        if (value.isUndefined() || value.isNull()) {
            violation = PolicyViolation{field + QStringLiteral(" must have a value"), path};
            return;
        }
        if (value.isString() && rule(value.toString()))
            return;
        violation = PolicyViolation{
            QStringLiteral("\"%1\" is not valid; expected %2 but found \"%3\". To learn more about catalog file "
                           "format, visit: https://github.com/backstage/backstage/blob/master/docs/"
                           "architecture-decisions/adr002-default-catalog-file-format.md")
                .arg(field, expectationText(expectation), jsString(value)),
            path};
    }

    void optional(const QString &field, const QStringList &path, const QJsonValue &value, Rule rule,
                  Expectation expectation)
    {
        if (!value.isUndefined())
            require(field, path, value, rule, expectation);
    }
};

} // namespace

std::optional<PolicyViolation> FieldFormatEntityPolicy::enforce(QJsonObject &entity) const
{
    using namespace FieldFormats;
    const QString meta = QStringLiteral("metadata");
    const QJsonObject metadata = entity.value(meta).toObject();
    Checker check;
    check.require(QStringLiteral("apiVersion"), {QStringLiteral("apiVersion")}, entity.value(QLatin1String("apiVersion")),
                  isValidApiVersion, Expectation::PrefixSuffix);
    check.require(QStringLiteral("kind"), {QStringLiteral("kind")}, entity.value(QLatin1String("kind")), isValidKind,
                  Expectation::Kind);
    check.require(QStringLiteral("metadata.name"), {meta, QStringLiteral("name")}, metadata.value(QLatin1String("name")),
                  isValidObjectName, Expectation::ObjectName);
    check.optional(QStringLiteral("metadata.namespace"), {meta, QStringLiteral("namespace")},
                   metadata.value(QLatin1String("namespace")), isValidDnsLabel, Expectation::DnsLabel);

    const auto checkMap = [&](const QString &mapName, Rule keyRule, Rule valueRule, Expectation valueExpectation) {
        const QJsonObject map = metadata.value(mapName).toObject();
        for (auto it = map.begin(); it != map.end(); ++it) {
            const QString field = mapName + QLatin1Char('.') + it.key();
            const QStringList path{meta, mapName, it.key()};
            check.require(field, path, it.key(), keyRule, Expectation::PrefixSuffix);
            check.require(field, path, it.value(), valueRule, valueExpectation);
        }
    };
    checkMap(QStringLiteral("labels"), isValidLabelKey, isValidLabelValue, Expectation::ObjectName);
    checkMap(QStringLiteral("annotations"), isValidAnnotationKey,
             [](const QString &) { return true; }, Expectation::AnyString);

    const QJsonArray tags = metadata.value(QLatin1String("tags")).toArray();
    for (qsizetype i = 0; i < tags.size(); ++i) {
        check.require(QStringLiteral("tags.%1").arg(i), {meta, QStringLiteral("tags"), QString::number(i)}, tags.at(i),
                      isValidTag, Expectation::Tag);
    }
    const QJsonArray links = metadata.value(QLatin1String("links")).toArray();
    for (qsizetype i = 0; i < links.size(); ++i) {
        const QJsonObject link = links.at(i).toObject();
        const QString prefix = QStringLiteral("links.%1.").arg(i);
        const QStringList path{meta, QStringLiteral("links"), QString::number(i)};
        check.require(prefix + QLatin1String("url"), path + QStringList{QStringLiteral("url")},
                      link.value(QLatin1String("url")), isValidUrl, Expectation::Url);
        check.optional(prefix + QLatin1String("title"), path + QStringList{QStringLiteral("title")},
                       link.value(QLatin1String("title")), isNonEmptyString, Expectation::NonEmpty);
        check.optional(prefix + QLatin1String("icon"), path + QStringList{QStringLiteral("icon")},
                       link.value(QLatin1String("icon")), isNonEmptyString, Expectation::NonEmpty);
    }
    return check.violation;
}

} // namespace Greenroom::Model
