// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace Greenroom::Docs {

// A superfences custom fence: ```name blocks rendered as <pre class="class">
// (fence_code_format) or <div class="class"> (fence_div_format), source kept.
struct CustomFence
{
    QString name;
    QString cssClass;
    bool asDiv = false;
};

// The Python-Markdown extensions techdocs-core turns on, with the options a
// site's mkdocs.yml may change. The defaults are techdocs-core's.
struct MarkdownDialect
{
    bool permalink = true;
    QString permalinkSymbol = QStringLiteral("\u00b6");
    QString permalinkTitle = QStringLiteral("Permanent link");
    int tocDepthMax = 6;
    QString tocSeparator = QStringLiteral("-");
    bool lineNumbers = true;          // pymdownx.highlight linenums
    bool languageClass = true;        // pygments_lang_class
    QString highlightCssClass = QStringLiteral("highlight");
    bool tabbedAlternateStyle = true;
    QList<CustomFence> customFences;
    bool nl2br = false;
    bool tasklistCustomCheckbox = true;
    bool githubAlerts = true;         // gh-admonitions plugin
};

} // namespace Greenroom::Docs
