// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

// What every benchmark prints with: its figures on stdout, and a fatal
// problem on stderr under the program's name.

#include <QCoreApplication>
#include <QTextStream>

#include <cstdlib>

namespace Greenroom::Bench {

inline QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

[[noreturn]] inline void die(const QString &message)
{
    QTextStream(stderr) << QCoreApplication::applicationName() << ": " << message << Qt::endl;
    std::exit(1);
}

} // namespace Greenroom::Bench
