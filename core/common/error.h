// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <QString>

namespace Greenroom {

/*
 * The one error value core hands across module boundaries. `name` follows
 * Backstage's error names (InputError, NotFoundError, ConflictError,
 * NotAllowedError, ...) so the HTTP layer can map it to a status code; the
 * position fields say where in which input the problem is, when known.
 */
struct Error
{
    Error() = default;
    Error(QString name_, QString message_) : name(std::move(name_)), message(std::move(message_)) {}

    QString name = QStringLiteral("Error");
    QString message;
    QString file;      // source file or location ref, when the error is about an input
    int line = 0;      // 1-based; 0 = unknown
    int column = 0;    // 1-based; 0 = unknown
    QString field;     // dotted field path inside the input, when known

    static Error input(const QString &message) { return {QStringLiteral("InputError"), message}; }
    static Error internal(const QString &message) { return {QStringLiteral("Error"), message}; }

    Error &at(const QString &file, int line = 0, int column = 0);

    // "file:line:column: message" with whichever position parts are known.
    QString toString() const;
};

} // namespace Greenroom
