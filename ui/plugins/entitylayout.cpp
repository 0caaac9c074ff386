// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "entitylayout.h"

#include <QJsonObject>

#include <algorithm>

namespace Greenroom::Ui {

namespace {

// Built-ins that Backstage's example app puts at the end of the page.
bool isLastBuiltIn(const QString &id)
{
    return id == QLatin1String("entity-content:catalog/yaml") || id == QLatin1String("entity-content:catalog/problems");
}

constexpr int LastRanks = 1'000'000;   // YAML and Problems, after every plugin's tab

template<typename Entry>
Entry *findById(const std::vector<std::unique_ptr<Entry>> &entries, const QString &id)
{
    const auto found = std::find_if(entries.cbegin(), entries.cend(), [&](const auto &entry) { return entry->id == id; });
    return found == entries.cend() ? nullptr : found->get();
}

template<typename Entry>
QList<const Entry *> applicable(const std::vector<std::unique_ptr<Entry>> &entries, const QJsonObject &entity)
{
    QList<const Entry *> out;
    for (const auto &entry : entries) {
        if (!entry->disabled && entry->filter.matches(entity))
            out.append(entry.get());
    }
    std::stable_sort(out.begin(), out.end(), [](const Entry *a, const Entry *b) { return a->rank < b->rank; });
    return out;
}

} // namespace

class EntityLayout::Registrar : public PluginApi::DesktopRegistry
{
public:
    Registrar(EntityLayout &layout, QString pluginId, const PluginManifest *manifest, QStringList *problems)
        : m_layout(layout), m_pluginId(std::move(pluginId)), m_manifest(manifest), m_problems(problems)
    {
    }

    bool addEntityContent(PluginApi::EntityContent content) override
    {
        const QString id = QStringLiteral("entity-content:%1/%2").arg(m_pluginId, content.id);
        auto filter = check(QStringLiteral("entityContent"), content.id, id, content.filter, bool(content.create));
        if (!filter || m_layout.content(id))
            return refuseDuplicate(id, bool(filter));
        auto entry = std::make_unique<Content>();
        entry->id = id;
        entry->pluginId = m_pluginId;
        entry->content = std::move(content);
        entry->filter = *filter;
        entry->builtIn = !m_manifest;
        entry->rank = isLastBuiltIn(id) ? LastRanks + m_layout.m_nextRank++ : m_layout.m_nextRank++;
        m_layout.m_contents.push_back(std::move(entry));
        return true;
    }

    bool addEntityCard(PluginApi::EntityCard card) override
    {
        const QString id = QStringLiteral("entity-card:%1/%2").arg(m_pluginId, card.id);
        auto filter = check(QStringLiteral("entityCards"), card.id, id, card.filter, bool(card.create));
        if (!filter || findById(m_layout.m_cards, id))
            return refuseDuplicate(id, bool(filter));
        auto entry = std::make_unique<Card>();
        entry->id = id;
        entry->pluginId = m_pluginId;
        entry->card = std::move(card);
        entry->filter = *filter;
        entry->builtIn = !m_manifest;
        entry->rank = m_layout.m_nextRank++;
        m_layout.m_cards.push_back(std::move(entry));
        return true;
    }

    bool addPage(PluginApi::SidebarPage page) override
    {
        const QString id = QStringLiteral("page:%1/%2").arg(m_pluginId, page.id);
        if (!check(QStringLiteral("pages"), page.id, id, {}, bool(page.create)))
            return false;
        auto entry = std::make_unique<Page>();
        entry->id = id;
        entry->pluginId = m_pluginId;
        entry->page = std::move(page);
        m_layout.m_pages.push_back(std::move(entry));
        return true;
    }

private:
    // The filter, when the contribution may be added.
    std::optional<Model::FilterPredicate> check(const QString &list, const QString &name, const QString &id, const QJsonObject &filter,
                                                bool creates)
    {
        if (m_manifest && !m_manifest->declares(list, name))
            return refuse(QStringLiteral("%1 is not listed in the manifest's contributes.%2").arg(id, list));
        if (!creates)
            return refuse(QStringLiteral("%1 has nothing to create its widget").arg(id));
        auto parsed = Model::FilterPredicate::parse(filter);
        if (!parsed)
            return refuse(QStringLiteral("%1's filter: %2").arg(id, parsed.error().message));
        return parsed.value();
    }
    std::nullopt_t refuse(const QString &why)
    {
        if (m_problems)
            m_problems->append(QStringLiteral("Plugin %1: %2; left out").arg(m_pluginId, why));
        return std::nullopt;
    }
    bool refuseDuplicate(const QString &id, bool wasValid)
    {
        if (wasValid)
            refuse(QStringLiteral("%1 is registered twice").arg(id));
        return false;
    }

