// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

// Answers the demo's golden-path template (Spring Boot Microservice) in its
// wizard, page by page as a person would, up to the review (header-only;
// for UI tests linking greenroom_ui).

#include <widgets/parameterform.h>
#include <widgets/templatewizard.h>

#include <QComboBox>
#include <QLineEdit>
#include <QPushButton>
#include <QTest>

namespace Greenroom::TestSupport {

// `token`: typed into the repository page's token field; empty keeps what
// the keychain filled in. A failed QVERIFY inside returns early: callers
// check isReviewing().
inline void answerGoldenPath(Ui::TemplateWizard *wizard, const QString &name, const QString &token = {})
{
    QVERIFY(wizard && !wizard->isRunning());
    Ui::ParameterForm *about = wizard->form(0);
    QTest::keyClicks(qobject_cast<QLineEdit *>(about->editor(QStringLiteral("name"))), name);
    QTest::keyClicks(qobject_cast<QLineEdit *>(about->editor(QStringLiteral("description"))), QStringLiteral("Made from the golden path"));
    for (const auto &[field, ref] : {std::pair{"owner", "group:team-checkout"}, std::pair{"system", "system:checkout"}}) {
        auto *picker = qobject_cast<QComboBox *>(about->editor(QLatin1String(field)));
        QVERIFY2(picker && picker->findData(QLatin1String(ref)) > 0, field);
        picker->setCurrentIndex(picker->findData(QLatin1String(ref)));
    }
    QTest::mouseClick(wizard->nextButton(), Qt::LeftButton);
    QTest::mouseClick(wizard->nextButton(), Qt::LeftButton);   // the build page's defaults
    Ui::ParameterForm *repository = wizard->form(2);
    if (!token.isEmpty()) {
        auto *field = repository->findChild<QLineEdit *>(QStringLiteral("repoToken"));
        field->clear();
        QTest::keyClicks(field, token);
    }
    QTest::keyClicks(repository->findChild<QComboBox *>(QStringLiteral("repoOwner"))->lineEdit(), QStringLiteral("acme"));
    QTest::keyClicks(repository->findChild<QLineEdit *>(QStringLiteral("repoName")), name);
    QTest::mouseClick(wizard->nextButton(), Qt::LeftButton);
}

} // namespace Greenroom::TestSupport
