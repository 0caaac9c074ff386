// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "parameterform.h"
#include "parameterfields_p.h"

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
    FieldSpec spec;
    spec.name = name;
    spec.schema = schema;
    spec.initial = initial;
    spec.uiField = schema.value(QLatin1String("ui:field")).toString();
    spec.options = schema.value(QLatin1String("ui:options")).toObject();
    spec.type = schema.value(QLatin1String("type")).toString();
    spec.touch = [this, name] {
        for (Field &f : m_fields) {
            if (f.name == name)
                f.touched = true;
        }
        refresh();
    };
    const QString &uiField = spec.uiField;
    const QString &type = spec.type;
    // One builder per kind of field (parameterfields.cpp), as Backstage has one folder per field extension.
    if (uiField == QLatin1String("EntityPicker") || uiField == QLatin1String("OwnerPicker") || uiField == QLatin1String("OwnedEntityPicker"))
        return entityPickerField(spec);
    if (uiField == QLatin1String("MultiEntityPicker")
        || (type == QLatin1String("array") && schema.value(QLatin1String("items"))[QLatin1String("enum")].isArray()))
        return multiChoiceField(spec);
    if (uiField == QLatin1String("RepoUrlPicker"))
        return repoUrlField(spec);
    if (type == QLatin1String("boolean"))
        return booleanField(spec);
    if (schema.value(QLatin1String("enum")).isArray())
        return enumField(spec);
    if (type == QLatin1String("object") && schema.contains(QLatin1String("properties")))
        return objectField(spec);
    if (type == QLatin1String("array") && schema.value(QLatin1String("items"))[QLatin1String("type")].toString() == QLatin1String("object"))
        return objectListField(spec);
    if (schema.value(QLatin1String("ui:widget")).toString() == QLatin1String("textarea"))
        return textAreaField(spec);
    return textField(spec);   // strings, numbers, string lists and tags, entity names
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
        if (!value.isUndefined() && ParameterFields::isSecret(field.schema) == secrets)
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
