// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// What a third party has: the plugin API installed from this build
// (cmake --install --component pluginapi), and its own folder. Its plugin
// is configured and built there with find_package(GreenroomPluginApi), put
// in GREENROOM_PLUGIN_PATH and loaded; its tab shows on components.
#include <testconfig.h>

#include <models/catalogcache.h>
#include <plugins/desktopplugins.h>
#include <plugins/entitylayout.h>
#include <plugins/pluginentityview.h>

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QLabel>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace Greenroom;
using namespace Greenroom::Ui;

class TestOutOfTreePlugin : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void builtWithTheInstalledApiOnlyAndLoaded();

private:
    static bool run(const QStringList &arguments, QByteArray *output);
};

bool TestOutOfTreePlugin::run(const QStringList &arguments, QByteArray *output)
{
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(QStringLiteral(GREENROOM_CMAKE), arguments);
    const bool finished = process.waitForFinished(240000);
    *output = process.readAll();
    return finished && process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0;
}

void TestOutOfTreePlugin::builtWithTheInstalledApiOnlyAndLoaded()
{
    QTemporaryDir scratch;
    const QString sdk = scratch.filePath(QStringLiteral("sdk"));
    const QString source = scratch.filePath(QStringLiteral("source"));
    const QString build = scratch.filePath(QStringLiteral("build"));
    QByteArray output;
    QVERIFY2(run({QStringLiteral("--install"), QStringLiteral(GREENROOM_BINARY_DIR), QStringLiteral("--component"), QStringLiteral("pluginapi"),
                  QStringLiteral("--prefix"), sdk}, &output), output.constData());
    QVERIFY(QFile::exists(sdk + QStringLiteral("/include/greenroom/pluginapi/desktopplugin.h")));
    QVERIFY(QFile::exists(sdk + QStringLiteral("/lib/cmake/GreenroomPluginApi/GreenroomPluginApiConfig.cmake")));

    // The third party's folder: its CMakeLists, source and manifest, nothing of ours.
    QVERIFY(QDir().mkpath(source));
    const QDir given(QStringLiteral(GREENROOM_OUT_OF_TREE_SOURCES));
    QVERIFY(QFile::copy(given.filePath(QStringLiteral("CMakeLists.txt.in")), source + QStringLiteral("/CMakeLists.txt")));
    for (const QString &file : {QStringLiteral("thirdpartyplugin.cpp"), QStringLiteral("thirdparty.json")})
        QVERIFY(QFile::copy(given.filePath(file), QDir(source).filePath(file)));
    QVERIFY2(run({QStringLiteral("-S"), source, QStringLiteral("-B"), build, QStringLiteral("-DCMAKE_PREFIX_PATH=") + sdk,
                  QStringLiteral("-DCMAKE_EXPORT_COMPILE_COMMANDS=ON"), QStringLiteral("-DCMAKE_BUILD_TYPE=Release")}, &output),
             output.constData());
    QVERIFY2(run({QStringLiteral("--build"), build}, &output), output.constData());
    // It compiled against the installed headers, not our source tree.
    QFile commands(build + QStringLiteral("/compile_commands.json"));
    QVERIFY(commands.open(QIODevice::ReadOnly));
    const QByteArray compile = commands.readAll();
    QVERIFY2(compile.contains(QString(sdk + QStringLiteral("/include/greenroom")).toUtf8()), compile.constData());
    QVERIFY2(!compile.contains(GREENROOM_SOURCE_DIR), compile.constData());

    // Dropped into GREENROOM_PLUGIN_PATH, found and loaded like any plugin.
    const QString folder = scratch.filePath(QStringLiteral("plugins"));
    QVERIFY(QDir().mkpath(folder));
    QVERIFY(QFile::copy(build + QStringLiteral("/libthirdparty.so"), folder + QStringLiteral("/libthirdparty.so")));
    qputenv("GREENROOM_PLUGIN_PATH", folder.toUtf8());
    EntityLayout layout;
    const QList<PluginStatus> statuses = DesktopPlugins::load(PluginLoader::standardFolders(scratch.path()), {}, layout);
    const auto loaded = std::find_if(statuses.cbegin(), statuses.cend(), [](const PluginStatus &s) { return s.id == QLatin1String("third-party-on-call"); });
    QVERIFY(loaded != statuses.cend());
    QCOMPARE(loaded->state, PluginStatus::State::Loaded);
    QCOMPARE(loaded->version, QStringLiteral("0.3.0"));
    QCOMPARE(loaded->origin, QStringLiteral("GREENROOM_PLUGIN_PATH"));

    const QJsonObject component{{QStringLiteral("kind"), QStringLiteral("Component")},
                                {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("name"), QStringLiteral("checkout")}}}};
    const auto contents = layout.contentsFor(component);
    const auto tab = std::find_if(contents.cbegin(), contents.cend(),
                                  [](const EntityLayout::Content *c) { return c->id == QLatin1String("entity-content:third-party-on-call/on-call"); });
    QVERIFY(tab != contents.cend());
    QCOMPARE((*tab)->content.title, QStringLiteral("On call"));
    QVERIFY(layout.contentsFor({{QStringLiteral("kind"), QStringLiteral("API")}}).size() < contents.size());   // components only

    // Its widget, made with a view on a real cache, and the data it stored there.
    auto cache = CatalogCache::open(scratch.filePath(QStringLiteral("cache.sqlite")));
    QVERIFY(cache);
    PluginServices services;
    PluginEntityView view(*cache, services, (*tab)->pluginId, component, QStringLiteral("component:default/checkout"), {});
    std::unique_ptr<QWidget> widget((*tab)->content.create(view));
    auto *label = qobject_cast<QLabel *>(widget.get());
    QVERIFY(label);
    QCOMPARE(label->text(), QStringLiteral("Who is on call for component:default/checkout"));
    QCOMPARE(view.cachedData(QStringLiteral("seen"))->value.toString(), QStringLiteral("component:default/checkout"));
}

QTEST_MAIN(TestOutOfTreePlugin)
#include "tst_outoftreeplugin.moc"
