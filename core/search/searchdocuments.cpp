// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "searchdocuments.h"

#include "searchtext.h"

#include <model/entityref.h>
#include <model/entitysearch.h>

#include <QCryptographicHash>
#include <QHash>
#include <QJsonArray>
#include <QUrl>

namespace Greenroom::Search {

namespace {

const QString Other = QStringLiteral("other");

QString keyOf(const char *name)
{
    return QString::fromLatin1(name);
}

// JavaScript's truthiness of a JSON value.
bool truthy(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::String:
        return !value.toString().isEmpty();
    case QJsonValue::Double:
        return value.toDouble() != 0 && !std::isnan(value.toDouble());
    case QJsonValue::Bool:
        return value.toBool();
    case QJsonValue::Array:
    case QJsonValue::Object:
        return true;
    default:
        return false;
    }
}

// `value || fallback`, keeping the value's JSON type as JavaScript does.
QJsonValue orElse(const QJsonValue &value, const QJsonValue &fallback)
{
    return truthy(value) ? value : fallback;
}

// JavaScript's String(value) for what a spec field may hold.
QString javaScriptString(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::String:
    case QJsonValue::Double:
    case QJsonValue::Bool:
        return Model::EntitySearch::scalarText(value);
    case QJsonValue::Array: {
        QStringList parts;
        for (const QJsonValue &item : value.toArray())
            parts.append(item.isNull() || item.isUndefined() ? QString() : javaScriptString(item));
        return parts.join(QLatin1Char(','));
    }
    case QJsonValue::Object:
        return QStringLiteral("[object Object]");
    default:
        return QString();
    }
}

// `entity.spec?.type?.toString() || "other"`
QString specType(const QJsonObject &spec)
{
    const QJsonValue type = spec.value(QLatin1String("type"));
    if (type.isNull() || type.isUndefined())
        return Other;
    const QString text = javaScriptString(type);
    return text.isEmpty() ? Other : text;
}

// The text of a document's scalar field, for full-text columns and filters.
QString fieldText(const QJsonValue &value)
{
    return value.isString() ? value.toString() : javaScriptString(value);
}

// String.prototype.replace with a string pattern: the first occurrence only.
QString replaceFirst(QString text, const QString &placeholder, const QString &value)
{
    const qsizetype at = text.indexOf(placeholder);
    if (at >= 0)
        text.replace(at, placeholder.size(), value);
    return text;
}

QString encodeUriComponent(const QString &text)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(text, "!*'()"));
}

// The name part of an owner written as a ref ("group:default/team-a" -> "team-a").
QString ownerName(const QString &owner)
{
    const qsizetype slash = owner.lastIndexOf(QLatin1Char('/'));
    const qsizetype colon = owner.lastIndexOf(QLatin1Char(':'));
    return owner.mid(std::max(slash, colon) + 1);
}

QString joinedWords(const QStringList &parts)
{
    QStringList kept;
    for (const QString &part : parts) {
        if (!part.isEmpty())
            kept.append(part);
    }
    return kept.join(QLatin1Char(' '));
}

class OrderedDocument
{
public:
    void insert(const QString &key, const QJsonValue &value)
    {
        if (!m_object.contains(key))
            m_order.append(QString(), key);
        m_object.insert(key, value);
    }
    QJsonObject &object() { return m_object; }
    JsonKeyOrder &order() { return m_order; }
    QByteArray json() const { return m_order.toJson(m_object); }

private:
    QJsonObject m_object;
    JsonKeyOrder m_order;
};

// `text` of both collators: description, then a User's or Group's display name, then a User's email.
QStringList profileTexts(const QJsonObject &entity)
{
    const QString kind = entity.value(QLatin1String("kind")).toString();
    const bool user = kind.compare(QLatin1String("User"), Qt::CaseInsensitive) == 0;
    const bool group = kind.compare(QLatin1String("Group"), Qt::CaseInsensitive) == 0;
    QStringList texts;
    if (!user && !group)
        return texts;
    const QJsonObject profile = entity.value(QLatin1String("spec")).toObject().value(QLatin1String("profile")).toObject();
    const QJsonValue displayName = profile.value(QLatin1String("displayName"));
    if (truthy(displayName))
        texts.append(fieldText(displayName));
    const QJsonValue email = profile.value(QLatin1String("email"));
    if (user && truthy(email))
        texts.append(fieldText(email));
    return texts;
}

QStringList tagsOf(const QJsonObject &metadata)
{
    QStringList tags;
    for (const QJsonValue &tag : metadata.value(QLatin1String("tags")).toArray())
        tags.append(fieldText(tag));
    return tags;
}

QString tagKey(const QStringList &tags)
{
    QString key;
    for (const QString &tag : tags)
        key += QLatin1Char('|') + folded(tag);
    return key.isEmpty() ? QString() : key + QLatin1Char('|');
}

QString ownedByName(const QJsonObject &entity)
{
    for (const QJsonValue &relation : entity.value(QLatin1String("relations")).toArray()) {
        const QJsonObject r = relation.toObject();
        if (r.value(QLatin1String("type")).toString() == QLatin1String("ownedBy")) {
            auto ref = Model::EntityRef::parse(r.value(QLatin1String("targetRef")).toString());
            return ref ? ref->name() : QString();
        }
    }
    return QString();
}

} // namespace

