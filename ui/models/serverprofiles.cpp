// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "serverprofiles.h"

#include <QDir>
#include <QStandardPaths>

namespace Greenroom::Ui {

namespace {

QString slug(const QString &name)
{
    QString s;
    for (const QChar c : name)
        s += c.isLetterOrNumber() || c == QLatin1Char('-') || c == QLatin1Char('_') ? c : QLatin1Char('_');
    return s.isEmpty() ? QStringLiteral("default") : s;
}

} // namespace

ServerProfiles::ServerProfiles(QSettings &settings, QObject *parent) : QObject(parent), m_settings(settings) {}

QList<ServerProfiles::Entry> ServerProfiles::all() const
{
    QList<Entry> entries;
    const int count = m_settings.beginReadArray(QStringLiteral("servers"));
    for (int i = 0; i < count; ++i) {
        m_settings.setArrayIndex(i);
        Entry entry;
        entry.name = m_settings.value(QStringLiteral("name")).toString();
        entry.url = m_settings.value(QStringLiteral("url")).toUrl();
        entry.kind = m_settings.value(QStringLiteral("kind")).toString() == QLatin1String("backstage")
                         ? Sync::ServerProfile::Kind::Backstage
                         : Sync::ServerProfile::Kind::Greenroom;
        if (!entry.name.isEmpty())
            entries.append(entry);
    }
    m_settings.endArray();
    return entries;
}

std::optional<ServerProfiles::Entry> ServerProfiles::find(const QString &name) const
{
    for (const Entry &entry : all()) {
        if (entry.name == name)
            return entry;
    }
    return std::nullopt;
}

void ServerProfiles::save(const Entry &entry)
{
    QList<Entry> entries = all();
    auto it = std::find_if(entries.begin(), entries.end(), [&](const Entry &e) { return e.name == entry.name; });
    if (it != entries.end())
        *it = entry;
    else
        entries.append(entry);
    writeAll(entries);
}

void ServerProfiles::remove(const QString &name)
{
    QList<Entry> entries = all();
    entries.removeIf([&](const Entry &e) { return e.name == name; });
    writeAll(entries);
}

void ServerProfiles::writeAll(const QList<Entry> &entries)
{
    m_settings.remove(QStringLiteral("servers"));
    m_settings.beginWriteArray(QStringLiteral("servers"), int(entries.size()));
    for (int i = 0; i < entries.size(); ++i) {
        m_settings.setArrayIndex(i);
        m_settings.setValue(QStringLiteral("name"), entries.at(i).name);
        m_settings.setValue(QStringLiteral("url"), entries.at(i).url);
        m_settings.setValue(QStringLiteral("kind"), kindName(entries.at(i).kind));
    }
    m_settings.endArray();
    Q_EMIT changed();
}

QString ServerProfiles::active() const
{
    return m_settings.value(QStringLiteral("activeServer")).toString();
}

void ServerProfiles::setActive(const QString &name)
{
    m_settings.setValue(QStringLiteral("activeServer"), name);
    Q_EMIT changed();
}

int ServerProfiles::pollSeconds() const
{
    return std::max(10, m_settings.value(QStringLiteral("sync/pollSeconds"), 60).toInt());
}

void ServerProfiles::setPollSeconds(int seconds)
{
    m_settings.setValue(QStringLiteral("sync/pollSeconds"), seconds);
    Q_EMIT changed();
}

QString ServerProfiles::defaultCachePath(const QString &profile)
{
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation)
                        + QStringLiteral("/profiles/") + slug(profile);
    QDir().mkpath(dir);
    return dir + QStringLiteral("/cache.sqlite");
}

QString ServerProfiles::kindName(Sync::ServerProfile::Kind kind)
{
    return kind == Sync::ServerProfile::Kind::Backstage ? QStringLiteral("backstage") : QStringLiteral("greenroom");
}

} // namespace Greenroom::Ui
