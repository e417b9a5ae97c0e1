import Foundation
import Testing

@testable import NurtureCore

/// The reply's own text, and the requests to stop found in it (never in what it quotes).
@Suite struct ReplyTextTests {
    @Test(arguments: [
        ("Yes please.\n\nOn Mon, 30 Nov 2026 at 09:00, Sam <sam@acme.example> wrote:\n> unsubscribe", "Yes please."),
        ("Yes please.\nOn Mon, 30 Nov 2026 at 09:00 Sam <sam@acme.example>\nwrote:\n> unsubscribe", "Yes please."),
        ("Gerne.\nAm 30.11.2026 um 09:00 schrieb Sam <sam@acme.example>:\nabmelden", "Gerne."),
        ("Oui.\nLe lun. 30 nov. 2026 à 09:00, Sam <sam@acme.example> a écrit :\ndésabonner", "Oui."),
        ("Sí.\nEl lun, 30 nov 2026 a las 9:00, Sam escribió:\ndarme de baja", "Sí."),
        ("Ok.\n-----Original Message-----\nunsubscribe", "Ok."),
        ("Ok.\n-----Ursprüngliche Nachricht-----\nabmelden", "Ok."),
        ("Ok.\n________________________________\nFrom: Sam\nunsubscribe", "Ok."),
        ("Ok.\nFrom: Sam <sam@acme.example>\nSent: Monday\nunsubscribe", "Ok."),
        ("Ok.\nVon: Sam <sam@acme.example>\nGesendet: Montag\nabmelden", "Ok."),
        ("Ok.\n-- \nJane, unsubscribe link in my signature", "Ok."),
        ("Inline:\n> question?\nanswer", "Inline:\nanswer"),
        ("From: is not a header block here\nstill text", "From: is not a header block here\nstill text"),
    ])
    func keepsOnlyTheNewText(_ text: String, _ expected: String) {
        #expect(ReplyText.newText(text) == expected)
    }

    @Test func readsHTMLWithoutItsQuotes() {
        let html = "<div>Take me off &amp; thanks<br>Jo</div><blockquote><p>unsubscribe</p></blockquote><p>end</p>"
        #expect(ReplyText.plainText(fromHTML: html) == "\nTake me off & thanks\nJo\n\nend\n")
        #expect(ReplyText.plainText(fromHTML: "<style>p{}</style>a&#233;b &lt;x&gt;") == "aéb <x>")
    }

    @Test(arguments: [
        "Please unsubscribe me.", "UNSUBSCRIBE", "Remove me from your list", "take me off this list",
        "Please stop emailing me.", "STOP", "Stop!", "stop please", "Bitte keine E-Mails mehr.",
        "Bitte melden Sie mich ab.", "Ich möchte mich abmelden", "Merci de me désabonner.",
        "Je ne veux plus recevoir vos messages", "Quiero darme de baja", "No me escriban más.",
        "Do not contact me again", "I want to opt out", "Please don’t email me again",
    ])
    func findsRequestsToStop(_ text: String) {
        #expect(OptOutReader.request(in: text) != nil, "\(text)")
    }

    @Test(arguments: [
        "Not interested, thanks.", "Let's stop by your booth next week.", "Can you remove meetings from the invite?",
        "We can't stop talking about your demo!", "Sounds good", "", "I will stop by tomorrow",
        "Please don't stop, this is useful", "Kein Interesse.", "Pas intéressé.", "No me interesa.",
    ])
    func findsNoRequestToStopInOtherAnswers(_ text: String) {
        #expect(OptOutReader.request(in: text) == nil, "\(text)")
    }
}