QString catalogType()
{
    return QStringLiteral("software-catalog");
}

QString techDocsType()
{
    return QStringLiteral("techdocs");
}

QStringList documentTypes()
{
    return {catalogType(), techDocsType()};
}

QStringList documentFields(const QString &type)
{
    if (type == catalogType())
        return {keyOf("title"), keyOf("text"), keyOf("componentType"), keyOf("type"), keyOf("namespace"), keyOf("kind"),
                keyOf("lifecycle"), keyOf("owner"), keyOf("location")};
    if (type == techDocsType())
        return {keyOf("kind"), keyOf("namespace"), keyOf("annotations"), keyOf("name"), keyOf("title"), keyOf("text"),
                keyOf("componentType"), keyOf("type"), keyOf("lifecycle"), keyOf("owner"), keyOf("path"),
                keyOf("location"), keyOf("entityTitle")};
    return {};
}

QStringList filterFields(const QString &type)
{
    QStringList fields = documentFields(type);
    if (!fields.isEmpty())
        fields.append(QStringLiteral("tags"));
    return fields;
}

QString CollatorOptions::fingerprint() const
{
    QCryptographicHash hash(QCryptographicHash::Sha1);
    for (const QString &part : {catalogLocationTemplate, techDocsLocationTemplate})
        hash.addData(part.toUtf8().append('\0'));
    hash.addData(legacyCaseSensitiveTriplets ? "1" : "0");
    return QString::fromLatin1(hash.result().toHex());
}

bool hasTechDocs(const QJsonObject &entity)
{
    return entity.value(QLatin1String("metadata")).toObject().value(QLatin1String("annotations")).toObject()
        .contains(QLatin1String("backstage.io/techdocs-ref"));
}

