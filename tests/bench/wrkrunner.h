// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

// HTTP load from wrk, for the benchmarks that drive a server.

#include <QDir>
#include <QString>
#include <QStringList>

namespace Greenroom::Bench {

struct WrkResult
{
    double requestsPerSecond = 0;
    QString p50, p99;    // as wrk prints them ("1.06ms")
    qint64 failures = 0;   // non-2xx answers and timeouts
};

// wrk against `base` for `seconds` with `connections` (and up to 2
// threads), running `script`; ends the program when wrk's output cannot be read.
WrkResult runWrk(const QString &base, const QString &script, int seconds, int connections = 32);
// A wrk script in `dir` requesting `paths` in turn; its file name.
QString writeScript(const QDir &dir, const QString &name, const QStringList &paths);
// A wrk duration ("850.00us", "1.06ms", "2s") in milliseconds.
double wrkMilliseconds(const QString &time);

} // namespace Greenroom::Bench
