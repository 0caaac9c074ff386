// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <QString>
#include <QStringView>

namespace Greenroom::Docs {

// The character for an EmojiOne shortcode name ("smile", "+1", "thumbsup"),
// or an empty string. EmojiOne is pymdownx.emoji's default index; the table
// is Debian's ruby-gemojione index, compiled into the library as a resource
// and read once, on first use.
QString emojiForShortcode(QStringView name);

} // namespace Greenroom::Docs
