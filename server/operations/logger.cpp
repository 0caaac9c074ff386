// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "logger.h"

#include <QDateTime>
#include <QJsonDocument>

#include <cstdio>

namespace Greenroom::Server {

namespace {

// A message names files, entities and upstream answers an attacker may have
// written: a line break in them must not start a line that looks like ours.
QString oneLine(const QString &message)
{
    QString line;
    line.reserve(message.size());
    for (const QChar c : message) {
        if (c == QLatin1Char('\n'))
            line += QLatin1String("\\n");
        else if (c == QLatin1Char('\r'))
            line += QLatin1String("\\r");
        else if ((c.unicode() < 0x20 && c != QLatin1Char('\t')) || c.unicode() == 0x7f || c == QChar::LineSeparator || c == QChar::ParagraphSeparator)
            line += QStringLiteral("\\u%1").arg(c.unicode(), 4, 16, QLatin1Char('0'));
        else
            line += c;
    }
    return line;
}

} // namespace

Result<Logger::Format> Logger::formatNamed(const QString &name)
{
    if (name == QLatin1String("text"))
        return Format::Text;
    if (name == QLatin1String("json"))
        return Format::Json;
    return Error::input(QStringLiteral("unknown log format '%1', use text or json").arg(name));
}

Logger::Logger(Format format)
    : m_format(format), m_debug(qEnvironmentVariable("LOG_LEVEL").compare(QLatin1String("debug"), Qt::CaseInsensitive) == 0)
{
}

void Logger::debug(const QString &message, const QJsonObject &fields) const
{
    if (m_debug)
        write("debug", message, fields);
}

void Logger::info(const QString &message, const QJsonObject &fields) const
{
    write("info", message, fields);
}

void Logger::warn(const QString &message, const QJsonObject &fields) const
{
    write("warn", message, fields);
}

void Logger::error(const QString &message, const QJsonObject &fields) const
{
    write("error", message, fields);
}

void Logger::write(const char *level, const QString &message, const QJsonObject &fields) const
{
    QByteArray line;
    if (m_format == Format::Json) {
        QJsonObject event = fields;
        event.insert(QStringLiteral("timestamp"), QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs));
        event.insert(QStringLiteral("level"), QString::fromLatin1(level));
        event.insert(QStringLiteral("message"), message);
        event.insert(QStringLiteral("service"), QStringLiteral("greenroom-server"));
        line = QJsonDocument(event).toJson(QJsonDocument::Compact);
    } else {
        line = oneLine(message).toUtf8();   // the fields are for machines; the message says it all
    }
    line += '\n';
    FILE *stream = qstrcmp(level, "info") == 0 || qstrcmp(level, "debug") == 0 ? stdout : stderr;
    std::fwrite(line.constData(), 1, size_t(line.size()), stream);
    std::fflush(stream);
}

} // namespace Greenroom::Server
