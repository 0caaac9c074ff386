// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "entitypage.h"

#include "models/catalogcache.h"
#include "models/entitypresentation.h"
#include "models/userpreferences.h"
#include "text/codehighlighter.h"
#include "widgets/docsreader.h"
#include "widgets/heading.h"
#include "widgets/relationgraphview.h"

#include <model/annotations.h>
#include <model/entityref.h>
#include <model/relation.h>
#include <yaml/yamlwriter.h>

#include <QCheckBox>
#include <QComboBox>
#include <QDesktopServices>
#include <QFileDialog>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QLabel>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSyntaxHighlighter>
#include <QTabWidget>
#include <QToolButton>
#include <QUrl>
#include <QVBoxLayout>

namespace Greenroom::Ui {

namespace {

using namespace EntityPresentation;

// Relation lists of the Overview tab, in the order Backstage's cards appear.
const QList<std::pair<QString, const char *>> &relationTitles()
{
    static const QList<std::pair<QString, const char *>> titles{
        {QStringLiteral("hasPart"), QT_TRANSLATE_NOOP("EntityPage", "Has part")},
        {QStringLiteral("partOf"), QT_TRANSLATE_NOOP("EntityPage", "Part of")},
        {QStringLiteral("providesApi"), QT_TRANSLATE_NOOP("EntityPage", "Provided APIs")},
        {QStringLiteral("consumesApi"), QT_TRANSLATE_NOOP("EntityPage", "Consumed APIs")},
        {QStringLiteral("apiProvidedBy"), QT_TRANSLATE_NOOP("EntityPage", "Providers")},
        {QStringLiteral("apiConsumedBy"), QT_TRANSLATE_NOOP("EntityPage", "Consumers")},
        {QStringLiteral("dependsOn"), QT_TRANSLATE_NOOP("EntityPage", "Depends on")},
        {QStringLiteral("dependencyOf"), QT_TRANSLATE_NOOP("EntityPage", "Dependency of")},
        {QStringLiteral("hasMember"), QT_TRANSLATE_NOOP("EntityPage", "Members")},
        {QStringLiteral("memberOf"), QT_TRANSLATE_NOOP("EntityPage", "Groups")},
        {QStringLiteral("parentOf"), QT_TRANSLATE_NOOP("EntityPage", "Child groups")},
        {QStringLiteral("childOf"), QT_TRANSLATE_NOOP("EntityPage", "Parent group")},
        {QStringLiteral("ownerOf"), QT_TRANSLATE_NOOP("EntityPage", "Owns")},
    };
    return titles;
}

bool isDark(const QWidget *widget)
{
    return widget->palette().color(QPalette::Base).lightness() < 128;
}

QPlainTextEdit *codeView()
{
    auto *view = new QPlainTextEdit;
    view->setReadOnly(true);
    view->setLineWrapMode(QPlainTextEdit::NoWrap);
    QFont mono(QStringLiteral("monospace"));
    mono.setStyleHint(QFont::TypeWriter);
    view->setFont(mono);
    return view;
}

} // namespace

EntityPage::EntityPage(CatalogCache &cache, UserPreferences &preferences, DocsWeb *docs, QWidget *parent)
    : QWidget(parent), m_cache(cache), m_preferences(preferences)
{
    m_kindLabel = new QLabel;
    m_kindLabel->setObjectName(QStringLiteral("entityKind"));
    m_titleLabel = makeHeading();
    m_titleLabel->setObjectName(QStringLiteral("entityTitle"));
    m_titleLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_subtitle = new QLabel;
    m_subtitle->setObjectName(QStringLiteral("entitySubtitle"));
    m_subtitle->setTextFormat(Qt::RichText);
    connect(m_subtitle, &QLabel::linkActivated, this, &EntityPage::entityActivated);
    m_star = new QToolButton;
    m_star->setObjectName(QStringLiteral("starButton"));
    m_star->setCheckable(true);
    m_star->setToolTip(tr("Add to favourites"));
    connect(m_star, &QToolButton::toggled, this, [this](bool on) {
        if (!m_ref.isEmpty())
            m_preferences.setStarred(m_ref, on);
        updateStar();
    });

    m_launch = new QPushButton(tr("Launch template"));
    m_launch->setObjectName(QStringLiteral("launchTemplate"));
    m_launch->hide();
    connect(m_launch, &QPushButton::clicked, this, [this] { Q_EMIT templateLaunched(m_ref); });

    auto *header = new QHBoxLayout;
    auto *titles = new QVBoxLayout;
    titles->addWidget(m_kindLabel);
    titles->addWidget(m_titleLabel);
    titles->addWidget(m_subtitle);
    header->addLayout(titles, 1);
    header->addWidget(m_launch, 0, Qt::AlignTop);
    header->addWidget(m_star, 0, Qt::AlignTop);

    m_tabs = new QTabWidget;
    m_tabs->setObjectName(QStringLiteral("entityTabs"));
    m_tabs->setDocumentMode(true);

    // Overview: rebuilt per entity inside a scroll area.
    auto *scroll = new QScrollArea;
    scroll->setWidgetResizable(true);
    m_overview = new QWidget;
    m_overviewLayout = new QGridLayout(m_overview);
    scroll->setWidget(m_overview);
    m_tabs->addTab(scroll, tr("Overview"));

    // Relations: the graph with its controls.
    auto *relations = new QWidget;
    auto *relationsLayout = new QVBoxLayout(relations);
    auto *controls = new QHBoxLayout;
    auto *depth = new QComboBox;
    depth->setObjectName(QStringLiteral("graphDepth"));
    for (int d : {1, 2, 3})
        depth->addItem(tr("Depth %1").arg(d), d);
    depth->addItem(tr("Any depth"), 0);
    auto *relationFilter = new QComboBox;
    relationFilter->setObjectName(QStringLiteral("graphRelations"));
    relationFilter->addItem(tr("All relations"), QString());
    for (const auto &[forward, inverse] : RelationGraphView::relationPairs())
        relationFilter->addItem(QStringLiteral("%1 / %2").arg(forward, inverse), forward);
    auto *fitButton = new QPushButton(tr("Fit"));
    auto *zoomIn = new QPushButton(tr("Zoom in"));
    auto *zoomOut = new QPushButton(tr("Zoom out"));
    auto *exportButton = new QPushButton(tr("Export…"));
    controls->addWidget(depth);
    controls->addWidget(relationFilter);
    controls->addStretch(1);
    for (QPushButton *button : {fitButton, zoomIn, zoomOut, exportButton})
        controls->addWidget(button);
    m_graph = new RelationGraphView(cache);
    m_graph->setObjectName(QStringLiteral("relationGraph"));
    relationsLayout->addLayout(controls);
    relationsLayout->addWidget(m_graph, 1);
    m_tabs->addTab(relations, tr("Relations"));
    connect(depth, &QComboBox::currentIndexChanged, this, [this, depth] { m_graph->setMaxDepth(depth->currentData().toInt()); });
    connect(relationFilter, &QComboBox::currentIndexChanged, this, [this, relationFilter] {
        const QString forward = relationFilter->currentData().toString();
        m_graph->setRelationFilter(forward.isEmpty() ? QSet<QString>{} : QSet<QString>{forward});
    });
    connect(fitButton, &QPushButton::clicked, m_graph, &RelationGraphView::fit);
    connect(zoomIn, &QPushButton::clicked, this, [this] { m_graph->zoomBy(1.25); });
    connect(zoomOut, &QPushButton::clicked, this, [this] { m_graph->zoomBy(0.8); });
    connect(exportButton, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export graph"), m_ref.section(QLatin1Char('/'), -1) + QStringLiteral(".svg"),
                                                          tr("SVG image (*.svg);;PNG image (*.png)"));
        if (!path.isEmpty())
            m_graph->exportTo(path);
    });
    connect(m_graph, &RelationGraphView::entityActivated, this, &EntityPage::entityActivated);

    m_definition = codeView();
    m_definition->setObjectName(QStringLiteral("definition"));
    m_tabs->addTab(m_definition, tr("Definition"));
    if (docs) {
        // The reader opens the site when the tab is first shown, not with the page.
        m_docs = new DocsReader(*docs);
        m_docs->setObjectName(QStringLiteral("entityDocs"));
        m_tabs->addTab(m_docs, tr("Docs"));
        connect(m_docs, &DocsReader::entityLinkActivated, this, &EntityPage::entityActivated);
        connect(m_tabs, &QTabWidget::currentChanged, this, [this](int index) {
            if (index >= 0 && index == docsTab() && m_docs->entityRef() != m_ref)
                m_docs->open(m_ref);
        });
    }
    m_yaml = codeView();
    m_yaml->setObjectName(QStringLiteral("yaml"));
    highlightCode(m_yaml->document(), QStringLiteral("yaml"), isDark(this));
    m_tabs->addTab(m_yaml, tr("YAML"));
    m_problems = new QListWidget;
    m_problems->setObjectName(QStringLiteral("problems"));
    m_problems->setWordWrap(true);
    m_tabs->addTab(m_problems, tr("Problems"));

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(header);
    layout->addWidget(m_tabs, 1);

    connect(&m_cache, &CatalogCache::changed, this, [this] {
        if (m_ref.isEmpty())
            return;
        if (m_cache.entity(m_ref) != m_entity) {
            rebuild();
        } else if (m_docs) {
            // Docs arrive, change or go without their entity changing.
            m_tabs->setTabVisible(m_tabs->indexOf(m_docs), hasDocs());
            m_docs->refresh();
        }
    });
}

