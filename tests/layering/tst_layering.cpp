// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// The dependency rules of ../shared/design/architecture.md, checked on the
// source: every #include of every module must name a module that module may
// use, and core may not reach QtGui, QtWidgets or QtWebEngine in any spelling
// (<QtWidgets/QWidget>, <QWidget>, <qwidget.h>).
#include <testconfig.h>

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QHash>
#include <QRegularExpression>
#include <QSet>
#include <QTest>

namespace {

// Module of a source file, from its path relative to the repository.
QString moduleOf(const QString &relative)
{
    const QStringList parts = relative.split(QLatin1Char('/'));
    if (parts.size() >= 2 && parts[0] == QLatin1String("core"))
        return QStringLiteral("core/") + parts[1];
    if (parts.size() >= 2 && parts[0] == QLatin1String("plugins") && parts[1] == QLatin1String("api"))
        return QStringLiteral("plugins/api");
    if (parts.size() >= 2 && parts[0] == QLatin1String("plugins"))
        return QStringLiteral("plugins/*");
    return parts.value(0);
}

// What each module may include from Greenroom (besides itself).
const QHash<QString, QStringList> &allowedModules()
{
    static const QHash<QString, QStringList> rules{
        {QStringLiteral("core/common"), {}},
        {QStringLiteral("core/yaml"), {QStringLiteral("core/common")}},
        {QStringLiteral("core/model"), {QStringLiteral("core/common")}},
        {QStringLiteral("core/search"), {QStringLiteral("core/common"), QStringLiteral("core/model")}},
        {QStringLiteral("core/store"), {QStringLiteral("core/common"), QStringLiteral("core/model"), QStringLiteral("core/search")}},
        {QStringLiteral("core/config"), {QStringLiteral("core/common"), QStringLiteral("core/yaml")}},
        {QStringLiteral("core/auth"), {QStringLiteral("core/common"), QStringLiteral("core/config"), QStringLiteral("core/model"),
                                       QStringLiteral("core/yaml")}},
        // sync runs templates on the desktop too (LocalScaffolder), with scaffold's runner.
        {QStringLiteral("core/sync"), {QStringLiteral("core/common"), QStringLiteral("core/model"), QStringLiteral("core/store"),
                                       QStringLiteral("core/scaffold")}},
        {QStringLiteral("core/docs"), {QStringLiteral("core/common"), QStringLiteral("core/yaml")}},
        {QStringLiteral("core/scaffold"), {QStringLiteral("core/common"), QStringLiteral("core/model"), QStringLiteral("core/yaml"),
                                           QStringLiteral("core/store"), QStringLiteral("core/ingest")}},
        {QStringLiteral("core/ingest"), {QStringLiteral("core/common"), QStringLiteral("core/model"),
                                         QStringLiteral("core/yaml"), QStringLiteral("core/store"), QStringLiteral("core/docs")}},
        {QStringLiteral("server"), {QStringLiteral("core/*"), QStringLiteral("plugins/api")}},
        {QStringLiteral("ui"), {QStringLiteral("core/*"), QStringLiteral("plugins/api")}},
        {QStringLiteral("app"), {QStringLiteral("ui"), QStringLiteral("core/*"), QStringLiteral("plugins/api")}},
        {QStringLiteral("plugins/api"), {QStringLiteral("core/common"), QStringLiteral("core/model")}},
        {QStringLiteral("plugins/*"), {QStringLiteral("plugins/api"), QStringLiteral("core/*"), QStringLiteral("ui")}},
    };
    return rules;
}

// Module an include names, for Greenroom's own angle-bracket includes (<model/entityref.h>).
QString includedModule(const QString &include)
{
    static const QStringList coreAreas{QStringLiteral("common"), QStringLiteral("yaml"), QStringLiteral("model"),
                                       QStringLiteral("store"), QStringLiteral("ingest"), QStringLiteral("search"),
                                       QStringLiteral("docs"), QStringLiteral("scaffold"), QStringLiteral("sync"),
                                       QStringLiteral("config"), QStringLiteral("auth")};
    const QString first = include.section(QLatin1Char('/'), 0, 0);
    if (!include.contains(QLatin1Char('/')))
        return {};
    if (coreAreas.contains(first))
        return QStringLiteral("core/") + first;
    if (first == QLatin1String("ui") || first == QLatin1String("app") || first == QLatin1String("server"))
        return first;
    if (include.startsWith(QLatin1String("plugins/api/")) || first == QLatin1String("pluginapi"))
        return QStringLiteral("plugins/api");
    return {};
}

// Every header name QtGui, QtWidgets and the WebEngine modules install, in all spellings.
QSet<QString> forbiddenQtHeaders()
{
    QSet<QString> names;
    const QDir qt(QStringLiteral(GREENROOM_QT_HEADERS));
    const QStringList modules = qt.entryList({QStringLiteral("QtGui"), QStringLiteral("QtWidgets"),
                                              QStringLiteral("QtWebEngine*"), QStringLiteral("QtOpenGL*"),
                                              QStringLiteral("QtPrintSupport")},
                                             QDir::Dirs);
    for (const QString &module : modules) {
        names.insert(module);
        for (const QString &file : QDir(qt.filePath(module)).entryList(QDir::Files)) {
            names.insert(file);
            names.insert(module + QLatin1Char('/') + file);
        }
    }
    return names;
}

struct Violation
{
    QString file;
    int line;
    QString include;
    QString why;
};

QList<Violation> check(const QString &relative, const QString &source, const QSet<QString> &forbiddenQt)
{
    static const QRegularExpression includeLine(QStringLiteral("^\\s*#\\s*include\\s*[<\"]([^>\"]+)[>\"]"),
                                                QRegularExpression::MultilineOption);
    QList<Violation> violations;
    const QString module = moduleOf(relative);
    const QStringList allowed = allowedModules().value(module);
    auto it = includeLine.globalMatch(source);
    while (it.hasNext()) {
        const QRegularExpressionMatch m = it.next();
        const QString include = m.captured(1);
        const int line = int(source.left(m.capturedStart()).count(QLatin1Char('\n'))) + 1;
        if (module.startsWith(QLatin1String("core/")) && forbiddenQt.contains(include)) {
            violations.append({relative, line, include, QStringLiteral("core may not use QtGui, QtWidgets or QtWebEngine")});
            continue;
        }
        const QString target = includedModule(include);
        if (target.isEmpty() || target == module)
            continue;
        const bool ok = allowed.contains(target)
                        || (target.startsWith(QLatin1String("core/")) && allowed.contains(QStringLiteral("core/*")));
        if (!ok)
            violations.append({relative, line, include, module + QStringLiteral(" may not depend on ") + target});
    }
    return violations;
}

} // namespace

