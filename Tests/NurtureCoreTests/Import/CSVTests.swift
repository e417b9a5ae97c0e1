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

    @Test("fed in pieces split anywhere, even inside a character or a quote pair, it reads the same records")
    func pieces() throws {
        let text =
            "\u{FEFF}email,name\r\na@example.com,\"Lima, Ana\"\r\n\r\nb@example.com,\"say \"\"hï\"\"\nthere\"\r\nc,Zoë"
        let whole = try CSV.parse(text)
        let bytes = Array(text.utf8)
        for split in 0...bytes.count {
            var parser = CSV.Parser()
            var records = try parser.feed(bytes[..<split])
            records += try parser.feed(bytes[split...])
            records += try parser.finish()
            #expect(records == whole, "split at byte \(split)")
        }
        var parser = CSV.Parser()
        var records: [CSV.Record] = []
        for byte in bytes { records += try parser.feed([byte]) }
        records += try parser.finish()
        #expect(records == whole)
        #expect(whole.map(\.line) == [1, 2, 4, 6])
    }

    @Test("bytes that are not UTF-8 are an error naming the line")
    func notUTF8() {
        var parser = CSV.Parser()
        do {
            _ = try parser.feed(Array("a,b\nc,".utf8) + [0xFF, 0x0A])
            Issue.record("invalid UTF-8 must fail")
        } catch {
            #expect(error.line == 2)
            #expect(error.problem.contains("UTF-8"))
        }
    }
}
