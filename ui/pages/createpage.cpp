// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "createpage.h"

#include "models/catalogcache.h"
#include "models/entitypresentation.h"
#include "models/userpreferences.h"
#include "widgets/heading.h"
#include "widgets/templatewizard.h"

#include <model/entityref.h>
#include <model/relation.h>
#include <sync/localscaffolder.h>
#include <sync/scaffolderclient.h>

#include <QComboBox>
#include <QDateTime>
#include <QFrame>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QScrollArea>
#include <QStackedWidget>
#include <QTreeWidget>

namespace Greenroom::Ui {

namespace {

QString ownerOf(const QJsonObject &entity)
{
    const QString owner = entity.value(QLatin1String("spec"))[QLatin1String("owner")].toString();
    return owner.isEmpty() ? QString() : Model::EntityRef::humanize(owner, QStringLiteral("group"));
}

QStringList tagsOf(const QJsonObject &entity)
{
    return entity.value(QLatin1String("metadata"))[QLatin1String("tags")].toVariant().toStringList();
}

void fill(QComboBox *combo, const QString &all, QStringList values)
{
    const QString current = combo->currentIndex() > 0 ? combo->currentText() : QString();
    values.removeDuplicates();
    values.removeAll(QString());
    values.sort(Qt::CaseInsensitive);
    combo->blockSignals(true);
    combo->clear();
    combo->addItem(all);
    combo->addItems(values);
    combo->setCurrentIndex(std::max(0, combo->findText(current)));
    combo->blockSignals(false);
}

} // namespace

CreatePage::CreatePage(CatalogCache &cache, UserPreferences &preferences, QWidget *parent)
    : QWidget(parent), m_cache(cache), m_preferences(preferences)
{
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    m_stack = new QStackedWidget;
    outer->addWidget(m_stack);

    auto *gallery = new QWidget;
    auto *layout = new QVBoxLayout(gallery);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *heading = new QHBoxLayout;
    heading->addWidget(makeHeading(tr("Create a new component")), 1);
    m_tasksButton = new QPushButton(tr("Tasks"));
    m_tasksButton->setToolTip(tr("The tasks templates have run on the server"));
    connect(m_tasksButton, &QPushButton::clicked, this, &CreatePage::showTasks);
    heading->addWidget(m_tasksButton);
    layout->addLayout(heading);
    auto *intro = new QLabel(tr("Create new software components using standard templates in your organization."));
    intro->setWordWrap(true);
    layout->addWidget(intro);
    auto *filters = new QHBoxLayout;
    m_text = new QLineEdit;
    m_text->setPlaceholderText(tr("Search templates"));
    m_text->setClearButtonEnabled(true);
    m_type = new QComboBox;
    m_owner = new QComboBox;
    m_tag = new QComboBox;
    filters->addWidget(m_text, 2);
    for (QComboBox *combo : {m_type, m_owner, m_tag}) {
        filters->addWidget(combo, 1);
        connect(combo, &QComboBox::currentIndexChanged, this, &CreatePage::applyFilters);
    }
    connect(m_text, &QLineEdit::textChanged, this, &CreatePage::applyFilters);
    layout->addLayout(filters);
    m_count = new QLabel;
    layout->addWidget(m_count);
    auto *scroll = new QScrollArea;
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    m_cardHost = new QWidget;
    m_grid = new QGridLayout(m_cardHost);
    m_grid->setAlignment(Qt::AlignTop);
    m_grid->setSpacing(12);
    scroll->setWidget(m_cardHost);
    layout->addWidget(scroll, 1);
    m_stack->addWidget(gallery);

    // The wizard's and the task list's pages: "← All templates" above what they show.
    const auto subPage = [this](QWidget *&page) {
        page = new QWidget;
        auto *pageLayout = new QVBoxLayout(page);
        pageLayout->setContentsMargins(0, 0, 0, 0);
        auto *toGallery = new QPushButton(tr("← All templates"));
        toGallery->setFlat(true);
        connect(toGallery, &QPushButton::clicked, this, &CreatePage::showGallery);
        auto *top = new QHBoxLayout;
        top->addWidget(toGallery);
        top->addStretch(1);
        pageLayout->addLayout(top);
        m_stack->addWidget(page);
        return pageLayout;
    };
    subPage(m_wizardHost);
    QVBoxLayout *taskLayout = subPage(m_taskPage);
    taskLayout->addWidget(makeHeading(tr("Task list")));
    m_tasksStatus = new QLabel;
    taskLayout->addWidget(m_tasksStatus);
    m_tasks = new QTreeWidget;
    m_tasks->setRootIsDecorated(false);
    m_tasks->setHeaderLabels({tr("Template"), tr("Status"), tr("Created"), tr("Created by"), tr("Ran on"), tr("Task")});
    connect(m_tasks, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem *item) {
        openTask(item->data(0, Qt::UserRole).toString(), item->data(0, Qt::UserRole + 1).toString(), item->data(0, Qt::UserRole + 2).toBool());
    });
    taskLayout->addWidget(m_tasks, 1);

