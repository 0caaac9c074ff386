// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include "httpmessage.h"

namespace Greenroom::Server {

// The last body compressed, and its gzip form: one body sent to many clients
// (the waiters of one commit) is compressed once.
struct GzipMemo
{
    QByteArray plain;
    QByteArray gzipped;
};

// Backstage's root router compresses every answer (Express's compression
// middleware): a compressible body of 1 kB or more is gzip-compressed when
// `request` takes gzip, and such answers say they vary by Accept-Encoding.
// An answer already encoded is left alone, so a reader thread may compress
// its answer and the HTTP thread pass it through. Thread-safe without a memo.
void compressFor(const HttpRequest &request, HttpResponse &response, GzipMemo *memo = nullptr);

// `cors` (the request policy's headers) added to `response`, a Vary it
// already has (from compressFor) merged into CORS's.
void appendCorsHeaders(HttpResponse &response, const QList<std::pair<QByteArray, QByteArray>> &cors);

} // namespace Greenroom::Server
