// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// A wizard page's fields by type and by ui:field, driven with QTest
// (offscreen): what each editor stores, the checks each one adds, and
// Secret fields kept out of the parameters.
#include <cachefixture.h>
#include <testconfig.h>

#include <models/catalogcache.h>
#include <widgets/parameterform.h>
#include <widgets/templatewizard.h>
#include <yaml/yamlreader.h>

#include <QCheckBox>
#include <QComboBox>
#include <QGroupBox>
#include <QLabel>
#include <QPushButton>
#include <QJsonArray>
#include <QLineEdit>
#include <QDir>
#include <QListWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace Greenroom;

class TestParameterForm : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void fieldsByType();
    void pickersStoreWhatUpstreamStores();
    void secretsStayOutOfTheParameters();
    void ownedEntitiesAreMineAndMyGroups();
    void wizardSkipsPagesHiddenByWhen();
    void arraysOfObjectsGetAFormPerItem();

private:
    Scaffold::ParameterPage page(const QByteArray &yaml)
    {
        Scaffold::ParameterPage page;
        page.schema = Yaml::YamlReader::read(yaml, QStringLiteral("page.yaml")).documents.value(0).value.toObject();
        return page;
    }
    QTemporaryDir m_dir;
    std::unique_ptr<Ui::CatalogCache> m_cache;
};

void TestParameterForm::initTestCase()
{
    const QString path = m_dir.filePath(QStringLiteral("cache.sqlite"));
    const QString filled = TestSupport::fillCacheFromCatalog(QStringLiteral(GREENROOM_SOURCE_DIR "/resources/demo/catalog-info.yaml"), path);
    QVERIFY2(filled.isEmpty(), qPrintable(filled));
    m_cache = Ui::CatalogCache::open(path);
    QVERIFY(m_cache);
}

