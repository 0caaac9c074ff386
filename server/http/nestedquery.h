// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>

namespace Greenroom::Server {

/*
 * A query string's decoded pairs as one object, the way Express's parser
 * (the `qs` package, with its defaults) reads brackets: `a[b]=1` is
 * {a: {b: "1"}}, `a[0]=x&a[1]=y` and `a[]=x&a[]=y` and `a=x&a=y` are
 * arrays, indices above 20 make an object instead, nesting stops after five
 * levels (the rest of the key is one name). Backstage's search API takes
 * its `types` and `filters` in this form. Written here because no Debian
 * library parses qs's dialect.
 */
QJsonObject nestedQuery(const QList<std::pair<QString, QString>> &pairs);

} // namespace Greenroom::Server
