// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <QObject>
#include <QSettings>
#include <QStringList>

namespace Greenroom::Ui {

/*
 * What a person keeps between runs that is not the catalog: starred and
 * recently visited entities, who they are in the catalog (for "owned by
 * me") and where their template tasks run. Kept in QSettings under the
 * active profile's group.
 */
class UserPreferences : public QObject
{
    Q_OBJECT

public:
    explicit UserPreferences(QSettings &settings, QString profile, QObject *parent = nullptr);

    QStringList starred() const { return m_starred; }
    bool isStarred(const QString &ref) const { return m_starred.contains(ref); }
    void setStarred(const QString &ref, bool starred);

    // Most recent first, at most MaxRecent.
    QStringList recent() const { return m_recent; }
    void visited(const QString &ref);
    static constexpr int MaxRecent = 12;

    // The user entity ("user:default/jane") that is "me"; empty when unknown.
    QString identity() const { return m_identity; }
    void setIdentity(const QString &userRef);

    // Where template tasks run: "server" (the default) or "local".
    QString taskPlace() const { return m_settings.value(key("taskPlace"), QStringLiteral("server")).toString(); }
    void setTaskPlace(const QString &place) { m_settings.setValue(key("taskPlace"), place); }

    // Plugins the person switched off, by id (for the whole app, not per server).
    QStringList disabledPlugins() const { return m_settings.value(QStringLiteral("plugins/disabled")).toStringList(); }
    void setPluginDisabled(const QString &id, bool disabled);

Q_SIGNALS:
    void starredChanged();
    void recentChanged();
    void identityChanged();

private:
    QString key(const char *name) const;
    QSettings &m_settings;
    QString m_profile;
    QStringList m_starred;
    QStringList m_recent;
    QString m_identity;
};

} // namespace Greenroom::Ui