class TestLayering : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void checkerCatchesViolations();
    void sourcesKeepTheArchitecture();
};

void TestLayering::checkerCatchesViolations()
{
    const QSet<QString> qt = forbiddenQtHeaders();
    QVERIFY2(qt.contains(QStringLiteral("QWidget")), "QtWidgets headers not found; is Qt installed where CMake said?");
    QVERIFY(qt.contains(QStringLiteral("QtGui/QImage")));
    QCOMPARE(check(QStringLiteral("core/model/x.cpp"), QStringLiteral("#include <QWidget>\n"), qt).size(), 1);
    QCOMPARE(check(QStringLiteral("core/model/x.cpp"), QStringLiteral("#include <QtCore>\n#include <QtGui/QColor>\n"), qt)
                 .first().line, 2);
    QCOMPARE(check(QStringLiteral("core/model/x.cpp"), QStringLiteral("#include <store/catalogstore.h>\n"), qt).size(), 1);
    QCOMPARE(check(QStringLiteral("core/store/x.cpp"), QStringLiteral("#include <ingest/x.h>\n"), qt).size(), 1);
    QCOMPARE(check(QStringLiteral("core/ingest/x.cpp"), QStringLiteral("#include <store/catalogstore.h>\n"), qt).size(), 0);
    QCOMPARE(check(QStringLiteral("ui/pages/x.cpp"), QStringLiteral("#include <server/x.h>\n"), qt).size(), 1);
    QCOMPARE(check(QStringLiteral("server/x.cpp"), QStringLiteral("#include <QWidget>\n#include <ingest/x.h>\n"), qt).size(), 0);
}

void TestLayering::sourcesKeepTheArchitecture()
{
    const QSet<QString> qt = forbiddenQtHeaders();
    const QDir root(QStringLiteral(GREENROOM_SOURCE_DIR));
    QList<Violation> violations;
    int scanned = 0;
    for (const QString &top : {QStringLiteral("core"), QStringLiteral("server"), QStringLiteral("ui"),
                               QStringLiteral("app"), QStringLiteral("plugins")}) {
        if (!root.exists(top))
            continue;
        QDirIterator it(root.filePath(top), {QStringLiteral("*.h"), QStringLiteral("*.cpp")}, QDir::Files,
                        QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString path = it.next();
            QFile file(path);
            QVERIFY(file.open(QIODevice::ReadOnly));
            violations += check(root.relativeFilePath(path), QString::fromUtf8(file.readAll()), qt);
            ++scanned;
        }
    }
    QVERIFY(scanned > 30);
    QStringList report;
    for (const Violation &v : violations)
        report << QStringLiteral("%1:%2: #include <%3>: %4").arg(v.file).arg(v.line).arg(v.include, v.why);
    QVERIFY2(violations.isEmpty(), qPrintable(report.join(QLatin1Char('\n'))));
}

QTEST_GUILESS_MAIN(TestLayering)
#include "tst_layering.moc"
