// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// Server tokens go to the OS keychain, never to the settings file: written,
// read back, replaced and deleted through QtKeychain against a real Secret
// Service (GNOME Keyring on a private D-Bus session: tests/ui/with-keyring.sh),
// and the settings page's save flow leaves no trace of the token on disk.
#include <testconfig.h>

#include <models/catalogcache.h>
#include <models/serverprofiles.h>
#include <models/tokenvault.h>
#include <models/userpreferences.h>
#include <pages/settingspage.h>

#include <QEventLoop>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

using namespace Greenroom::Ui;

namespace {

std::pair<QString, QString> readToken(TokenVault &vault, const QString &profile)
{
    std::pair<QString, QString> answer;
    QEventLoop loop;
    vault.read(profile, [&](const QString &token, const QString &error) {
        answer = {token, error};
        loop.quit();
    });
    loop.exec();
    return answer;
}

QString writeToken(TokenVault &vault, const QString &profile, const QString &token)
{
    QString answer;
    QEventLoop loop;
    vault.write(profile, token, [&](const QString &error) {
        answer = error;
        loop.quit();
    });
    loop.exec();
    return answer;
}

} // namespace

class TestTokenVault : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void writeReadReplaceDelete();
    void settingsPageKeepsTheTokenOutOfTheSettingsFile();

private:
    // A service name of this run's own, so runs never see each other's tokens.
    const QString m_service = QStringLiteral("greenroom-test-%1").arg(QUuid::createUuid().toString(QUuid::Id128));
};

void TestTokenVault::writeReadReplaceDelete()
{
    TokenVault vault(m_service);
    QCOMPARE(readToken(vault, QStringLiteral("work")), std::make_pair(QString(), QString()));   // nothing yet, no error
    QCOMPARE(writeToken(vault, QStringLiteral("work"), QStringLiteral("s3cret-1")), QString());
    QCOMPARE(readToken(vault, QStringLiteral("work")).first, QStringLiteral("s3cret-1"));
    QCOMPARE(readToken(vault, QStringLiteral("home")).first, QString());   // per profile
    QCOMPARE(writeToken(vault, QStringLiteral("work"), QStringLiteral("s3cret-2")), QString());
    QCOMPARE(readToken(vault, QStringLiteral("work")).first, QStringLiteral("s3cret-2"));
    QCOMPARE(writeToken(vault, QStringLiteral("work"), QString()), QString());   // empty deletes
    QCOMPARE(readToken(vault, QStringLiteral("work")), std::make_pair(QString(), QString()));
    QCOMPARE(writeToken(vault, QStringLiteral("never-stored"), QString()), QString());
}

void TestTokenVault::settingsPageKeepsTheTokenOutOfTheSettingsFile()
{
    QTemporaryDir dir;
    const QString settingsPath = dir.filePath(QStringLiteral("settings.ini"));
    QSettings settings(settingsPath, QSettings::IniFormat);
    auto cache = CatalogCache::open(dir.filePath(QStringLiteral("cache.sqlite")));
    QVERIFY(cache);
    UserPreferences preferences(settings, QStringLiteral("work"));
    ServerProfiles profiles(settings);
    TokenVault vault(m_service);
    SettingsPage page(*cache, preferences, &profiles, &vault);
    page.nameEdit()->setText(QStringLiteral("work"));
    page.urlEdit()->setText(QStringLiteral("https://portal.example.com"));
    page.tokenEdit()->setText(QStringLiteral("tok-abcdef-123456"));
    page.saveProfile();
    QTRY_VERIFY_WITH_TIMEOUT(page.message()->text().startsWith(QLatin1String("Saved")), 10000);
    QVERIFY2(page.message()->text().contains(QLatin1String("its token is in the keychain")), qPrintable(page.message()->text()));
    QVERIFY(page.tokenEdit()->text().isEmpty());
    QCOMPARE(profiles.find(QStringLiteral("work"))->url, QUrl(QStringLiteral("https://portal.example.com")));
    settings.sync();
    QFile file(settingsPath);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray written = file.readAll();
    QVERIFY(written.contains("portal.example.com"));
    QVERIFY(!written.contains("tok-abcdef-123456"));
    QCOMPARE(readToken(vault, QStringLiteral("work")).first, QStringLiteral("tok-abcdef-123456"));
    QCOMPARE(writeToken(vault, QStringLiteral("work"), QString()), QString());

    // A profile without a name or with a URL that is not http(s) is refused.
    page.nameEdit()->setText(QString());
    page.saveProfile();
    QVERIFY(page.message()->text().contains(QLatin1String("needs a name")));
    page.nameEdit()->setText(QStringLiteral("ftp"));
    page.urlEdit()->setText(QStringLiteral("ftp://files.example.com"));
    page.saveProfile();
    QVERIFY(!profiles.find(QStringLiteral("ftp")));
}

QTEST_MAIN(TestTokenVault)
#include "tst_tokenvault.moc"
