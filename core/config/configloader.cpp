// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "configloader.h"

#include <yaml/yamlreader.h>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcessEnvironment>
#include <QRegularExpression>

namespace Greenroom::Config {

namespace {

const QJsonValue Undefined(QJsonValue::Undefined);

// A failure inside a transform; the caller adds "error at <path>, ".
struct TransformError
{
    QString message;
};

Result<QByteArray> readWholeFile(const QString &path)
{
    QFile file(path);
    if (!file.exists())
        return Error(QStringLiteral("NotFoundError"), QStringLiteral("failed to include \"%1\", file does not exist").arg(path));
    if (!file.open(QIODevice::ReadOnly))
        return Error::input(QStringLiteral("%1: %2").arg(path, file.errorString()));
    return file.readAll();
}

// JSON.parse: any single JSON value. QJsonDocument takes only arrays and
// objects at the top, so the text is parsed as the one element of an array.
Result<QJsonValue> parseJsonValue(const QByteArray &text)
{
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson("[" + text + "]", &error);
    if (error.error != QJsonParseError::NoError)
        return Error::input(error.errorString());
    if (document.array().size() != 1)
        return Error::input(QStringLiteral("not a single JSON value"));
    return document.array().at(0);
}

// One YAML or JSON document; `name` is used in messages.
Result<QJsonValue> parseDocument(const QByteArray &text, const QString &name, bool json)
{
    if (json) {
        auto value = parseJsonValue(text);
        if (!value)
            return Error::input(QStringLiteral("%1: %2").arg(name, value.error().message));
        return value;
    }
    const Yaml::YamlStream stream = Yaml::YamlReader::read(text, name);
    for (const Yaml::YamlDocument &document : stream.documents) {
        if (document.error)
            return document.error.value();
    }
    if (stream.documents.size() > 1)
        return Error::input(QStringLiteral("%1: Source contains multiple documents; please use YAML.parseAllDocuments()")
                                .arg(name));
    return stream.documents.isEmpty() ? QJsonValue(QJsonValue::Null) : stream.documents.first().value;
}

class Transformer
{
public:
    explicit Transformer(const Environment &environment) : m_environment(environment) {}

    // The value with substitutions and includes applied; Undefined = drop it.
    Result<QJsonValue> transform(const QJsonValue &input, const QString &path, const QString &dir) const
    {
        QJsonValue value = input;
        QString valueDir = dir;
        if (input.isString()) {
            value = substitute(input.toString());
        } else if (input.isObject()) {
            auto included = include(input.toObject(), dir, valueDir);
            if (!included)
                return Error::input(QStringLiteral("error at %1, %2").arg(path, included.error().message));
            if (included->has_value())
                value = **included;
        }
        if (value.isUndefined())
            return value;
        if (value.isArray()) {
            QJsonArray out;
            const QJsonArray items = value.toArray();
            for (qsizetype i = 0; i < items.size(); ++i) {
                auto item = transform(items.at(i), QStringLiteral("%1[%2]").arg(path).arg(i), valueDir);
                if (!item)
                    return item;
                if (!item->isUndefined())
                    out.append(item.value());
            }
            return QJsonValue(out);
        }
        if (value.isObject()) {
            QJsonObject out;
            const QJsonObject object = value.toObject();
            for (auto it = object.begin(); it != object.end(); ++it) {
                auto child = transform(it.value(), path + QLatin1Char('.') + it.key(), valueDir);
                if (!child)
                    return child;
                if (!child->isUndefined())
                    out.insert(it.key(), child.value());
            }
            return QJsonValue(out);
        }
        return value;
    }

    // ${VAR}, ${VAR:-fallback} and $${escape} in one string; Undefined when a variable is missing.
    QJsonValue substitute(const QString &text) const
    {
        static const QRegularExpression token(QStringLiteral("\\$?\\$\\{[^{}]*\\}"));
        QString out;
        qsizetype from = 0;
        bool missing = false;
        for (auto it = token.globalMatch(text); it.hasNext();) {
            const QRegularExpressionMatch match = it.next();
            out += QStringView(text).mid(from, match.capturedStart() - from);
            from = match.capturedEnd();
            const QString part = match.captured();
            if (part.startsWith(QLatin1String("$$"))) {
                out += part.mid(1);
                continue;
            }
            const qsizetype separator = part.indexOf(QLatin1String(":-"));
            if (separator >= 0) {
                const QString value = lookup(part.mid(2, separator - 2).trimmed()).value_or(QString());
                const QString fallback = part.mid(separator + 2, part.size() - separator - 3).trimmed();
                const QString chosen = !value.isEmpty() ? value : fallback;
                if (chosen.isEmpty())
                    missing = true;
                out += chosen;
            } else if (const std::optional<QString> value = lookup(part.mid(2, part.size() - 3).trimmed())) {
                out += *value;
            } else {
                missing = true;
            }
        }
        if (missing)
            return Undefined;
        out += QStringView(text).mid(from);
        return out;
    }

private:
    std::optional<QString> lookup(const QString &name) const
    {
        const auto it = m_environment.constFind(name);
        if (it == m_environment.cend())
            return std::nullopt;
        return it.value().trimmed();
    }

