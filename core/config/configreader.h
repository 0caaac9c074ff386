// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <common/result.h>

#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>

namespace Greenroom::Config {

// One source of configuration: a file's data, or the APP_CONFIG_ variables.
struct ConfigLayer
{
    QJsonObject data;
    QString context;   // the file's name, or "env": named in error messages
};

/*
 * Reads merged configuration the way Backstage's ConfigReader does: layers are
 * kept apart and consulted from the top down, so an error names the layer the
 * offending value came from; objects merge key by key, anything else (arrays
 * included) comes whole from the highest layer that has it, and `null` in a
 * higher layer removes the key. Keys are dotted paths whose parts match
 * Backstage's pattern; the error texts are Backstage's.
 */
class ConfigReader
{
public:
    ConfigReader() = default;
    // Lowest priority first.
    static ConfigReader fromLayers(const QList<ConfigLayer> &layers);

    bool has(const QString &key) const;
    QStringList keys() const;
    // The merged value, or nullopt when absent.
    Result<std::optional<QJsonValue>> optional(const QString &key) const;

    Result<std::optional<QString>> optionalString(const QString &key) const;
    Result<QString> string(const QString &key) const;
    Result<std::optional<double>> optionalNumber(const QString &key) const;
    Result<double> number(const QString &key) const;
    Result<std::optional<bool>> optionalBoolean(const QString &key) const;
    Result<bool> boolean(const QString &key) const;
    Result<std::optional<QStringList>> optionalStringArray(const QString &key) const;
    Result<QStringList> stringArray(const QString &key) const;
    Result<std::optional<ConfigReader>> optionalConfig(const QString &key) const;
    Result<ConfigReader> config(const QString &key) const;
    Result<std::optional<QList<ConfigReader>>> optionalConfigArray(const QString &key) const;
    Result<QList<ConfigReader>> configArray(const QString &key) const;

    // The dotted path of `key` below this reader ("backend.listen.port").
    QString fullKey(const QString &key) const;
    // The name of the top layer ("app-config.yaml", "env").
    QString context() const { return m_context; }

private:
    ConfigReader(QJsonValue data, QString context, std::shared_ptr<const ConfigReader> fallback, QString prefix);
    Result<QJsonValue> readValue(const QString &key) const;   // Undefined when absent
    // A validated value from the highest layer that has one: Undefined when absent or removed.
    template<typename Validate>
    Result<QJsonValue> readChecked(const QString &key, Validate &&validate) const;
    Error missing(const QString &key) const;

    QJsonValue m_data = QJsonValue(QJsonValue::Undefined);
    QString m_context = QStringLiteral("mock-config");
    std::shared_ptr<const ConfigReader> m_fallback;
    QString m_prefix;
};

// A part of a dotted config key: letters and digits, single - _ : between them.
bool isValidConfigKeyPart(const QString &part);

// Backstage's name for a value's type in messages: null array nan empty-string string number boolean object.
QString configTypeName(const QJsonValue &value);

} // namespace Greenroom::Config
