import Testing
@testable import CatalogCore

/// The presets of the `docs` view on signals just either side of every threshold.
@Suite struct QualityPresetTests {
    /// Signals that pass every preset.
    static var passing: QualitySignals {
        var signals = QualitySignals()
        signals.charCount = 1000
        signals.lineCount = 10
        signals.wordCount = 200
        signals.wordCountAll = 220
        signals.meanWordLength = 5
        signals.hashWordRatio = 0
        signals.ellipsisWordRatio = 0
        signals.bulletLineFraction = 0
        signals.ellipsisLineFraction = 0
        signals.alphaWordFraction = 1
        signals.stopWordCount = 8
        signals.dupParagraphFraction = 0
        signals.dupParagraphCharFraction = 0
        signals.dupLineFraction = 0
        signals.dupLineCharFraction = 0
        signals.top2GramCharFraction = 0.05
        signals.top3GramCharFraction = 0.05
        signals.top4GramCharFraction = 0.05
        signals.dup5GramCharFraction = 0
        signals.dup6GramCharFraction = 0
        signals.dup7GramCharFraction = 0
        signals.dup8GramCharFraction = 0
        signals.dup9GramCharFraction = 0
        signals.dup10GramCharFraction = 0
        for keyPath in [\QualitySignals.c4, \.c4Datatrove, \.c4FineWeb] {
            signals[keyPath: keyPath].linesKept = 10
            signals[keyPath: keyPath].sentences = 10
        }
        signals.finewebLines = 10
        signals.finewebLinePunctRatio = 1
        signals.finewebShortLineRatio = 0
        signals.finewebCharDupRatio = 0
        signals.finewebListRatio = 0.05
        return signals
    }

    /// A rule: the preset, the reason, and a change just failing it and one just passing it.
    struct Rule: CustomTestStringConvertible, Sendable {
        let preset: String
        let reason: String
        let failing: @Sendable (inout QualitySignals) -> Void
        let passing: @Sendable (inout QualitySignals) -> Void
        var testDescription: String { reason }
    }

    static let epsilon = 1e-9

