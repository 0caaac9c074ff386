// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// An entity provider's set: full and delta mutations, and the store write
// it becomes (valid entities written, invalid ones errors of the origin).
#include <ingest/providedentities.h>

#include <QJsonDocument>
#include <QTest>

using namespace Greenroom;

namespace {

QJsonObject component(const QString &name)
{
    return QJsonDocument::fromJson(QStringLiteral("{\"apiVersion\": \"backstage.io/v1alpha1\", \"kind\": \"Component\", \"metadata\": {\"name\": \"%1\"},"
                                                  " \"spec\": {\"type\": \"service\", \"lifecycle\": \"production\", \"owner\": \"team-a\"}}")
                                       .arg(name)
                                       .toUtf8())
        .object();
}

QJsonObject nameless(const QString &marker)
{
    return QJsonObject{{QStringLiteral("apiVersion"), QStringLiteral("backstage.io/v1alpha1")},
                       {QStringLiteral("kind"), QStringLiteral("Component")},
                       {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("title"), marker}}}};
}

QStringList writtenRefs(const Store::LocationWrite &write)
{
    QStringList refs;
    for (const Store::EntityWrite &entity : write.entities)
        refs.append(entity.ref);
    refs.sort();
    return refs;
}

} // namespace

class TestProvidedEntities : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void deltasAddReplaceAndRemove();
    void everyInvalidEntityStaysAnError();
};

void TestProvidedEntities::deltasAddReplaceAndRemove()
{
    Ingest::ProvidedEntities provided(QStringLiteral("fixture"));
    provided.applyFull({component(QStringLiteral("a")), component(QStringLiteral("b"))});
    QCOMPARE(provided.write().originKey, QStringLiteral("provider:fixture"));
    QCOMPARE(writtenRefs(provided.write()), (QStringList{QStringLiteral("component:default/a"), QStringLiteral("component:default/b")}));
    // Removed by any spelling of the ref; added by kind and name.
    provided.applyDelta({component(QStringLiteral("c"))}, {QStringLiteral("Component:default/A")});
    QCOMPARE(writtenRefs(provided.write()), (QStringList{QStringLiteral("component:default/b"), QStringLiteral("component:default/c")}));
    provided.applyFull({component(QStringLiteral("d"))});
    QCOMPARE(writtenRefs(provided.write()), QStringList{QStringLiteral("component:default/d")});
}

void TestProvidedEntities::everyInvalidEntityStaysAnError()
{
    // Entities without a name have no ref to be kept under: each delta's must stay, none replacing another.
    Ingest::ProvidedEntities provided(QStringLiteral("fixture"));
    provided.applyFull({component(QStringLiteral("a")), nameless(QStringLiteral("first")), component(QStringLiteral("b"))});
    provided.applyDelta({nameless(QStringLiteral("second"))}, {QStringLiteral("component:default/a")});
    provided.applyDelta({nameless(QStringLiteral("third"))}, {QStringLiteral("component:default/b")});
    const Store::LocationWrite write = provided.write();
    QVERIFY(write.entities.isEmpty());
    QCOMPARE(write.errors.size(), 3);
    for (const Store::ProcessingErrorRecord &error : write.errors) {
        QCOMPARE(error.originKey, QStringLiteral("provider:fixture"));
        QVERIFY(error.entityRef.isEmpty());
        QVERIFY2(error.message.contains(QLatin1String("name")), qPrintable(error.message));
    }
}

QTEST_GUILESS_MAIN(TestProvidedEntities)
#include "tst_providedentities.moc"
