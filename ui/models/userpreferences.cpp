// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "userpreferences.h"

namespace Greenroom::Ui {

UserPreferences::UserPreferences(QSettings &settings, QString profile, QObject *parent)
    : QObject(parent), m_settings(settings), m_profile(std::move(profile))
{
    m_starred = m_settings.value(key("starred")).toStringList();
    m_recent = m_settings.value(key("recent")).toStringList();
    m_identity = m_settings.value(key("identity")).toString();
}

QString UserPreferences::key(const char *name) const
{
    return QStringLiteral("profiles/%1/%2").arg(m_profile, QLatin1String(name));
}

void UserPreferences::setStarred(const QString &ref, bool starred)
{
    if (starred == m_starred.contains(ref))
        return;
    if (starred)
        m_starred.append(ref);
    else
        m_starred.removeAll(ref);
    m_settings.setValue(key("starred"), m_starred);
    Q_EMIT starredChanged();
}

void UserPreferences::visited(const QString &ref)
{
    m_recent.removeAll(ref);
    m_recent.prepend(ref);
    while (m_recent.size() > MaxRecent)
        m_recent.removeLast();
    m_settings.setValue(key("recent"), m_recent);
    Q_EMIT recentChanged();
}

void UserPreferences::setIdentity(const QString &userRef)
{
    if (userRef == m_identity)
        return;
    m_identity = userRef;
    m_settings.setValue(key("identity"), m_identity);
    Q_EMIT identityChanged();
}

void UserPreferences::setPluginDisabled(const QString &id, bool disabled)
{
    QStringList ids = disabledPlugins();
    ids.removeAll(id);
    if (disabled)
        ids.append(id);
    ids.sort();
    m_settings.setValue(QStringLiteral("plugins/disabled"), ids);
}

} // namespace Greenroom::Ui
