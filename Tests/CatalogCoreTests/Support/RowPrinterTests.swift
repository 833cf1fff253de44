import Testing
@testable import CatalogCore

@Suite struct RowPrinterTests {
    let rows = RowSet(
        columns: ["name", "tokens", "share"],
        rows: [[.text("web, \"crawl\""), .integer(1200), .real(0.25)], [.text("books"), .null, .real(1.0 / 3)]])

    @Test func csvQuotesAndEscapes() {
        #expect(RowPrinter.render(rows, as: .csv) == "name,tokens,share\r\n\"web, \"\"crawl\"\"\",1200,0.25\r\nbooks,,0.333333\r\n")
    }

    @Test func jsonLinesKeepTypes() {
        #expect(RowPrinter.render(rows, as: .jsonl) == """
            {"name":"web, \\"crawl\\"","tokens":1200,"share":0.25}
            {"name":"books","tokens":null,"share":0.3333333333333333}

            """)
    }

    @Test func tableAlignsNumbersRight() {
        let text = RowPrinter.render(rows, as: .table)
        let lines = text.split(separator: "\n")
        #expect(lines[0] == "name          tokens     share")
        #expect(lines[1] == "------------  ------  --------")
        #expect(lines[2] == "web, \"crawl\"    1200      0.25")
        #expect(lines[3] == "books                 0.333333")
        #expect(lines.last == "(2 rows)")
    }

    @Test func formatsDecimals() {
        #expect(Format.decimal(3.14159, digits: 2) == "3.14")
        #expect(Format.decimal(-0.004, digits: 2) == "0.00")
        #expect(Format.decimal(2.5, digits: 0) == "3")
    }
}
