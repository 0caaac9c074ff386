// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "docssitegenerator.h"

#include "testfiles.h"

#include <QTextStream>

namespace Greenroom::Bench {

namespace {

// mkdocs.yml both builders read: Material plus techdocs-core's extension
// list spelled out (Debian has no mkdocs-techdocs-core package).
const char kConfig[] = R"(site_name: Benchmark handbook
site_description: A generated site for timing docs builds
repo_url: https://github.com/acme/handbook
edit_uri: edit/main/docs/
theme:
  name: material
plugins:
  - search
markdown_extensions:
  - toc:
      permalink: true
  - admonition
  - pymdownx.details
  - pymdownx.tabbed:
      alternate_style: true
  - pymdownx.caret
  - pymdownx.critic
  - pymdownx.emoji
  - pymdownx.inlinehilite
  - pymdownx.magiclink
  - pymdownx.mark
  - pymdownx.smartsymbols
  - pymdownx.highlight:
      linenums: true
      pygments_lang_class: true
  - pymdownx.superfences:
      custom_fences:
        - name: mermaid
          class: mermaid
          format: !!python/name:pymdownx.superfences.fence_code_format
  - pymdownx.tasklist:
      custom_checkbox: true
  - pymdownx.tilde
  - footnotes
  - attr_list
  - def_list
  - tables
  - abbr
  - md_in_html
)";

QString page(int section, int index, int sections, int perSection)
{
    const int next = (index + 1) % perSection;
    const int otherSection = (section + 1) % sections;
    QString text;
    QTextStream s(&text);
    s << "# Service " << section << "." << index << " guide\n\n"
      << "This page describes **service " << index << "** of area " << section << ", its API and how to run it. "
      << "It links to [the next page](page-" << next << ".md#configuration), to [another area](../area-" << otherSection
      << "/page-" << index % perSection << ".md) and to https://backstage.io/docs. :rocket: ==Important== text, "
      << "H~2~O, x^2^, ~~old~~ and ^^new^^ (c) 2026.[^note]\n\n"
      << "!!! note \"Before you start\"\n    You need access to the `deploy` group and a token. See the\n"
      << "    [setup page](../index.md) first.\n\n"
      << "??? tip \"Hidden details\"\n    The service restarts itself on failure.\n\n"
      << "## Configuration\n\n"
      << "| Key | Default | Meaning |\n|:----|:-------:|--------:|\n";
    for (int row = 0; row < 6; ++row)
        s << "| `option." << row << "` | " << row * 10 << " | what option " << row << " changes |\n";
    s << "\n=== \"Python\"\n\n    ```python\n    import requests\n\n    def fetch(url: str) -> dict:\n"
      << "        \"\"\"Fetch one document.\"\"\"\n        return requests.get(url, timeout=5).json()\n    ```\n\n"
      << "=== \"Shell\"\n\n    ```bash\n    curl -s https://api.example.com/v1/items | jq '.items[]'\n    ```\n\n"
      << "## Deployment\n\n"
      << "```yaml title=\"deploy.yaml\" hl_lines=\"2 3\"\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n"
      << "  name: service-" << index << "\nspec:\n  replicas: 3\n```\n\n"
      << "1. Build the image\n2. Push it to the registry\n3. Apply the manifest with `#!bash kubectl apply -f deploy.yaml`\n\n"
      << "- [x] Alerts configured\n- [ ] Runbook reviewed\n\n"
      << "```mermaid\ngraph LR\n  A[Client] --> B[Service " << index << "]\n  B --> C[(Database)]\n```\n\n"
      << "## Glossary\n\nSLO\n:   Service level objective, the target the API must meet.\n\n"
      << "Error budget\n:   What is left of the SLO in the current window.\n\n"
      << "The SLO and the API are reviewed monthly.\n{: .note }\n\n";
    for (int paragraph = 0; paragraph < 4; ++paragraph)
        s << "### Topic " << paragraph << "\n\nLorem ipsum dolor sit amet, *consectetur* adipiscing elit, sed do eiusmod tempor "
          << "incididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco "
          << "laboris nisi ut aliquip ex ea commodo consequat.\n\n";
    s << "*[SLO]: Service Level Objective\n*[API]: Application Programming Interface\n\n"
      << "[^note]: Generated for the benchmark.\n";
    return text;
}

} // namespace

int writeGeneratedDocsSite(const QString &root, int pages)
{
    const int sections = 10;
    const int perSection = std::max(1, pages / sections);
    TestSupport::writeFile(root + QStringLiteral("/mkdocs.yml"), kConfig);
    TestSupport::writeFile(root + QStringLiteral("/docs/index.md"), "# Handbook\n\nStart in any area.\n");
    for (int section = 0; section < sections; ++section)
        for (int index = 0; index < perSection; ++index)
            TestSupport::writeFile(QStringLiteral("%1/docs/area-%2/page-%3.md").arg(root).arg(section).arg(index),
                                   page(section, index, sections, perSection).toUtf8());
    return sections * perSection + 1;
}

} // namespace Greenroom::Bench
