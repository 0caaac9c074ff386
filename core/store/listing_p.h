// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <QJsonObject>
#include <QStringList>

namespace Greenroom::Store::Internal {

// The catalog table's cells for one final entity (migrations/0005_listing.cpp).
struct ListingValues
{
    QString kind, namespaceName, name, title, system, owner, ownerRefs, type, lifecycle, description, tags;
    QStringList tagList;   // lower case, distinct
    QString haystack;
};

ListingValues listingOf(const QJsonObject &entity);

} // namespace Greenroom::Store::Internal
