import Foundation
import NurtureCore
import Prometheus
import Testing

@testable import NurtureMetrics

/// `/metrics` counts holds by category, read from each hold's reason kind (never its words); the category
/// names are the ones dashboards already use.
@Suite struct HoldCategoryTests {
    static let categories: [(ReasonKind?, String)] = [
        (.rateLimit, "rate_limit"), (.leadGap, "rate_limit"), (.outsideWindow, "window"),
        (.windowNeverOpens, "window"), (.catchUp, "catch_up"), (.noOwner, "other"), (.unknownOwner, "other"),
        (.relayPaused, "other"), (.templateError, "other"), (.storeError, "other"), (.outOfOffice, "other"),
        (nil, "other"),
    ]

    @Test("each hold kind counts under its category", arguments: categories)
    func category(_ kind: ReasonKind?, _ expected: String) {
        let metrics = DaemonMetrics(registry: PrometheusCollectorRegistry())
        let entry = SendLogEntry(
            at: Date(timeIntervalSince1970: 0), sendID: 1, leadEmail: try! EmailAddress("ann@example.com"),
            sequence: "nurture", step: "welcome", messageID: "<1@acme.example>", state: .held, attempt: 0,
            detail: "rate limit: words that say otherwise", recipientDomain: "example.com", reasonKind: kind)
        metrics.recorded(entry, track: .marketing)
        #expect(DaemonMetrics.holdCategory(kind) == expected)
        let text = PrometheusText.render(metrics, queue: [:], startedAt: Date(timeIntervalSince1970: 0))
        for category in DaemonMetrics.holdCategories {
            let line = text.split(separator: "\n").first {
                $0.hasPrefix("nurture_holds_total{category=\"\(category)\"} ")
            }
            #expect(line.flatMap { Double($0.split(separator: " ").last ?? "") } == (category == expected ? 1 : 0))
        }
    }

    @Test("every kind has a category among the four the metric has always had")
    func everyKindHasAKnownCategory() {
        for kind in ReasonKind.allCases {
            #expect(DaemonMetrics.holdCategories.contains(DaemonMetrics.holdCategory(kind)))
        }
    }
}
