// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// Finding plugins: manifests read without loading, the ones for another API
// version, with a bad manifest, a repeated id, a library that does not load
// or a file that is no plugin at all skipped with a message naming them.
#include <common/pluginloader.h>

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using Greenroom::FoundPlugin;
using Greenroom::PluginLoader;
using Greenroom::PluginManifest;

class TestPluginLoader : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void manifestsAreChecked();
    void fixturesAreFoundOrSkippedWithAReason();
    void foldersComeFromTheEnvironmentAndTheInstall();
};

void TestPluginLoader::manifestsAreChecked()
{
    const auto error = [](const QJsonObject &json) {
        auto manifest = PluginManifest::fromJson(json);
        return manifest ? QString() : manifest.error().message;
    };
    const QJsonObject good{{QStringLiteral("id"), QStringLiteral("k8s-pods")}, {QStringLiteral("version"), QStringLiteral("1.0")},
                           {QStringLiteral("apiVersion"), 1},
                           {QStringLiteral("contributes"), QJsonObject{{QStringLiteral("entityContent"), QJsonArray{QStringLiteral("pods")}},
                                                                       {QStringLiteral("routes"), true}}}};
    QCOMPARE(error(good), QString());
    auto manifest = PluginManifest::fromJson(good);
    QCOMPARE(manifest->name, QStringLiteral("k8s-pods"));   // the id when it has no name
    QVERIFY(manifest->declares(QStringLiteral("entityContent"), QStringLiteral("pods")));
    QVERIFY(!manifest->declares(QStringLiteral("entityContent"), QStringLiteral("nodes")));
    QVERIFY(manifest->declares(QStringLiteral("routes")));
    QVERIFY(!manifest->declares(QStringLiteral("actions"), QStringLiteral("x")));

    QJsonObject bad = good;
    bad.insert(QStringLiteral("id"), QStringLiteral("K8s Pods"));
    QCOMPARE(error(bad), QStringLiteral("manifest field 'id' 'K8s Pods' is not lower-case letters and digits joined by '-'"));
    bad = good;
    bad.remove(QStringLiteral("version"));
    QCOMPARE(error(bad), QStringLiteral("manifest field 'version' is missing"));
    bad = good;
    bad.insert(QStringLiteral("apiVersion"), 1.5);
    QCOMPARE(error(bad), QStringLiteral("manifest field 'apiVersion' is missing or not a positive whole number"));
    bad = good;
    bad.insert(QStringLiteral("contributes"), QJsonObject{{QStringLiteral("entityCards"), QJsonArray{1}}});
    QCOMPARE(error(bad), QStringLiteral("manifest field 'contributes.entityCards' holds something other than ids"));
}

