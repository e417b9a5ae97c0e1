import Foundation
import NurtureConfig
import NurtureCore
import NurtureSMTP
import Testing

@testable import NurtureHTTP

@Suite struct PureHelpersTests {
    @Test func tokensCompareWholly() {
        let tokens = [
            APIToken(name: "crm", secret: Secret("a".padding(toLength: 32, withPad: "a", startingAt: 0))),
            APIToken(name: "forms", secret: Secret("b".padding(toLength: 32, withPad: "b", startingAt: 0))),
        ]
        #expect(BearerAuthMiddleware.match(Array(String(repeating: "b", count: 32).utf8), in: tokens)?.name == "forms")
        #expect(BearerAuthMiddleware.match(Array(String(repeating: "b", count: 31).utf8), in: tokens) == nil)
        #expect(BearerAuthMiddleware.match(Array((String(repeating: "a", count: 32) + "x").utf8), in: tokens) == nil)
        #expect(BearerAuthMiddleware.match([], in: tokens) == nil)
        #expect(!BearerAuthMiddleware.constantTimeEqual([1, 2], [1, 2, 0]))
    }

    @Test func oneClickBodies() {
        #expect(
            HTTPInterface.isOneClick("List-Unsubscribe=One-Click", contentType: "application/x-www-form-urlencoded"))
        #expect(HTTPInterface.isOneClick("a=b&List-Unsubscribe=One-Click", contentType: nil))
        #expect(!HTTPInterface.isOneClick("List-Unsubscribe=Two-Clicks", contentType: nil))
        #expect(!HTTPInterface.isOneClick("", contentType: nil))
        let multipart = "--x\r\nContent-Disposition: form-data; name=\"List-Unsubscribe\"\r\n\r\nOne-Click\r\n--x--\r\n"
        #expect(HTTPInterface.isOneClick(multipart, contentType: "multipart/form-data; boundary=x"))
    }

    @Test func tokenShape() {
        #expect(HTTPInterface.isTokenShaped(String(repeating: "0a", count: 32)))
        #expect(!HTTPInterface.isTokenShaped(String(repeating: "0A", count: 32)))
        #expect(!HTTPInterface.isTokenShaped(String(repeating: "0a", count: 31)))
        #expect(!HTTPInterface.isTokenShaped(String(repeating: "0a", count: 31) + "%2"))
    }

    @Test func pagesEscapeAndMask() {
        #expect(UnsubscribePage.mask("ana@example.com") == "a**@example.com")
        #expect(UnsubscribePage.mask("jonathan@example.com") == "j*******@example.com")
        let page = UnsubscribePage.confirm(
            company: "<script>alert(1)</script> & Co", maskedAddress: "a**@example.com", alreadyUnsubscribed: false)
        #expect(page.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co"))
        #expect(!page.contains("<script>"))
    }

    @Test func unsubscribePathFollowsTheConfiguredURL() throws {
        var configuration = try HTTPTestSupport.configuration()
        #expect(HTTPInterface.unsubscribePath(configuration) == "/unsubscribe")
        configuration.company.unsubscribeBaseURL = "https://mail.example.com/nurture/u/"
        #expect(HTTPInterface.unsubscribePath(configuration) == "/nurture/u")
    }
}
