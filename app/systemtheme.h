// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <QDBusVariant>
#include <QObject>
#include <QPalette>

namespace Greenroom::App {

/*
 * Light or dark as the system prefers. Qt 6.4 has no colour-scheme API (it
 * arrived in 6.5), so on Linux this asks the XDG desktop portal
 * (org.freedesktop.appearance color-scheme) and follows its
 * SettingChanged signal; when the platform theme already gives a dark
 * palette (KDE), that is kept. Dark uses Fusion with a dark palette.
 */
class SystemTheme : public QObject
{
    Q_OBJECT

public:
    enum class Scheme { NoPreference, Dark, Light };

    explicit SystemTheme(QObject *parent = nullptr);
    // Reads the preference and applies it to the application; then follows changes.
    void follow();
    Scheme scheme() const { return m_scheme; }
    static QPalette darkPalette();

Q_SIGNALS:
    void schemeChanged(Greenroom::App::SystemTheme::Scheme scheme);

private Q_SLOTS:
    void portalSettingChanged(const QString &group, const QString &key, const QDBusVariant &value);

private:
    void apply(Scheme scheme);
    Scheme m_scheme = Scheme::NoPreference;
    QPalette m_platformPalette;
};

// The portal's color-scheme value (0 no preference, 1 dark, 2 light), as a scheme.
SystemTheme::Scheme schemeFromPortal(const QVariant &value);

} // namespace Greenroom::App