bool EntityPage::hasDocs()
{
    // Built and synced, or documented and built when first opened (the reader asks the server).
    return m_cache.store().docsSite(m_ref).has_value()
           || !Model::annotation(m_entity, Model::Annotations::TechDocsRef).isEmpty();
}

int EntityPage::docsTab() const
{
    const int index = m_docs ? m_tabs->indexOf(m_docs) : -1;
    return index >= 0 && m_tabs->isTabVisible(index) ? index : -1;
}

QListWidget *EntityPage::relationList(const QString &title) const
{
    return m_relationLists.value(title);
}

bool EntityPage::showEntity(const QString &ref)
{
    m_ref = ref.toLower();
    rebuild();
    m_tabs->setCurrentIndex(0);
    return !m_entity.isEmpty();
}

void EntityPage::rebuild()
{
    m_entity = m_cache.entity(m_ref);
    const QJsonObject metadata = m_entity.value(QLatin1String("metadata")).toObject();
    const QJsonObject spec = m_entity.value(QLatin1String("spec")).toObject();
    if (m_entity.isEmpty()) {
        m_kindLabel->setText(kindOf(m_ref));
        m_titleLabel->setText(Model::EntityRef::humanize(m_ref));
        m_subtitle->setText(tr("This entity is not in the catalog (any more)."));
    } else {
        const QString kind = m_entity.value(QLatin1String("kind")).toString();
        m_kindLabel->setText(spec.value(QLatin1String("type")).isString()
                                 ? QStringLiteral("%1 — %2").arg(kind, spec.value(QLatin1String("type")).toString())
                                 : kind);
        m_titleLabel->setText(displayName(m_entity));
        QStringList parts;
        for (const QString &owner : Model::relationTargets(m_entity, QStringLiteral("ownedBy")))
            parts.append(tr("Owner: <a href=\"%1\">%2</a>").arg(owner, Model::EntityRef::humanize(owner, QStringLiteral("group"))));
        if (spec.contains(QLatin1String("lifecycle")))
            parts.append(tr("Lifecycle: %1").arg(spec.value(QLatin1String("lifecycle")).toString().toHtmlEscaped()));
        m_subtitle->setText(parts.join(QStringLiteral(" &nbsp;·&nbsp; ")));
    }
    updateStar();
    m_launch->setVisible(!m_entity.isEmpty() && kindOf(m_ref) == QLatin1String("template"));
    rebuildOverview();
    m_graph->setRoot(m_ref);

    const bool isApi = kindOf(m_ref) == QLatin1String("api");
    m_tabs->setTabVisible(m_tabs->indexOf(m_definition), isApi);
    if (isApi) {
        const QString definition = spec.value(QLatin1String("definition")).toString();
        m_definition->setPlainText(definition);
        if (QSyntaxHighlighter *old = m_definition->document()->findChild<QSyntaxHighlighter *>())
            delete old;
        highlightCode(m_definition->document(), languageOfApiType(spec.value(QLatin1String("type")).toString(), definition),
                      isDark(this));
    }
    if (m_docs) {
        const bool documented = hasDocs();
        m_tabs->setTabVisible(m_tabs->indexOf(m_docs), documented);
        if (documented && m_tabs->currentWidget() == m_docs)
            m_docs->open(m_ref, m_docs->entityRef() == m_ref ? m_docs->location() : QString());
    }
    m_yaml->setPlainText(m_entity.isEmpty() ? QString()
                                            : QString::fromUtf8(Yaml::writeYamlDocuments({m_entity})));

    m_problems->clear();
    const QJsonArray items = m_entity.value(QLatin1String("status")).toObject().value(QLatin1String("items")).toArray();
    for (const QJsonValue &item : items) {
        const QString level = item[QLatin1String("level")].toString();
        const QString message = item[QLatin1String("error")][QLatin1String("message")].toString();
        const QString name = item[QLatin1String("error")][QLatin1String("name")].toString();
        m_problems->addItem(QStringLiteral("%1 — %2: %3").arg(level, name, message));
    }
    if (items.isEmpty())
        m_problems->addItem(tr("No problems: the catalog processed this entity cleanly."));
    m_tabs->setTabText(m_tabs->indexOf(m_problems), items.isEmpty() ? tr("Problems") : tr("Problems (%1)").arg(items.size()));
}

