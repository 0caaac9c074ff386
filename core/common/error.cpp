// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "error.h"

namespace Greenroom {

Error &Error::at(const QString &file_, int line_, int column_)
{
    file = file_;
    line = line_;
    column = column_;
    return *this;
}

QString Error::toString() const
{
    QString position = file;
    if (line > 0)
        position += QLatin1Char(':') + QString::number(line);
    if (line > 0 && column > 0)
        position += QLatin1Char(':') + QString::number(column);
    return position.isEmpty() ? message : position + QStringLiteral(": ") + message;
}

} // namespace Greenroom
