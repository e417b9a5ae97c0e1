import Foundation
import Testing

@testable import NurtureCore

/// Return dates in English, German, French and Spanish, relative to Monday 30 November 2026.
@Suite struct ReturnDateReaderTests {
    static let reference = LocalDate(year: 2026, month: 11, day: 30)!

    @Test(arguments: [
        ("I will be back on Monday 14 December.", "2026-12-14"),
        ("Out of office until 12/14/2026.", "2026-12-14"),
        ("Returning 2026-12-14.", "2026-12-14"),
        ("Ab dem 14.12. bin ich wieder erreichbar.", "2026-12-14"),
        ("Ich bin bis einschließlich 14. Dezember nicht im Büro.", "2026-12-15"),
        ("Je serai de retour le 14 décembre.", "2026-12-14"),
        ("Absent jusqu'au 14/12.", "2026-12-14"),
        ("Absent jusqu’au 14/12 inclus.", "2026-12-15"),
        ("Fuera de la oficina hasta el 14 de diciembre.", "2026-12-14"),
        ("Regreso el lunes 14.", "2026-12-14"),
        ("Back on December 14th, 2026.", "2026-12-14"),
        ("I'm away through Friday, December 11.", "2026-12-12"),
        ("back Monday", "2026-12-07"),
        ("I'm back on 3 January.", "2027-01-03"),
        ("I return on 07/12/2026.", "2026-12-07"),
        ("Away from 1 December, back on the 14th of December", "2026-12-14"),
        ("Ich bin ab dem 1.12. im Urlaub und ab dem 14.12. wieder zurück.", "2026-12-14"),
        ("Im Urlaub. Wieder im Büro am 14.12.2026.", "2026-12-14"),
        ("De retour lundi 14 décembre 2026", "2026-12-14"),
        ("Estaré de vuelta el 14 de diciembre de 2026.", "2026-12-14"),
        ("until 14/12/26", "2026-12-14"),
    ])
    func readsReturnDates(_ text: String, _ expected: String) {
        #expect(ReturnDateReader.returnDate(in: text, reference: Self.reference)?.description == expected)
    }

    @Test(arguments: [
        "I am out of the office with limited access to email.", "I may be back later.", "until then, thanks",
        "Back on 31 February", "Call me at 555 12 14", "",
    ])
    func findsNoDateWhereThereIsNone(_ text: String) {
        #expect(ReturnDateReader.returnDate(in: text, reference: Self.reference) == nil)
    }

    @Test func aDateWithoutAYearIsTheNextOne() {
        let late = LocalDate(year: 2026, month: 12, day: 20)!
        #expect(ReturnDateReader.returnDate(in: "back on 4 January", reference: late)?.description == "2027-01-04")
        #expect(ReturnDateReader.returnDate(in: "back on 22 December", reference: late)?.description == "2026-12-22")
    }

    @Test func readsOnlyTheFirstCharactersOfAHugeText() {
        let text = String(repeating: "filler words ", count: 100_000) + " back on 14 December"
        #expect(ReturnDateReader.returnDate(in: text, reference: Self.reference) == nil)
    }
}