void EntityPage::rebuildOverview()
{
    while (QLayoutItem *item = m_overviewLayout->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    m_relationLists.clear();
    if (m_entity.isEmpty())
        return;
    const QJsonObject metadata = m_entity.value(QLatin1String("metadata")).toObject();
    const QJsonObject spec = m_entity.value(QLatin1String("spec")).toObject();

    // The About card.
    auto *about = new QGroupBox(tr("About"));
    about->setObjectName(QStringLiteral("aboutCard"));
    auto *form = new QFormLayout(about);
    auto link = [this](const QStringList &refs, const QString &defaultKind) {
        QStringList links;
        for (const QString &ref : refs)
            links.append(QStringLiteral("<a href=\"%1\">%2</a>").arg(ref.toHtmlEscaped(), Model::EntityRef::humanize(ref, defaultKind).toHtmlEscaped()));
        auto *label = new QLabel(links.isEmpty() ? tr("No information") : links.join(QStringLiteral(", ")));
        label->setTextFormat(Qt::RichText);
        connect(label, &QLabel::linkActivated, this, &EntityPage::entityActivated);
        return label;
    };
    auto text = [](const QString &value) {
        auto *label = new QLabel(value.isEmpty() ? QObject::tr("No information") : value);
        label->setWordWrap(true);
        label->setTextInteractionFlags(Qt::TextSelectableByMouse);
        return label;
    };
    form->addRow(tr("Description"), text(metadata.value(QLatin1String("description")).toString()));
    form->addRow(tr("Owner"), link(Model::relationTargets(m_entity, QStringLiteral("ownedBy")), QStringLiteral("group")));
    const QStringList systems = Model::relationTargets(m_entity, QStringLiteral("partOf"), QStringLiteral("system"));
    form->addRow(tr("System"), link(systems, QStringLiteral("system")));
    // The domain: the entity's own (a system's), else its system's.
    QStringList domains = Model::relationTargets(m_entity, QStringLiteral("partOf"), QStringLiteral("domain"));
    if (domains.isEmpty() && !systems.isEmpty())
        domains = Model::relationTargets(m_cache.entity(systems.first()), QStringLiteral("partOf"), QStringLiteral("domain"));
    form->addRow(tr("Domain"), link(domains, QStringLiteral("domain")));
    form->addRow(tr("Type"), text(spec.value(QLatin1String("type")).toString()));
    form->addRow(tr("Lifecycle"), text(spec.value(QLatin1String("lifecycle")).toString()));
    QStringList tags;
    for (const QJsonValue &tag : metadata.value(QLatin1String("tags")).toArray())
        tags.append(tag.toString());
    form->addRow(tr("Tags"), text(tags.join(QStringLiteral(", "))));
    QStringList links;
    for (const QJsonValue &entry : metadata.value(QLatin1String("links")).toArray()) {
        const QString url = entry[QLatin1String("url")].toString();
        const QString title = entry[QLatin1String("title")].toString();
        links.append(QStringLiteral("<a href=\"%1\">%2</a>").arg(url.toHtmlEscaped(), (title.isEmpty() ? url : title).toHtmlEscaped()));
    }
    // Backstage's "View source" and "Edit" (the catalog adds both for entities read from an SCM host); web links only.
    const QJsonObject annotations = metadata.value(QLatin1String("annotations")).toObject();
    const auto webLink = [](QString url, const QString &label, const QString &name) -> QLabel * {
        const QUrl parsed(url);
        if (!parsed.isValid() || (parsed.scheme() != QLatin1String("https") && parsed.scheme() != QLatin1String("http")))
            return nullptr;
        auto *anchor = new QLabel(QStringLiteral("<a href=\"%1\">%2</a>").arg(url.toHtmlEscaped(), label.toHtmlEscaped()));
        anchor->setObjectName(name);
        anchor->setTextFormat(Qt::RichText);
        anchor->setOpenExternalLinks(true);
        anchor->setToolTip(url);
        return anchor;
    };
    const QString source = annotations.value(Model::Annotations::SourceLocation).toString();
    auto *sourceRow = new QHBoxLayout;
    if (source.startsWith(QLatin1String("url:")))
        if (QLabel *view = webLink(source.mid(4), tr("View source"), QStringLiteral("viewSourceLink")))
            sourceRow->addWidget(view);
    if (QLabel *edit = webLink(annotations.value(Model::Annotations::EditUrl).toString(), tr("Edit"), QStringLiteral("editLink")))
        sourceRow->addWidget(edit);
    if (sourceRow->count() > 0) {
        sourceRow->addStretch();
        form->addRow(tr("Source"), sourceRow);
    } else {
        delete sourceRow;
    }
    if (!links.isEmpty()) {
        auto *linksLabel = new QLabel(links.join(QStringLiteral("<br>")));
        linksLabel->setObjectName(QStringLiteral("links"));
        linksLabel->setTextFormat(Qt::RichText);
        linksLabel->setOpenExternalLinks(true);
        form->addRow(tr("Links"), linksLabel);
    }
    // Backstage's grid: the About card on the left, relation cards beside it, two abreast.
    m_overviewLayout->addWidget(about, 0, 0, Qt::AlignTop);
    auto *cards = new QWidget;
    auto *cardGrid = new QGridLayout(cards);
    cardGrid->setContentsMargins(0, 0, 0, 0);
    m_overviewLayout->addWidget(cards, 0, 1, Qt::AlignTop);
    int card = 0;

    // One list per relation type the entity has, each item opening its entity.
    for (const auto &[type, title] : relationTitles()) {
        const QStringList targets = Model::relationTargets(m_entity, type);
        if (targets.isEmpty())
            continue;
        auto *box = new QGroupBox(tr(title));
        auto *list = new QListWidget;
        list->setObjectName(type);
        list->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
        list->setTextElideMode(Qt::ElideRight);
        for (const QString &target : targets) {
            const QJsonObject related = m_cache.entity(target);
            auto *item = new QListWidgetItem(related.isEmpty()
                                                 ? Model::EntityRef::humanize(target)
                                                 : QStringLiteral("%1  —  %2").arg(Model::EntityRef::humanize(target), displayName(related)));
            item->setData(Qt::UserRole, target);
            item->setToolTip(related.value(QLatin1String("metadata"))[QLatin1String("description")].toString());
            list->addItem(item);
        }
        list->setFixedHeight(std::min<int>(int(targets.size()), 8) * (list->sizeHintForRow(0) + 2) + 6);
        connect(list, &QListWidget::itemActivated, this,
                [this](QListWidgetItem *item) { Q_EMIT entityActivated(item->data(Qt::UserRole).toString()); });
        auto *boxLayout = new QVBoxLayout(box);
        boxLayout->addWidget(list);
        cardGrid->addWidget(box, card / 2, card % 2, Qt::AlignTop);
        ++card;
        m_relationLists.insert(tr(title), list);
    }
    m_overviewLayout->setColumnStretch(0, 3);
    m_overviewLayout->setColumnStretch(1, 4);
    m_overviewLayout->setRowStretch(1, 1);
}

void EntityPage::updateStar()
{
    const bool starred = m_preferences.isStarred(m_ref);
    m_star->blockSignals(true);
    m_star->setChecked(starred);
    m_star->blockSignals(false);
    m_star->setText(starred ? QStringLiteral("★") : QStringLiteral("☆"));
    m_star->setToolTip(starred ? tr("Remove from favourites") : tr("Add to favourites"));
}

} // namespace Greenroom::Ui
