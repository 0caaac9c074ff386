// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// The Search page and the Ctrl+K quick search over the demo catalog in the
// desktop cache, with no server: results as you type, type tabs with
// counts, filters, paging, keyboard use, and where results lead.
#include <demowindowfixture.h>
#include <testconfig.h>

#include <dialogs/searchpalette.h>
#include <mainwindow.h>
#include <pages/createpage.h>
#include <pages/searchpage.h>
#include <widgets/templatewizard.h>

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QElapsedTimer>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>

using namespace Greenroom;
using Greenroom::Ui::MainWindow;
using Greenroom::Ui::SearchPage;
using Greenroom::Ui::SearchTarget;

namespace {

const QString CheckoutService = QStringLiteral("component:default/checkout-service");

QStringList refsOf(const QList<SearchTarget> &targets)
{
    QStringList refs;
    for (const SearchTarget &target : targets)
        refs.append(target.entityRef);
    return refs;
}

} // namespace

class TestSearchPage : public QObject, TestSupport::DemoWindowFixture
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup() { closeWindow(); }
    void resultsComeAsYouType();
    void typeTabsCountAndNarrow();
    void filtersNarrow();
    void pagesTurn();
    void keyboardOpensWhatResultsAre();
    void quickSearchLeadsToThePage();
    void typosAreCorrectedAndSaid();
    void aHiddenPageReadsWhenShown();
    void screenshot();

private:
    SearchPage *page() const { return m_window->searchPage(); }
    void type(const QString &text)
    {
        page()->input()->clear();
        QTest::keyClicks(page()->input(), text);
    }
};

void TestSearchPage::aHiddenPageReadsWhenShown()
{
    // The kind filter lists each kind with its count, read from the whole cache.
    auto *kind = page()->findChild<QComboBox *>(QStringLiteral("searchKind"));
    QVERIFY(kind);
    const auto componentLabel = [kind] { return kind->itemText(kind->findData(QStringLiteral("Component"))); };
    const QString before = componentLabel();
    QVERIFY2(before.startsWith(QStringLiteral("Component (")), qPrintable(before));
    // Hidden, the page does not follow the cache...
    m_window->showPage(MainWindow::Page::Catalog);
    QVERIFY(!page()->isVisible());
    QVERIFY(mirrorEntity(QStringLiteral("Component"), QStringLiteral("late-arrival"), {}));
    QSignalSpy changed(m_cache.get(), &Ui::CatalogCache::changed);
    m_cache->notifyChanged(987654);   // as the sync client says a batch was mirrored
    QTRY_COMPARE(changed.count(), 1);
    QCOMPARE(componentLabel(), before);
    // ...and reads it when shown.
    m_window->showPage(MainWindow::Page::Search);
    const qint64 count = before.section(QLatin1Char('('), 1).chopped(1).toLongLong();
    QCOMPARE(componentLabel(), QStringLiteral("Component (%1)").arg(count + 1));
}

void TestSearchPage::initTestCase()
{
    const QString filled = fillDemoCache();
    QVERIFY2(filled.isEmpty(), qPrintable(filled));
    auto cache = Store::SqliteCatalogStore::open(m_cachePath);
    QVERIFY(cache);
    for (const auto &[ref, root] : {std::pair{CheckoutService, QStringLiteral("components/checkout-service")},
                                    std::pair{QStringLiteral("component:default/developer-portal"), QStringLiteral("components/developer-portal")}}) {
        const QString built = TestSupport::storeBuiltDocs(*cache.value(), ref, QStringLiteral(GREENROOM_SOURCE_DIR "/resources/demo/") + root);
        QVERIFY2(built.isEmpty(), qPrintable(built));
    }
}

void TestSearchPage::init()
{
    QVERIFY(openWindow());
    m_window->showPage(MainWindow::Page::Search);
}

void TestSearchPage::resultsComeAsYouType()
{
    page()->input()->clear();
    QStringList firsts;
    QElapsedTimer timer;
    qint64 slowest = 0;
    for (const QChar c : QStringLiteral("checkout")) {
        timer.start();
        QTest::keyClick(page()->input(), c.toLatin1());
        slowest = std::max(slowest, timer.elapsed());
        QVERIFY(!page()->shownTargets().isEmpty());
        firsts.append(page()->shownTargets().first().entityRef);
    }
    // The exact name first once it is typed in full: the system, then the group titled "Checkout".
    QCOMPARE(firsts.last(), QStringLiteral("system:default/checkout"));
    QCOMPARE(page()->shownTargets().value(1).entityRef, QStringLiteral("group:default/team-checkout"));
    qInfo("slowest keystroke with its repaint: %lld ms", slowest);
    QVERIFY(page()->summary()->text().contains(QStringLiteral("of %1").arg(page()->total())));
}

