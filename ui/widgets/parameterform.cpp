// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "parameterform.h"

#include "models/catalogcache.h"
#include "models/entitypresentation.h"
#include "models/tokenvault.h"

#include <model/entityfilter.h>
#include <model/entityref.h>
#include <model/fieldformats.h>

#include <QCheckBox>
#include <QComboBox>
#include <QCompleter>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QPointer>
#include <QRegularExpression>
#include <QStringListModel>
#include <QUrlQuery>

namespace Greenroom::Ui {

namespace {

QString text(const QJsonValue &value)
{
    if (value.isString())
        return value.toString();
    if (value.isDouble())
        return QString::number(value.toDouble(), 'g', 15);
    return {};
}

// `ui:field: Secret`: the answer goes to the task's secrets, not its parameters.
bool isSecret(const QJsonObject &schema)
{
    return schema.value(QLatin1String("ui:field")).toString() == QLatin1String("Secret");
}

// What EntityPicker stores (upstream's humanized ref): the kind left out when it
// is `defaultKind`, the namespace when it is `defaultNamespace` ("default").
QString pickerValue(const QJsonObject &entity, const QJsonObject &options)
{
    const QString kind = entity.value(QLatin1String("kind")).toString();
    const QJsonObject metadata = entity.value(QLatin1String("metadata")).toObject();
    const QString space = metadata.value(QLatin1String("namespace")).toString(QStringLiteral("default"));
    const QJsonValue defaultNamespace = options.value(QLatin1String("defaultNamespace"));
    const QString omittedNamespace = defaultNamespace.isBool() && !defaultNamespace.toBool() ? QString() : defaultNamespace.toString(QStringLiteral("default"));
    QString value;
    if (kind.compare(options.value(QLatin1String("defaultKind")).toString(), Qt::CaseInsensitive) != 0)
        value += kind.toLower() + QLatin1Char(':');
    if (space.compare(omittedNamespace, Qt::CaseInsensitive) != 0)
        value += space.toLower() + QLatin1Char('/');
    return value + metadata.value(QLatin1String("name")).toString();
}

// Kubernetes' object-name rule, which Backstage's EntityNamePicker applies.
QString entityNameProblem(const QString &name)
{
    if (name.isEmpty() || Model::FieldFormats::isValidObjectName(name))
        return {};
    return ParameterForm::tr("Must start and end with an alphanumeric character, and contain only alphanumeric characters, "
                             "hyphens, underscores, and periods. Maximum length is 63 characters.");
}

} // namespace

ParameterForm::ParameterForm(const Scaffold::ParameterPage &page, CatalogCache &cache, const QJsonObject &initial, const QStringList &owners,
                             TokenVault *hostTokens, QWidget *parent)
    : QWidget(parent), m_page(page), m_cache(cache), m_owners(owners), m_hostTokens(hostTokens)
{
    auto *layout = new QFormLayout(this);
    layout->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    if (!page.description.isEmpty()) {
        auto *description = new QLabel(page.description);
        description->setWordWrap(true);
        layout->addRow(description);
    }
    const QJsonObject properties = page.schema.value(QLatin1String("properties")).toObject();
    const QJsonArray required = page.schema.value(QLatin1String("required")).toArray();
    // ui:order when the page has one; then the properties in the order the
    // template wrote them, as Backstage's form lists them. Without that order
    // (an entity stored before Greenroom kept it), the required ones first.
    QStringList order;
    for (const QJsonValue &name : page.schema.value(QLatin1String("ui:order")).toArray()) {
        if (properties.contains(name.toString()))
            order.append(name.toString());
    }
    for (const QString &name : page.keyOrder.keys(JsonKeyOrder::path({QStringLiteral("properties")}))) {
        if (properties.contains(name) && !order.contains(name))
            order.append(name);
    }
    for (const QJsonValue &name : required) {
        if (properties.contains(name.toString()) && !order.contains(name.toString()))
            order.append(name.toString());
    }
    for (auto it = properties.begin(); it != properties.end(); ++it) {
        if (!order.contains(it.key()))
            order.append(it.key());
    }
    for (const QString &name : order)
        addField(layout, name, properties.value(name).toObject(), initial.value(name), required.contains(name));
    refresh();
}

void ParameterForm::addField(QFormLayout *layout, const QString &name, const QJsonObject &schema, const QJsonValue &initial, bool required)
{
    if (schema.value(QLatin1String("ui:widget")).toString() == QLatin1String("hidden"))
        return;
    Field field = makeEditor(name, schema, initial);
    field.title = schema.value(QLatin1String("title")).toString(name);
    field.editor->setObjectName(QStringLiteral("field-") + name);
    if (schema.value(QLatin1String("ui:readonly")).toBool() || schema.value(QLatin1String("ui:disabled")).toBool())
        field.editor->setEnabled(false);
    auto *cell = new QWidget;
    auto *cellLayout = new QVBoxLayout(cell);
    cellLayout->setContentsMargins(0, 0, 0, 0);
    cellLayout->setSpacing(2);
    cellLayout->addWidget(field.editor);
    const QString help = schema.value(QLatin1String("description")).toString(schema.value(QLatin1String("ui:help")).toString());
    if (!help.isEmpty()) {
        auto *hint = new QLabel(help);
        hint->setWordWrap(true);
        hint->setStyleSheet(QStringLiteral("color: palette(mid);"));
        cellLayout->addWidget(hint);
    }
    field.message = new QLabel;
    field.message->setObjectName(QStringLiteral("message-") + name);
    field.message->setStyleSheet(QStringLiteral("color: #d32f2f;"));
    field.message->setWordWrap(true);
    field.message->hide();
    cellLayout->addWidget(field.message);
    layout->addRow(required ? field.title + QStringLiteral(" *") : field.title, cell);
    if (schema.value(QLatin1String("ui:autofocus")).toBool())
        field.editor->setFocus();
    m_fields.append(field);
}

ParameterForm::Field ParameterForm::makeEditor(const QString &name, const QJsonObject &schema, const QJsonValue &initial)
{
    Field field;
    field.name = name;
    field.schema = schema;
    const QString uiField = schema.value(QLatin1String("ui:field")).toString();
    const QJsonObject options = schema.value(QLatin1String("ui:options")).toObject();
    const QString type = schema.value(QLatin1String("type")).toString();
    const auto touch = [this, name] {
        for (Field &f : m_fields) {
            if (f.name == name)
                f.touched = true;
        }
        refresh();
    };

    if (uiField == QLatin1String("EntityPicker") || uiField == QLatin1String("OwnerPicker") || uiField == QLatin1String("OwnedEntityPicker")) {
        auto *combo = new QComboBox;
        combo->setEditable(true);
        combo->setInsertPolicy(QComboBox::NoInsert);
        const QStringList defaultKinds = uiField == QLatin1String("OwnerPicker") ? QStringList{QStringLiteral("Group"), QStringLiteral("User")}
                                                                                : options.value(QLatin1String("allowedKinds")).toVariant().toStringList();
        Store::EntityQuery query;
        query.filter = Model::EntityFilter::fromCatalogFilter(options.value(QLatin1String("catalogFilter")), defaultKinds);
        if (uiField == QLatin1String("OwnedEntityPicker")) {
            // What the person or their groups own; without an identity, everything (and a hint).
            QStringList owners;
            for (const QString &owner : std::as_const(m_owners))
                owners.append(owner.toLower());
            if (!owners.isEmpty()) {
                if (query.filter.anyOf.isEmpty())
                    query.filter.anyOf.append(Model::EntityFilter::AllOf());
                for (Model::EntityFilter::AllOf &all : query.filter.anyOf)
                    all.append({QStringLiteral("relations.ownedby"), owners});
            } else {
                combo->setToolTip(tr("Say who you are in Settings to list only what you own"));
            }
        }
        query.order = {{QStringLiteral("metadata.name"), false}};
        query.limit = 5000;
        combo->addItem(QString(), QString());
        if (auto found = m_cache.store().queryEntities(query)) {
            for (const Store::StoredEntity &entity : found->items) {
                const QString value = pickerValue(entity.entity, options);
                const QString title = EntityPresentation::displayName(entity.entity);
                combo->addItem(title != entity.entity.value(QLatin1String("metadata"))[QLatin1String("name")].toString()
                                   ? QStringLiteral("%1 (%2)").arg(value, title)
                                   : value,
                               value);
            }
        }
        const int index = combo->findData(initial.toString());
        if (index >= 0)
            combo->setCurrentIndex(index);
        else
            combo->setEditText(initial.toString());
        field.editor = combo;
        field.read = [combo]() -> QJsonValue {
            const int found = combo->findText(combo->currentText());
            if (found > 0)
                return combo->itemData(found).toString();
            const QString typed = combo->currentText().trimmed();
            return typed.isEmpty() ? QJsonValue(QJsonValue::Undefined) : QJsonValue(typed);
        };
        connect(combo, &QComboBox::currentTextChanged, this, touch);
        return field;
    }
    if (uiField == QLatin1String("MultiEntityPicker")
        || (type == QLatin1String("array") && schema.value(QLatin1String("items"))[QLatin1String("enum")].isArray())) {
        auto *list = new QListWidget;
        list->setMaximumHeight(140);
        const QJsonArray chosen = initial.toArray();
        if (uiField == QLatin1String("MultiEntityPicker")) {
            Store::EntityQuery query;
            query.filter = Model::EntityFilter::fromCatalogFilter(options.value(QLatin1String("catalogFilter")));
            query.order = {{QStringLiteral("metadata.name"), false}};
            query.limit = 5000;
            if (auto found = m_cache.store().queryEntities(query)) {
                for (const Store::StoredEntity &entity : found->items) {
                    const QString value = pickerValue(entity.entity, options);
                    auto *item = new QListWidgetItem(value, list);
                    item->setData(Qt::UserRole, value);
                }
            }
        } else {
            const QJsonArray values = schema.value(QLatin1String("items"))[QLatin1String("enum")].toArray();
            const QJsonArray names = schema.value(QLatin1String("items"))[QLatin1String("enumNames")].toArray();
            for (qsizetype i = 0; i < values.size(); ++i) {
                auto *item = new QListWidgetItem(names.size() > i ? text(names.at(i)) : text(values.at(i)), list);
                item->setData(Qt::UserRole, values.at(i).toVariant());
            }
        }
        for (int i = 0; i < list->count(); ++i) {
            QListWidgetItem *item = list->item(i);
            item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
            item->setCheckState(chosen.contains(QJsonValue::fromVariant(item->data(Qt::UserRole))) ? Qt::Checked : Qt::Unchecked);
        }
        field.editor = list;
        field.read = [list]() -> QJsonValue {
            QJsonArray picked;
            for (int i = 0; i < list->count(); ++i) {
                if (list->item(i)->checkState() == Qt::Checked)
                    picked.append(QJsonValue::fromVariant(list->item(i)->data(Qt::UserRole)));
            }
            return picked;
        };
        connect(list, &QListWidget::itemChanged, this, touch);
        return field;
    }
    if (uiField == QLatin1String("RepoUrlPicker")) {
        auto *box = new QWidget;
        auto *row = new QHBoxLayout(box);
        row->setContentsMargins(0, 0, 0, 0);
        auto *host = new QComboBox;
        host->setObjectName(QStringLiteral("repoHost"));
        QStringList hosts = options.value(QLatin1String("allowedHosts")).toVariant().toStringList();
        if (hosts.isEmpty())
            hosts = {QStringLiteral("github.com")};
        host->addItems(hosts);
        auto *owner = new QComboBox;
        owner->setObjectName(QStringLiteral("repoOwner"));
        const QStringList owners = options.value(QLatin1String("allowedOwners")).toVariant().toStringList();
        owner->setEditable(owners.isEmpty());
        owner->addItems(owners);
        auto *repo = new QLineEdit;
        repo->setObjectName(QStringLiteral("repoName"));
        repo->setPlaceholderText(tr("repository"));
        // An existing answer ("host?owner=o&repo=r") fills the parts.
        const QUrl previous(QStringLiteral("https://") + initial.toString());
        if (!initial.toString().isEmpty()) {
            host->setCurrentText(previous.port() < 0 ? previous.host() : QStringLiteral("%1:%2").arg(previous.host()).arg(previous.port()));
            owner->setCurrentText(QUrlQuery(previous).queryItemValue(QStringLiteral("owner")));
            repo->setText(QUrlQuery(previous).queryItemValue(QStringLiteral("repo")));
        }
        row->addWidget(host);
        row->addWidget(new QLabel(QStringLiteral("/")));
        row->addWidget(owner, 1);
        row->addWidget(new QLabel(QStringLiteral("/")));
        row->addWidget(repo, 1);
        field.editor = box;
        const QString secretsKey = options.value(QLatin1String("requestUserCredentials"))[QLatin1String("secretsKey")].toString();
        if (!secretsKey.isEmpty())
            field.editor = withCredentials(box, host, owner, repo, secretsKey, field);
        field.read = [host, owner, repo]() -> QJsonValue {
            if (owner->currentText().trimmed().isEmpty() && repo->text().trimmed().isEmpty())
                return QJsonValue(QJsonValue::Undefined);
            QUrlQuery query;
            query.addQueryItem(QStringLiteral("owner"), owner->currentText().trimmed());
            query.addQueryItem(QStringLiteral("repo"), repo->text().trimmed());
            return host->currentText() + QLatin1Char('?') + query.toString(QUrl::FullyEncoded);
        };
        field.extraProblem = [owner, repo]() -> QString {
            if (repo->text().trimmed().isEmpty() && !owner->currentText().trimmed().isEmpty())
                return tr("Name the repository");
            if (owner->currentText().trimmed().isEmpty() && !repo->text().trimmed().isEmpty())
                return tr("Name the repository's owner");
            return {};
        };
        connect(host, &QComboBox::currentTextChanged, this, touch);
        connect(owner, &QComboBox::currentTextChanged, this, touch);
        connect(repo, &QLineEdit::textChanged, this, touch);
        return field;
    }
    if (type == QLatin1String("boolean")) {
        auto *check = new QCheckBox;
        check->setChecked(initial.toBool());
        field.editor = check;
        field.read = [check]() -> QJsonValue { return check->isChecked(); };
        connect(check, &QCheckBox::toggled, this, touch);
        return field;
    }
    if (schema.value(QLatin1String("enum")).isArray()) {
        auto *combo = new QComboBox;
        const QJsonArray values = schema.value(QLatin1String("enum")).toArray();
        const QJsonArray names = schema.value(QLatin1String("enumNames")).toArray();
        combo->addItem(QString(), QVariant());
        for (qsizetype i = 0; i < values.size(); ++i)
            combo->addItem(names.size() > i ? text(names.at(i)) : text(values.at(i)), values.at(i).toVariant());
        for (int i = 1; i < combo->count(); ++i) {
            if (QJsonValue::fromVariant(combo->itemData(i)) == initial)
                combo->setCurrentIndex(i);
        }
        field.editor = combo;
        field.read = [combo]() -> QJsonValue {
            return combo->currentIndex() <= 0 ? QJsonValue(QJsonValue::Undefined) : QJsonValue::fromVariant(combo->currentData());
        };
        connect(combo, &QComboBox::currentIndexChanged, this, touch);
        return field;
    }
    if (type == QLatin1String("object") && schema.contains(QLatin1String("properties"))) {
        auto *group = new QGroupBox;
        auto *inner = new QVBoxLayout(group);
        Scaffold::ParameterPage nested;
        nested.schema = schema;
        nested.keyOrder = m_page.keyOrder.below(JsonKeyOrder::path({QStringLiteral("properties"), name}));
        auto *form = new ParameterForm(nested, m_cache, initial.toObject(), m_owners);
        inner->addWidget(form);
        field.editor = group;
        field.read = [form]() -> QJsonValue {
            const QJsonObject values = form->values();
            return values.isEmpty() ? QJsonValue(QJsonValue::Undefined) : QJsonValue(values);
        };
        connect(form, &ParameterForm::changed, this, touch);
        return field;
    }
    if (type == QLatin1String("array") && schema.value(QLatin1String("items"))[QLatin1String("type")].toString() == QLatin1String("object")) {
        // A list of objects, as the web form's array field draws it: one
        // small form per item (the items' schema), Add and Remove.
        auto *box = new QWidget;
        auto *column = new QVBoxLayout(box);
        column->setContentsMargins(0, 0, 0, 0);
        auto *itemsBox = new QWidget;
        itemsBox->setObjectName(QStringLiteral("items-") + name);
        auto *itemsLayout = new QVBoxLayout(itemsBox);
        itemsLayout->setContentsMargins(0, 0, 0, 0);
        column->addWidget(itemsBox);
        auto *add = new QPushButton(tr("Add an item"));
        add->setObjectName(QStringLiteral("addItem-") + name);
        column->addWidget(add, 0, Qt::AlignLeft);
        Scaffold::ParameterPage itemPage;
        itemPage.schema = schema.value(QLatin1String("items")).toObject();
        itemPage.keyOrder = m_page.keyOrder.below(JsonKeyOrder::path({QStringLiteral("properties"), name, QStringLiteral("items")}));
        auto forms = std::make_shared<QList<ParameterForm *>>();
        const auto addItem = [this, itemsLayout, itemPage, forms, touch](const QJsonObject &values) {
            auto *frame = new QGroupBox;
            auto *inner = new QHBoxLayout(frame);
            auto *form = new ParameterForm(itemPage, m_cache, Scaffold::withDefaults(values, {itemPage}), m_owners);
            inner->addWidget(form, 1);
            auto *remove = new QPushButton(tr("Remove"));
            remove->setObjectName(QStringLiteral("removeItem"));
            inner->addWidget(remove, 0, Qt::AlignTop);
            itemsLayout->addWidget(frame);
            forms->append(form);
            connect(form, &ParameterForm::changed, this, touch);
            connect(remove, &QPushButton::clicked, this, [forms, form, frame, touch] {
                forms->removeOne(form);
                frame->deleteLater();
                touch();
            });
        };
        for (const QJsonValue &item : initial.toArray())
            addItem(item.toObject());
        connect(add, &QPushButton::clicked, this, [addItem, touch] {
            addItem({});
            touch();
        });
        field.editor = box;
        field.read = [forms]() -> QJsonValue {
            QJsonArray items;
            for (ParameterForm *form : std::as_const(*forms))
                items.append(form->values());
            return items.isEmpty() ? QJsonValue(QJsonValue::Undefined) : QJsonValue(items);
        };
        return field;
    }
    if (schema.value(QLatin1String("ui:widget")).toString() == QLatin1String("textarea")) {
        auto *area = new QPlainTextEdit(text(initial));
        area->setMaximumHeight(100);
        field.editor = area;
        field.read = [area]() -> QJsonValue {
            return area->toPlainText().isEmpty() ? QJsonValue(QJsonValue::Undefined) : QJsonValue(area->toPlainText());
        };
        connect(area, &QPlainTextEdit::textChanged, this, touch);
        return field;
    }

    // Text: strings, numbers, string lists and tags, entity names.
    auto *line = new QLineEdit;
    line->setPlaceholderText(schema.value(QLatin1String("ui:placeholder")).toString());
    if (schema.value(QLatin1String("ui:widget")).toString() == QLatin1String("password") || isSecret(schema))
        line->setEchoMode(QLineEdit::Password);
    const bool list = type == QLatin1String("array") || uiField == QLatin1String("EntityTagsPicker");
    const bool number = type == QLatin1String("number") || type == QLatin1String("integer");
    if (list) {
        QStringList parts;
        for (const QJsonValue &item : initial.toArray())
            parts.append(text(item));
        line->setText(parts.join(QStringLiteral(", ")));
        line->setPlaceholderText(line->placeholderText().isEmpty() ? tr("comma-separated") : line->placeholderText());
    } else {
        line->setText(text(initial));
    }
    const bool tags = uiField == QLatin1String("EntityTagsPicker");
    field.editor = line;
    field.read = [line, list, number, tags]() -> QJsonValue {
        const QString value = line->text();
        if (list) {
            QJsonArray items;
            for (QString part : value.split(QRegularExpression(tags ? QStringLiteral("[,\\s]+") : QStringLiteral(",")), Qt::SkipEmptyParts)) {
                part = part.trimmed();
                if (!part.isEmpty())
                    items.append(tags ? part.toLower() : part);
            }
            return items.isEmpty() ? QJsonValue(QJsonValue::Undefined) : QJsonValue(items);
        }
        if (value.isEmpty())
            return QJsonValue(QJsonValue::Undefined);
        if (number) {
            bool ok = false;
            const double parsed = value.trimmed().toDouble(&ok);
            return ok ? QJsonValue(parsed) : QJsonValue(value);   // a word stays text, and the schema says so
        }
        return value;
    };
    if (uiField == QLatin1String("EntityNamePicker"))
        field.extraProblem = [line] { return entityNameProblem(line->text()); };
    if (tags) {
        field.extraProblem = [line]() -> QString {
            for (const QString &tag : line->text().toLower().split(QRegularExpression(QStringLiteral("[,\\s]+")), Qt::SkipEmptyParts)) {
                if (!Model::FieldFormats::isValidTag(tag))
                    return tr("\"%1\" is not a valid tag: lower-case letters, digits, + # : and single dashes, at most 63 characters").arg(tag);
            }
            return {};
        };
    }
    connect(line, &QLineEdit::textChanged, this, touch);
    return field;
}

QWidget *ParameterForm::withCredentials(QWidget *repoRow, QComboBox *host, QComboBox *owner, QLineEdit *repo, const QString &secretsKey, Field &field)
{
    // Backstage's web form asks the host's OAuth provider for the person's
    // token; a desktop keeps it in the keychain, one entry per host.
    auto *editor = new QWidget;
    auto *column = new QVBoxLayout(editor);
    column->setContentsMargins(0, 0, 0, 0);
    column->addWidget(repoRow);
    auto *row = new QHBoxLayout;
    auto *token = new QLineEdit;
    token->setObjectName(QStringLiteral("repoToken"));
    token->setEchoMode(QLineEdit::Password);
    auto *remember = new QCheckBox(tr("Remember in the keychain"));
    remember->setObjectName(QStringLiteral("rememberToken"));
    remember->setChecked(m_hostTokens != nullptr);
    remember->setEnabled(m_hostTokens != nullptr);
    row->addWidget(new QLabel(tr("Your token")));
    row->addWidget(token, 1);
    row->addWidget(remember);
    column->addLayout(row);
    auto *note = new QLabel;
    note->setObjectName(QStringLiteral("repoTokenNote"));
    note->setWordWrap(true);
    note->setEnabled(false);   // drawn as a hint
    column->addWidget(note);

    // The keychain's token for the host on screen; typed text replaces it.
    auto loaded = std::make_shared<QString>();
    const QPointer<ParameterForm> self(this);
    auto lookUp = [self, host, token, note, loaded]() {
        const QString hostName = host->currentText();
        token->setPlaceholderText(tr("Your access token for %1 (optional)").arg(hostName));
        if (token->text() == *loaded)
            token->clear();
        loaded->clear();
        if (!self->m_hostTokens) {
            note->setText(tr("Without a token of yours the server publishes with its own credentials for %1.").arg(hostName));
            return;
        }
        note->setText(tr("Looking for your %1 token in the keychain…").arg(hostName));
        self->m_hostTokens->read(hostName, [self, host, token, note, loaded, hostName](const QString &found, const QString &error) {
            if (!self || host->currentText() != hostName)
                return;   // gone, or another host chosen meanwhile
            if (!error.isEmpty()) {
                note->setText(tr("The keychain could not be read (%1). Type a token for %2, or leave it empty to publish with the "
                                 "server's credentials (a task run on the server).").arg(error, hostName));
            } else if (found.isEmpty()) {
                note->setText(tr("No token for %1 in your keychain. Type one that may create repositories there, or leave it empty "
                                 "to publish with the server's credentials (a task run on the server).").arg(hostName));
            } else {
                *loaded = found;
                if (token->text().isEmpty())
                    token->setText(found);
                note->setText(tr("Using your %1 token from the keychain.").arg(hostName));
                for (const Field &f : std::as_const(self->m_fields)) {
                    if (f.suggest)
                        f.suggest();
                }
            }
            Q_EMIT self->changed();
        });
    };
    // With a token, the host is asked (through the server's autocomplete)
    // for the person's organisations and repositories: the owners go into
    // the owner list (unless allowedOwners fixes it), their repositories'
    // names complete the repository field.
    auto repositories = std::make_shared<QStringList>();   // "owner/name"
    auto *completer = new QCompleter(this);
    completer->setModel(new QStringListModel(completer));
    completer->setCaseSensitivity(Qt::CaseInsensitive);
    repo->setCompleter(completer);
    const auto completeFor = [owner = QPointer<QComboBox>(owner), completer = QPointer<QCompleter>(completer), repositories] {
        if (!owner || !completer)
            return;   // the form went while the host was asked
        QStringList names;
        for (const QString &full : std::as_const(*repositories)) {
            if (full.section(QLatin1Char('/'), 0, 0).compare(owner->currentText().trimmed(), Qt::CaseInsensitive) == 0)
                names.append(full.section(QLatin1Char('/'), 1));
        }
        static_cast<QStringListModel *>(completer->model())->setStringList(names);
    };
    const auto offerOwners = [owner = QPointer<QComboBox>(owner)](const QStringList &owners) {
        if (!owner || !owner->isEditable())
            return;   // allowedOwners decides
        const QString typed = owner->currentText();
        for (const QString &name : owners) {
            if (owner->findText(name) < 0)
                owner->addItem(name);
        }
        owner->setEditText(typed);
    };
    field.suggest = [self, host, token, repositories, completeFor, offerOwners]() {
        if (!self || !self->m_suggest || token->text().isEmpty())
            return;
        const QJsonObject context{{QStringLiteral("host"), host->currentText()}};
        self->m_suggest(QStringLiteral("owners"), context, token->text(), offerOwners);
        self->m_suggest(QStringLiteral("repositoriesWithOwner"), context, token->text(),
                        [repositories, completeFor, offerOwners](const QStringList &ids) {
                            *repositories = ids;
                            QStringList owners;
                            for (const QString &full : ids)
                                owners.append(full.section(QLatin1Char('/'), 0, 0));
                            owners.removeDuplicates();
                            offerOwners(owners);
                            completeFor();
                        });
    };
    connect(owner, &QComboBox::currentTextChanged, this, completeFor);
    connect(host, &QComboBox::currentTextChanged, this, lookUp);
    connect(token, &QLineEdit::textChanged, this, &ParameterForm::changed);
    connect(token, &QLineEdit::editingFinished, this, [self, token, loaded] {
        if (!self || token->text() == *loaded)
            return;   // the keychain's token has been asked with already
        for (const Field &f : std::as_const(self->m_fields)) {
            if (f.suggest)
                f.suggest();
        }
    });
    lookUp();
    field.credentials = [secretsKey, token]() {
        return token->text().isEmpty() ? QJsonObject() : QJsonObject{{secretsKey, token->text()}};
    };
    field.remember = [self, host, token, remember, loaded]() {
        if (!self || !self->m_hostTokens || !remember->isChecked() || token->text().isEmpty() || token->text() == *loaded)
            return;
        *loaded = token->text();
        const QString hostName = host->currentText();
        self->m_hostTokens->write(hostName, token->text(), [hostName](const QString &error) {
            if (!error.isEmpty())
                qWarning("Cannot keep the token for %s in the keychain: %s", qUtf8Printable(hostName), qUtf8Printable(error));
        });
    };
    return editor;
}

void ParameterForm::setSuggest(Suggest suggest)
{
    m_suggest = std::move(suggest);
    for (const Field &field : std::as_const(m_fields)) {
        if (field.suggest)
            field.suggest();
    }
}

QJsonObject ParameterForm::secrets() const
{
    QJsonObject all = answers(true);
    for (const Field &field : m_fields) {
        if (!field.credentials)
            continue;
        const QJsonObject credentials = field.credentials();
        for (auto it = credentials.begin(); it != credentials.end(); ++it)
            all.insert(it.key(), it.value());
    }
    return all;
}

void ParameterForm::rememberCredentials()
{
    for (const Field &field : std::as_const(m_fields)) {
        if (field.remember)
            field.remember();
    }
}

QJsonObject ParameterForm::answers(bool secrets) const
{
    QJsonObject values;
    for (const Field &field : m_fields) {
        const QJsonValue value = field.read();
        if (!value.isUndefined() && isSecret(field.schema) == secrets)
            values.insert(field.name, value);
    }
    return values;
}

QList<Scaffold::ParameterProblem> ParameterForm::problems() const
{
    // The page's schema speaks of its Secret fields too.
    QJsonObject all = values();
    const QJsonObject hidden = answers(true);
    for (auto it = hidden.begin(); it != hidden.end(); ++it)
        all.insert(it.key(), it.value());
    QList<Scaffold::ParameterProblem> problems = Scaffold::validatePage(all, m_page);
    for (const Field &field : m_fields) {
        if (field.extraProblem) {
            const QString problem = field.extraProblem();
            if (!problem.isEmpty())
                problems.append({field.name, QStringLiteral("ui:field"), problem});
        }
    }
    return problems;
}

void ParameterForm::showAllProblems()
{
    m_showAll = true;
    refresh();
}

void ParameterForm::refresh()
{
    const QList<Scaffold::ParameterProblem> found = problems();
    for (Field &field : m_fields) {
        QString message;
        for (const Scaffold::ParameterProblem &problem : found) {
            const bool mine = problem.field == field.name || problem.field.startsWith(field.name + QLatin1Char('.'))
                              || problem.field.startsWith(field.name + QLatin1Char('['));
            if (mine) {
                message = problem.message;
                break;
            }
        }
        const bool shown = !message.isEmpty() && (field.touched || m_showAll);
        field.message->setText(message);
        field.message->setVisible(shown);
    }
    Q_EMIT changed();
}

QWidget *ParameterForm::editor(const QString &property) const
{
    for (const Field &field : m_fields) {
        if (field.name == property)
            return field.editor;
    }
    return nullptr;
}

QString ParameterForm::message(const QString &property) const
{
    for (const Field &field : m_fields) {
        if (field.name == property)
            return field.message->isHidden() ? QString() : field.message->text();
    }
    return {};
}

QString ParameterForm::label(const QString &property) const
{
    for (const Field &field : m_fields) {
        if (field.name == property)
            return field.title;
    }
    return property;
}

QStringList ParameterForm::properties() const
{
    QStringList names;
    for (const Field &field : m_fields)
        names.append(field.name);
    return names;
}

} // namespace Greenroom::Ui