    static let rules: [Rule] = {
        var rules: [Rule] = [
            Rule(preset: "gopher_quality", reason: "gopher_quality:word_count<50",
                 failing: { $0.wordCount = 49 }, passing: { $0.wordCount = 50 }),
            Rule(preset: "gopher_quality", reason: "gopher_quality:word_count>100000",
                 failing: { $0.wordCount = 100_001 }, passing: { $0.wordCount = 100_000 }),
            Rule(preset: "gopher_quality", reason: "gopher_quality:mean_word_length<3",
                 failing: { $0.meanWordLength = 3 - epsilon }, passing: { $0.meanWordLength = 3 }),
            Rule(preset: "gopher_quality", reason: "gopher_quality:mean_word_length>10",
                 failing: { $0.meanWordLength = 10 + epsilon }, passing: { $0.meanWordLength = 10 }),
            Rule(preset: "gopher_quality", reason: "gopher_quality:hash_word_ratio>0.1",
                 failing: { $0.hashWordRatio = 0.1 + epsilon }, passing: { $0.hashWordRatio = 0.1 }),
            Rule(preset: "gopher_quality", reason: "gopher_quality:ellipsis_word_ratio>0.1",
                 failing: { $0.ellipsisWordRatio = 0.1 + epsilon }, passing: { $0.ellipsisWordRatio = 0.1 }),
            Rule(preset: "gopher_quality", reason: "gopher_quality:bullet_line_fraction>0.9",
                 failing: { $0.bulletLineFraction = 0.9 + epsilon }, passing: { $0.bulletLineFraction = 0.9 }),
            Rule(preset: "gopher_quality", reason: "gopher_quality:ellipsis_line_fraction>0.3",
                 failing: { $0.ellipsisLineFraction = 0.3 + epsilon }, passing: { $0.ellipsisLineFraction = 0.3 }),
            Rule(preset: "gopher_quality", reason: "gopher_quality:alpha_word_fraction<0.8",
                 failing: { $0.alphaWordFraction = 0.8 - epsilon }, passing: { $0.alphaWordFraction = 0.8 }),
            Rule(preset: "gopher_quality", reason: "gopher_quality:stop_word_count<2",
                 failing: { $0.stopWordCount = 1 }, passing: { $0.stopWordCount = 2 }),
            Rule(preset: "gopher_repetition", reason: "gopher_repetition:dup_para_fraction>0.3",
                 failing: { $0.dupParagraphFraction = 0.3 + epsilon }, passing: { $0.dupParagraphFraction = 0.3 }),
            Rule(preset: "gopher_repetition", reason: "gopher_repetition:dup_para_char_fraction>0.2",
                 failing: { $0.dupParagraphCharFraction = 0.2 + epsilon }, passing: { $0.dupParagraphCharFraction = 0.2 }),
            Rule(preset: "gopher_repetition", reason: "gopher_repetition:dup_line_fraction>0.3",
                 failing: { $0.dupLineFraction = 0.3 + epsilon }, passing: { $0.dupLineFraction = 0.3 }),
            Rule(preset: "gopher_repetition", reason: "gopher_repetition:dup_line_char_fraction>0.2",
                 failing: { $0.dupLineCharFraction = 0.2 + epsilon }, passing: { $0.dupLineCharFraction = 0.2 }),
            Rule(preset: "gopher_repetition", reason: "gopher_repetition:top_2gram_char_fraction>0.2",
                 failing: { $0.top2GramCharFraction = 0.2 + epsilon }, passing: { $0.top2GramCharFraction = 0.2 }),
            Rule(preset: "gopher_repetition", reason: "gopher_repetition:top_3gram_char_fraction>0.18",
                 failing: { $0.top3GramCharFraction = 0.18 + epsilon }, passing: { $0.top3GramCharFraction = 0.18 }),
            Rule(preset: "gopher_repetition", reason: "gopher_repetition:top_4gram_char_fraction>0.16",
                 failing: { $0.top4GramCharFraction = 0.16 + epsilon }, passing: { $0.top4GramCharFraction = 0.16 }),
            Rule(preset: "c4", reason: "c4:char_count>190000",
                 failing: { $0.charCount = 190_001 }, passing: { $0.charCount = 190_000 }),
            Rule(preset: "c4", reason: "c4:lorem_ipsum",
                 failing: { $0.c4.loremIpsum = true }, passing: { $0.c4Datatrove.loremIpsum = true }),
            Rule(preset: "c4", reason: "c4:curly_bracket",
                 failing: { $0.c4.curlyBracket = true }, passing: { $0.c4FineWeb.curlyBracket = true }),
            Rule(preset: "c4", reason: "c4:sentences<3",
                 failing: { $0.c4.sentences = 2 }, passing: { $0.c4.sentences = 3 }),
            Rule(preset: "c4_datatrove", reason: "c4_datatrove:lorem_ipsum",
                 failing: { $0.c4Datatrove.loremIpsum = true }, passing: { $0.c4.loremIpsum = true }),
            Rule(preset: "c4_datatrove", reason: "c4_datatrove:curly_bracket",
                 failing: { $0.c4Datatrove.curlyBracket = true }, passing: { $0.c4.curlyBracket = true }),
            Rule(preset: "c4_datatrove", reason: "c4_datatrove:sentences<5",
                 failing: { $0.c4Datatrove.sentences = 4 }, passing: { $0.c4Datatrove.sentences = 5 }),
            Rule(preset: "fineweb", reason: "c4_fineweb:lorem_ipsum",
                 failing: { $0.c4FineWeb.loremIpsum = true }, passing: { $0.c4Datatrove.loremIpsum = true }),
            Rule(preset: "fineweb", reason: "c4_fineweb:curly_bracket",
                 failing: { $0.c4FineWeb.curlyBracket = true }, passing: { $0.c4.curlyBracket = true }),
            Rule(preset: "fineweb", reason: "c4_fineweb:sentences<5",
                 failing: { $0.c4FineWeb.sentences = 4 }, passing: { $0.c4FineWeb.sentences = 5 }),
            Rule(preset: "fineweb_quality", reason: "fineweb_quality:empty",
                 failing: { $0.finewebLines = 0 }, passing: { $0.finewebLines = 1 }),
            Rule(preset: "fineweb_quality", reason: "fineweb_quality:line_punct_ratio<0.12",
                 failing: { $0.finewebLinePunctRatio = 0.12 - epsilon }, passing: { $0.finewebLinePunctRatio = 0.12 }),
            Rule(preset: "fineweb_quality", reason: "fineweb_quality:short_line_ratio>0.67",
                 failing: { $0.finewebShortLineRatio = 0.67 + epsilon }, passing: { $0.finewebShortLineRatio = 0.67 }),
            Rule(preset: "fineweb_quality", reason: "fineweb_quality:char_dup_ratio>0.01",
                 failing: { $0.finewebCharDupRatio = 0.01 + epsilon }, passing: { $0.finewebCharDupRatio = 0.01 }),
            Rule(preset: "fineweb_quality", reason: "fineweb_quality:list_ratio>0.3",
                 failing: { $0.finewebListRatio = 0.3 + epsilon }, passing: { $0.finewebListRatio = 0.3 }),
        ]
        for (n, threshold) in [(5, 0.15), (6, 0.14), (7, 0.13), (8, 0.12), (9, 0.11), (10, 0.1)] {
            rules.append(Rule(
                preset: "gopher_repetition", reason: "gopher_repetition:dup_\(n)gram_char_fraction>\(threshold)",
                failing: { setDuplicateFraction(n, threshold + epsilon, in: &$0) },
                passing: { setDuplicateFraction(n, threshold, in: &$0) }))
        }
        return rules
    }()