void TestParameterForm::fieldsByType()
{
    Ui::ParameterForm form(page(R"(
required: [port]
ui:order: [port, '*']
properties:
  port: {type: integer, minimum: 1024}
  public: {type: boolean}
  regions: {type: array, items: {type: string}}
  flavours: {type: array, uniqueItems: true, items: {type: string, enum: [small, large]}}
  limits:
    type: object
    properties:
      cpu: {type: string, pattern: '^[0-9]+m$'}
)"), *m_cache, {});
    QCOMPARE(form.properties().first(), QStringLiteral("port"));   // ui:order
    auto *port = qobject_cast<QLineEdit *>(form.editor(QStringLiteral("port")));
    QTest::keyClicks(port, QStringLiteral("80"));
    QCOMPARE(form.values().value(QLatin1String("port")).toDouble(), 80.0);
    QCOMPARE(form.message(QStringLiteral("port")), QStringLiteral("must be greater than or equal to 1024"));
    port->clear();
    QTest::keyClicks(port, QStringLiteral("eighty"));
    QCOMPARE(form.values().value(QLatin1String("port")).toString(), QStringLiteral("eighty"));
    QVERIFY(form.message(QStringLiteral("port")).contains(QLatin1String("integer")));
    port->setText(QStringLiteral("8080"));
    QVERIFY(form.isValid());

    qobject_cast<QCheckBox *>(form.editor(QStringLiteral("public")))->setChecked(true);
    QTest::keyClicks(qobject_cast<QLineEdit *>(form.editor(QStringLiteral("regions"))), QStringLiteral("eu-west, us-east"));
    auto *flavours = qobject_cast<QListWidget *>(form.editor(QStringLiteral("flavours")));
    QCOMPARE(flavours->count(), 2);
    flavours->item(1)->setCheckState(Qt::Checked);
    auto *limits = qobject_cast<QGroupBox *>(form.editor(QStringLiteral("limits")));
    QVERIFY(limits);
    QTest::keyClicks(limits->findChild<QLineEdit *>(QStringLiteral("field-cpu")), QStringLiteral("500"));
    QVERIFY(!form.isValid());
    QCOMPARE(form.problems().first().field, QStringLiteral("limits.cpu"));
    QTest::keyClicks(limits->findChild<QLineEdit *>(QStringLiteral("field-cpu")), QStringLiteral("m"));
    QVERIFY(form.isValid());
    QCOMPARE(form.values(), (QJsonObject{{QStringLiteral("port"), 8080},
                                         {QStringLiteral("public"), true},
                                         {QStringLiteral("regions"), QJsonArray{QStringLiteral("eu-west"), QStringLiteral("us-east")}},
                                         {QStringLiteral("flavours"), QJsonArray{QStringLiteral("large")}},
                                         {QStringLiteral("limits"), QJsonObject{{QStringLiteral("cpu"), QStringLiteral("500m")}}}}));
}

void TestParameterForm::arraysOfObjectsGetAFormPerItem()
{
    Ui::ParameterForm form(page(R"(
properties:
  environments:
    type: array
    minItems: 1
    items:
      type: object
      required: [name]
      properties:
        name: {type: string, pattern: '^[a-z]+$'}
        region: {type: string, enum: [eu, us], default: eu}
)"), *m_cache, QJsonObject{{QStringLiteral("environments"), QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("dev")}}}}});
    QWidget *items = form.findChild<QWidget *>(QStringLiteral("items-environments"));
    QVERIFY(items);
    QCOMPARE(items->findChildren<Ui::ParameterForm *>().size(), 1);   // the answer given, one item
    // Add: a new item's defaults are filled in; its required name is asked for.
    QTest::mouseClick(form.findChild<QPushButton *>(QStringLiteral("addItem-environments")), Qt::LeftButton);
    const QList<Ui::ParameterForm *> forms = items->findChildren<Ui::ParameterForm *>();
    QCOMPARE(forms.size(), 2);
    QVERIFY(!form.isValid());
    QCOMPARE(form.problems().first().field, QStringLiteral("environments[1].name"));
    QCOMPARE(form.problems().first().keyword, QStringLiteral("required"));
    QTest::keyClicks(qobject_cast<QLineEdit *>(forms.at(1)->editor(QStringLiteral("name"))), QStringLiteral("prod"));
    qobject_cast<QComboBox *>(forms.at(1)->editor(QStringLiteral("region")))->setCurrentText(QStringLiteral("us"));
    QVERIFY(form.isValid());
    form.resize(700, 360);
    QDir(QStringLiteral(GREENROOM_BINARY_DIR)).mkpath(QStringLiteral("screenshots"));
    QVERIFY(form.grab().save(QStringLiteral(GREENROOM_BINARY_DIR "/screenshots/parameter-array-of-objects.png")));
    QCOMPARE(form.values().value(QLatin1String("environments")).toArray(),
             (QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("dev")}, {QStringLiteral("region"), QStringLiteral("eu")}},
                         QJsonObject{{QStringLiteral("name"), QStringLiteral("prod")}, {QStringLiteral("region"), QStringLiteral("us")}}}));
    // A bad name inside an item is named with its index.
    QTest::keyClicks(qobject_cast<QLineEdit *>(forms.at(1)->editor(QStringLiteral("name"))), QStringLiteral("2"));
    QCOMPARE(form.problems().first().field, QStringLiteral("environments[1].name"));
    QCOMPARE(form.problems().first().keyword, QStringLiteral("pattern"));
    // Remove takes the item out of the answers.
    QTest::mouseClick(forms.at(0)->parentWidget()->findChild<QPushButton *>(QStringLiteral("removeItem")), Qt::LeftButton);
    QCOMPARE(form.values().value(QLatin1String("environments")).toArray().size(), 1);
    QCOMPARE(form.values().value(QLatin1String("environments"))[0][QLatin1String("name")].toString(), QStringLiteral("prod2"));
    QVERIFY(!form.isValid());   // prod2 still breaks the pattern
}

