/// Reads the day an automatic reply says its sender is back ("back on Monday 14 December", "until 12/14/2026",
/// "returning 2026-12-14", "ab dem 14.12.", "bis einschließlich 14. Dezember", "de retour le 14 décembre",
/// "jusqu'au 14/12", "hasta el 14 de diciembre", "regreso el lunes 14"). A date without a year is the next one
/// on or after `reference`. A date after a strong keyword ("back", "zurück") wins over one after a weak keyword
/// ("until", "ab"), a full date over a bare weekday, and among equals the later date (the leave is named before
/// the return). Linear in the text; only the first ``maximumCharacters`` are read.
enum ReturnDateReader {
    /// Characters of text read at most.
    static let maximumCharacters = 8000

    /// One token of the text: a lowercased word, a run of ASCII digits, or one other character.
    enum Token: Equatable {
        case word(String)
        case number(Int, digits: Int)
        case symbol(Character)
    }

    /// The return date in `text`, or `nil` when no keyword is followed by a date.
    static func returnDate(in text: String, reference: LocalDate) -> LocalDate? {
        let tokens = tokenize(text)
        var best: (rank: Int, date: LocalDate)?
        for (index, token) in tokens.enumerated() {
            guard case .word(let word) = token, let keyword = DateWords.keywords[word] else { continue }
            for start in (index + 1)..<min(tokens.count, index + 9) {
                guard let found = date(tokens, at: start, language: keyword.language, reference: reference) else {
                    continue
                }
                let inclusive =
                    keyword.kind == .through
                    || tokens[(index + 1)..<min(tokens.count, found.end + 2)].contains {
                        if case .word(let word) = $0 { DateWords.inclusive.contains(word) } else { false }
                    }
                let day = inclusive ? MailDateReader.adding(1, to: found.date) : found.date
                let rank = (found.exact ? 0 : 2) + (keyword.strong ? 0 : 1)
                // A better-ranked keyword wins; among equals the later date (the leave comes before the return).
                if let current = best, current.rank < rank || (current.rank == rank && current.date >= day) {
                    break
                }
                best = (rank, day)
                break
            }
        }
        return best?.date
    }

    /// Splits `text` (its first ``maximumCharacters``) into tokens.
    static func tokenize(_ text: String) -> [Token] {
        var tokens: [Token] = []
        var word = ""
        var digits = ""
        func flush() {
            if !word.isEmpty { tokens.append(.word(word)) }
            if !digits.isEmpty { tokens.append(.number(Int(digits.prefix(9)) ?? 0, digits: digits.count)) }
            word = ""
            digits = ""
        }
        for character in text.prefix(maximumCharacters).lowercased() {
            if character.isLetter {
                if !digits.isEmpty { flush() }
                word.append(character)
            } else if let ascii = character.asciiValue, ascii >= 0x30, ascii <= 0x39 {
                if !word.isEmpty { flush() }
                digits.append(character)
            } else {
                flush()
                if !character.isWhitespace { tokens.append(.symbol(character == "’" ? "'" : character)) }
            }
        }
        flush()
        return tokens
    }

    /// A date starting at `start` (after fillers, a weekday and commas), where it ends, and whether it names a
    /// day of the month (`exact`) or only a weekday.
    private static func date(
        _ tokens: [Token], at start: Int, language: DateWords.Language, reference: LocalDate
    ) -> (date: LocalDate, end: Int, exact: Bool)? {
        var index = start
        var weekday: Int?
        while index < tokens.count {
            switch tokens[index] {
            case .word(let word) where DateWords.fillers.contains(word): index += 1
            case .word(let word) where DateWords.weekdays[word] != nil && weekday == nil:
                weekday = DateWords.weekdays[word]
                index += 1
            case .symbol(","), .symbol("'"): index += 1
            default:
                return parse(tokens, at: index, weekday: weekday, language: language, reference: reference)
            }
        }
        return weekday.map { (date: nextWeekday($0, after: reference), end: index - 1, exact: false) }
    }

