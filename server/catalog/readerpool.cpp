// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "readerpool.h"

#include "http/compression.h"

#include <QMutexLocker>

namespace Greenroom::Server {

Result<std::unique_ptr<ReaderPool>> ReaderPool::open(Store::CatalogStore &store, int size, QObject *context)
{
    std::unique_ptr<ReaderPool> pool(new ReaderPool(context));
    for (int i = 0; i < size; ++i) {
        auto reader = store.openReader();
        if (!reader)
            return reader.error();
        if (!reader.value())
            return std::unique_ptr<ReaderPool>();
        pool->m_free.append(reader.value().get());
        pool->m_readers.push_back(std::move(reader).value());
    }
    if (pool->m_readers.empty())
        return std::unique_ptr<ReaderPool>();
    pool->m_threads.setMaxThreadCount(size);
    pool->m_threads.setObjectName(QStringLiteral("catalog readers"));
    return pool;
}

ReaderPool::~ReaderPool()
{
    m_threads.waitForDone();
}

HttpResponse ReaderPool::answer(const HttpRequest &request, std::function<HttpResponse(Store::CatalogStore &reader)> read)
{
    // Only what compression looks at goes to the thread.
    HttpRequest asked;
    asked.method = request.method;
    asked.headers.insert("accept-encoding", request.headers.value("accept-encoding"));
    return answerFromWorker(m_threads, m_context, [this, asked = std::move(asked), read = std::move(read)] {
        Store::CatalogStore &reader = take();
        HttpResponse response = read(reader);
        giveBack(reader);
        // A page of a hundred entities is ~100 kB of JSON: zlib's time goes here, not on the HTTP thread.
        compressFor(asked, response);
        return response;
    });
}

Store::CatalogStore &ReaderPool::take()
{
    QMutexLocker lock(&m_mutex);
    Q_ASSERT(!m_free.isEmpty());
    return *m_free.takeLast();
}

void ReaderPool::giveBack(Store::CatalogStore &reader)
{
    QMutexLocker lock(&m_mutex);
    m_free.append(&reader);
}

} // namespace Greenroom::Server
