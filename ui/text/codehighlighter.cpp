// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "codehighlighter.h"

#include "builtinhighlighter.h"

#ifdef GREENROOM_HAVE_KSYNTAXHIGHLIGHTING
#include <KSyntaxHighlighting/Definition>
#include <KSyntaxHighlighting/Repository>
#include <KSyntaxHighlighting/SyntaxHighlighter>
#include <KSyntaxHighlighting/Theme>
#endif

namespace Greenroom::Ui {

QSyntaxHighlighter *highlightCode(QTextDocument *document, const QString &language, bool dark)
{
#ifdef GREENROOM_HAVE_KSYNTAXHIGHLIGHTING
    static KSyntaxHighlighting::Repository repository;
    static const QHash<QString, QString> names{{QStringLiteral("yaml"), QStringLiteral("YAML")},
                                               {QStringLiteral("json"), QStringLiteral("JSON")},
                                               {QStringLiteral("graphql"), QStringLiteral("GraphQL")},
                                               {QStringLiteral("protobuf"), QStringLiteral("Protobuf")}};
    const KSyntaxHighlighting::Definition definition = repository.definitionForName(names.value(language.toLower(), language));
    if (definition.isValid()) {
        auto *highlighter = new KSyntaxHighlighting::SyntaxHighlighter(document);
        highlighter->setDefinition(definition);
        highlighter->setTheme(repository.defaultTheme(dark ? KSyntaxHighlighting::Repository::DarkTheme
                                                           : KSyntaxHighlighting::Repository::LightTheme));
        return highlighter;
    }
#endif
    return new BuiltinHighlighter(document, language, dark);
}

QString languageOfApiType(const QString &apiType, const QString &definition)
{
    const QString type = apiType.toLower();
    if (type == QLatin1String("graphql"))
        return QStringLiteral("graphql");
    if (type == QLatin1String("grpc"))
        return QStringLiteral("protobuf");
    return definition.trimmed().startsWith(QLatin1Char('{')) ? QStringLiteral("json") : QStringLiteral("yaml");
}

} // namespace Greenroom::Ui
