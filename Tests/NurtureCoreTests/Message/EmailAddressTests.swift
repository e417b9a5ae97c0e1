import Foundation
import NurtureCore
import Testing

@Suite struct EmailAddressTests {
    @Test(arguments: ["ada@example.com", "a.b+tag@mail.example.co.uk", "x@[127.0.0.1]", "  o'neil@Example.COM "])
    func acceptsValidAddresses(_ text: String) throws {
        let address = try EmailAddress(text)
        #expect(
            address.description
                == text.trimmingCharacters(in: .whitespaces).replacingOccurrences(
                    of: "Example.COM", with: "example.com"))
    }

    @Test(arguments: [
        "", "no-at-sign", "@example.com", "ada@", "ada@localhost", ".ada@example.com", "a..b@example.com",
        "ada@example.com\r\nRCPT TO:<victim@example.com>", "ada@exa mple.com", "ada@-bad.com", "\"q\"@example.com",
        "jörg@example.com", "ada@example.com>", "<ada@example.com", "ada\u{0}@example.com",
        String(repeating: "a", count: 65) + "@example.com",
    ])
    func rejectsInvalidAddresses(_ text: String) {
        #expect(throws: AddressError.self) { try EmailAddress(text) }
    }

    @Test func errorNamesTheAddressAndTheInjection() {
        do {
            _ = try EmailAddress("ada@example.com\r\nDATA")
            Issue.record("CR/LF was accepted")
        } catch {
            #expect(error.description.contains("ada@example.com"))
            #expect(error.description.contains("U+000D"))
        }
    }
}
