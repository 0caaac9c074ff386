// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "entitypage.h"

#include "models/catalogcache.h"
#include "models/entitypresentation.h"
#include "models/permissiondecisions.h"
#include "models/userpreferences.h"
#include "text/codehighlighter.h"
#include "widgets/docsreader.h"
#include "widgets/heading.h"
#include "widgets/relationgraphview.h"
#include "plugins/pluginentityview.h"

#include <model/annotations.h>
#include <sync/serveranswers.h>
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
#include <QJsonDocument>
#include <QLabel>
#include <QListWidget>
#include <QMessageBox>
#include <QNetworkAccessManager>
#include <QNetworkReply>
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

EntityPage::EntityPage(CatalogCache &cache, UserPreferences &preferences, EntityLayout &layout, const PluginServices &services,
                       DocsWeb *docs, QWidget *parent)
    : QWidget(parent), m_cache(cache), m_preferences(preferences), m_layout(layout), m_services(services)
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

    // The server's actions on the entity, shown disabled with the reason
    // when its permission policy refuses them (asked per entity).
    m_refresh = new QPushButton(tr("Refresh"));
    m_refresh->setObjectName(QStringLiteral("refreshEntity"));
    m_delete = new QPushButton(tr("Delete…"));
    m_delete->setObjectName(QStringLiteral("deleteEntity"));
    connect(m_refresh, &QPushButton::clicked, this, &EntityPage::refreshEntity);
    connect(m_delete, &QPushButton::clicked, this, &EntityPage::deleteEntity);

    auto *header = new QHBoxLayout;
    auto *titles = new QVBoxLayout;
    titles->addWidget(m_kindLabel);
    titles->addWidget(m_titleLabel);
    titles->addWidget(m_subtitle);
    header->addLayout(titles, 1);
    header->addWidget(m_launch, 0, Qt::AlignTop);
    header->addWidget(m_refresh, 0, Qt::AlignTop);
    header->addWidget(m_delete, 0, Qt::AlignTop);
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
    m_overviewTab = scroll;

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
    m_relationsTab = relations;
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
    if (docs) {
        // The reader opens the site when the tab is first shown, not with the page.
        m_docs = new DocsReader(*docs);
        m_docs->setObjectName(QStringLiteral("entityDocs"));
        connect(m_docs, &DocsReader::entityLinkActivated, this, &EntityPage::entityActivated);
    }
    connect(m_tabs, &QTabWidget::currentChanged, this, &EntityPage::tabShown);
    m_yaml = codeView();
    m_yaml->setObjectName(QStringLiteral("yaml"));
    highlightCode(m_yaml->document(), QStringLiteral("yaml"), isDark(this));
    m_problems = new QListWidget;
    m_problems->setObjectName(QStringLiteral("problems"));
    m_problems->setWordWrap(true);
    // Owned here while no tab shows them, and hidden: a child never hidden
    // on purpose would show when the page does, over its header.
    for (QWidget *builtIn : {m_overviewTab, m_relationsTab, static_cast<QWidget *>(m_definition), static_cast<QWidget *>(m_yaml),
                             static_cast<QWidget *>(m_problems), static_cast<QWidget *>(m_docs)}) {
        if (!builtIn)
            continue;
        builtIn->setParent(this);
        builtIn->hide();
    }
    registerBuiltIns();

    auto *pageLayout = new QVBoxLayout(this);
    pageLayout->addLayout(header);
    pageLayout->addWidget(m_tabs, 1);

    connect(&m_cache, &CatalogCache::changed, this, [this] {
        if (m_ref.isEmpty())
            return;
        if (m_cache.entity(m_ref) != m_entity)
            rebuild();
        else if (m_docs)
            m_docs->refresh();   // docs arrive, change or go without their entity changing
    });
}

EntityPage::~EntityPage()
{
    // Plugins' widgets go before the views they were made with (members, gone before child widgets).
    qDeleteAll(std::exchange(m_pluginTabs, {}));
    while (QLayoutItem *item = m_overviewLayout->takeAt(0)) {
        delete item->widget();
        delete item;
    }
}