    EntityLayout &m_layout;
    QString m_pluginId;
    const PluginManifest *m_manifest;
    QStringList *m_problems;
};

EntityLayout::EntityLayout() = default;
EntityLayout::~EntityLayout() = default;

std::unique_ptr<PluginApi::DesktopRegistry> EntityLayout::registrar(const QString &pluginId, const PluginManifest *manifest,
                                                                     QStringList *problems)
{
    return std::make_unique<Registrar>(*this, pluginId, manifest, problems);
}

QStringList EntityLayout::configure(const QJsonValue &extensions)
{
    QStringList problems;
    if (extensions.isUndefined() || extensions.isNull())
        return problems;
    if (!extensions.isArray())
        return {QStringLiteral("app.extensions must be a list")};
    const QJsonArray list = extensions.toArray();
    int listedRank = -1'000'000;   // listed ones come before every default rank
    for (qsizetype i = 0; i < list.size(); ++i) {
        const QString where = QStringLiteral("app.extensions[%1]").arg(i);
        QString id;
        QJsonValue setting = true;   // a bare id: enabled, as listed
        if (list.at(i).isString()) {
            id = list.at(i).toString();
        } else if (list.at(i).isObject() && list.at(i).toObject().size() == 1) {
            id = list.at(i).toObject().begin().key();
            setting = list.at(i).toObject().begin().value();
        } else {
            problems.append(QStringLiteral("%1: expected an extension id, or one id with its settings").arg(where));
            continue;
        }
        bool disabled = false;
        QJsonObject config;
        if (setting.isBool()) {
            disabled = !setting.toBool();
        } else if (setting.isObject()) {
            const QJsonObject object = setting.toObject();
            disabled = object.value(QLatin1String("disabled")).toBool(false);
            config = object.value(QLatin1String("config")).toObject();
        } else if (!setting.isNull()) {
            problems.append(QStringLiteral("%1: %2 must be true, false or {disabled, config}").arg(where, id));
            continue;
        }
        std::optional<Model::FilterPredicate> filter;
        if (config.contains(QLatin1String("filter"))) {
            auto parsed = Model::FilterPredicate::parse(config.value(QLatin1String("filter")));
            if (!parsed) {
                problems.append(QStringLiteral("%1: %2's filter: %3").arg(where, id, parsed.error().message));
                continue;
            }
            filter = parsed.value();
        }
        const auto text = [&](const char *key, QString &target) {
            if (config.value(QLatin1String(key)).isString())
                target = config.value(QLatin1String(key)).toString();
        };
        // What tabs and cards share: found by id, switched off, moved, retitled, refiltered.
        Content *content = findById(m_contents, id);
        Card *card = findById(m_cards, id);
        if (!content && !card) {
            if (id.startsWith(QLatin1String("entity-content:")) || id.startsWith(QLatin1String("entity-card:")))
                problems.append(QStringLiteral("%1: there is no extension %2").arg(where, id));
            continue;   // other kinds (pages, themes, ...) are Backstage's web app's own: not ours to judge
        }
        bool &entryDisabled = content ? content->disabled : card->disabled;
        int &rank = content ? content->rank : card->rank;
        Model::FilterPredicate &entryFilter = content ? content->filter : card->filter;
        entryDisabled = disabled;
        rank = ++listedRank;
        if (filter)
            entryFilter = *filter;
        if (content) {
            text("title", content->content.title);
            text("path", content->content.path);
            text("group", content->content.group);
        } else {
            text("title", card->card.title);
            text("type", card->card.type);
        }
    }
    return problems;
}

QList<const EntityLayout::Content *> EntityLayout::contentsFor(const QJsonObject &entity) const
{
    return applicable(m_contents, entity);
}

QList<const EntityLayout::Card *> EntityLayout::cardsFor(const QJsonObject &entity) const
{
    return applicable(m_cards, entity);
}

QList<const EntityLayout::Page *> EntityLayout::pages() const
{
    QList<const Page *> out;
    for (const auto &page : m_pages)
        out.append(page.get());
    return out;
}

const EntityLayout::Content *EntityLayout::content(const QString &id) const
{
    return findById(m_contents, id);
}

} // namespace Greenroom::Ui