void TestParameterForm::pickersStoreWhatUpstreamStores()
{
    Ui::ParameterForm form(page(R"(
properties:
  component:
    type: string
    ui:field: EntityPicker
    ui:options: {catalogFilter: {kind: Component, spec.type: service}, defaultKind: Component}
  consumers:
    type: array
    ui:field: MultiEntityPicker
    ui:options: {catalogFilter: [{kind: System}]}
  name: {type: string, ui:field: EntityNamePicker}
  tags: {type: array, ui:field: EntityTagsPicker}
  owner: {type: string, ui:field: OwnerPicker}
)"), *m_cache, {});
    auto *component = qobject_cast<QComboBox *>(form.editor(QStringLiteral("component")));
    QStringList components;
    for (int i = 1; i < component->count(); ++i)
        components.append(component->itemData(i).toString());
    QVERIFY2(components.contains(QStringLiteral("checkout-service")), qPrintable(components.join(QLatin1Char(','))));   // kind = defaultKind: left out
    QVERIFY(!components.contains(QStringLiteral("developer-portal")));   // a website, not a service
    component->setCurrentIndex(component->findData(QStringLiteral("checkout-service")));
    QCOMPARE(form.values().value(QLatin1String("component")).toString(), QStringLiteral("checkout-service"));
    // Free text is accepted, as allowArbitraryValues defaults to true.
    component->setEditText(QStringLiteral("component:other/thing"));
    QCOMPARE(form.values().value(QLatin1String("component")).toString(), QStringLiteral("component:other/thing"));

    auto *owner = qobject_cast<QComboBox *>(form.editor(QStringLiteral("owner")));
    bool usersAndGroupsOnly = owner->count() > 1;
    for (int i = 1; i < owner->count(); ++i)
        usersAndGroupsOnly = usersAndGroupsOnly && (owner->itemData(i).toString().startsWith(QLatin1String("group:"))
                                                    || owner->itemData(i).toString().startsWith(QLatin1String("user:")));
    QVERIFY(usersAndGroupsOnly);

    auto *consumers = qobject_cast<QListWidget *>(form.editor(QStringLiteral("consumers")));
    QVERIFY(consumers->count() > 1);
    consumers->item(0)->setCheckState(Qt::Checked);
    QVERIFY(form.values().value(QLatin1String("consumers")).toArray().first().toString().startsWith(QLatin1String("system:")));

    auto *name = qobject_cast<QLineEdit *>(form.editor(QStringLiteral("name")));
    QTest::keyClicks(name, QStringLiteral("-bad-"));
    QVERIFY(form.message(QStringLiteral("name")).startsWith(QLatin1String("Must start and end with an alphanumeric character")));
    name->setText(QStringLiteral("good.name_1"));
    QCOMPARE(form.message(QStringLiteral("name")), QString());

    auto *tags = qobject_cast<QLineEdit *>(form.editor(QStringLiteral("tags")));
    QTest::keyClicks(tags, QStringLiteral("Java, spring-boot"));
    QCOMPARE(form.values().value(QLatin1String("tags")).toArray(), (QJsonArray{QStringLiteral("java"), QStringLiteral("spring-boot")}));
    QTest::keyClicks(tags, QStringLiteral(" bad--tag"));
    QVERIFY(form.message(QStringLiteral("tags")).contains(QLatin1String("\"bad--tag\" is not a valid tag")));
}

void TestParameterForm::secretsStayOutOfTheParameters()
{
    Ui::ParameterForm form(page(R"(
required: [token]
properties:
  token: {type: string, ui:field: Secret}
  team: {type: string}
)"), *m_cache, {});
    auto *token = qobject_cast<QLineEdit *>(form.editor(QStringLiteral("token")));
    QCOMPARE(token->echoMode(), QLineEdit::Password);
    QVERIFY(!form.isValid());   // required, and checked with the rest of the page
    QTest::keyClicks(token, QStringLiteral("s3cret"));
    QTest::keyClicks(qobject_cast<QLineEdit *>(form.editor(QStringLiteral("team"))), QStringLiteral("a"));
    QVERIFY(form.isValid());
    QCOMPARE(form.values(), (QJsonObject{{QStringLiteral("team"), QStringLiteral("a")}}));
    QCOMPARE(form.secrets(), (QJsonObject{{QStringLiteral("token"), QStringLiteral("s3cret")}}));
}

void TestParameterForm::ownedEntitiesAreMineAndMyGroups()
{
    const QByteArray yaml = R"(
properties:
  service: {type: string, ui:field: OwnedEntityPicker, ui:options: {catalogFilter: {kind: Component}}}
)";
    const auto choices = [](Ui::ParameterForm &form) {
        auto *combo = qobject_cast<QComboBox *>(form.editor(QStringLiteral("service")));
        QStringList values;
        for (int i = 1; i < combo->count(); ++i)
            values.append(combo->itemData(i).toString());
        return values;
    };
    Ui::ParameterForm mine(page(yaml), *m_cache, {}, {QStringLiteral("user:default/nobody"), QStringLiteral("group:default/team-checkout")});
    const QStringList owned = choices(mine);
    QVERIFY2(owned.contains(QStringLiteral("component:checkout-service")), qPrintable(owned.join(QLatin1Char(','))));
    QVERIFY(!owned.contains(QStringLiteral("component:developer-portal")));   // team-platform's
    Ui::ParameterForm anyone(page(yaml), *m_cache, {});
    QVERIFY(choices(anyone).size() > owned.size());   // no identity: every component, with a hint
}

void TestParameterForm::wizardSkipsPagesHiddenByWhen()
{
    const QJsonObject templateEntity = Yaml::YamlReader::read(R"(
apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata: {name: conditional}
spec:
  type: service
  steps: []
  parameters:
    - title: Storage
      properties:
        database: {type: string, enum: [none, postgresql], default: none}
    - title: Database size
      when: ${{ parameters.database == 'postgresql' }}
      required: [size]
      properties:
        size: {type: string}
    - title: Name
      properties:
        name: {type: string}
)", QStringLiteral("template.yaml")).documents.value(0).value.toObject();
    Ui::TemplateWizard wizard(templateEntity, *m_cache, {}, QUrl(QStringLiteral("http://127.0.0.1:9")), {});
    QCOMPARE(wizard.pageCount(), 3);
    QTest::mouseClick(wizard.nextButton(), Qt::LeftButton);
    QCOMPARE(wizard.currentPage(), 2);   // no database: the size page is skipped
    QTest::mouseClick(wizard.backButton(), Qt::LeftButton);
    QCOMPARE(wizard.currentPage(), 0);
    auto *database = qobject_cast<QComboBox *>(wizard.form(0)->editor(QStringLiteral("database")));
    database->setCurrentText(QStringLiteral("postgresql"));
    QTest::mouseClick(wizard.nextButton(), Qt::LeftButton);
    QCOMPARE(wizard.currentPage(), 1);
    QTest::keyClicks(qobject_cast<QLineEdit *>(wizard.form(1)->editor(QStringLiteral("size"))), QStringLiteral("large"));
    QCOMPARE(wizard.values().value(QLatin1String("size")).toString(), QStringLiteral("large"));
    // Back to no database: the size answer is dropped from what the task gets, and the review leaves the page out.
    database->setCurrentText(QStringLiteral("none"));
    QVERIFY(!wizard.values().contains(QLatin1String("size")));
    QTest::mouseClick(wizard.nextButton(), Qt::LeftButton);
    QTest::mouseClick(wizard.nextButton(), Qt::LeftButton);
    QVERIFY(wizard.isReviewing());
    QVERIFY(!wizard.reviewLabel()->text().contains(QLatin1String("Database size")));
}

QTEST_MAIN(TestParameterForm)
#include "tst_parameterform.moc"
