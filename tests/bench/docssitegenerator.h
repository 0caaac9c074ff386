// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <QString>

namespace Greenroom::Bench {

// Writes a docs site of about `pages` pages under `root` (mkdocs.yml and
// docs/): ten areas of generated pages that use every extension
// techdocs-core turns on, linking to each other. Returns the page count.
int writeGeneratedDocsSite(const QString &root, int pages);

} // namespace Greenroom::Bench
