// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <QString>

namespace Greenroom::Bench {

/*
 * Writes a realistic organisation of about `entityCount` entities as a tree of
 * catalog files, the way a company keeps them: one catalog-info.yaml per
 * repository (a component, often an API or a resource beside it), org files
 * with groups and users, domain and system files, and a root Location that
 * ties it together with globs. Every reference resolves. Deterministic.
 * Returns the root catalog-info.yaml.
 */
QString generateOrganisation(const QString &folder, int entityCount);

// `entityCount` components in one catalog-info.yaml (as some organisations
// export them), owned by 200 groups and in 500 systems that are not there.
// Returns the file.
QString generateSingleFile(const QString &folder, int entityCount);

} // namespace Greenroom::Bench
