// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "placeholderresolver.h"

#include <yaml/yamlreader.h>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>

namespace Greenroom::Ingest {

namespace {

struct Failure
{
    QString message;
};

} // namespace

PlaceholderResolver::PlaceholderResolver(Reader reader) : m_reader(std::move(reader)) {}

PlaceholderResolver::Reader PlaceholderResolver::fileReader(const QString &entityFile, const QString &allowedRoot,
                                                            qint64 maxBytes)
{
    const QDir base = QFileInfo(entityFile).absoluteDir();
    const QString root = QDir::cleanPath(allowedRoot) + QLatin1Char('/');
    return [base, root, allowedRoot, maxBytes](const QString &reference) -> Result<QByteArray> {
        const QString path = QDir::cleanPath(base.absoluteFilePath(reference));
        if (!path.startsWith(root))
            return Error::input(QStringLiteral("it is outside %1").arg(QDir::cleanPath(allowedRoot)));
        QFile file(path);
        if (file.size() > maxBytes)
            return Error::input(QStringLiteral("the file is too large"));
        if (!file.open(QIODevice::ReadOnly))
            return Error(QStringLiteral("NotFoundError"), QStringLiteral("NotFoundError: ") + file.errorString());
        return file.readAll();
    };
}

std::optional<Model::EntityProblem> PlaceholderResolver::resolve(QJsonObject &entity) const
{
    std::optional<Failure> failure;
    const auto readFile = [&](const QString &key, const QJsonValue &value, QByteArray &content) {
        if (!value.isString()) {
            failure = Failure{QStringLiteral("Placeholder $%1 expected a string value parameter, in the form of an "
                                             "absolute URL or a relative path").arg(key)};
            return false;
        }
        Result<QByteArray> read = m_reader(value.toString());
        if (!read) {
            failure = Failure{QStringLiteral("Placeholder $%1 could not read location %2, %3")
                                  .arg(key, value.toString(), read.error().message)};
            return false;
        }
        content = std::move(read.value());
        return true;
    };

    // Returns the replacement for `value`, or `value` itself when nothing changes.
    std::function<QJsonValue(const QJsonValue &)> process;
    // A child's replacement, or nothing when it stays: containers are rebuilt
    // only where something changed, since copying every object of every entity
    // is most of the cost of a walk that usually finds nothing.
    const auto replacement = [&](const QJsonValue &child) -> std::optional<QJsonValue> {
        if (!child.isObject() && !child.isArray())
            return std::nullopt;
        QJsonValue replaced = process(child);
        return replaced == child ? std::nullopt : std::optional<QJsonValue>(std::move(replaced));
    };
    process = [&](const QJsonValue &value) -> QJsonValue {
        if (failure)
            return value;
        if (value.isArray()) {
            QJsonArray array = value.toArray();
            for (qsizetype i = 0; i < array.size(); ++i) {
                if (auto replaced = replacement(array.at(i)))
                    array.replace(i, *replaced);
            }
            return array;
        }
        if (!value.isObject())
            return value;
        QJsonObject object = value.toObject();
        const QStringList keys = object.keys();
        const bool hasDollar = std::any_of(keys.cbegin(), keys.cend(),
                                           [](const QString &k) { return k.startsWith(QLatin1Char('$')); });
        if (!hasDollar) {
            for (const QString &key : keys) {
                if (auto replaced = replacement(object.value(key)))
                    object.insert(key, *replaced);
            }
            return object;
        }
        if (keys.size() != 1)
            return object;
        const QString key = keys.first().mid(1);
        const QJsonValue parameter = object.value(keys.first());
        QByteArray content;
        if (key == QLatin1String("text")) {
            if (readFile(key, parameter, content))
                return QString::fromUtf8(content);
        } else if (key == QLatin1String("json")) {
            if (readFile(key, parameter, content)) {
                QJsonParseError error;
                const QJsonDocument document = QJsonDocument::fromJson(content, &error);
                if (error.error == QJsonParseError::NoError)
                    return document.isArray() ? QJsonValue(document.array()) : QJsonValue(document.object());
                failure = Failure{QStringLiteral("Placeholder $json failed to parse JSON data at %1, SyntaxError: %2")
                                      .arg(parameter.toString(), error.errorString())};
            }
        } else if (key == QLatin1String("yaml")) {
            if (readFile(key, parameter, content)) {
                const Yaml::YamlStream stream = Yaml::YamlReader::read(content, parameter.toString());
                QList<Yaml::YamlDocument> documents;
                for (const Yaml::YamlDocument &d : stream.documents) {
                    if (d.error || !d.value.isNull())
                        documents.append(d);
                }
                if (documents.size() != 1) {
                    failure = Failure{QStringLiteral("Placeholder $yaml expected to find exactly one document of data at "
                                                     "%1, found %2").arg(parameter.toString()).arg(documents.size())};
                } else if (documents.first().error) {
                    failure = Failure{QStringLiteral("Placeholder $yaml found an error in the data at %1, %2")
                                          .arg(parameter.toString(), documents.first().error->message)};
                } else {
                    return documents.first().value;
                }
            }
        }
        return object;   // unknown resolvers leave the object as it is
    };

    const QJsonValue resolved = process(entity);
    if (failure) {
        return Model::EntityProblem{QStringLiteral("InputError"),
                                    QStringLiteral("Processor PlaceholderProcessor threw an error while preprocessing"),
                                    QStringLiteral("Error"), failure->message, {}};
    }
    entity = resolved.toObject();
    return std::nullopt;
}

} // namespace Greenroom::Ingest
