// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <sync/syncclient.h>

#include <QObject>
#include <QSettings>

namespace Greenroom::Ui {

/*
 * The servers a person syncs from, kept in QSettings (never their tokens:
 * those live in the OS keychain, see TokenVault). One is active; each has a
 * cache file of its own, so switching never mixes catalogs.
 */
class ServerProfiles : public QObject
{
    Q_OBJECT

public:
    struct Entry
    {
        QString name;
        QUrl url;
        Sync::ServerProfile::Kind kind = Sync::ServerProfile::Kind::Greenroom;
    };

    explicit ServerProfiles(QSettings &settings, QObject *parent = nullptr);

    QList<Entry> all() const;
    std::optional<Entry> find(const QString &name) const;
    // Adds or replaces the profile of that name.
    void save(const Entry &entry);
    void remove(const QString &name);
    QString active() const;
    void setActive(const QString &name);
    // Seconds between rounds against a Backstage backend (Greenroom servers push).
    int pollSeconds() const;
    void setPollSeconds(int seconds);

    // Where the profile's cache lives by default: <data dir>/profiles/<name>/cache.sqlite.
    static QString defaultCachePath(const QString &profile);
    static QString kindName(Sync::ServerProfile::Kind kind);

Q_SIGNALS:
    void changed();

private:
    void writeAll(const QList<Entry> &entries);
    QSettings &m_settings;
};

} // namespace Greenroom::Ui