    static func setDuplicateFraction(_ n: Int, _ value: Double, in signals: inout QualitySignals) {
        switch n {
        case 5: signals.dup5GramCharFraction = value
        case 6: signals.dup6GramCharFraction = value
        case 7: signals.dup7GramCharFraction = value
        case 8: signals.dup8GramCharFraction = value
        case 9: signals.dup9GramCharFraction = value
        default: signals.dup10GramCharFraction = value
        }
    }

    /// The presets' (pass, reason) for `signals` of a one-document catalog.
    static func presets(for signals: QualitySignals) throws -> [String: (pass: SQLValue, reason: SQLValue)] {
        let catalog = try Catalog.inMemory()
        let connection = catalog.connection
        try connection.execute("""
            INSERT INTO source (source_id, name, created_at) VALUES (1, 's', 't');
            INSERT INTO ingest_file (ingest_file_id, path, bytes, content_sha256, format, options, status, started_at)
                VALUES (1, 'f', 1, 'x', 'jsonl', '{}', 'complete', 't');
            INSERT INTO document (document_id, source_id, ingest_file_id, line_no, doc_key, bytes, tokens, content_hash)
                VALUES (1, 1, 1, 1, 'k', 1, 1, x'00');
            """)
        try QualityStore(catalog: catalog).upsertSignals(
            documentID: 1, version: QualitySignals.version, qualityFromInput: false, signals: signals,
            defaultQuality: 0.5)
        var result: [String: (pass: SQLValue, reason: SQLValue)] = [:]
        for row in try connection.prepare("SELECT preset, pass, reason FROM quality_filter ORDER BY preset").allRows() {
            guard case let .text(preset) = row[0] else { continue }
            result[preset] = (row[1], row[2])
        }
        return result
    }

    @Test func baselinePassesEveryPreset() throws {
        let presets = try Self.presets(for: Self.passing)
        #expect(presets.count == 6)
        for (name, outcome) in presets {
            #expect(outcome.pass == .integer(1), "\(name)")
            #expect(outcome.reason == .null, "\(name)")
        }
    }