void TestPluginLoader::fixturesAreFoundOrSkippedWithAReason()
{
    // The fixtures, a copy of the good one under a second folder (same id), and a file that is no plugin.
    QTemporaryDir second;
    const QString fixtures = QStringLiteral(GREENROOM_FIXTURE_PLUGIN_DIR);
    QVERIFY(QFile::copy(QDir(fixtures).filePath(QStringLiteral("libfixture_good.so")), second.filePath(QStringLiteral("libcopy.so"))));
    QFile garbage(second.filePath(QStringLiteral("libgarbage.so")));
    QVERIFY(garbage.open(QIODevice::WriteOnly));
    garbage.write("\x7f" "ELF but not really");
    garbage.close();

    const PluginLoader loader(QStringLiteral("dev.greenroom.DesktopPlugin"), 1);
    const QList<FoundPlugin> found = loader.find({{fixtures, QStringLiteral("GREENROOM_PLUGIN_PATH")}, {second.path(), QStringLiteral("user")}});
    QHash<QString, FoundPlugin> byFile;
    for (const FoundPlugin &plugin : found)
        byFile.insert(QFileInfo(plugin.file).fileName(), plugin);
    QCOMPARE(byFile.size(), 5);   // the garbage file is passed over
    QVERIFY(!byFile.contains(QStringLiteral("libgarbage.so")));

    const FoundPlugin good = byFile.value(QStringLiteral("libfixture_good.so"));
    QVERIFY(!good.problem);
    QCOMPARE(good.manifest->id, QStringLiteral("fixture"));
    QCOMPARE(good.manifest->version, QStringLiteral("1.2.3"));
    QCOMPARE(good.origin, QStringLiteral("GREENROOM_PLUGIN_PATH"));
    auto instance = loader.load(good);
    QVERIFY2(instance, instance ? "" : qPrintable(instance.error().message));
    QVERIFY(instance.value());

    const auto problem = [&](const char *file) {
        const FoundPlugin plugin = byFile.value(QLatin1String(file));
        return plugin.problem ? plugin.problem->message : QStringLiteral("(no problem)");
    };
    QCOMPARE(problem("libfixture_wrongapi.so"),
             QStringLiteral("Plugin fixture-future (%1/libfixture_wrongapi.so) is skipped: it was built for plugin API 2, and this Greenroom has API 1").arg(fixtures));
    QCOMPARE(problem("libfixture_badmanifest.so"),
             QStringLiteral("Plugin %1/libfixture_badmanifest.so is skipped: its manifest field 'id' is missing or not a string").arg(fixtures));
    QCOMPARE(problem("libcopy.so"),
             QStringLiteral("Plugin fixture (%1) is skipped: a plugin with that id was found first at %2/libfixture_good.so")
                 .arg(second.filePath(QStringLiteral("libcopy.so")), fixtures));

    // A library that does not load is refused when loaded, naming what it lacks; the process goes on.
    const FoundPlugin broken = byFile.value(QStringLiteral("libfixture_missingsymbol.so"));
    QVERIFY(!broken.problem);
    auto failed = loader.load(broken);
    QVERIFY(!failed);
    QVERIFY2(failed.error().message.startsWith(QStringLiteral("Plugin fixture-broken (%1/libfixture_missingsymbol.so) is skipped: its library did not load: ").arg(fixtures)),
             qPrintable(failed.error().message));
    QVERIFY2(failed.error().message.contains(QLatin1String("greenroomSymbolNobodyDefines")), qPrintable(failed.error().message));

    // Each side sees its own: the server's loader finds the one server plugin, none of the desktop's.
    const QList<FoundPlugin> server = PluginLoader(QStringLiteral("dev.greenroom.ServerPlugin"), 1).find({{fixtures, QStringLiteral("x")}});
    QCOMPARE(server.size(), 1);
    QCOMPARE(server.first().manifest->id, QStringLiteral("fixture-server"));
    QVERIFY(!byFile.contains(QStringLiteral("libfixture_server.so")));
}

void TestPluginLoader::foldersComeFromTheEnvironmentAndTheInstall()
{
    QTemporaryDir root;
    QVERIFY(QDir(root.path()).mkpath(QStringLiteral("lib/greenroom/plugins")));
    QVERIFY(QDir(root.path()).mkpath(QStringLiteral("bin")));
    qputenv("GREENROOM_PLUGIN_PATH", "/opt/a::/opt/b");
    qputenv("XDG_DATA_HOME", root.filePath(QStringLiteral("data")).toUtf8());
    const auto folders = PluginLoader::standardFolders(root.filePath(QStringLiteral("bin")));
    QStringList listed;
    for (const auto &folder : folders)
        listed << folder.origin + QLatin1Char('=') + folder.path;
    QCOMPARE(listed, (QStringList{QStringLiteral("GREENROOM_PLUGIN_PATH=/opt/a"), QStringLiteral("GREENROOM_PLUGIN_PATH=/opt/b"),
                                  QStringLiteral("user=") + root.filePath(QStringLiteral("data/greenroom/plugins")),
                                  QStringLiteral("installed=") + root.filePath(QStringLiteral("lib/greenroom/plugins"))}));
}

QTEST_GUILESS_MAIN(TestPluginLoader)
#include "tst_pluginloader.moc"
