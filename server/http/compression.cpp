// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "compression.h"

#include <zlib.h>

#include <algorithm>

namespace Greenroom::Server {

namespace {

// The body gzip-compressed, at zlib's fastest level: a feed page of
// thousands of entities must not wait long for it. Empty when zlib fails.
QByteArray gzipped(const QByteArray &body)
{
    z_stream stream{};
    // 15 window bits + 16: a gzip header and trailer, as Content-Encoding: gzip wants.
    if (deflateInit2(&stream, Z_BEST_SPEED, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return {};
    QByteArray out(qsizetype(deflateBound(&stream, uLong(body.size()))), Qt::Uninitialized);
    stream.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(body.constData()));
    stream.avail_in = uInt(body.size());
    stream.next_out = reinterpret_cast<Bytef *>(out.data());
    stream.avail_out = uInt(out.size());
    const int result = deflate(&stream, Z_FINISH);
    deflateEnd(&stream);
    if (result != Z_STREAM_END)
        return {};
    out.truncate(qsizetype(stream.total_out));
    return out;
}

// Whether Accept-Encoding takes gzip (by name or `*`, with a q above 0).
bool acceptsGzip(const QByteArray &acceptEncoding)
{
    for (const QByteArray &item : acceptEncoding.split(',')) {
        const QList<QByteArray> parts = item.split(';');
        const QByteArray coding = parts.first().trimmed().toLower();
        if (coding != "gzip" && coding != "*")
            continue;
        double q = 1;
        for (qsizetype i = 1; i < parts.size(); ++i) {
            const QByteArray parameter = parts.at(i).trimmed();
            if (parameter.startsWith("q="))
                q = parameter.mid(2).toDouble();
        }
        return q > 0;
    }
    return false;
}

} // namespace

void compressFor(const HttpRequest &request, HttpResponse &response, GzipMemo *memo)
{
    QByteArray type;
    for (const auto &[name, value] : std::as_const(response.headers)) {
        const QByteArray lower = name.toLower();
        if (lower == "content-encoding")
            return;
        if (lower == "cache-control" && value.toLower().contains("no-transform"))
            return;
        if (lower == "content-type")
            type = value.toLower();
    }
    const bool compressible = type.startsWith("text/") || type.contains("json") || type.contains("javascript") || type.contains("xml")
                              || type.startsWith("image/svg");
    if (!compressible || response.body.isEmpty())
        return;
    // Added to a Vary the CORS headers set ("Origin, Accept-Encoding"), as Express's vary() does.
    const auto vary = std::find_if(response.headers.begin(), response.headers.end(),
                                   [](const std::pair<QByteArray, QByteArray> &h) { return h.first.toLower() == "vary"; });
    if (vary == response.headers.end())
        response.headers.append(std::pair<QByteArray, QByteArray>("Vary", "Accept-Encoding"));
    else if (!vary->second.toLower().contains("accept-encoding"))
        vary->second += ", Accept-Encoding";
    constexpr qsizetype Threshold = 1024;
    if (request.method == "HEAD" || response.body.size() < Threshold || !acceptsGzip(request.headers.value("accept-encoding")))
        return;
    // One body sent to many (a commit answering every waiting desktop with
    // the same feed page) is compressed once. Its plain bytes are held, so
    // their address cannot be reused by another body meanwhile.
    QByteArray body;
    if (memo && memo->plain.isSharedWith(response.body)) {
        body = memo->gzipped;
    } else {
        body = gzipped(response.body);
        constexpr qsizetype MemoLimit = 1024 * 1024;   // a large feed page is not kept while idle
        if (memo)
            *memo = response.body.size() <= MemoLimit ? GzipMemo{response.body, body} : GzipMemo{};
    }
    if (body.isEmpty())
        return;
    response.body = std::move(body);
    response.headers.append(std::pair<QByteArray, QByteArray>("Content-Encoding", "gzip"));
}

void appendCorsHeaders(HttpResponse &response, const QList<std::pair<QByteArray, QByteArray>> &cors)
{
    const auto isVary = [](const std::pair<QByteArray, QByteArray> &h) { return h.first.toLower() == "vary"; };
    for (const auto &header : cors) {
        const auto earlier = isVary(header) ? std::find_if(response.headers.begin(), response.headers.end(), isVary)
                                            : response.headers.end();
        if (earlier == response.headers.end()) {
            response.headers.append(header);
            continue;
        }
        // Compressed before (on a reader thread): one Vary, CORS's first, as Express writes it.
        const QByteArray merged = header.second + ", " + earlier->second;
        response.headers.erase(earlier);
        response.headers.append({header.first, merged});
    }
}

} // namespace Greenroom::Server
