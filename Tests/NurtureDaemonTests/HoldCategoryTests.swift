import Foundation
import NurtureCore
import Testing

@testable import NurtureDaemon

/// `/metrics` counts holds by category, read from each hold's reason kind (never its words); the category
/// names are the ones dashboards already use.
@Suite struct HoldCategoryTests {
    static let categories: [(ReasonKind?, String)] = [
        (.rateLimit, "rate_limit"), (.leadGap, "rate_limit"), (.outsideWindow, "window"),
        (.windowNeverOpens, "window"), (.catchUp, "catch_up"), (.noOwner, "other"), (.unknownOwner, "other"),
        (.relayPaused, "other"), (.templateError, "other"), (.storeError, "other"), (nil, "other"),
    ]

    @Test("each hold kind counts under its category", arguments: categories)
    func category(_ kind: ReasonKind?, _ expected: String) {
        let metrics = DaemonMetrics()
        let entry = SendLogEntry(
            at: Date(timeIntervalSince1970: 0), sendID: 1, leadEmail: try! EmailAddress("ann@example.com"),
            sequence: "nurture", step: "welcome", messageID: "<1@acme.example>", state: .held, attempt: 0,
            detail: "rate limit: words that say otherwise", recipientDomain: "example.com", reasonKind: kind)
        metrics.recorded(entry, track: .marketing)
        #expect(metrics.snapshot.holds == [expected: 1])
    }

    @Test("every kind has a category among the four the metric has always had")
    func everyKindHasAKnownCategory() {
        for kind in ReasonKind.allCases {
            #expect(["rate_limit", "window", "catch_up", "other"].contains(DaemonMetrics.holdCategory(kind)))
        }
    }
}
