// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "migration.h"

namespace Greenroom::Store::Internal {

Migration sqliteMigration0011PagingIndex()
{
    return {11, QStringLiteral(R"sql(
-- Pages in uid order that test each row (a permission's kinds or owners,
-- a kind filter) walk this index instead of uid's own: the kind and the
-- row id are in it, so a row that fails the test is skipped without
-- reading its JSON from the table.
CREATE INDEX entities_uid_kind ON entities(uid, kind);
)sql")};
}

} // namespace Greenroom::Store::Internal
