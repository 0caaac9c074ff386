// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// The theme follows the desktop's colour scheme as the XDG desktop portal
// tells it: a small portal on a private session bus (tests/ui/with-keyring.sh
// starts one) speaking org.freedesktop.portal.Settings — Read and
// SettingChanged — as xdg-desktop-portal does.
#include <systemtheme.h>

#include <QApplication>
#include <QDBusConnection>
#include <QDBusMessage>
#include <QSignalSpy>
#include <QTest>

namespace {

class FakePortal : public QObject
{
    Q_OBJECT
    Q_CLASSINFO("D-Bus Interface", "org.freedesktop.portal.Settings")

public:
    uint scheme = 1;   // prefer dark

public Q_SLOTS:
    // The v1 interface answers a variant holding a variant.
    QDBusVariant Read(const QString &group, const QString &key)
    {
        if (group != QLatin1String("org.freedesktop.appearance") || key != QLatin1String("color-scheme"))
            return QDBusVariant(QVariant::fromValue(QDBusVariant(QString())));
        return QDBusVariant(QVariant::fromValue(QDBusVariant(scheme)));
    }

Q_SIGNALS:
    void SettingChanged(const QString &group, const QString &key, const QDBusVariant &value);
};

} // namespace

class TestSystemTheme : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void portalValues();
    void followsThePortal();
};

void TestSystemTheme::portalValues()
{
    using Scheme = Greenroom::App::SystemTheme::Scheme;
    QCOMPARE(Greenroom::App::schemeFromPortal(1u), Scheme::Dark);
    QCOMPARE(Greenroom::App::schemeFromPortal(2u), Scheme::Light);
    QCOMPARE(Greenroom::App::schemeFromPortal(0u), Scheme::NoPreference);
    QCOMPARE(Greenroom::App::schemeFromPortal(QVariant::fromValue(QDBusVariant(1u))), Scheme::Dark);
    QCOMPARE(Greenroom::App::schemeFromPortal(QStringLiteral("dark")), Scheme::NoPreference);
}

void TestSystemTheme::followsThePortal()
{
    QDBusConnection bus = QDBusConnection::sessionBus();
    QVERIFY2(bus.isConnected(), "needs a session bus: run through tests/ui/with-keyring.sh");
    FakePortal portal;
    QVERIFY(bus.registerObject(QStringLiteral("/org/freedesktop/portal/desktop"), &portal, QDBusConnection::ExportAllSlots | QDBusConnection::ExportAllSignals));
    QVERIFY(bus.registerService(QStringLiteral("org.freedesktop.portal.Desktop")));

    const QColor lightWindow = QApplication::palette().color(QPalette::Window);
    QVERIFY(lightWindow.lightness() >= 128);   // Fusion's default under the offscreen platform
    Greenroom::App::SystemTheme theme;
    QSignalSpy changed(&theme, &Greenroom::App::SystemTheme::schemeChanged);
    theme.follow();
    QCOMPARE(theme.scheme(), Greenroom::App::SystemTheme::Scheme::Dark);
    QVERIFY(QApplication::palette().color(QPalette::Window).lightness() < 128);
    QVERIFY(QApplication::palette().color(QPalette::Text).lightness() > 128);

    // The desktop switches to light: so does the app, without a restart.
    portal.scheme = 2;
    QDBusMessage signal = QDBusMessage::createSignal(QStringLiteral("/org/freedesktop/portal/desktop"),
                                                     QStringLiteral("org.freedesktop.portal.Settings"), QStringLiteral("SettingChanged"));
    signal << QStringLiteral("org.freedesktop.appearance") << QStringLiteral("color-scheme") << QVariant::fromValue(QDBusVariant(2u));
    QVERIFY(bus.send(signal));
    QTRY_COMPARE(theme.scheme(), Greenroom::App::SystemTheme::Scheme::Light);
    QCOMPARE(QApplication::palette().color(QPalette::Window), lightWindow);
    QCOMPARE(changed.size(), 2);
}

QTEST_MAIN(TestSystemTheme)
#include "tst_systemtheme.moc"