void TestSearchPage::typeTabsCountAndNarrow()
{
    QListWidget *tabs = page()->types();
    QCOMPARE(tabs->count(), 3);
    const auto countIn = [](const QString &text) { return text.section(QLatin1Char('('), 1).chopped(1).toLongLong(); };
    type(QStringLiteral("zzzz"));
    QTRY_COMPARE(countIn(tabs->item(0)->text()), 0);
    // The counts follow the results, once they are painted.
    type(QStringLiteral("checkout"));
    QTRY_VERIFY(countIn(tabs->item(2)->text()) > 0);
    const qint64 all = countIn(tabs->item(0)->text());
    const qint64 catalog = countIn(tabs->item(1)->text());
    const qint64 docs = countIn(tabs->item(2)->text());
    QVERIFY(catalog > 0 && docs > 0);
    QCOMPARE(all, catalog + docs);
    QCOMPARE(page()->total(), all);
    tabs->setCurrentRow(2);
    QCOMPARE(page()->total(), docs);
    for (const SearchTarget &target : page()->shownTargets())
        QCOMPARE(target.kind, SearchTarget::Kind::Docs);
    tabs->setCurrentRow(1);
    QCOMPARE(page()->total(), catalog);
    for (const SearchTarget &target : page()->shownTargets())
        QVERIFY(target.kind != SearchTarget::Kind::Docs);
    tabs->setCurrentRow(0);
}

void TestSearchPage::filtersNarrow()
{
    type(QStringLiteral("checkout"));
    const qint64 everything = page()->total();
    QComboBox *kind = page()->kindFilter();
    kind->setCurrentIndex(kind->findData(QStringLiteral("Component")));
    QVERIFY(page()->total() > 0 && page()->total() < everything);
    for (const QString &ref : refsOf(page()->shownTargets()))
        QVERIFY2(ref.startsWith(QLatin1String("component:")), qPrintable(ref));
    kind->setCurrentIndex(0);

    QComboBox *owner = page()->ownerFilter();
    owner->setCurrentIndex(owner->findData(QStringLiteral("group:default/team-checkout")));
    QVERIFY(page()->total() > 0);
    QVERIFY(refsOf(page()->shownTargets()).contains(CheckoutService));
    QVERIFY(!refsOf(page()->shownTargets()).contains(QStringLiteral("group:default/team-checkout")));   // owns, is not owned by
    owner->setCurrentIndex(0);

    QComboBox *tag = page()->tagFilter();
    tag->setCurrentIndex(tag->findData(QStringLiteral("java")));
    type(QString());
    QVERIFY(page()->total() > 0);
    QVERIFY(refsOf(page()->shownTargets()).contains(QStringLiteral("template:default/spring-boot-microservice")));
    tag->setCurrentIndex(0);

    QCheckBox *experimental = nullptr;
    for (QCheckBox *box : page()->lifecycleFilters()) {
        if (box->text() == QLatin1String("experimental"))
            experimental = box;
    }
    QVERIFY(experimental);
    experimental->setChecked(true);
    const qint64 experimentalOnly = page()->total();
    QVERIFY(experimentalOnly > 0);
    QVERIFY(experimentalOnly < m_cache->store().entityCount());
    experimental->setChecked(false);
}

void TestSearchPage::pagesTurn()
{
    type(QString());   // no words: every document, by title
    QVERIFY(page()->total() > SearchPage::PageSize);
    QVERIFY(!page()->previousPage()->isEnabled());
    QVERIFY(page()->nextPage()->isEnabled());
    const QStringList first = refsOf(page()->shownTargets());
    QCOMPARE(first.size(), SearchPage::PageSize);
    QTest::keyClick(page()->input(), Qt::Key_PageDown);
    const QStringList second = refsOf(page()->shownTargets());
    QVERIFY(!second.isEmpty());
    QVERIFY(second.first() != first.first());
    QVERIFY(page()->summary()->text().startsWith(QStringLiteral("26–")));
    QVERIFY(page()->previousPage()->isEnabled());
    QTest::mouseClick(page()->previousPage(), Qt::LeftButton);
    QCOMPARE(refsOf(page()->shownTargets()), first);
    // New words start again at the first page.
    QTest::keyClick(page()->input(), Qt::Key_PageDown);
    type(QStringLiteral("service"));
    QVERIFY(page()->summary()->text().startsWith(QStringLiteral("1–")));
}