    connect(&m_cache, &CatalogCache::changed, this, &CreatePage::reload);
    reload();
}

void CreatePage::setServer(const QUrl &server, const QString &token)
{
    m_server = server;
    m_token = token;
}

QWidget *CreatePage::makeCard(const QJsonObject &entity, const QString &ref)
{
    const QJsonObject metadata = entity.value(QLatin1String("metadata")).toObject();
    auto *card = new QFrame;
    card->setObjectName(QStringLiteral("card-") + metadata.value(QLatin1String("name")).toString());
    card->setFrameShape(QFrame::StyledPanel);
    card->setMinimumWidth(280);
    card->setMaximumWidth(460);
    card->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Maximum);
    auto *layout = new QVBoxLayout(card);
    auto *kind = new QLabel(entity.value(QLatin1String("spec"))[QLatin1String("type")].toString().toUpper());
    kind->setStyleSheet(QStringLiteral("color: #1b5e20; font-size: 9pt; letter-spacing: 1px;"));
    layout->addWidget(kind);
    QLabel *title = makeHeading(EntityPresentation::displayName(entity), 1.2);
    title->setWordWrap(true);
    layout->addWidget(title);
    auto *description = new QLabel(metadata.value(QLatin1String("description")).toString());
    description->setWordWrap(true);
    layout->addWidget(description);
    const QStringList tags = tagsOf(entity);
    if (!tags.isEmpty()) {
        auto *tagLine = new QLabel(tags.join(QStringLiteral("  ·  ")));
        tagLine->setStyleSheet(QStringLiteral("color: palette(mid);"));
        tagLine->setWordWrap(true);
        layout->addWidget(tagLine);
    }
    auto *bottom = new QHBoxLayout;
    const QString owner = ownerOf(entity);
    bottom->addWidget(new QLabel(owner.isEmpty() ? QString() : tr("Owner: %1").arg(owner)), 1);
    auto *choose = new QPushButton(tr("Choose"));
    choose->setObjectName(QStringLiteral("choose"));
    connect(choose, &QPushButton::clicked, this, [this, ref] { chooseTemplate(ref); });
    bottom->addWidget(choose);
    layout->addLayout(bottom);
    card->setProperty("templateRef", ref);
    card->setProperty("searchText", QStringList{EntityPresentation::displayName(entity), metadata.value(QLatin1String("name")).toString(),
                                                metadata.value(QLatin1String("description")).toString(), tags.join(QLatin1Char(' '))}
                                        .join(QLatin1Char(' ')));
    card->setProperty("type", entity.value(QLatin1String("spec"))[QLatin1String("type")].toString());
    card->setProperty("owner", owner);
    card->setProperty("tags", tags);
    return card;
}

