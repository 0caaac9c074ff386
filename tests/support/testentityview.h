// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

// The desktop's side of an entity page as a plugin sees it (PluginApi::EntityView),
// for plugin tests: the entity, an in-memory cache, config, a token, the
// server and one network manager, all set by the test (header-only).

#include <pluginapi/entityview.h>

#include <QHash>
#include <QJsonArray>
#include <QNetworkAccessManager>
#include <QNetworkRequest>

namespace Greenroom::TestSupport {

// The desktop's side, as a plugin sees it: the entity, a cache, config and a token.
class TestView : public Greenroom::PluginApi::EntityView
{
public:
    QJsonObject entityJson;
    QString ref = QStringLiteral("component:default/checkout");
    QJsonObject configJson;
    QString token;
    QUrl server;
    QString serverToken;
    QStringList opened;
    QHash<QString, Greenroom::PluginApi::CachedData> cache;
    QNetworkAccessManager manager;

    QJsonObject entity() const override { return entityJson; }
    QString entityRef() const override { return ref; }
    std::optional<Greenroom::PluginApi::CachedData> cachedData(const QString &key) const override
    {
        return cache.contains(key) ? std::optional(cache.value(key)) : std::nullopt;
    }
    void storeData(const QString &key, const QJsonValue &value) override { cache.insert(key, {value, QDateTime::currentDateTime()}); }
    QJsonValue config(const QString &key) const override
    {
        QJsonValue value = configJson;
        for (const QString &part : key.split(QLatin1Char('.')))
            value = value.toObject().value(part);
        return value;
    }
    void hostToken(const QString &, std::function<void(const QString &)> done) override { done(token); }
    QUrl serverUrl() const override { return server; }
    void authorize(QNetworkRequest &request) const override
    {
        if (!serverToken.isEmpty())
            request.setRawHeader("Authorization", "Bearer " + serverToken.toUtf8());
    }
    QNetworkAccessManager *network() const override { return const_cast<QNetworkAccessManager *>(&manager); }
    void open(const QString &target) override { opened.append(target); }
};

} // namespace Greenroom::TestSupport
