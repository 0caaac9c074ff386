// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "wrkrunner.h"

#include "benchoutput.h"

#include <QFile>
#include <QProcess>
#include <QRegularExpression>

namespace Greenroom::Bench {

WrkResult runWrk(const QString &base, const QString &script, int seconds, int connections)
{
    QProcess wrk;
    wrk.setProcessChannelMode(QProcess::MergedChannels);
    QStringList arguments{QStringLiteral("-t%1").arg(std::min(2, connections)), QStringLiteral("-c%1").arg(connections),
                          QStringLiteral("-d%1s").arg(seconds),
                          QStringLiteral("--latency"), QStringLiteral("-s"), script, base};
    wrk.start(QStringLiteral("wrk"), arguments);
    if (!wrk.waitForFinished(seconds * 1000 + 60000))
        die(QStringLiteral("wrk did not finish"));
    const QString text = QString::fromUtf8(wrk.readAll());
    WrkResult result;
    const auto capture = [&](const QString &pattern) {
        return QRegularExpression(pattern, QRegularExpression::MultilineOption).match(text).captured(1);
    };
    result.requestsPerSecond = capture(QStringLiteral("^Requests/sec:\\s+([\\d.]+)")).toDouble();
    result.p50 = capture(QStringLiteral("^\\s+50%\\s+(\\S+)"));
    result.p99 = capture(QStringLiteral("^\\s+99%\\s+(\\S+)"));
    result.failures = capture(QStringLiteral("Non-2xx or 3xx responses:\\s+(\\d+)")).toLongLong()
                      + capture(QStringLiteral("Socket errors:.*timeout (\\d+)")).toLongLong();
    if (result.requestsPerSecond <= 0)
        die(QStringLiteral("could not read wrk's output:\n") + text);
    return result;
}

QString writeScript(const QDir &dir, const QString &name, const QStringList &paths)
{
    QString lua = QStringLiteral("paths = {\n");
    for (const QString &path : paths)
        lua += QStringLiteral("  \"%1\",\n").arg(path);
    lua += QStringLiteral("}\ncounter = 0\nrequest = function()\n  counter = counter + 1\n"
                          "  return wrk.format(\"GET\", paths[(counter %% #paths) + 1])\nend\n").replace(QStringLiteral("%%"), QStringLiteral("%"));
    const QString file = dir.filePath(name + QStringLiteral(".lua"));
    QFile f(file);
    if (!f.open(QIODevice::WriteOnly))
        die(QStringLiteral("cannot write ") + file);
    f.write(lua.toUtf8());
    return file;
}

double wrkMilliseconds(const QString &time)
{
    static const QRegularExpression number(QStringLiteral("([0-9.]+)(us|ms|s)"));
    const QRegularExpressionMatch m = number.match(time);
    const double value = m.captured(1).toDouble();
    return m.captured(2) == QLatin1String("us") ? value / 1000 : m.captured(2) == QLatin1String("s") ? value * 1000 : value;
}

} // namespace Greenroom::Bench
