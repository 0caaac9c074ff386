// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>
#include <QUrl>

#include <functional>
#include <optional>

class QNetworkAccessManager;
class QNetworkRequest;

namespace Greenroom::PluginApi {

// What the plugin stored for an entity last time, and when.
struct CachedData
{
    QJsonValue value;
    QDateTime storedAt;
};

/*
 * The desktop's side of one entity page, handed to a plugin's tab or card
 * when it is made. Owned by Greenroom; valid as long as the widget made
 * with it (Greenroom deletes the widget first). GUI thread only.
 */
class EntityView
{
public:
    virtual ~EntityView() = default;

    // The entity as the cache holds it (the catalog's JSON, relations included).
    virtual QJsonObject entity() const = 0;
    // kind:namespace/name, lower case.
    virtual QString entityRef() const = 0;

    // Data the plugin fetched for this entity, kept in the desktop's cache so
    // the last state shows offline (with its age); per plugin and key.
    virtual std::optional<CachedData> cachedData(const QString &key) const = 0;
    virtual void storeData(const QString &key, const QJsonValue &value) = 0;

    // A value of the desktop's app-config (app-config.yaml in the user's
    // config folder), e.g. "githubActions.apiBaseUrl"; undefined when unset.
    virtual QJsonValue config(const QString &key) const = 0;
    // The user's token for a host (GitHub, GitLab, ...) from the keychain;
    // `done` gets it, empty when there is none. Never log it.
    virtual void hostToken(const QString &host, std::function<void(const QString &token)> done) = 0;
    // The Greenroom server the app syncs from (invalid offline), for plugins
    // whose server half answers under /api/<plugin-id>/.
    virtual QUrl serverUrl() const = 0;
    // Adds the server's bearer token to a request for serverUrl(); to any other origin, nothing.
    virtual void authorize(QNetworkRequest &request) const = 0;
    // The app's network access (proxy settings, one connection pool).
    virtual QNetworkAccessManager *network() const = 0;
    // Opens an entity page (a ref) or a web address (system browser).
    virtual void open(const QString &refOrUrl) = 0;
};

} // namespace Greenroom::PluginApi
