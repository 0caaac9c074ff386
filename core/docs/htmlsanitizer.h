// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <QString>

namespace Greenroom::Docs {

/*
 * Makes rendered docs HTML safe to store and show: the fragment is parsed
 * the way a browser parses it (Debian's gumbo, an HTML5 parser) and written
 * out again keeping only allowlisted elements and attributes. Scripts,
 * styles, iframes, objects, forms, SVG/MathML and comments go, with their
 * content; other unknown elements are unwrapped; event handlers and any
 * attribute not on the list go; URLs keep only http(s), mailto, tel,
 * relative and fragment targets (and raster data: images); inline styles
 * keep only a few layout properties. Because the output is re-serialised
 * from the parse tree, no spelling of a tag or URL can slip through.
 */
QString sanitizeHtml(const QString &fragment);

} // namespace Greenroom::Docs