    @Test(arguments: rules)
    func eachRuleFailsJustPastItsThresholdAndPassesAtIt(_ rule: Rule) throws {
        var failing = Self.passing
        rule.failing(&failing)
        let failed = try Self.presets(for: failing)
        #expect(failed[rule.preset]?.pass == .integer(0))
        #expect(failed[rule.preset]?.reason == .text(rule.reason))
        // FineWeb's chain includes the Gopher filters and FineWeb quality with the same reasons.
        if ["gopher_quality", "gopher_repetition", "fineweb_quality"].contains(rule.preset) {
            #expect(failed["fineweb"]?.reason == .text(rule.reason))
        }
        var passing = Self.passing
        rule.passing(&passing)
        let passed = try Self.presets(for: passing)
        #expect(passed[rule.preset]?.pass == .integer(1))
        #expect(passed[rule.preset]?.reason == .null)
    }

    @Test func firstFailingRuleIsReportedInReferenceOrder() throws {
        var signals = Self.passing
        signals.stopWordCount = 0
        signals.wordCount = 10
        signals.dupLineFraction = 0.9
        let presets = try Self.presets(for: signals)
        #expect(presets["gopher_quality"]?.reason == .text("gopher_quality:word_count<50"))
        // FineWeb runs Gopher repetition before Gopher quality.
        #expect(presets["fineweb"]?.reason == .text("gopher_repetition:dup_line_fraction>0.3"))
    }

    @Test func documentWithoutSignalsHasNullPresets() throws {
        let catalog = try Catalog.inMemory()
        try catalog.connection.execute("""
            INSERT INTO source (source_id, name, created_at) VALUES (1, 's', 't');
            INSERT INTO ingest_file (ingest_file_id, path, bytes, content_sha256, format, options, status, started_at)
                VALUES (1, 'f', 1, 'x', 'jsonl', '{}', 'complete', 't');
            INSERT INTO document (document_id, source_id, ingest_file_id, line_no, doc_key, bytes, tokens, content_hash)
                VALUES (1, 1, 1, 1, 'k', 1, 1, x'00');
            """)
        let row = try catalog.connection.prepare("SELECT fineweb_pass, fineweb_reason, c4_pass FROM docs").allRows()
        #expect(row == [[.null, .null, .null]])
        #expect(try catalog.connection.scalarInt("SELECT count(*) FROM quality_filter") == 0)
    }

    @Test func signalColumnsRoundTripByName() throws {
        let catalog = try Catalog.inMemory()
        var signals = Self.passing
        signals.meanWordLength = nil
        try catalog.connection.execute("""
            INSERT INTO source (source_id, name, created_at) VALUES (1, 's', 't');
            INSERT INTO ingest_file (ingest_file_id, path, bytes, content_sha256, format, options, status, started_at)
                VALUES (1, 'f', 1, 'x', 'jsonl', '{}', 'complete', 't');
            INSERT INTO document (document_id, source_id, ingest_file_id, line_no, doc_key, bytes, tokens, content_hash)
                VALUES (1, 1, 1, 1, 'k', 1, 1, x'00');
            """)
        try QualityStore(catalog: catalog).upsertSignals(
            documentID: 1, version: 7, qualityFromInput: true, signals: signals, defaultQuality: 0.25)
        let statement = try catalog.connection.prepare("SELECT * FROM quality_signal")
        #expect(try statement.step())
        var byName: [String: SQLValue] = [:]
        for index in 0..<statement.columnCount { byName[statement.columnName(index)] = statement.value(index) }
        for (name, value) in zip(QualitySignals.columnNames, signals.columnValues) {
            #expect(byName[name] == value, "\(name)")
        }
        #expect(byName["signal_version"] == .integer(7))
        #expect(byName["quality_from_input"] == .integer(1))
        #expect(byName["default_quality"] == .real(0.25))
        #expect(byName["mean_word_length"] == .null)
        #expect(byName.count == QualitySignals.columnNames.count + 4)
    }
}
