// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

// A real bare git repository for tests, written with libgit2 (header-only;
// tests that use it link PkgConfig::LibGit2). Each commit() replaces the
// branch's whole tree with the given files.

#include <QByteArray>
#include <QFile>
#include <QMap>
#include <QString>
#include <QStringList>

#include <git2.h>

namespace Greenroom::TestSupport {

class GitFixture
{
public:
    // Creates an empty bare repository at `path`.
    explicit GitFixture(const QString &path) : m_path(path)
    {
        git_libgit2_init();
        if (git_repository_init(&m_repo, QFile::encodeName(path).constData(), 1) != 0)
            qFatal("git init %s: %s", qPrintable(path), git_error_last()->message);
    }
    ~GitFixture()
    {
        git_repository_free(m_repo);
        git_libgit2_shutdown();
    }
    GitFixture(const GitFixture &) = delete;
    GitFixture &operator=(const GitFixture &) = delete;

    QString path() const { return m_path; }

    // What refs/heads/<branch> holds, as libgit2 reads it back (empty commit when there is no branch).
    struct Snapshot
    {
        QString commit;
        QString message;
        QString author;   // "Name <email>"
        QMap<QString, QByteArray> files;   // a symlink's content is its link text
        QStringList links;                  // the paths stored as symlinks (mode 120000)
    };
    Snapshot snapshot(const QString &branch = QStringLiteral("main")) const
    {
        Snapshot out;
        git_oid id;
        const QByteArray ref = QByteArrayLiteral("refs/heads/") + branch.toUtf8();
        if (git_reference_name_to_id(&id, m_repo, ref.constData()) != 0)
            return out;
        git_commit *commit = nullptr;
        check(git_commit_lookup(&commit, m_repo, &id), "commit lookup");
        out.commit = QString::fromLatin1(git_oid_tostr_s(&id));
        out.message = QString::fromUtf8(git_commit_message(commit));
        const git_signature *author = git_commit_author(commit);
        out.author = QStringLiteral("%1 <%2>").arg(QString::fromUtf8(author->name), QString::fromUtf8(author->email));
        git_tree *tree = nullptr;
        check(git_commit_tree(&tree, commit), "commit tree");
        struct Walk
        {
            git_repository *repo;
            QMap<QString, QByteArray> *files;
            QStringList *links;
        } walk{m_repo, &out.files, &out.links};
        git_tree_walk(tree, GIT_TREEWALK_PRE, [](const char *root, const git_tree_entry *entry, void *payload) {
            auto *w = static_cast<Walk *>(payload);
            if (git_tree_entry_type(entry) != GIT_OBJECT_BLOB)
                return 0;
            const QString path = QString::fromUtf8(root) + QString::fromUtf8(git_tree_entry_name(entry));
            if (git_tree_entry_filemode(entry) == GIT_FILEMODE_LINK)
                w->links->append(path);
            git_blob *blob = nullptr;
            if (git_blob_lookup(&blob, w->repo, git_tree_entry_id(entry)) == 0) {
                w->files->insert(path,
                                 QByteArray(static_cast<const char *>(git_blob_rawcontent(blob)), qsizetype(git_blob_rawsize(blob))));
                git_blob_free(blob);
            }
            return 0;
        }, &walk);
        git_tree_free(tree);
        git_commit_free(commit);
        return out;
    }

    // Commits exactly `files` (path -> content) to refs/heads/<branch>; returns the commit id.
    QString commit(const QMap<QString, QByteArray> &files, const QString &message = QStringLiteral("change"),
                   const QString &branch = QStringLiteral("main"))
    {
        const git_oid treeId = writeTree(files, QString());
        git_tree *tree = nullptr;
        check(git_tree_lookup(&tree, m_repo, &treeId), "tree");
        git_signature *signature = nullptr;
        check(git_signature_now(&signature, "Greenroom Test", "test@example.com"), "signature");
        const QByteArray ref = "refs/heads/" + branch.toUtf8();
        git_commit *parent = nullptr;
        git_oid parentId;
        const bool hasParent = git_reference_name_to_id(&parentId, m_repo, ref.constData()) == 0;
        if (hasParent)
            check(git_commit_lookup(&parent, m_repo, &parentId), "parent");
        const git_commit *parents[] = {parent};
        git_oid commitId;
        check(git_commit_create(&commitId, m_repo, ref.constData(), signature, signature, nullptr,
                                message.toUtf8().constData(), tree, hasParent ? 1 : 0, parents), "commit");
        git_commit_free(parent);
        git_signature_free(signature);
        git_tree_free(tree);
        char text[GIT_OID_HEXSZ + 1] = {};
        git_oid_tostr(text, sizeof text, &commitId);
        return QString::fromLatin1(text);
    }

    QStringList branches() const
    {
        QStringList names;
        git_branch_iterator *it = nullptr;
        check(git_branch_iterator_new(&it, m_repo, GIT_BRANCH_LOCAL), "branches");
        git_reference *ref = nullptr;
        git_branch_t type;
        while (git_branch_next(&ref, &type, it) == 0) {
            const char *name = nullptr;
            if (git_branch_name(&name, ref) == 0)
                names.append(QString::fromUtf8(name));
            git_reference_free(ref);
        }
        git_branch_iterator_free(it);
        names.sort();
        return names;
    }

    void deleteBranch(const QString &branch)
    {
        git_reference *ref = nullptr;
        check(git_reference_lookup(&ref, m_repo, ("refs/heads/" + branch.toUtf8()).constData()), "lookup");
        check(git_reference_delete(ref), "delete");
        git_reference_free(ref);
    }

private:
    // The tree of the files below `prefix` ("" or "dir/"), written bottom-up.
    git_oid writeTree(const QMap<QString, QByteArray> &files, const QString &prefix)
    {
        git_treebuilder *builder = nullptr;
        check(git_treebuilder_new(&builder, m_repo, nullptr), "treebuilder");
        QStringList folders;
        for (auto it = files.cbegin(); it != files.cend(); ++it) {
            if (!it.key().startsWith(prefix))
                continue;
            const QString rest = it.key().mid(prefix.size());
            const qsizetype slash = rest.indexOf(QLatin1Char('/'));
            if (slash >= 0) {
                if (!folders.contains(rest.left(slash)))
                    folders.append(rest.left(slash));
                continue;
            }
            git_oid blob;
            check(git_blob_create_from_buffer(&blob, m_repo, it.value().constData(), size_t(it.value().size())), "blob");
            check(git_treebuilder_insert(nullptr, builder, rest.toUtf8().constData(), &blob, GIT_FILEMODE_BLOB), "insert");
        }
        for (const QString &folder : std::as_const(folders)) {
            const git_oid sub = writeTree(files, prefix + folder + QLatin1Char('/'));
            check(git_treebuilder_insert(nullptr, builder, folder.toUtf8().constData(), &sub, GIT_FILEMODE_TREE), "insert");
        }
        git_oid id;
        check(git_treebuilder_write(&id, builder), "write tree");
        git_treebuilder_free(builder);
        return id;
    }

    static void check(int result, const char *what)
    {
        if (result != 0)
            qFatal("git %s: %s", what, git_error_last() ? git_error_last()->message : "?");
    }

    QString m_path;
    git_repository *m_repo = nullptr;
};

} // namespace Greenroom::TestSupport