void EntityPage::registerBuiltIns()
{
    using PluginApi::EntityCard;
    using PluginApi::EntityContent;
    using PluginApi::EntityView;
    const QJsonObject everything;
    // Built-in tabs are kept and refilled per entity (rebuild): create hands back the same widget.
    const auto tab = [](QWidget *widget) { return [widget](EntityView &) { return widget; }; };
    auto catalog = m_layout.registrar(QStringLiteral("catalog"), nullptr, nullptr);
    catalog->addEntityContent({QStringLiteral("overview"), tr("Overview"), QString(), everything, QStringLiteral("overview"), tab(m_overviewTab)});
    catalog->addEntityCard({QStringLiteral("about"), tr("About"), everything, QStringLiteral("info"),
                            [this](EntityView &view) { return makeAboutCard(view.entity()); }});
    catalog->addEntityCard({QStringLiteral("relations"), tr("Relations"), everything, QStringLiteral("content"),
                            [this](EntityView &view) { return makeRelationCards(view.entity()); }});
    m_layout.registrar(QStringLiteral("catalog-graph"), nullptr, nullptr)
        ->addEntityContent({QStringLiteral("relations"), tr("Relations"), QStringLiteral("relations"), everything, QString(), tab(m_relationsTab)});
    m_layout.registrar(QStringLiteral("api-docs"), nullptr, nullptr)
        ->addEntityContent({QStringLiteral("definition"), tr("Definition"), QStringLiteral("definition"),
                            QJsonObject{{QStringLiteral("kind"), QStringLiteral("api")}}, QStringLiteral("development"), tab(m_definition)});
    if (m_docs) {
        m_layout.registrar(QStringLiteral("techdocs"), nullptr, nullptr)
            ->addEntityContent({QStringLiteral("docs"), tr("Docs"), QStringLiteral("docs"),
                                QJsonObject{{QStringLiteral("metadata.annotations.backstage.io/techdocs-ref"), QJsonObject{{QStringLiteral("$exists"), true}}}},
                                QStringLiteral("documentation"), tab(m_docs)});
    }
    catalog->addEntityContent({QStringLiteral("yaml"), tr("YAML"), QStringLiteral("yaml"), everything, QString(), tab(m_yaml)});
    catalog->addEntityContent({QStringLiteral("problems"), tr("Problems"), QStringLiteral("problems"), everything, QString(), tab(m_problems)});
}

std::unique_ptr<PluginEntityView> EntityPage::makeView(const QString &pluginId) const
{
    return std::make_unique<PluginEntityView>(m_cache, m_services, pluginId, m_entity, m_ref, [self = QPointer<EntityPage>(const_cast<EntityPage *>(this))](const QString &target) {
        if (!self)
            return;
        if (Model::EntityRef::parse(target))
            Q_EMIT self->entityActivated(target);
        else if (const QUrl url(target); url.scheme() == QLatin1String("https") || url.scheme() == QLatin1String("http"))
            QDesktopServices::openUrl(url);
    });
}

const EntityLayout::Content *EntityPage::tab(int index) const
{
    return index >= 0 && index < m_shown.size() ? m_shown.at(index) : nullptr;
}

int EntityPage::tabOf(const QString &contentId) const
{
    for (int i = 0; i < m_shown.size(); ++i) {
        if (m_shown.at(i)->id == contentId)
            return i;
    }
    return -1;
}

