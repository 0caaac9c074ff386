// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "configreader.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>

#include <cmath>

namespace Greenroom::Config {

namespace {

Error typeError(const QString &fullKey, const QString &context, const QJsonValue &value, const QString &expected)
{
    return Error::input(QStringLiteral("Invalid type in config for key '%1' in '%2', got %3, wanted %4")
                            .arg(fullKey, context, configTypeName(value), expected));
}

Error convertError(const QString &fullKey, const QString &context, const char *expected)
{
    return Error::input(QStringLiteral("Unable to convert config value for key '%1' in '%2' to a %3")
                            .arg(fullKey, context, QString::fromLatin1(expected)));
}

// Backstage's merge(): null removes, objects merge, anything else wins whole.
QJsonValue merge(const QJsonValue &into, const QJsonValue &from)
{
    if (into.isNull())
        return QJsonValue(QJsonValue::Undefined);
    if (into.isUndefined())
        return from.isUndefined() ? from : merge(from, QJsonValue(QJsonValue::Undefined));
    if (!into.isObject())
        return into;
    const QJsonObject a = into.toObject();
    const QJsonObject b = from.isObject() ? from.toObject() : QJsonObject();
    QJsonObject out;
    const auto take = [&](const QString &key) {
        if (out.contains(key))
            return;
        const QJsonValue merged = merge(a.contains(key) ? a.value(key) : QJsonValue(QJsonValue::Undefined),
                                        b.contains(key) ? b.value(key) : QJsonValue(QJsonValue::Undefined));
        if (!merged.isUndefined())
            out.insert(key, merged);
    };
    for (auto it = a.begin(); it != a.end(); ++it)
        take(it.key());
    for (auto it = b.begin(); it != b.end(); ++it)
        take(it.key());
    return out;
}

// What a typed read found wrong: the expected type, and the element at fault
// when it is inside an array.
struct Mismatch
{
    QString expected;
    std::optional<std::pair<QString, QJsonValue>> element;   // (key with [index], value)
};

// A required read: the optional read's value, or Backstage's "missing" error.
template<typename T>
Result<T> required(Result<std::optional<T>> value, const Error &missing)
{
    if (!value)
        return value.error();
    if (!value->has_value())
        return missing;
    return std::move(**value);
}

} // namespace

bool isValidConfigKeyPart(const QString &part)
{
    static const QRegularExpression pattern(QStringLiteral("^[a-z][a-z0-9]*(?:[-_:][a-z0-9]+)*$"),
                                            QRegularExpression::CaseInsensitiveOption);
    return pattern.match(part).hasMatch();
}

QString configTypeName(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null: return QStringLiteral("null");
    case QJsonValue::Array: return QStringLiteral("array");
    case QJsonValue::Object: return QStringLiteral("object");
    case QJsonValue::Bool: return QStringLiteral("boolean");
    case QJsonValue::Double: return std::isnan(value.toDouble()) ? QStringLiteral("nan") : QStringLiteral("number");
    case QJsonValue::String: return value.toString().isEmpty() ? QStringLiteral("empty-string") : QStringLiteral("string");
    case QJsonValue::Undefined: break;
    }
    return QStringLiteral("undefined");
}

ConfigReader::ConfigReader(QJsonValue data, QString context, std::shared_ptr<const ConfigReader> fallback,
                           QString prefix)
    : m_data(std::move(data)), m_context(std::move(context)), m_fallback(std::move(fallback)), m_prefix(std::move(prefix))
{
}

ConfigReader ConfigReader::fromLayers(const QList<ConfigLayer> &layers)
{
    std::shared_ptr<const ConfigReader> reader;
    for (const ConfigLayer &layer : layers)
        reader = std::shared_ptr<const ConfigReader>(new ConfigReader(layer.data, layer.context, reader, QString()));
    return reader ? *reader : ConfigReader();
}

QString ConfigReader::fullKey(const QString &key) const
{
    if (m_prefix.isEmpty())
        return key;
    return m_prefix + QLatin1Char('.') + key;
}

Error ConfigReader::missing(const QString &key) const
{
    return Error::input(QStringLiteral("Missing required config value at '%1' in '%2'").arg(fullKey(key), m_context));
}