    // $file / $env / $include; nullopt when `object` is not an include.
    Result<std::optional<QJsonValue>> include(const QJsonObject &object, const QString &dir, QString &newDir) const
    {
        static const QStringList includeKeys{QStringLiteral("$file"), QStringLiteral("$env"), QStringLiteral("$include")};
        QString includeKey;
        for (const QString &key : includeKeys) {
            if (object.contains(key)) {
                includeKey = key;
                break;
            }
        }
        if (includeKey.isEmpty())
            return std::optional<QJsonValue>();
        if (object.size() != 1)
            return Error::input(QStringLiteral("include key %1 should not have adjacent keys").arg(includeKey));
        const QJsonValue raw = object.value(includeKey);
        if (!raw.isString())
            return Error::input(QStringLiteral("%1 include value is not a string").arg(includeKey));
        const QJsonValue operand = substitute(raw.toString());
        if (operand.isUndefined())
            return Error::input(QStringLiteral("%1 substitution value was undefined").arg(includeKey));
        const QString target = operand.toString();

        if (includeKey == QLatin1String("$env")) {
            const std::optional<QString> value = lookup(target);
            return std::optional<QJsonValue>(value ? QJsonValue(*value) : Undefined);
        }
        if (includeKey == QLatin1String("$file")) {
            auto content = readWholeFile(QDir(dir).absoluteFilePath(target));
            if (!content)
                return Error::input(QStringLiteral("failed to read file %1, %2: %3")
                                        .arg(target, content.error().name, content.error().message));
            // trimEnd(): trailing white space goes, leading stays.
            QString text = QString::fromUtf8(content.value());
            qsizetype end = text.size();
            while (end > 0 && text.at(end - 1).isSpace())
                --end;
            text.truncate(end);
            return std::optional<QJsonValue>(QJsonValue(text));
        }
        // $include: file[#dotted.path]
        const qsizetype hash = target.indexOf(QLatin1Char('#'));
        const QString filePath = hash < 0 ? target : target.left(hash);
        const QString dataPath = hash < 0 ? QString() : target.mid(hash + 1);
        const QString suffix = QFileInfo(filePath).suffix();
        if (suffix != QLatin1String("json") && suffix != QLatin1String("yaml") && suffix != QLatin1String("yml"))
            return Error::input(QStringLiteral("no configuration parser available for included file %1").arg(filePath));
        const QString absolute = QDir(dir).absoluteFilePath(filePath);
        auto content = readWholeFile(absolute);
        if (!content)
            return content.error();
        auto parsed = parseDocument(content.value(), filePath, suffix == QLatin1String("json"));
        if (!parsed)
            return Error::input(QStringLiteral("failed to parse included file %1, %2").arg(filePath, parsed.error().toString()));
        QJsonValue value = parsed.value();
        const QStringList parts = dataPath.isEmpty() ? QStringList() : dataPath.split(QLatin1Char('.'));
        for (qsizetype i = 0; i < parts.size(); ++i) {
            if (!value.isObject())
                return Error::input(QStringLiteral("value at '%1' in included file %2 is not an object")
                                        .arg(parts.mid(0, i).join(QLatin1Char('.')), filePath));
            const QJsonObject inner = value.toObject();
            value = inner.contains(parts.at(i)) ? inner.value(parts.at(i)) : Undefined;
        }
        newDir = QFileInfo(absolute).absolutePath();
        if (value.isString())
            value = substitute(value.toString());
        return std::optional<QJsonValue>(value);
    }