void EntityPage::rebuildTabs()
{
    const EntityLayout::Content *current = tab(m_tabs->currentIndex());
    const QString currentId = current ? current->id : QString();
    QSignalBlocker quiet(m_tabs);
    m_tabs->clear();
    // Plugins' tabs belong to the entity they were made for.
    qDeleteAll(std::exchange(m_pluginTabs, {}));
    m_tabViews.clear();
    m_shown = m_layout.contentsFor(m_entity.isEmpty() ? QJsonObject{{QStringLiteral("kind"), kindOf(m_ref)}} : m_entity);
    for (const EntityLayout::Content *content : std::as_const(m_shown)) {
        QWidget *widget = nullptr;
        if (content->builtIn) {
            auto view = makeView(content->pluginId);
            widget = content->content.create(*view);
        } else {
            // Made when first shown (tabShown): opening the page stays quick.
            widget = new QWidget;
            widget->setObjectName(QStringLiteral("pluginTab"));
            auto *layout = new QVBoxLayout(widget);
            layout->setContentsMargins(0, 0, 0, 0);
            m_pluginTabs.append(widget);
        }
        m_tabs->addTab(widget, content->content.title);
    }
    const int again = tabOf(currentId);
    m_tabs->setCurrentIndex(again >= 0 ? again : 0);
    quiet.unblock();
    if (!m_tabs->currentWidget() || m_tabs->currentWidget() != m_docs)   // the docs tab opens at its place in rebuild()
        tabShown(m_tabs->currentIndex());
}

void EntityPage::tabShown(int index)
{
    const EntityLayout::Content *content = tab(index);
    if (!content)
        return;
    QWidget *widget = m_tabs->widget(index);
    if (widget == m_docs && m_docs->entityRef() != m_ref) {
        m_docs->open(m_ref);
        return;
    }
    if (content->builtIn || !widget->layout() || widget->layout()->count() > 0)
        return;
    m_tabViews.push_back(makeView(content->pluginId));
    if (QWidget *made = content->content.create(*m_tabViews.back()))
        widget->layout()->addWidget(made);
}