    private static func parse(
        _ tokens: [Token], at index: Int, weekday: Int?, language: DateWords.Language, reference: LocalDate
    ) -> (date: LocalDate, end: Int, exact: Bool)? {
        func token(_ offset: Int) -> Token? { index + offset < tokens.count ? tokens[index + offset] : nil }
        func monthWord(_ offset: Int) -> Int? {
            if case .word(let word) = token(offset) { DateWords.months[word] } else { nil }
        }
        switch token(0) {
        case .number(let year, 4):
            // 2026-12-14
            guard token(1) == .symbol("-"), case .number(let month, _) = token(2), token(3) == .symbol("-"),
                case .number(let day, _) = token(4), let date = LocalDate(year: year, month: month, day: day)
            else { return nil }
            return (date: date, end: index + 4, exact: true)
        case .number(let first, let digits) where digits <= 2:
            if case .symbol(let separator) = token(1), separator == "/" || separator == ".",
                case .number(let second, let secondDigits) = token(2), secondDigits <= 2
            {
                // 14.12.[2026], 14/12[/2026], 12/14/2026
                var year: Int?
                var end = index + 2
                if token(3) == .symbol(separator), case .number(let value, let yearDigits) = token(4),
                    yearDigits == 2 || yearDigits == 4
                {
                    year = yearDigits == 2 ? 2000 + value : value
                    end = index + 4
                }
                let monthFirst = separator == "/" && language == .english ? first <= 12 : second > 12 && first <= 12
                let (month, day) = monthFirst ? (first, second) : (second, first)
                let read = complete(day: day, month: month, year: year, end: end, reference: reference)
                // 07/12/2026 in English could be either: when the usual reading is past, take the other.
                if let read, read.date < reference, first <= 12, second <= 12,
                    let other = complete(day: month, month: day, year: year, end: end, reference: reference),
                    other.date >= reference
                {
                    return other
                }
                return read
            }
            // 14 December 2026, 14. Dezember, 14th of December, 14 de diciembre de 2026
            var offset = 1
            if case .word(let word) = token(offset), DateWords.ordinals.contains(word) { offset += 1 }
            if token(offset) == .symbol(".") { offset += 1 }
            if case .word(let word) = token(offset), word == "of" || word == "de" { offset += 1 }
            if let month = monthWord(offset) {
                var end = index + offset
                if token(offset + 1) == .symbol(".") { offset += 1 }
                if case .word(let word) = token(offset + 1), word == "de" { offset += 1 }
                if token(offset + 1) == .symbol(",") { offset += 1 }
                var year: Int?
                if case .number(let value, 4) = token(offset + 1) {
                    year = value
                    end = index + offset + 1
                }
                return complete(day: first, month: month, year: year, end: end, reference: reference)
            }
            // "lunes 14": a weekday and a day of the month.
            guard weekday != nil else { return nil }
            return nextDay(first, onOrAfter: reference).map { (date: $0, end: index, exact: true) }
        case .word:
            // December 14, 2026
            guard let month = monthWord(0) else {
                return weekday.map { (date: nextWeekday($0, after: reference), end: index - 1, exact: false) }
            }
            var offset = 1
            if token(offset) == .symbol(".") { offset += 1 }
            guard case .number(let day, let digits) = token(offset), digits <= 2 else { return nil }
            var end = index + offset
            if case .word(let word) = token(offset + 1), DateWords.ordinals.contains(word) { offset += 1 }
            if token(offset + 1) == .symbol(",") { offset += 1 }
            var year: Int?
            if case .number(let value, 4) = token(offset + 1) {
                year = value
                end = index + offset + 1
            }
            return complete(day: day, month: month, year: year, end: end, reference: reference)
        default:
            return weekday.map { (date: nextWeekday($0, after: reference), end: index - 1, exact: false) }
        }
    }

    /// A full date; without a year, the first one on or after `reference`.
    private static func complete(
        day: Int, month: Int, year: Int?, end: Int, reference: LocalDate
    ) -> (date: LocalDate, end: Int, exact: Bool)? {
        if let year {
            return LocalDate(year: year, month: month, day: day).map { (date: $0, end: end, exact: true) }
        }
        for candidateYear in [reference.year, reference.year + 1, reference.year + 4] {
            if let date = LocalDate(year: candidateYear, month: month, day: day), date >= reference {
                return (date: date, end: end, exact: true)
            }
        }
        return nil
    }

    /// The first date on or after `reference` that falls on day `day` of its month.
    private static func nextDay(_ day: Int, onOrAfter reference: LocalDate) -> LocalDate? {
        var year = reference.year
        var month = reference.month
        for _ in 0..<13 {
            if let date = LocalDate(year: year, month: month, day: day), date >= reference { return date }
            month += 1
            if month > 12 {
                month = 1
                year += 1
            }
        }
        return nil
    }

    /// The first date after `reference` that is the given weekday (0 Sunday ... 6 Saturday).
    private static func nextWeekday(_ weekday: Int, after reference: LocalDate) -> LocalDate {
        let ahead = (weekday - MailDateReader.weekday(reference) + 7) % 7
        return MailDateReader.adding(ahead == 0 ? 7 : ahead, to: reference)
    }
}
