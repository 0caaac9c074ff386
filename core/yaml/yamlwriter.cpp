// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "yamlwriter.h"

#include "scalarresolver_p.h"

#include <QJsonArray>
#include <QJsonObject>

#include <yaml-cpp/yaml.h>

namespace Greenroom::Yaml {

namespace {

void emitString(YAML::Emitter &out, const QString &text)
{
    const std::string utf8 = text.toStdString();
    // Plain when it reads back as this same string, quoted otherwise.
    const QJsonValue asPlain = Internal::resolvePlainScalar(utf8);
    if (!asPlain.isString() || asPlain.toString() != text)
        out << YAML::DoubleQuoted;
    out << utf8;
}

void emitValue(YAML::Emitter &out, const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Object: {
        const QJsonObject object = value.toObject();
        out << YAML::BeginMap;
        for (auto it = object.begin(); it != object.end(); ++it) {
            out << YAML::Key;
            emitString(out, it.key());
            out << YAML::Value;
            emitValue(out, it.value());
        }
        out << YAML::EndMap;
        break;
    }
    case QJsonValue::Array:
        out << YAML::BeginSeq;
        for (const QJsonValue &item : value.toArray())
            emitValue(out, item);
        out << YAML::EndSeq;
        break;
    case QJsonValue::String:
        emitString(out, value.toString());
        break;
    case QJsonValue::Double: {
        const double number = value.toDouble();
        if (number == double(qint64(number)))
            out << qint64(number);
        else
            out << YAML::Precision(17) << number;
        break;
    }
    case QJsonValue::Bool:
        out << value.toBool();
        break;
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        out << YAML::Null;
        break;
    }
}

} // namespace

QByteArray writeYamlDocuments(const QList<QJsonValue> &documents)
{
    YAML::Emitter out;
    out.SetBoolFormat(YAML::TrueFalseBool);
    out.SetBoolFormat(YAML::LowerCase);
    for (const QJsonValue &document : documents) {
        out << YAML::BeginDoc;
        emitValue(out, document);
    }
    QByteArray text(out.c_str(), qsizetype(out.size()));
    if (!text.isEmpty() && !text.endsWith('\n'))
        text += '\n';
    return text;
}

} // namespace Greenroom::Yaml
