/// The words the return-date reader knows, in English, German, French and Spanish (lowercased; accents as
/// written and without, since mail often drops them).
enum DateWords {
    /// Month names and their usual abbreviations, to month numbers 1-12.
    static let months: [String: Int] = {
        var table: [String: Int] = [:]
        let names: [[String]] = [
            ["january", "jan", "januar", "jänner", "janvier", "janv", "enero", "ene"],
            ["february", "feb", "februar", "février", "fevrier", "févr", "fevr", "febrero"],
            ["march", "mar", "märz", "maerz", "marz", "mars", "marzo"],
            ["april", "apr", "avril", "avr", "abril", "abr"],
            ["may", "mai", "mayo"],
            ["june", "jun", "juni", "juin", "junio"],
            ["july", "jul", "juli", "juillet", "juil", "julio"],
            ["august", "aug", "août", "aout", "agosto", "ago"],
            ["september", "sep", "sept", "septembre", "septiembre", "setiembre"],
            ["october", "oct", "oktober", "okt", "octobre", "octubre"],
            ["november", "nov", "novembre", "noviembre"],
            ["december", "dec", "dezember", "dez", "décembre", "decembre", "déc", "diciembre", "dic"],
        ]
        for (index, words) in names.enumerated() { for word in words { table[word] = index + 1 } }
        return table
    }()

    /// Weekday names to 0 (Sunday) ... 6 (Saturday).
    static let weekdays: [String: Int] = {
        var table: [String: Int] = [:]
        let names: [[String]] = [
            ["sunday", "sonntag", "dimanche", "domingo"],
            ["monday", "mon", "montag", "lundi", "lunes"],
            ["tuesday", "tue", "tues", "dienstag", "mardi", "martes"],
            ["wednesday", "wed", "mittwoch", "mercredi", "miércoles", "miercoles"],
            ["thursday", "thu", "thur", "thurs", "donnerstag", "jeudi", "jueves"],
            ["friday", "fri", "freitag", "vendredi", "viernes"],
            ["saturday", "sat", "samstag", "sonnabend", "samedi", "sábado", "sabado"],
        ]
        for (index, words) in names.enumerated() { for word in words { table[word] = index } }
        return table
    }()

    /// The language a keyword belongs to decides how `12/11` reads: month first only in English.
    enum Language { case english, other }

    /// How a keyword relates the date after it to the return.
    enum Kind {
        /// "back on", "returning", "de retour le", "wieder ab", "regreso el": the date is the day they are back.
        case back
        /// "until", "bis", "jusqu'au", "hasta": the last day away or the day back; read as the day back.
        case until
        /// "through", "bis einschließlich", "... inclusive": the last day away; back the day after.
        case through
    }

    /// Keywords before a return date. Strong ones ("back", "zurück") win over weak ones ("until", "ab").
    static let keywords: [String: (kind: Kind, strong: Bool, language: Language)] = [
        "back": (.back, true, .english), "return": (.back, true, .english), "returning": (.back, true, .english),
        "returns": (.back, true, .english), "returned": (.back, true, .english), "again": (.back, true, .english),
        "until": (.until, false, .english), "till": (.until, false, .english), "til": (.until, false, .english),
        "through": (.through, false, .english), "thru": (.through, false, .english),
        "zurück": (.back, true, .other), "zuruck": (.back, true, .other), "wieder": (.back, true, .other),
        "ab": (.back, false, .other), "bis": (.until, false, .other),
        "retour": (.back, true, .other), "reviens": (.back, true, .other), "rentre": (.back, true, .other),
        "revenir": (.back, true, .other), "jusqu": (.until, false, .other),
        "regreso": (.back, true, .other), "regresaré": (.back, true, .other), "regresare": (.back, true, .other),
        "vuelta": (.back, true, .other), "volveré": (.back, true, .other), "volvere": (.back, true, .other),
        "vuelvo": (.back, true, .other), "incorporo": (.back, true, .other), "hasta": (.until, false, .other),
    ]

    /// Words that make an "until" inclusive (back the day after).
    static let inclusive: Set<String> = [
        "einschließlich", "einschliesslich", "inklusive", "inkl", "inclus", "inclusive", "incluido", "including",
    ]

    /// Words skipped between a keyword and its date.
    static let fillers: Set<String> = [
        "on", "the", "in", "office", "le", "el", "la", "dem", "den", "am", "de", "del", "au", "du", "à", "a",
        "partir", "dès", "des", "zum", "ins", "büro", "buro", "im", "be", "will", "i", "ich", "bin", "je", "serai",
        "estaré", "estare", "día", "dia", "of", "at", "work", "from", "erreichbar", "available", "disponible",
    ]

    /// Ordinal endings written after a day number ("14th", "1er", "14º").
    static let ordinals: Set<String> = ["st", "nd", "rd", "th", "er", "e", "ème", "eme", "º", "o", "ª", "te", "ten"]
}
