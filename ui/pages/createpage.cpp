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

#include <QComboBox>
#include <QFrame>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QStackedWidget>

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
    layout->addWidget(makeHeading(tr("Create a new component")));
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

    m_wizardHost = new QWidget;
    auto *wizardLayout = new QVBoxLayout(m_wizardHost);
    wizardLayout->setContentsMargins(0, 0, 0, 0);
    auto *toGallery = new QPushButton(tr("← All templates"));
    toGallery->setFlat(true);
    connect(toGallery, &QPushButton::clicked, this, &CreatePage::showGallery);
    auto *top = new QHBoxLayout;
    top->addWidget(toGallery);
    top->addStretch(1);
    wizardLayout->addLayout(top);
    m_stack->addWidget(m_wizardHost);

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
    const QJsonObject entity = m_cache.entity(ref);
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
    m_wizard = new TemplateWizard(entity, m_cache, owners, m_server, m_token, m_hostTokens,
                                  JsonKeyOrder::fromJson(m_cache.entityJson(ref)));
    connect(m_wizard, &TemplateWizard::entityActivated, this, &CreatePage::entityActivated);
    m_wizardHost->layout()->addWidget(m_wizard);
    m_stack->setCurrentWidget(m_wizardHost);
}

void CreatePage::showGallery()
{
    m_awaited.clear();
    m_stack->setCurrentIndex(0);
}

} // namespace Greenroom::Ui