Result<QJsonValue> ConfigReader::readValue(const QString &key) const
{
    const QStringList parts = key.isEmpty() ? QStringList() : key.split(QLatin1Char('.'));
    for (const QString &part : parts) {
        if (!isValidConfigKeyPart(part))
            return Error::input(QStringLiteral("Invalid config key '%1'").arg(key));
    }
    QJsonValue value = m_data;
    for (qsizetype i = 0; i < parts.size(); ++i) {
        if (value.isObject()) {
            const QJsonObject object = value.toObject();
            value = object.contains(parts.at(i)) ? object.value(parts.at(i)) : QJsonValue(QJsonValue::Undefined);
        } else if (!value.isUndefined() && !value.isNull()) {
            // As upstream: a null on the way stays null (removed), a scalar is a type error.
            return typeError(fullKey(parts.mid(0, i).join(QLatin1Char('.'))), m_context, value, QStringLiteral("object"));
        }
    }
    return value;
}

template<typename Validate>
Result<QJsonValue> ConfigReader::readChecked(const QString &key, Validate &&validate) const
{
    auto value = readValue(key);
    if (!value)
        return value;
    if (value->isUndefined())
        return m_fallback ? m_fallback->readChecked(key, validate) : value;
    if (value->isNull())
        return QJsonValue(QJsonValue::Undefined);
    if (const std::optional<Mismatch> wrong = validate(value.value())) {
        if (wrong->element)
            return typeError(fullKey(wrong->element->first), m_context, wrong->element->second, wrong->expected);
        return typeError(fullKey(key), m_context, value.value(), wrong->expected);
    }
    return value;
}

bool ConfigReader::has(const QString &key) const
{
    const auto value = readValue(key);
    if (!value || value->isNull())
        return false;
    if (!value->isUndefined())
        return true;
    return m_fallback && m_fallback->has(key);
}

QStringList ConfigReader::keys() const
{
    QStringList out;
    const QJsonObject local = m_data.toObject();
    for (auto it = local.begin(); it != local.end(); ++it)
        out.append(it.key());
    if (m_fallback) {
        for (const QString &key : m_fallback->keys()) {
            if (!out.contains(key))
                out.append(key);
        }
    }
    out.removeIf([&](const QString &key) { return local.contains(key) && local.value(key).isNull(); });
    return out;
}

Result<std::optional<QJsonValue>> ConfigReader::optional(const QString &key) const
{
    auto value = readValue(key);
    if (!value)
        return value.error();
    std::optional<QJsonValue> fallbackValue;
    if (m_fallback) {
        auto lower = m_fallback->optional(key);
        if (!lower)
            return lower.error();
        fallbackValue = lower.value();
    }
    if (value->isNull())
        return std::optional<QJsonValue>();
    const QJsonValue below = fallbackValue.value_or(QJsonValue(QJsonValue::Undefined));
    const QJsonValue merged = merge(value.value(), below);
    if (merged.isUndefined())
        return std::optional<QJsonValue>();
    return std::optional<QJsonValue>(merged);
}

Result<std::optional<QString>> ConfigReader::optionalString(const QString &key) const
{
    auto value = readChecked(key, [](const QJsonValue &v) -> std::optional<Mismatch> {
        if (v.isString() && !v.toString().isEmpty())
            return std::nullopt;
        return Mismatch{QStringLiteral("string"), std::nullopt};
    });
    if (!value)
        return value.error();
    if (value->isUndefined())
        return std::optional<QString>();
    return std::optional<QString>(value->toString());
}

Result<QString> ConfigReader::string(const QString &key) const
{
    return required(optionalString(key), missing(key));
}

Result<std::optional<double>> ConfigReader::optionalNumber(const QString &key) const
{
    auto value = readChecked(key, [](const QJsonValue &v) -> std::optional<Mismatch> {
        if (v.isDouble() || v.isString())
            return std::nullopt;
        return Mismatch{QStringLiteral("number"), std::nullopt};
    });
    if (!value)
        return value.error();
    if (value->isUndefined())
        return std::optional<double>();
    if (value->isDouble())
        return std::optional<double>(value->toDouble());
    bool ok = false;
    const double number = value->toString().trimmed().toDouble(&ok);
    if (!ok || !std::isfinite(number))
        return convertError(fullKey(key), m_context, "number");
    return std::optional<double>(number);
}

Result<double> ConfigReader::number(const QString &key) const
{
    return required(optionalNumber(key), missing(key));
}

