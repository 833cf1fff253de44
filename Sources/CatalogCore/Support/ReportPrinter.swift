/// Prints several titled result sets in one format.
public enum DedupReportPrinter {
    /// `reports` rendered in `format`: titled sections for table and CSV, a `report` member
    /// on every row for JSON and JSON lines.
    public static func render(_ reports: [(title: String, rows: RowSet)], format: RowFormat) -> String {
        switch format {
        case .table:
            return reports.map { "== \($0.title)\n" + RowPrinter.render($0.rows, as: .table) }.joined(separator: "\n")
        case .csv:
            return reports.map { "# \($0.title)\r\n" + RowPrinter.render($0.rows, as: .csv) }.joined(separator: "\r\n")
        case .json, .jsonl:
            var lines: [String] = []
            for report in reports {
                let columns = ["report"] + report.rows.columns
                let rows = report.rows.rows.map { [SQLValue.text(report.title)] + $0 }
                lines.append(RowPrinter.render(RowSet(columns: columns, rows: rows), as: .jsonl))
            }
            if format == .jsonl { return lines.joined() }
            let objects = lines.joined().split(separator: "\n").joined(separator: ",\n ")
            return "[" + objects + "]\n"
        }
    }
}