void CreatePage::reload()
{
    for (QWidget *card : std::as_const(m_cards))
        card->deleteLater();
    m_cards.clear();
    Store::EntityQuery query;
    query.filter.anyOf = {{{QStringLiteral("kind"), {QStringLiteral("template")}}}};
    query.order = {{QStringLiteral("metadata.name"), false}};
    query.limit = 2000;
    QStringList types, owners, tags;
    if (auto found = m_cache.store().queryEntities(query)) {
        for (const Store::StoredEntity &stored : found->items) {
            m_cards.append(makeCard(stored.entity, stored.ref));
            types.append(stored.entity.value(QLatin1String("spec"))[QLatin1String("type")].toString());
            owners.append(ownerOf(stored.entity));
            tags.append(tagsOf(stored.entity));
        }
    }
    if (!m_awaited.isEmpty() && !m_cache.entity(m_awaited).isEmpty()) {
        const QString awaited = m_awaited;
        QMetaObject::invokeMethod(this, [this, awaited] { chooseTemplate(awaited); }, Qt::QueuedConnection);
    }
    fill(m_type, tr("All types"), types);
    fill(m_owner, tr("All owners"), owners);
    fill(m_tag, tr("All tags"), tags);
    applyFilters();
}

void CreatePage::applyFilters()
{
    while (QLayoutItem *item = m_grid->takeAt(0))
        delete item;
    const QString text = m_text->text().trimmed();
    int shown = 0;
    const int columns = 2;
    for (QWidget *card : std::as_const(m_cards)) {
        const bool visible = (text.isEmpty() || card->property("searchText").toString().contains(text, Qt::CaseInsensitive))
                             && (m_type->currentIndex() <= 0 || card->property("type").toString() == m_type->currentText())
                             && (m_owner->currentIndex() <= 0 || card->property("owner").toString() == m_owner->currentText())
                             && (m_tag->currentIndex() <= 0 || card->property("tags").toStringList().contains(m_tag->currentText()));
        card->setVisible(visible);
        if (visible) {
            m_grid->addWidget(card, shown / columns, shown % columns, Qt::AlignTop);
            ++shown;
        }
    }
    // Cards keep their height; the space left goes below them.
    for (int row = 0; row < m_grid->rowCount(); ++row)
        m_grid->setRowStretch(row, 0);
    m_grid->setRowStretch((shown + columns - 1) / columns, 1);
    m_count->setText(m_cards.isEmpty() ? tr("No templates in the catalog yet.") : tr("%1 of %2 templates").arg(shown).arg(m_cards.size()));
}

QList<QWidget *> CreatePage::visibleCards() const
{
    QList<QWidget *> visible;
    for (QWidget *card : m_cards) {
        if (!card->isHidden())
            visible.append(card);
    }
    return visible;
}

void CreatePage::chooseTemplate(const QString &ref)
{
    // One read: the entity, and its text (the order its file wrote its keys in: its fields' order).
    const std::optional<Store::StoredEntity> stored = m_cache.store().entityByRef(ref);
    const QJsonObject entity = stored ? stored->entity : QJsonObject();
    // A template asked for before the first sync brought it opens when it arrives.
    m_awaited = entity.isEmpty() ? ref : QString();
    if (entity.isEmpty())
        return;
    if (m_wizard && m_wizard->isRunning()) {
        m_stack->setCurrentWidget(m_wizardHost);   // a running task's wizard stays until it ends
        return;
    }
    delete m_wizard;
    // Me and my groups, as the catalog's "Owned" filter takes ownership.
    QStringList owners;
    if (const QString me = m_preferences.identity(); !me.isEmpty())
        owners = QStringList{me} + Model::relationTargets(m_cache.entity(me), QStringLiteral("memberOf"));
    m_wizard = new TemplateWizard(entity, m_cache, owners, m_server, m_token, m_hostTokens, JsonKeyOrder::fromJson(stored->json));
    connect(m_wizard, &TemplateWizard::entityActivated, this, &CreatePage::entityActivated);
    // The place chosen last time, kept per server.
    QComboBox *place = m_wizard->runPlace();
    place->setCurrentIndex(std::max(0, place->findData(m_preferences.taskPlace())));
    connect(place, &QComboBox::currentIndexChanged, this, [this, place] { m_preferences.setTaskPlace(place->currentData().toString()); });
    m_wizardHost->layout()->addWidget(m_wizard);
    m_stack->setCurrentWidget(m_wizardHost);
}

