// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <common/result.h>

#include <QJsonObject>
#include <QString>

namespace Greenroom::Server {

/*
 * The server's log: one line per event, either readable text (the message)
 * or a JSON object per line with timestamp, level, message,
 * service and the event's fields (Backstage's production format), for log
 * collectors. Information goes to stdout, warnings and errors to stderr.
 * Callers pass fields, never credentials: tokens and secrets are not logged.
 * Debug lines are written only when LOG_LEVEL=debug, as Backstage's root
 * logger reads its level from LOG_LEVEL.
 */
class Logger
{
public:
    enum class Format { Text, Json };
    explicit Logger(Format format = Format::Text);

    // "text" or "json".
    static Result<Format> formatNamed(const QString &name);

    void debug(const QString &message, const QJsonObject &fields = {}) const;
    void info(const QString &message, const QJsonObject &fields = {}) const;
    void warn(const QString &message, const QJsonObject &fields = {}) const;
    void error(const QString &message, const QJsonObject &fields = {}) const;

private:
    void write(const char *level, const QString &message, const QJsonObject &fields) const;
    Format m_format;
    bool m_debug = false;
};

} // namespace Greenroom::Server
