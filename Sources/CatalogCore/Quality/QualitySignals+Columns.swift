/// The `quality_signal` columns of the signals, in the order of `StoreSQL.Quality.signalColumns`.
extension QualitySignals {
    /// Column names, in order (after document_id, signal_version, quality_from_input; before default_quality).
    public static let columnNames: [String] = [
        "char_count",
        "line_count",
        "word_count",
        "word_count_all",
        "mean_word_length",
        "hash_word_ratio",
        "ellipsis_word_ratio",
        "bullet_line_fraction",
        "ellipsis_line_fraction",
        "alpha_word_fraction",
        "stop_word_count",
        "dup_para_fraction",
        "dup_para_char_fraction",
        "dup_line_fraction",
        "dup_line_char_fraction",
        "top_2gram_char_fraction",
        "top_3gram_char_fraction",
        "top_4gram_char_fraction",
        "dup_5gram_char_fraction",
        "dup_6gram_char_fraction",
        "dup_7gram_char_fraction",
        "dup_8gram_char_fraction",
        "dup_9gram_char_fraction",
        "dup_10gram_char_fraction",
        "c4_lines_kept",
        "c4_sentences",
        "c4_lorem_ipsum",
        "c4_curly_bracket",
        "c4_javascript_lines",
        "c4_policy_lines",
        "c4_datatrove_lines_kept",
        "c4_datatrove_sentences",
        "c4_datatrove_lorem_ipsum",
        "c4_datatrove_curly_bracket",
        "c4_fineweb_lines_kept",
        "c4_fineweb_sentences",
        "c4_fineweb_lorem_ipsum",
        "c4_fineweb_curly_bracket",
        "fineweb_lines",
        "fineweb_line_punct_ratio",
        "fineweb_short_line_ratio",
        "fineweb_char_dup_ratio",
        "fineweb_list_ratio",
    ]

    /// Column values in `columnNames` order (NULL for a nil ratio).
    public var columnValues: [SQLValue] {
        var values: [SQLValue] = []
        values.reserveCapacity(Self.columnNames.count)
        forEachColumnValue { values.append($0) }
        return values
    }

    /// Calls `body` with each column value in `columnNames` order, without building an array
    /// (ingest binds one row per document).
    @inline(__always)
    public func forEachColumnValue<E: Error>(_ body: (SQLValue) throws(E) -> Void) throws(E) {
        try body(.integer(Int64(charCount)))
        try body(.integer(Int64(lineCount)))
        try body(.integer(Int64(wordCount)))
        try body(.integer(Int64(wordCountAll)))
        try body(real(meanWordLength))
        try body(real(hashWordRatio))
        try body(real(ellipsisWordRatio))
        try body(real(bulletLineFraction))
        try body(real(ellipsisLineFraction))
        try body(real(alphaWordFraction))
        try body(.integer(Int64(stopWordCount)))
        try body(real(dupParagraphFraction))
        try body(real(dupParagraphCharFraction))
        try body(real(dupLineFraction))
        try body(real(dupLineCharFraction))
        try body(real(top2GramCharFraction))
        try body(real(top3GramCharFraction))
        try body(real(top4GramCharFraction))
        try body(real(dup5GramCharFraction))
        try body(real(dup6GramCharFraction))
        try body(real(dup7GramCharFraction))
        try body(real(dup8GramCharFraction))
        try body(real(dup9GramCharFraction))
        try body(real(dup10GramCharFraction))
        try body(.integer(Int64(c4.linesKept)))
        try body(.integer(Int64(c4.sentences)))
        try body(.integer(c4.loremIpsum ? 1 : 0))
        try body(.integer(c4.curlyBracket ? 1 : 0))
        try body(.integer(Int64(c4.javascriptLines)))
        try body(.integer(Int64(c4.policyLines)))
        try body(.integer(Int64(c4Datatrove.linesKept)))
        try body(.integer(Int64(c4Datatrove.sentences)))
        try body(.integer(c4Datatrove.loremIpsum ? 1 : 0))
        try body(.integer(c4Datatrove.curlyBracket ? 1 : 0))
        try body(.integer(Int64(c4FineWeb.linesKept)))
        try body(.integer(Int64(c4FineWeb.sentences)))
        try body(.integer(c4FineWeb.loremIpsum ? 1 : 0))
        try body(.integer(c4FineWeb.curlyBracket ? 1 : 0))
        try body(.integer(Int64(finewebLines)))
        try body(real(finewebLinePunctRatio))
        try body(real(finewebShortLineRatio))
        try body(real(finewebCharDupRatio))
        try body(real(finewebListRatio))
    }
}

@inline(__always) private func real(_ value: Double?) -> SQLValue {
    value.map { .real($0) } ?? .null
}
