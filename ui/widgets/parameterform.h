// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <scaffold/templateparameters.h>

#include <QJsonObject>
#include <QWidget>

#include <functional>

class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;

namespace Greenroom::Ui {

class CatalogCache;
class TokenVault;

/*
 * One page of a template's wizard, drawn from its JSON Schema the way
 * Backstage's form draws it: a field per property by type (text, number,
 * enum as a combo box, boolean, string arrays, nested objects) or by
 * `ui:field` (OwnerPicker, EntityPicker, OwnedEntityPicker and
 * MultiEntityPicker with catalogFilter over the local cache; RepoUrlPicker
 * with allowedHosts/allowedOwners and requestUserCredentials (the person's
 * token for the host, from the keychain or typed, goes to the task's
 * secrets under secretsKey); EntityNamePicker; EntityTagsPicker).
 * Every change is checked against the page's schema at once; a field shows
 * its problem once it has been edited, or after showAllProblems().
 */
class ParameterForm : public QWidget
{
    Q_OBJECT

public:
    // `owners`: the person's user ref and groups (Settings' "who you are"), for OwnedEntityPicker.
    // `hostTokens`: the keychain's repository host tokens (by host); none: typed only.
    ParameterForm(const Scaffold::ParameterPage &page, CatalogCache &cache, const QJsonObject &initial, const QStringList &owners = {},
                  TokenVault *hostTokens = nullptr, QWidget *parent = nullptr);

    const Scaffold::ParameterPage &page() const { return m_page; }
    // The answers on this page; empty fields are left out, as the web form leaves them.
    QJsonObject values() const { return answers(false); }
    // What goes to the task's secrets: the answers of its `ui:field: Secret`
    // fields and the tokens RepoUrlPicker's requestUserCredentials asked for.
    QJsonObject secrets() const;
    // Where RepoUrlPicker's suggestions come from (Backstage's autocomplete:
    // resource "owners" or "repositoriesWithOwner", context {host}, the
    // person's token); `done` gets the ids, or nothing when there are none.
    // Asked whenever a picker with requestUserCredentials has a token.
    using Suggest = std::function<void(const QString &resource, const QJsonObject &context, const QString &token,
                                       std::function<void(const QStringList &)> done)>;
    void setSuggest(Suggest suggest);

    // Keeps typed repository host tokens whose "Remember" is ticked in the
    // keychain (when the task is created, not for a dry run).
    void rememberCredentials();
    QList<Scaffold::ParameterProblem> problems() const;
    bool isValid() const { return problems().isEmpty(); }
    void showAllProblems();

    // For tests and the review page.
    QWidget *editor(const QString &property) const;
    QString message(const QString &property) const;
    QString label(const QString &property) const;
    QStringList properties() const;

Q_SIGNALS:
    void changed();

private:
    struct Field
    {
        QString name;
        QString title;
        QJsonObject schema;
        QWidget *editor = nullptr;
        QLabel *message = nullptr;
        bool touched = false;
        std::function<QJsonValue()> read;
        std::function<QString()> extraProblem;   // a picker's own rule (EntityNamePicker)
        std::function<QJsonObject()> credentials; // RepoUrlPicker's requestUserCredentials: {secretsKey: token}
        std::function<void()> remember;           // ... and keeping its token in the keychain
        std::function<void()> suggest;            // ... and asking for owner and repository suggestions with it
    };
    QWidget *withCredentials(QWidget *repoRow, QComboBox *host, QComboBox *owner, QLineEdit *repo, const QString &secretsKey, Field &field);
    void addField(QFormLayout *layout, const QString &name, const QJsonObject &schema, const QJsonValue &initial, bool required);
    Field makeEditor(const QString &name, const QJsonObject &schema, const QJsonValue &initial);
    // What each field builder (parameterfields.cpp) is given.
    struct FieldSpec
    {
        QString name;
        QJsonObject schema;
        QJsonValue initial;
        QString uiField;       // ui:field
        QJsonObject options;   // ui:options
        QString type;          // the JSON Schema type
        std::function<void()> touch;   // the field was edited: its problems show from now on
        Field newField() const
        {
            Field field;
            field.name = name;
            field.schema = schema;
            return field;
        }
    };
    Field entityPickerField(const FieldSpec &spec);   // EntityPicker, OwnerPicker, OwnedEntityPicker
    Field multiChoiceField(const FieldSpec &spec);    // MultiEntityPicker, arrays of enums
    Field repoUrlField(const FieldSpec &spec);
    Field booleanField(const FieldSpec &spec);
    Field enumField(const FieldSpec &spec);
    Field objectField(const FieldSpec &spec);         // a nested form
    Field objectListField(const FieldSpec &spec);     // one small form per item, Add and Remove
    Field textAreaField(const FieldSpec &spec);
    Field textField(const FieldSpec &spec);           // strings, numbers, string lists and tags, entity names
    void refresh();
    QJsonObject answers(bool secrets) const;

    Scaffold::ParameterPage m_page;
    CatalogCache &m_cache;
    QStringList m_owners;
    TokenVault *m_hostTokens = nullptr;
    Suggest m_suggest;
    QList<Field> m_fields;
    bool m_showAll = false;
};

} // namespace Greenroom::Ui