void CreatePage::showTasks()
{
    m_stack->setCurrentWidget(m_taskPage);
    delete m_taskClient;
    m_taskClient = new Sync::ScaffolderClient(m_server, m_token, this);
    m_tasksStatus->setText(tr("Asking %1 for its tasks…").arg(m_server.toString()));
    // The server's tasks and the ones run here, newest first; the local ones show even when the server does not answer.
    const auto fill = [this](const QJsonArray &serverTasks, const QString &problem) {
        struct Listed
        {
            QJsonObject task;
            QDateTime created;
            bool local;   // ran here
        };
        QList<Listed> tasks;
        const auto add = [&tasks](const QJsonArray &list, bool local) {
            for (const QJsonValue &task : list)
                tasks.append({task.toObject(), QDateTime::fromString(task[QLatin1String("createdAt")].toString(), Qt::ISODateWithMs), local});
        };
        add(serverTasks, false);
        add(Sync::LocalScaffolder::pastTasks(TemplateWizard::localFolder(m_cache)), true);
        std::stable_sort(tasks.begin(), tasks.end(), [](const Listed &a, const Listed &b) { return a.created > b.created; });
        m_tasks->clear();
        for (const auto &[task, created, local] : std::as_const(tasks)) {
            const QJsonObject info = task.value(QLatin1String("spec"))[QLatin1String("templateInfo")].toObject();
            const QString templateRef = info.value(QLatin1String("entityRef")).toString();
            const QJsonObject metadata = info.value(QLatin1String("entity"))[QLatin1String("metadata")].toObject();
            auto *item = new QTreeWidgetItem(m_tasks, {metadata.value(QLatin1String("title")).toString(metadata.value(QLatin1String("name")).toString(templateRef)),
                                                       task.value(QLatin1String("status")).toString(),
                                                       QLocale().toString(created.toLocalTime(), QLocale::ShortFormat),
                                                       task.value(QLatin1String("createdBy")).toString(),
                                                       local ? tr("this computer") : m_server.host(),
                                                       task.value(QLatin1String("id")).toString()});
            item->setData(0, Qt::UserRole, task.value(QLatin1String("id")).toString());
            item->setData(0, Qt::UserRole + 1, templateRef);
            item->setData(0, Qt::UserRole + 2, local);
        }
        for (int column = 0; column < m_tasks->columnCount(); ++column)
            m_tasks->resizeColumnToContents(column);
        if (!problem.isEmpty())
            m_tasksStatus->setText(tr("The server's tasks could not be listed: %1. %n task(s) ran on this computer.", nullptr, int(tasks.size())).arg(problem));
        else if (tasks.isEmpty())
            m_tasksStatus->setText(tr("No template has run on %1 or on this computer yet.").arg(m_server.toString()));
        else
            m_tasksStatus->setText(tr("%n task(s), newest first. Open one to see its log.", nullptr, int(tasks.size())));
    };
    connect(m_taskClient, &Sync::ScaffolderClient::requestFailed, this, [fill](const QString &message) { fill({}, message); });
    connect(m_taskClient, &Sync::ScaffolderClient::tasksListed, this, [fill](const QJsonArray &tasks) { fill(tasks, {}); });
    m_taskClient->listTasks();
}

void CreatePage::openTask(const QString &taskId, const QString &templateRef, bool local)
{
    if (m_wizard && m_wizard->isRunning()) {
        m_stack->setCurrentWidget(m_wizardHost);   // a running task's wizard stays until it ends
        return;
    }
    // The task is shown in its template's wizard (its steps and outputs come from it).
    chooseTemplate(templateRef);
    if (!m_wizard || m_wizard->templateRef() != templateRef) {
        m_awaited.clear();
        m_stack->setCurrentWidget(m_taskPage);
        m_tasksStatus->setText(tr("The template %1 is not in this catalog any more.").arg(templateRef));
        return;
    }
    m_wizard->showTask(taskId, local);
}

void CreatePage::showGallery()
{
    m_awaited.clear();
    m_stack->setCurrentIndex(0);
}

} // namespace Greenroom::Ui