int EntityPage::docsTab() const
{
    return m_docs ? m_tabs->indexOf(m_docs) : -1;
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

void EntityPage::askPermissions()
{
    const bool online = m_services.server.isValid() && m_services.network && !m_entity.isEmpty();
    for (QPushButton *button : {m_refresh, m_delete}) {
        button->setVisible(online);
        button->setEnabled(online);
        button->setToolTip(QString());
    }
    if (!online)
        return;
    m_refresh->setToolTip(tr("Read this entity's location again now"));
    m_delete->setToolTip(tr("Remove this entity from the catalog (its location may add it again)"));
    const QString ref = m_ref;
    PermissionDecisions::ask(*m_services.network, m_services.server, m_services.serverToken,
                             {{QStringLiteral("catalog.entity.refresh"), ref}, {QStringLiteral("catalog.entity.delete"), ref}}, this,
                             [this, ref](const PermissionDecisions::Answers &answers) {
                                 if (ref != m_ref)
                                     return;   // another entity by now
                                 const std::pair<QPushButton *, const char *> actions[] = {{m_refresh, "catalog.entity.refresh"},
                                                                                           {m_delete, "catalog.entity.delete"}};
                                 for (qsizetype i = 0; i < 2; ++i) {
                                     if (answers.value(i) != PermissionDecisions::Answer::Deny)
                                         continue;
                                     actions[i].first->setEnabled(false);
                                     actions[i].first->setToolTip(PermissionDecisions::refusal(QLatin1String(actions[i].second)));
                                 }
                             });
}

void EntityPage::refreshEntity()
{
    QNetworkRequest request = Sync::serverRequest(m_services.server, QStringLiteral("/api/catalog/refresh"), m_services.serverToken);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    QNetworkReply *reply = m_services.network->post(request, QJsonDocument(QJsonObject{{QStringLiteral("entityRef"), m_ref}}).toJson(QJsonDocument::Compact));
    const QString ref = m_ref;
    connect(reply, &QNetworkReply::finished, this, [this, reply, ref] {
        reply->deleteLater();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        Q_EMIT statusMessage(status == 200 ? tr("Refresh of %1 requested").arg(ref)
                                           : tr("The server refused to refresh %1: %2").arg(ref, status ? Sync::describeHttpError(reply, reply->readAll()) : reply->errorString()));
    });
}

void EntityPage::deleteEntity()
{
    const QString uid = m_entity.value(QLatin1String("metadata"))[QLatin1String("uid")].toString();
    if (uid.isEmpty())
        return;
    if (QMessageBox::question(this, tr("Delete entity"),
                              tr("Delete %1 from the catalog? Its location may add it again when it is read.").arg(m_ref))
        != QMessageBox::Yes)
        return;
    const QNetworkRequest request = Sync::serverRequest(m_services.server, QStringLiteral("/api/catalog/entities/by-uid/") + QString::fromLatin1(QUrl::toPercentEncoding(uid)),
                                                         m_services.serverToken);
    QNetworkReply *reply = m_services.network->deleteResource(request);
    const QString ref = m_ref;
    connect(reply, &QNetworkReply::finished, this, [this, reply, ref] {
        reply->deleteLater();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        Q_EMIT statusMessage(status == 204 ? tr("Deleted %1").arg(ref)
                                           : tr("The server refused to delete %1: %2").arg(ref, status ? Sync::describeHttpError(reply, reply->readAll()) : reply->errorString()));
    });
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
    askPermissions();
    m_launch->setVisible(!m_entity.isEmpty() && kindOf(m_ref) == QLatin1String("template"));
    rebuildOverview();
    m_graph->setRoot(m_ref);

    rebuildTabs();
    if (kindOf(m_ref) == QLatin1String("api")) {
        const QString definition = spec.value(QLatin1String("definition")).toString();
        m_definition->setPlainText(definition);
        if (QSyntaxHighlighter *old = m_definition->document()->findChild<QSyntaxHighlighter *>())
            delete old;
        highlightCode(m_definition->document(), languageOfApiType(spec.value(QLatin1String("type")).toString(), definition),
                      isDark(this));
    }
    if (m_docs && m_tabs->currentWidget() == m_docs)
        m_docs->open(m_ref, m_docs->entityRef() == m_ref ? m_docs->location() : QString());
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
    if (const int problemsTab = m_tabs->indexOf(m_problems); problemsTab >= 0)
        m_tabs->setTabText(problemsTab, items.isEmpty() ? tab(problemsTab)->content.title
                                                        : tr("%1 (%2)").arg(tab(problemsTab)->content.title).arg(items.size()));
}

void EntityPage::rebuildOverview()
{
    // Card widgets go before the views they were made with.
    while (QLayoutItem *item = m_overviewLayout->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    m_cardViews.clear();
    m_relationLists.clear();
    if (m_entity.isEmpty())
        return;
    // Backstage's grid: info cards (About first) on the left, content cards beside them.
    auto *info = new QVBoxLayout;
    auto *content = new QVBoxLayout;
    for (const EntityLayout::Card *card : m_layout.cardsFor(m_entity)) {
        m_cardViews.push_back(makeView(card->pluginId));
        QWidget *widget = card->card.create(*m_cardViews.back());
        if (!widget)
            continue;   // nothing to show for this entity
        if (!card->builtIn) {
            // A plugin's widget, framed as a card with its title.
            auto *frame = new QGroupBox(card->card.title);
            frame->setObjectName(QStringLiteral("card-") + card->id);
            auto *frameLayout = new QVBoxLayout(frame);
            frameLayout->addWidget(widget);
            widget = frame;
        }
        (card->card.type == QLatin1String("content") ? content : info)->addWidget(widget);
    }
    info->addStretch(1);
    content->addStretch(1);
    auto *left = new QWidget;
    left->setLayout(info);
    auto *right = new QWidget;
    right->setLayout(content);
    info->setContentsMargins(0, 0, 0, 0);
    content->setContentsMargins(0, 0, 0, 0);
    m_overviewLayout->addWidget(left, 0, 0);
    m_overviewLayout->addWidget(right, 0, 1);
    m_overviewLayout->setColumnStretch(0, 3);
    m_overviewLayout->setColumnStretch(1, 4);
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