QString unescapeHtml(const QString &text)
{
    if (!text.contains(QLatin1Char('&')))
        return text;
    static const std::pair<const char *, char> entities[] = {
        {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&#39;", '\''}};
    QString out;
    out.reserve(text.size());
    for (qsizetype i = 0; i < text.size();) {
        bool replaced = false;
        if (text[i] == QLatin1Char('&')) {
            for (const auto &[entity, character] : entities) {
                const QLatin1StringView name(entity);
                if (QStringView(text).mid(i).startsWith(name)) {
                    out.append(QLatin1Char(character));
                    i += name.size();
                    replaced = true;
                    break;
                }
            }
        }
        if (!replaced)
            out.append(text[i++]);
    }
    return out;
}

IndexedDocument catalogDocument(const QJsonObject &entity, const CollatorOptions &options)
{
    const QJsonObject metadata = entity.value(QLatin1String("metadata")).toObject();
    const QJsonObject spec = entity.value(QLatin1String("spec")).toObject();
    const QString kind = entity.value(QLatin1String("kind")).toString();
    const QString name = metadata.value(QLatin1String("name")).toString();
    const QJsonValue namespaceValue = orElse(metadata.value(QLatin1String("namespace")), QStringLiteral("default"));
    const QString namespaceName = fieldText(namespaceValue);
    const QJsonValue titleValue = metadata.value(QLatin1String("title"));
    const QString title = titleValue.isNull() || titleValue.isUndefined() ? name : fieldText(titleValue);

    QStringList texts;
    const QJsonValue description = metadata.value(QLatin1String("description"));
    if (truthy(description))
        texts.append(fieldText(description));
    texts += profileTexts(entity);
    const QString type = specType(spec);
    const QJsonValue lifecycle = orElse(spec.value(QLatin1String("lifecycle")), QString());
    const QJsonValue owner = orElse(spec.value(QLatin1String("owner")), QString());

    OrderedDocument document;
    document.insert(keyOf("title"), titleValue.isNull() || titleValue.isUndefined() ? QJsonValue(name) : titleValue);
    document.insert(keyOf("text"), texts.join(QStringLiteral(" : ")));
    document.insert(keyOf("componentType"), type);
    document.insert(keyOf("type"), type);
    document.insert(keyOf("namespace"), namespaceValue);
    document.insert(keyOf("kind"), kind);
    document.insert(keyOf("lifecycle"), lifecycle);
    document.insert(keyOf("owner"), owner);
    QString location = options.catalogLocationTemplate;
    location = replaceFirst(location, QStringLiteral(":namespace"), encodeUriComponent(namespaceName));
    location = replaceFirst(location, QStringLiteral(":kind"), encodeUriComponent(kind));
    location = replaceFirst(location, QStringLiteral(":name"), encodeUriComponent(name));
    document.insert(keyOf("location"), location.toLower());

    IndexedDocument indexed;
    indexed.type = catalogType();
    indexed.entityRef = Model::EntityRef::canonical(kind, namespaceName, name);
    indexed.json = document.json();
    indexed.title = title;
    indexed.name = name;
    indexed.keywords = joinedWords(tagsOf(metadata) + QStringList{ownerName(fieldText(owner)), kind,
                                                                  spec.contains(QLatin1String("type")) ? type : QString(),
                                                                  fieldText(lifecycle)});
    indexed.text = texts.join(QLatin1Char(' '));
    indexed.exactKeys.append(wordKey(name));
    const QString titleKey = wordKey(title);
    if (titleKey != indexed.exactKeys.first() && !titleKey.isEmpty())
        indexed.exactKeys.append(titleKey);
    indexed.kind = folded(kind);
    indexed.documentType = folded(type);
    indexed.lifecycle = folded(fieldText(lifecycle));
    indexed.owner = folded(fieldText(owner));
    indexed.namespaceName = folded(namespaceName);
    indexed.tags = tagKey(tagsOf(metadata));
    indexed.sortKey = folded(title);
    return indexed;
}

QList<IndexedDocument> techDocsDocuments(const QJsonObject &entity, const JsonKeyOrder &order,
                                         const QList<DocsIndexEntry> &entries, const CollatorOptions &options)
{
    const QJsonObject metadata = entity.value(QLatin1String("metadata")).toObject();
    const QJsonObject spec = entity.value(QLatin1String("spec")).toObject();
    const QString kind = entity.value(QLatin1String("kind")).toString();
    const QString namespaceName = fieldText(orElse(metadata.value(QLatin1String("namespace")), QStringLiteral("default")));
    const QString name = fieldText(orElse(metadata.value(QLatin1String("name")), QString()));
    const bool keepCase = options.legacyCaseSensitiveTriplets;
    const QString tripletKind = keepCase ? kind : kind.toLower();
    const QString tripletNamespace = keepCase ? namespaceName : namespaceName.toLower();
    const QString tripletName = keepCase ? name : name.toLower();
    const QJsonValue annotations = orElse(metadata.value(QLatin1String("annotations")), QString());
    const QString type = specType(spec);
    const QJsonValue lifecycle = orElse(spec.value(QLatin1String("lifecycle")), QString());
    const QString owner = ownedByName(entity);
    const QJsonValue entityTitle = metadata.value(QLatin1String("title"));
    const QString annotationsPath = JsonKeyOrder::path({QStringLiteral("annotations")});
    const JsonKeyOrder annotationsOrder = order.below(JsonKeyOrder::path({QStringLiteral("metadata"), QStringLiteral("annotations")}));

    // A section's page gives it context: "Install" on "Getting started".
    QHash<QString, QString> pageTitles;
    for (const DocsIndexEntry &entry : entries) {
        if (!entry.location.contains(QLatin1Char('#')))
            pageTitles.insert(entry.location, unescapeHtml(entry.title));
    }

    QList<IndexedDocument> documents;
    documents.reserve(entries.size());
    for (const DocsIndexEntry &entry : entries) {
        const QString title = unescapeHtml(entry.title);
        const QString text = unescapeHtml(entry.text);
        OrderedDocument document;
        document.insert(keyOf("kind"), tripletKind);
        document.insert(keyOf("namespace"), tripletNamespace);
        document.insert(keyOf("annotations"), annotations);
        document.insert(keyOf("name"), tripletName);
        document.insert(keyOf("title"), title);
        document.insert(keyOf("text"), text);
        document.insert(keyOf("componentType"), type);
        document.insert(keyOf("type"), type);
        document.insert(keyOf("lifecycle"), lifecycle);
        document.insert(keyOf("owner"), owner);
        document.insert(keyOf("path"), entry.location);
        QString location = options.techDocsLocationTemplate;
        location = replaceFirst(location, QStringLiteral(":kind"), tripletKind);
        location = replaceFirst(location, QStringLiteral(":namespace"), tripletNamespace);
        location = replaceFirst(location, QStringLiteral(":name"), tripletName);
        location = replaceFirst(location, QStringLiteral(":path"), entry.location);
        document.insert(keyOf("location"), location);
        if (!entityTitle.isUndefined())
            document.insert(keyOf("entityTitle"), entityTitle);
        if (annotations.isObject())
            document.order().insertBelow(annotationsPath, annotationsOrder);

        IndexedDocument indexed;
        indexed.type = techDocsType();
        indexed.entityRef = Model::EntityRef::canonical(kind, namespaceName, name);
        indexed.json = document.json();
        indexed.title = title;
        const QString page = entry.location.section(QLatin1Char('#'), 0, 0);
        const QString pageTitle = page != entry.location ? pageTitles.value(page) : QString();
        indexed.name = pageTitle;
        // The entity's names are keywords here: its sections follow the entity, not precede it.
        indexed.keywords = joinedWords({name, fieldText(entityTitle), owner, kind});
        indexed.text = text;
        indexed.kind = folded(tripletKind);
        indexed.documentType = folded(type);
        indexed.lifecycle = folded(fieldText(lifecycle));
        indexed.owner = folded(owner);
        indexed.namespaceName = folded(tripletNamespace);
        indexed.entityName = folded(tripletName);
        indexed.tags = tagKey(tagsOf(metadata));
        indexed.sortKey = folded(title);
        documents.append(indexed);
    }
    return documents;
}

} // namespace Greenroom::Search
