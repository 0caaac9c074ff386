// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

// The desktop's main window over a cache filled from the demo catalog, with
// settings of its own for each test function. A UI test class derives from
// it beside QObject and calls fill/open/close from initTestCase/init/cleanup
// (header-only; users link Greenroom::Ui and Greenroom::Ingest).

#include <cachefixture.h>
#include <testconfig.h>

#include <mainwindow.h>
#include <models/catalogcache.h>
#include <models/userpreferences.h>

#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

namespace Greenroom::TestSupport {

class DemoWindowFixture
{
protected:
    // The demo catalog mirrored into the cache; an error text or "".
    QString fillDemoCache()
    {
        m_cachePath = m_dir.filePath(QStringLiteral("cache.sqlite"));
        return fillCacheFromCatalog(QStringLiteral(GREENROOM_SOURCE_DIR "/resources/demo/catalog-info.yaml"), m_cachePath);
    }

    // A window shown and exposed at 1280×800, its settings named after the running test function.
    bool openWindow()
    {
        m_settings = std::make_unique<QSettings>(m_dir.filePath(QStringLiteral("settings-%1.ini").arg(QTest::currentTestFunction())),
                                                 QSettings::IniFormat);
        m_cache = Ui::CatalogCache::open(m_cachePath);
        if (!m_cache)
            return false;
        m_preferences = std::make_unique<Ui::UserPreferences>(*m_settings, QStringLiteral("test"));
        m_window = std::make_unique<Ui::MainWindow>(*m_cache, *m_preferences, *m_settings);
        m_window->resize(1280, 800);
        m_window->show();
        return QTest::qWaitForWindowExposed(m_window.get());
    }

    // A service of team-a (or its deletion) mirrored into the cache as the
    // sync client writes one, with these annotations; false when refused.
    bool mirrorEntity(const QString &kind, const QString &name, const QJsonObject &annotations, bool deleted = false)
    {
        const QJsonObject entity{
            {QStringLiteral("apiVersion"), QStringLiteral("backstage.io/v1alpha1")}, {QStringLiteral("kind"), kind},
            {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("name"), name}, {QStringLiteral("namespace"), QStringLiteral("default")},
                                                     {QStringLiteral("uid"), QStringLiteral("uid-") + name}, {QStringLiteral("etag"), QStringLiteral("e1")},
                                                     {QStringLiteral("annotations"), annotations}}},
            {QStringLiteral("spec"), QJsonObject{{QStringLiteral("type"), QStringLiteral("service")}, {QStringLiteral("owner"), QStringLiteral("team-a")},
                                                 {QStringLiteral("lifecycle"), QStringLiteral("production")}}},
            {QStringLiteral("relations"), QJsonArray{}}};
        Store::MirrorBatch batch;
        batch.changes.append({deleted, kind.toLower() + QStringLiteral(":default/") + name, QStringLiteral("uid-") + name, QStringLiteral("e1"),
                              QJsonDocument(entity).toJson(QJsonDocument::Compact), {}});
        return bool(m_cache->store().applyMirror(batch));
    }

    // In the order each depends on the next.
    void closeWindow()
    {
        m_window.reset();
        m_preferences.reset();
        m_cache.reset();
        m_settings.reset();
    }

    QTemporaryDir m_dir;
    QString m_cachePath;
    std::unique_ptr<QSettings> m_settings;
    std::unique_ptr<Ui::CatalogCache> m_cache;
    std::unique_ptr<Ui::UserPreferences> m_preferences;
    std::unique_ptr<Ui::MainWindow> m_window;
};

} // namespace Greenroom::TestSupport
