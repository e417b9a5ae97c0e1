import NurtureCore
import Testing

@Suite struct CSVTests {
    @Test("fields, quotes, doubled quotes, embedded commas and line breaks, CRLF, BOM, blank lines")
    func parses() throws {
        let text = "\u{FEFF}email,name\r\na@example.com,\"Lima, Ana\"\r\n\r\nb@example.com,\"say \"\"hi\"\"\nthere\"\n"
        let records = try CSV.parse(text)
        #expect(
            records.map(\.fields) == [
                ["email", "name"], ["a@example.com", "Lima, Ana"], ["b@example.com", "say \"hi\"\nthere"],
            ])
        #expect(records.map(\.line) == [1, 2, 4])
    }

    @Test("a last line without a line break and empty trailing fields")
    func lastLine() throws {
        #expect(try CSV.parse("a,b,\nc,,d").map(\.fields) == [["a", "b", ""], ["c", "", "d"]])
    }

    @Test("malformed quoting is an error naming the line")
    func errors() {
        #expect(throws: CSV.SyntaxError.self) { try CSV.parse("a,b\nc,\"open\n") }
        do {
            _ = try CSV.parse("a,b\nc,d\"e\n")
            Issue.record("a quote inside an unquoted field must fail")
        } catch {
            #expect(error.line == 2)
        }
        do {
            _ = try CSV.parse("x\n\"quoted\"tail\n")
            Issue.record("text after a closing quote must fail")
        } catch {
            #expect(error.line == 2)
            #expect(error.problem.contains("after a closing quote"))
        }
    }
}
