import Foundation
import Testing

@testable import NurtureCore

/// Hard or soft, from the action, the codes and the words.
@Suite struct BounceSeverityTests {
    @Test(
        arguments: [
            ("failed", "5.1.1", nil, "user unknown", "hard"),
            ("delayed", "5.1.1", nil, "", "soft"),
            ("failed", "4.2.2", nil, "", "soft"),
            ("failed", "5.2.2", nil, "", "soft"),
            ("failed", "5.7.1", nil, "Mailbox full", "soft"),
            (nil, nil, "552", "Quota exceeded for this user", "soft"),
            (nil, nil, "550", "no such user", "hard"),
            (nil, nil, "451", "greylisted", "soft"),
            (nil, nil, nil, "The email account that you tried to reach does not exist", "hard"),
            (nil, nil, nil, "temporarily unavailable, will retry", "soft"),
            ("failed", nil, nil, "", "hard"),
            (nil, nil, nil, "", "soft"),
        ] as [(String?, String?, String?, String, String)])
    func judges(_ action: String?, _ status: String?, _ code: String?, _ text: String, _ expected: String) {
        let (severity, reason) = BounceSeverity.judge(action: action, status: status, smtpCode: code, text: text)
        #expect(severity.rawValue == expected)
        #expect(!reason.isEmpty)
    }

    @Test(
        arguments: [
            ("said: 550 5.1.1 <a@b.example>", "5.1.1"), ("(#5.1.1)", "5.1.1"), ("smtp;550 5.1.10 RESOLVER", "5.1.10"),
            ("host [192.0.2.4] said 4.4.1 later", "4.4.1"), ("version 5.1.1.4 only", nil), ("2.0.0 ok", nil),
            ("no code here", nil),
        ] as [(String, String?)])
    func findsEnhancedStatusCodes(_ text: String, _ expected: String?) {
        #expect(BounceSeverity.enhancedStatus(in: text) == expected)
    }

    @Test(
        arguments: [
            ("host said: 550 5.1.1 unknown", "550"), ("554: delivery error", "554"), ("550-5.1.1 The account", "550"),
            ("ticket 5501 closed", nil), ("v450 thing", nil),
        ] as [(String, String?)])
    func findsSMTPCodes(_ text: String, _ expected: String?) {
        #expect(BounceSeverity.smtpCode(in: text)?.code == expected)
    }
}