Result<std::optional<bool>> ConfigReader::optionalBoolean(const QString &key) const
{
    auto value = readChecked(key, [](const QJsonValue &v) -> std::optional<Mismatch> {
        if (v.isBool() || v.isDouble() || v.isString())
            return std::nullopt;
        return Mismatch{QStringLiteral("boolean"), std::nullopt};
    });
    if (!value)
        return value.error();
    if (value->isUndefined())
        return std::optional<bool>();
    if (value->isBool())
        return std::optional<bool>(value->toBool());
    // JavaScript's String(): 1 -> "1", 1.5 -> "1.5".
    const QString text = value->isDouble() ? QString::number(value->toDouble(), 'g', 17) : value->toString().trimmed();
    static const QRegularExpression yes(QStringLiteral("^(?:y|yes|true|1|on)$"), QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression no(QStringLiteral("^(?:n|no|false|0|off)$"), QRegularExpression::CaseInsensitiveOption);
    if (yes.match(text).hasMatch())
        return std::optional<bool>(true);
    if (no.match(text).hasMatch())
        return std::optional<bool>(false);
    return convertError(fullKey(key), m_context, "boolean");
}

Result<bool> ConfigReader::boolean(const QString &key) const
{
    return required(optionalBoolean(key), missing(key));
}

Result<std::optional<QStringList>> ConfigReader::optionalStringArray(const QString &key) const
{
    auto value = readChecked(key, [&key](const QJsonValue &v) -> std::optional<Mismatch> {
        if (!v.isArray())
            return Mismatch{QStringLiteral("string-array"), std::nullopt};
        const QJsonArray items = v.toArray();
        for (qsizetype i = 0; i < items.size(); ++i) {
            if (!items.at(i).isString() || items.at(i).toString().isEmpty())
                return Mismatch{QStringLiteral("string-array"),
                                std::pair(QStringLiteral("%1[%2]").arg(key).arg(i), items.at(i))};
        }
        return std::nullopt;
    });
    if (!value)
        return value.error();
    if (value->isUndefined())
        return std::optional<QStringList>();
    QStringList out;
    for (const QJsonValue &item : value->toArray())
        out.append(item.toString());
    return std::optional<QStringList>(out);
}

Result<QStringList> ConfigReader::stringArray(const QString &key) const
{
    return required(optionalStringArray(key), missing(key));
}

Result<std::optional<ConfigReader>> ConfigReader::optionalConfig(const QString &key) const
{
    auto value = readValue(key);
    if (!value)
        return value.error();
    std::optional<ConfigReader> lower;
    if (m_fallback) {
        auto below = m_fallback->optionalConfig(key);
        if (!below)
            return below.error();
        lower = below.value();
    }
    if (value->isObject()) {
        std::shared_ptr<const ConfigReader> fallback = lower ? std::make_shared<const ConfigReader>(*lower) : nullptr;
        return std::optional<ConfigReader>(ConfigReader(value.value(), m_context, fallback, fullKey(key)));
    }
    if (value->isNull())
        return std::optional<ConfigReader>();
    if (!value->isUndefined())
        return typeError(fullKey(key), m_context, value.value(), QStringLiteral("object"));
    return lower;
}

Result<ConfigReader> ConfigReader::config(const QString &key) const
{
    return required(optionalConfig(key), missing(key));
}

Result<std::optional<QList<ConfigReader>>> ConfigReader::optionalConfigArray(const QString &key) const
{
    auto value = readChecked(key, [&key](const QJsonValue &v) -> std::optional<Mismatch> {
        if (!v.isArray())
            return Mismatch{QStringLiteral("object-array"), std::nullopt};
        const QJsonArray items = v.toArray();
        for (qsizetype i = 0; i < items.size(); ++i) {
            if (!items.at(i).isObject())
                return Mismatch{QStringLiteral("object-array"),
                                std::pair(QStringLiteral("%1[%2]").arg(key).arg(i), items.at(i))};
        }
        return std::nullopt;
    });
    if (!value)
        return value.error();
    if (value->isUndefined())
        return std::optional<QList<ConfigReader>>();
    // As upstream, the elements carry this reader's context, whichever layer held the array.
    QList<ConfigReader> out;
    const QJsonArray items = value->toArray();
    for (qsizetype i = 0; i < items.size(); ++i)
        out.append(ConfigReader(items.at(i), m_context, nullptr, fullKey(QStringLiteral("%1[%2]").arg(key).arg(i))));
    return std::optional<QList<ConfigReader>>(out);
}

Result<QList<ConfigReader>> ConfigReader::configArray(const QString &key) const
{
    return required(optionalConfigArray(key), missing(key));
}

} // namespace Greenroom::Config
