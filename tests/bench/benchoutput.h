// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

// What every benchmark prints with: its figures on stdout, and a fatal
// problem on stderr under the program's name.

#include <QCoreApplication>
#include <QFile>
#include <QStringList>
#include <QTextStream>

#include <cstdlib>

namespace Greenroom::Bench {

inline QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

// A memory line of a process's /proc status ("VmHWM": peak RSS, "VmRSS":
// RSS now) in KiB; -1 when it cannot be read. VmHWM, not getrusage's
// ru_maxrss, which survives exec.
inline qint64 procStatusKiB(const QString &pid, const QByteArray &field)
{
    QFile status(QStringLiteral("/proc/%1/status").arg(pid));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith(field + ':'))
            return line.mid(field.size() + 1).trimmed().split(' ').value(0).toLongLong();
    }
    return -1;
}

// The value that follows `name` among a benchmark's arguments, or `fallback`.
inline QString option(const QStringList &args, const QString &name, const QString &fallback)
{
    const qsizetype at = args.indexOf(name);
    return at >= 0 && at + 1 < args.size() ? args.at(at + 1) : fallback;
}

[[noreturn]] inline void die(const QString &message)
{
    QTextStream(stderr) << QCoreApplication::applicationName() << ": " << message << Qt::endl;
    std::exit(1);
}

} // namespace Greenroom::Bench