    const Environment &m_environment;
};

// Sets `value` at the path `parts[index...]` below `object`, creating objects
// on the way; refuses to replace a value or to nest under a non-object.
Status placeEnvironmentValue(QJsonObject &object, const QStringList &parts, qsizetype index, const QJsonValue &value,
                             const QString &key)
{
    const QString &part = parts.at(index);
    if (index == parts.size() - 1) {
        if (object.contains(part))
            return Error::input(QStringLiteral("Refusing to override existing config at key '%1'").arg(key));
        object.insert(part, value);
        return Ok{};
    }
    const QJsonValue existing = object.value(part);
    if (!existing.isUndefined() && !existing.isObject())
        return Error::input(QStringLiteral("Could not nest config for key '%1' under existing value '%2'")
                                .arg(key, parts.mid(0, index + 1).join(QLatin1Char('_'))));
    QJsonObject inner = existing.toObject();   // QJsonObject is a value: change a copy, put it back
    if (Status placed = placeEnvironmentValue(inner, parts, index + 1, value, key); !placed)
        return placed;
    object.insert(part, inner);
    return Ok{};
}

} // namespace

Environment systemEnvironment()
{
    Environment out;
    const QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    for (const QString &name : environment.keys())
        out.insert(name, environment.value(name));
    return out;
}

QStringList ConfigLoader::configFiles(const LoadOptions &options)
{
    const QDir root(options.workingDirectory.isEmpty() ? QDir::currentPath() : options.workingDirectory);
    QStringList files;
    for (const QString &file : options.configFiles)
        files.append(QDir::cleanPath(root.absoluteFilePath(file)));
    if (!files.isEmpty())
        return files;

    const QString main = root.absoluteFilePath(QStringLiteral("app-config.yaml"));
    if (!QFileInfo::exists(main))
        return options.defaultConfigFile.isEmpty() ? QStringList() : QStringList{options.defaultConfigFile};
    files.append(main);
    QStringList environments;
    for (const QString &name : options.environment.value(QStringLiteral("BACKSTAGE_ENV")).split(QLatin1Char(','))) {
        if (!name.trimmed().isEmpty())
            environments.append(name.trimmed());
    }
    const auto addIfExists = [&](const QString &name) {
        const QString path = root.absoluteFilePath(name);
        if (QFileInfo::exists(path))
            files.append(path);
    };
    for (const QString &name : environments)
        addIfExists(QStringLiteral("app-config.%1.yaml").arg(name));
    addIfExists(QStringLiteral("app-config.local.yaml"));
    for (const QString &name : environments)
        addIfExists(QStringLiteral("app-config.%1.local.yaml").arg(name));
    return files;
}

Result<std::optional<ConfigLayer>> ConfigLoader::readFile(const QString &path, const Environment &environment)
{
    QFile file(path);
    if (!file.exists())
        return Error(QStringLiteral("NotFoundError"), QStringLiteral("Config file \"%1\" does not exist").arg(path));
    if (!file.open(QIODevice::ReadOnly))
        return Error::input(QStringLiteral("Failed to read config file at \"%1\", %2").arg(path, file.errorString()));
    auto parsed = parseDocument(file.readAll(), path, false);
    if (!parsed) {
        Error error = parsed.error();
        error.message = QStringLiteral("Failed to read config file at \"%1\", %2").arg(path, error.message);
        return error;
    }
    if (parsed->isNull())
        return std::optional<ConfigLayer>();
    const Transformer transformer(environment);
    auto data = transformer.transform(parsed.value(), QString(), QFileInfo(path).absolutePath());
    if (data && !data->isObject())
        data = Error::input(QStringLiteral("expected object at config root"));
    if (!data)
        return Error::input(QStringLiteral("Failed to read config file at \"%1\", %2").arg(path, data.error().message));
    return std::optional<ConfigLayer>(ConfigLayer{data->toObject(), QFileInfo(path).fileName()});
}

Result<std::optional<ConfigLayer>> ConfigLoader::environmentLayer(const Environment &environment)
{
    static const QString prefix = QStringLiteral("APP_CONFIG_");
    QStringList names = environment.keys();
    names.sort();
    QJsonObject data;
    bool any = false;
    for (const QString &name : std::as_const(names)) {
        const QString text = environment.value(name);
        if (text.isEmpty() || !name.startsWith(prefix))
            continue;
        const QString key = name.mid(prefix.size());
        const QStringList parts = key.split(QLatin1Char('_'));
        for (const QString &part : parts) {
            if (!isValidConfigKeyPart(part))
                return Error::input(QStringLiteral("Invalid env config key '%1'").arg(key));
        }
        // JSON.parse when it parses, else the text as is.
        const auto parsed = parseJsonValue(text.toUtf8());
        const QJsonValue value = parsed ? parsed.value() : QJsonValue(text);
        if (value.isNull())
            return Error::input(QStringLiteral("Failed to parse JSON-serialized config value for key '%1', "
                                               "Error: value may not be null").arg(key));
        if (Status placed = placeEnvironmentValue(data, parts, 0, value, key); !placed)
            return placed.error();
        any = true;
    }
    if (!any)
        return std::optional<ConfigLayer>();
    return std::optional<ConfigLayer>(ConfigLayer{data, QStringLiteral("env")});
}

Result<ConfigReader> ConfigLoader::load(const LoadOptions &options)
{
    QList<ConfigLayer> layers;
    for (const QString &path : configFiles(options)) {
        auto layer = readFile(path, options.environment);
        if (!layer)
            return layer.error();
        if (layer->has_value())
            layers.append(**layer);
    }
    auto environment = environmentLayer(options.environment);
    if (!environment)
        return environment.error();
    if (environment->has_value())
        layers.append(**environment);
    return ConfigReader::fromLayers(layers);
}

} // namespace Greenroom::Config
