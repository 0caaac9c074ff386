// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include "http/httpmessage.h"

#include <common/result.h>
#include <store/catalogstore.h>

#include <QMutex>
#include <QThreadPool>

#include <functional>
#include <memory>

namespace Greenroom::Server {

/*
 * Connections that read the catalog off the HTTP thread. A page of a
 * by-query is mostly the store's work (index probes, rows, their JSON), and
 * on one thread a server answers no faster than one core reads: each reader
 * is its own connection to the same database (SQLite in WAL mode lets them
 * read while the writer writes; PostgreSQL gets one session each), used by
 * one pool thread at a time. The HTTP thread parses, authorizes and sends.
 */
class ReaderPool
{
public:
    // `size` readers on `store`'s database; null when it has none to give (a
    // database in memory), and then the routes read on the HTTP thread.
    static Result<std::unique_ptr<ReaderPool>> open(Store::CatalogStore &store, int size, QObject *context);
    ~ReaderPool();   // waits for the reads under way

    // Runs `read` with a free reader on a pool thread and compresses its
    // answer there when `request` takes gzip; the answer is sent from
    // `context`'s thread.
    HttpResponse answer(const HttpRequest &request, std::function<HttpResponse(Store::CatalogStore &reader)> read);

private:
    ReaderPool(QObject *context) : m_context(context) {}
    Store::CatalogStore &take();
    void giveBack(Store::CatalogStore &reader);

    QObject *m_context;
    QThreadPool m_threads;
    QMutex m_mutex;
    std::vector<std::unique_ptr<Store::CatalogStore>> m_readers;
    QList<Store::CatalogStore *> m_free;   // as many as threads: a running read always finds one
};

// `read` answered on `pool`'s readers, or with `store` on this thread when
// there is no pool.
inline HttpResponse readCatalog(ReaderPool *pool, Store::CatalogStore &store, const HttpRequest &request,
                                std::function<HttpResponse(Store::CatalogStore &reader)> read)
{
    return pool ? pool->answer(request, std::move(read)) : read(store);
}

} // namespace Greenroom::Server
