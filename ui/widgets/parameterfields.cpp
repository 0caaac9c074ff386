// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// The parameter form's field builders, one per kind of field, as Backstage
// has one folder per field extension: entity pickers, multiple choice,
// RepoUrlPicker, booleans, enums, objects, lists of objects, text areas and
// text. ParameterForm::makeEditor picks the builder.
#include "parameterform.h"
#include "parameterfields_p.h"

#include "models/catalogcache.h"
#include "models/entitypresentation.h"

#include <model/entityfilter.h>
#include <model/entityref.h>
#include <model/fieldformats.h>
#include <scaffold/templateparameters.h>

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QUrlQuery>
#include <QVBoxLayout>

namespace Greenroom::Ui {

using ParameterFields::isSecret;
using ParameterFields::text;

namespace {

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

ParameterForm::Field ParameterForm::entityPickerField(const FieldSpec &spec)
{
    Field field = spec.newField();
    const QJsonValue &initial = spec.initial;
    const QString &uiField = spec.uiField;
    const QJsonObject &options = spec.options;
    const std::function<void()> &touch = spec.touch;
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

ParameterForm::Field ParameterForm::multiChoiceField(const FieldSpec &spec)
{
    Field field = spec.newField();
    const QJsonObject &schema = spec.schema;
    const QJsonValue &initial = spec.initial;
    const QString &uiField = spec.uiField;
    const QJsonObject &options = spec.options;
    const std::function<void()> &touch = spec.touch;
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

ParameterForm::Field ParameterForm::repoUrlField(const FieldSpec &spec)
{
    Field field = spec.newField();
    const QJsonValue &initial = spec.initial;
    const QJsonObject &options = spec.options;
    const std::function<void()> &touch = spec.touch;
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

ParameterForm::Field ParameterForm::booleanField(const FieldSpec &spec)
{
    Field field = spec.newField();
    const QJsonValue &initial = spec.initial;
    const std::function<void()> &touch = spec.touch;
    auto *check = new QCheckBox;
    check->setChecked(initial.toBool());
    field.editor = check;
    field.read = [check]() -> QJsonValue { return check->isChecked(); };
    connect(check, &QCheckBox::toggled, this, touch);
    return field;
}

ParameterForm::Field ParameterForm::enumField(const FieldSpec &spec)
{
    Field field = spec.newField();
    const QJsonObject &schema = spec.schema;
    const QJsonValue &initial = spec.initial;
    const std::function<void()> &touch = spec.touch;
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

ParameterForm::Field ParameterForm::objectField(const FieldSpec &spec)
{
    Field field = spec.newField();
    const QString &name = spec.name;
    const QJsonObject &schema = spec.schema;
    const QJsonValue &initial = spec.initial;
    const std::function<void()> &touch = spec.touch;
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

ParameterForm::Field ParameterForm::objectListField(const FieldSpec &spec)
{
    Field field = spec.newField();
    const QString &name = spec.name;
    const QJsonObject &schema = spec.schema;
    const QJsonValue &initial = spec.initial;
    const std::function<void()> &touch = spec.touch;
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

ParameterForm::Field ParameterForm::textAreaField(const FieldSpec &spec)
{
    Field field = spec.newField();
    const QJsonValue &initial = spec.initial;
    const std::function<void()> &touch = spec.touch;
    auto *area = new QPlainTextEdit(text(initial));
    area->setMaximumHeight(100);
    field.editor = area;
    field.read = [area]() -> QJsonValue {
        return area->toPlainText().isEmpty() ? QJsonValue(QJsonValue::Undefined) : QJsonValue(area->toPlainText());
    };
    connect(area, &QPlainTextEdit::textChanged, this, touch);
    return field;
}

ParameterForm::Field ParameterForm::textField(const FieldSpec &spec)
{
    Field field = spec.newField();
    const QJsonObject &schema = spec.schema;
    const QJsonValue &initial = spec.initial;
    const QString &uiField = spec.uiField;
    const QString &type = spec.type;
    const std::function<void()> &touch = spec.touch;
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

} // namespace Greenroom::Ui