void TestSearchPage::keyboardOpensWhatResultsAre()
{
    // An entity.
    type(QStringLiteral("checkout service"));
    QCOMPARE(page()->shownTargets().first().entityRef, CheckoutService);
    QTest::keyClick(page()->input(), Qt::Key_Return);
    QCOMPARE(m_window->currentPage(), MainWindow::Page::Entity);
    QCOMPARE(m_window->currentEntity(), CheckoutService);

    // A template opens its wizard.
    m_window->showPage(MainWindow::Page::Search);
    type(QStringLiteral("spring boot microservice"));
    QCOMPARE(page()->shownTargets().first().kind, SearchTarget::Kind::Template);
    QTest::keyClick(page()->input(), Qt::Key_Return);
    QCOMPARE(m_window->currentPage(), MainWindow::Page::Create);
    QCOMPARE(m_window->createPage()->wizard()->templateRef(), QStringLiteral("template:default/spring-boot-microservice"));

    // A docs section: the arrows reach it, Enter opens the reader there.
    m_window->showPage(MainWindow::Page::Search);
    type(QStringLiteral("acquirer"));
    const QList<SearchTarget> targets = page()->shownTargets();
    qsizetype row = -1;
    for (qsizetype i = 0; i < targets.size() && row < 0; ++i) {
        if (targets.at(i).kind == SearchTarget::Kind::Docs)
            row = i;
    }
    QVERIFY(row >= 0);
    for (qsizetype i = 0; i < row; ++i)
        QTest::keyClick(page()->input(), Qt::Key_Down);
    QCOMPARE(page()->results()->currentRow(), int(row));
    QTest::keyClick(page()->input(), Qt::Key_Return);
    QCOMPARE(m_window->currentPage(), MainWindow::Page::Docs);
    QCOMPARE(m_window->currentEntity(), CheckoutService);
    QVERIFY2(targets.at(row).docsLocation.startsWith(QLatin1String("runbook/")), qPrintable(targets.at(row).docsLocation));

    // Esc clears the words.
    m_window->showPage(MainWindow::Page::Search);
    type(QStringLiteral("checkout"));
    QTest::keyClick(page()->input(), Qt::Key_Escape);
    QVERIFY(page()->input()->text().isEmpty());
}

void TestSearchPage::quickSearchLeadsToThePage()
{
    m_window->showPage(MainWindow::Page::Catalog);
    m_window->openSearch();   // Ctrl+K (tst_mainwindow presses it)
    Ui::SearchPalette *palette = m_window->searchPalette();
    QTRY_VERIFY(palette->isVisible());
    QTest::keyClicks(palette->input(), QStringLiteral("payment"));
    QListWidget *results = palette->results();
    QVERIFY(results->count() >= 2);
    QVERIFY(results->item(results->count() - 1)->text().contains(QLatin1String("Search page")));
    results->setCurrentRow(results->count() - 1);
    QTest::keyClick(palette->input(), Qt::Key_Return);
    QVERIFY(!palette->isVisible());
    QCOMPARE(m_window->currentPage(), MainWindow::Page::Search);
    QCOMPARE(page()->input()->text(), QStringLiteral("payment"));
    QVERIFY(page()->total() >= results->count() - 1);
    // And a link: greenroom://search?query=...
    QVERIFY(m_window->openUrl(QUrl(QStringLiteral("greenroom://search?query=team%20checkout"))));
    QCOMPARE(page()->input()->text(), QStringLiteral("team checkout"));
    QCOMPARE(page()->shownTargets().first().entityRef, QStringLiteral("group:default/team-checkout"));
}

void TestSearchPage::typosAreCorrectedAndSaid()
{
    type(QStringLiteral("chekout"));
    QVERIFY(!page()->shownTargets().isEmpty());
    QCOMPARE(page()->shownTargets().first().entityRef, QStringLiteral("system:default/checkout"));
    QLabel *corrections = page()->findChild<QLabel *>(QStringLiteral("searchCorrections"));
    QVERIFY(corrections && corrections->isVisible());
    QVERIFY(corrections->text().contains(QLatin1String("checkout")));
    type(QStringLiteral("checkout"));
    QVERIFY(!corrections->isVisible());
}

void TestSearchPage::screenshot()
{
    type(QStringLiteral("payment"));
    QTest::qWait(100);
    const QImage image = m_window->grab().toImage();
    QDir out(QStringLiteral(GREENROOM_BINARY_DIR "/screenshots"));
    QVERIFY(out.mkpath(QStringLiteral(".")));
    QVERIFY(image.save(out.filePath(QStringLiteral("search-page.png"))));
}

QTEST_MAIN(TestSearchPage)
#include "tst_searchpage.moc"
