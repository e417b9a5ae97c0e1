import Foundation

/// Finds a request to stop in the text a person wrote ("unsubscribe", "remove me", "stop", "abmelden", "keine
/// E-Mails mehr", "désabonner", "ne plus recevoir", "darme de baja", "no me escriban"). "Not interested" is an
/// answer, not a request to stop: it stays a reply.
enum OptOutReader {
    /// Phrases that ask to stop, matched on word boundaries in lowercased text.
    static let phrases: [String] = [
        "unsubscribe", "remove me", "take me off", "opt out", "opt-out", "opt me out", "stop emailing",
        "stop e-mailing", "stop sending", "stop contacting", "stop mailing", "stop writing", "do not contact me",
        "don't contact me", "do not email me", "don't email me", "do not e-mail me", "don't e-mail me",
        "no more emails", "no more e-mails", "remove my email", "remove my address", "delete my email",
        "delete my address", "delete me from", "off your list", "off your mailing list",
        "abmelden", "abbestellen", "keine e-mails mehr", "keine emails mehr", "keine mails mehr",
        "keine nachrichten mehr", "austragen", "nicht mehr kontaktieren", "nicht mehr anschreiben",
        "nicht mehr schreiben", "melden sie mich ab", "mich abmelden", "mich austragen", "entfernen sie mich",
        "löschen sie mich",
        "désabonner", "désabonnez", "desabonner", "désinscrire", "désinscrivez", "desinscrire", "plus recevoir",
        "retirez-moi", "retirez moi", "ne me contactez plus", "ne plus me contacter", "supprimez-moi",
        "darme de baja", "dame de baja", "denme de baja", "dar de baja", "no me escriban", "no me escribas",
        "no me envíen", "no me envien", "no quiero recibir", "elimínenme", "eliminenme", "bórrenme", "borrenme",
        "cancelar la suscripción", "cancelar suscripción", "quitarme de",
    ]

    /// Words a bare "stop" message may also hold ("STOP", "stop please", "Bitte stoppen").
    private static let stopWords: Set<String> = ["stop", "stopp", "stoppen", "arrêtez", "arretez", "basta", "alto"]
    private static let politeWords: Set<String> = [
        "please", "pls", "bitte", "thanks", "thank", "you", "svp", "por",
        "favor", "now", "it", "merci",
    ]

    /// The phrase that asks to stop, if `text` holds one.
    static func request(in text: String) -> String? {
        let lower = String(text.prefix(20_000)).lowercased().replacingOccurrences(of: "’", with: "'")
        for phrase in phrases where containsWord(lower, phrase) { return phrase }
        let words = lower.split(whereSeparator: { !$0.isLetter }).map(String.init)
        if !words.isEmpty, words.count <= 4, words.contains(where: stopWords.contains),
            words.allSatisfy({ stopWords.contains($0) || politeWords.contains($0) })
        {
            return words.joined(separator: " ")
        }
        return nil
    }

    /// Whether `phrase` occurs in `text` with no letter right before or after it.
    private static func containsWord(_ text: String, _ phrase: String) -> Bool {
        var searchRange = text.startIndex..<text.endIndex
        while let found = text.range(of: phrase, range: searchRange) {
            let before = found.lowerBound > text.startIndex ? text[text.index(before: found.lowerBound)] : " "
            let after = found.upperBound < text.endIndex ? text[found.upperBound] : " "
            if !before.isLetter && !after.isLetter { return true }
            searchRange = found.upperBound..<text.endIndex
        }
        return false
    }
}
