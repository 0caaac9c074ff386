// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// bench_docs [PAGES]: generates a docs site of PAGES pages (default 1000)
// that uses the extensions techdocs-core turns on, then builds it in the same
// run with `greenroom-server docs build` and with Debian's `mkdocs build`
// (mkdocs + mkdocs-material + python3-pymdownx, installed by
// packaging/install-bench-deps.sh) and prints both wall times and the ratio.
// Each build runs twice; the faster run counts (the first warms the caches).
// Then the floor no builder of this site goes under: writing the files
// greenroom built (every page carries the whole nav, as Material's do) into
// an empty folder, on every core, with nothing computed.
#include "docssitegenerator.h"

#include <QCoreApplication>
#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTextStream>
#include <QtConcurrent/QtConcurrentMap>

namespace {

QTextStream out(stdout);

double timeCommand(const QString &program, const QStringList &arguments, const QString &workDir, int *exitCode)
{
    QProcess process;
    process.setWorkingDirectory(workDir);
    process.setProcessChannelMode(QProcess::MergedChannels);
    QElapsedTimer timer;
    timer.start();
    process.start(program, arguments);
    process.waitForFinished(-1);
    const double seconds = double(timer.nsecsElapsed()) / 1e9;
    *exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    if (*exitCode != 0)
        out << "  " << program << " failed:\n" << QString::fromUtf8(process.readAll()).left(4000) << Qt::endl;
    return seconds;
}

// Seconds to write `files` (path relative to `root`, content) under `root`, on every core.
double timeWriting(const QString &root, const QList<std::pair<QString, QByteArray>> &files)
{
    QElapsedTimer timer;
    timer.start();
    for (const auto &[path, content] : files)
        QDir().mkpath(QFileInfo(root + QLatin1Char('/') + path).path());
    QtConcurrent::blockingMap(files, [&root](const std::pair<QString, QByteArray> &file) {
        QFile out(root + QLatin1Char('/') + file.first);
        if (!out.open(QIODevice::WriteOnly) || out.write(file.second) != file.second.size())
            qFatal("cannot write %s", qPrintable(out.fileName()));
    });
    return double(timer.nsecsElapsed()) / 1e9;
}

// Every file under `root`, read into memory.
QList<std::pair<QString, QByteArray>> readTree(const QString &root)
{
    QList<std::pair<QString, QByteArray>> files;
    QDirIterator it(root, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        QFile file(it.next());
        if (!file.open(QIODevice::ReadOnly))
            qFatal("cannot read %s", qPrintable(file.fileName()));
        files.append({QDir(root).relativeFilePath(file.fileName()), file.readAll()});
    }
    return files;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const int pages = argc > 1 ? QString::fromLocal8Bit(argv[1]).toInt() : 1000;
    // GREENROOM_BENCH_DIR keeps the generated site and both builds for a look.
    QTemporaryDir temporary;
    const QString benchDir = qEnvironmentVariable("GREENROOM_BENCH_DIR");
    const QDir dir(benchDir.isEmpty() ? temporary.path() : benchDir);
    const QString root = dir.filePath(QStringLiteral("site-src"));
    const int generated = Greenroom::Bench::writeGeneratedDocsSite(root, pages);
    out << "bench_docs: " << generated << " pages generated in " << root << Qt::endl;

    const QString greenroom = QStringLiteral(GREENROOM_SERVER_BINARY);
    if (qEnvironmentVariableIsSet("BENCH_DOCS_GREENROOM_ONLY"))
        out << "  (mkdocs skipped: BENCH_DOCS_GREENROOM_ONLY)" << Qt::endl;
    double greenroomBest = 1e9;
    for (int run = 0; run < 2; ++run) {
        int code = 0;
        const double seconds = timeCommand(greenroom, {QStringLiteral("docs"), QStringLiteral("build"), root, QStringLiteral("--output"),
                                                       dir.filePath(QStringLiteral("greenroom-site")), QStringLiteral("--quiet")},
                                           root, &code);
        if (code != 0)
            return 1;
        out << "  greenroom-server docs build, run " << run + 1 << ": " << QString::number(seconds, 'f', 3) << " s" << Qt::endl;
        greenroomBest = std::min(greenroomBest, seconds);
    }

    {
        const QList<std::pair<QString, QByteArray>> built = readTree(dir.filePath(QStringLiteral("greenroom-site")));
        qint64 bytes = 0;
        for (const auto &file : built)
            bytes += file.second.size();
        double writeBest = 1e9;
        for (int run = 0; run < 2; ++run) {
            QDir(dir.filePath(QStringLiteral("write-floor"))).removeRecursively();
            writeBest = std::min(writeBest, timeWriting(dir.filePath(QStringLiteral("write-floor")), built));
        }
        out << "  writing its " << built.size() << " files (" << QString::number(double(bytes) / 1e6, 'f', 1)
            << " MB) alone, on every core: " << QString::number(writeBest, 'f', 3) << " s" << Qt::endl;
    }

    if (qEnvironmentVariableIsSet("BENCH_DOCS_GREENROOM_ONLY"))
        return 0;
    const QString mkdocs = QStandardPaths::findExecutable(QStringLiteral("mkdocs"));
    if (mkdocs.isEmpty()) {
        out << "  mkdocs not found: run packaging/install-bench-deps.sh (make bench does)" << Qt::endl;
        return 1;
    }
    double mkdocsBest = 1e9;
    for (int run = 0; run < 2; ++run) {
        int code = 0;
        const double seconds = timeCommand(mkdocs, {QStringLiteral("build"), QStringLiteral("-q"), QStringLiteral("-f"),
                                                    root + QStringLiteral("/mkdocs.yml"), QStringLiteral("-d"),
                                                    dir.filePath(QStringLiteral("mkdocs-site"))},
                                           root, &code);
        if (code != 0)
            return 1;
        out << "  mkdocs build (Material), run " << run + 1 << ": " << QString::number(seconds, 'f', 3) << " s" << Qt::endl;
        mkdocsBest = std::min(mkdocsBest, seconds);
    }
    out << "bench_docs: " << generated << " pages: greenroom " << QString::number(greenroomBest, 'f', 3)
        << " s, mkdocs " << QString::number(mkdocsBest, 'f', 3) << " s, greenroom is "
        << QString::number(mkdocsBest / greenroomBest, 'f', 1) << "x faster (target >= 100x: a build in "
        << QString::number(mkdocsBest / 100, 'f', 3) << " s)" << Qt::endl;
    return 0;
}
