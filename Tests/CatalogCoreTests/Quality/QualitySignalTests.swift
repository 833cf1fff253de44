import Testing
@testable import CatalogCore

/// Each signal on small texts whose values were worked out by hand (datatrove semantics).
@Suite struct QualitySignalTests {
    let scanner = QualitySignalScanner()

    @Test func wordsMeanLengthEllipsisAndAlphabeticWords() {
        // Words: Hello , world ... The end .  → 7 in all, 4 non-symbol (5+5+3+3 characters).
        let signals = scanner.signals(of: "Hello, world... The end.")
        #expect(signals.charCount == 24)
        #expect(signals.wordCountAll == 7)
        #expect(signals.wordCount == 4)
        #expect(signals.meanWordLength == 4.0)
        #expect(signals.ellipsisWordRatio == 1.0 / 7)
        #expect(signals.hashWordRatio == 0)
        #expect(signals.alphaWordFraction == 4.0 / 7)
        #expect(signals.stopWordCount == 0)  // "The" does not count: case-sensitive like datatrove
    }

    @Test func hashRatioAndDistinctStopWords() {
        #expect(scanner.signals(of: "# Title\n## Sub").hashWordRatio == 3.0 / 4)  // # Title ## Sub
        #expect(scanner.signals(of: "the cat and the dog with a hat").stopWordCount == 3)
        // "......" is two ellipses (str.count is non-overlapping), "…" one.
        #expect(scanner.signals(of: "wait...... and… so").ellipsisWordRatio == 3.0 / 5)
    }

    @Test func bulletAndEllipsisLines() {
        let signals = scanner.signals(of: "- a\n  • b\nc...\n\nd…")
        #expect(signals.lineCount == 5)  // splitlines: "- a", "  • b", "c...", "", "d…"
        #expect(signals.bulletLineFraction == 2.0 / 5)
        #expect(signals.ellipsisLineFraction == 2.0 / 5)
    }

    @Test func duplicateLinesAndParagraphs() {
        // re.split(r"\n+") → a, b, a, b, "": 2 duplicates of 5, 2 characters of 9.
        let lines = scanner.signals(of: "a\nb\na\n\nb\n")
        #expect(lines.dupLineFraction == 2.0 / 5)
        #expect(lines.dupLineCharFraction == 2.0 / 9)
        #expect(lines.dupParagraphFraction == 0)  // "a\nb\na", "b"
        let paragraphs = scanner.signals(of: "p one\n\np two\n\n\np one")
        #expect(paragraphs.dupParagraphFraction == 1.0 / 3)
        #expect(paragraphs.dupParagraphCharFraction == 5.0 / 20)
        #expect(paragraphs.dupLineFraction == 1.0 / 3)
    }

    @Test func topNGrams() {
        // a b a b a b c: "a b" ×3 → 3·3/13; 3-grams "a b a" and "b a b" ×2, the first wins → 5·2/13.
        let signals = scanner.signals(of: "a b a b a b c")
        #expect(signals.top2GramCharFraction == 9.0 / 13)
        #expect(signals.top3GramCharFraction == 10.0 / 13)
        #expect(signals.top4GramCharFraction == 14.0 / 13)
        // All unique: the first n-gram counts once (datatrove, unlike RPv2).
        let unique = scanner.signals(of: "one two three four")
        #expect(unique.top2GramCharFraction == 7.0 / 18)
        #expect(unique.top4GramCharFraction == 18.0 / 18)
        #expect(scanner.signals(of: "one").top2GramCharFraction == nil)
    }

    @Test func duplicateNGramCharacters() {
        // x y z w v x y z w v x: the 5-gram at 5 repeats the one at 0 (5 characters), the 6-gram too.
        let signals = scanner.signals(of: "x y z w v x y z w v x")
        #expect(signals.dup5GramCharFraction == 5.0 / 21)
        #expect(signals.dup6GramCharFraction == 6.0 / 21)
        #expect(signals.dup7GramCharFraction == 0)
        // find_all_duplicate jumps n words after a duplicate: 10 × "a" has one duplicate 5-gram.
        let same = scanner.signals(of: "a a a a a a a a a a")
        #expect(same.dup5GramCharFraction == 5.0 / 19)
        #expect(same.dup10GramCharFraction == 0)
        #expect(same.top2GramCharFraction == 3.0 * 9 / 19)
    }

    @Test func c4LinesInThreeConfigurations() {
        let text = """
            This is a fine sentence here. And another one!
            short line.
            No end mark here at all
            This line mentions javascript in it, sadly.
            Please read our privacy policy before you go.
            The final line has five words.
            """
        let signals = scanner.signals(of: text)
        #expect(signals.c4.linesKept == 2)
        #expect(signals.c4.sentences == 3)
        #expect(signals.c4.javascriptLines == 1)
        #expect(signals.c4.policyLines == 1)
        #expect(!signals.c4.loremIpsum && !signals.c4.curlyBracket)
        #expect(signals.c4Datatrove.linesKept == 2)
        #expect(signals.c4Datatrove.sentences == 3)
        #expect(signals.c4FineWeb.linesKept == 3)  // no end-mark rule: "No end mark here at all" is kept
        #expect(signals.c4FineWeb.sentences == 4)
    }

    @Test func c4PageFlagsOnlyFromLinesThatPassTheLineRules() {
        let flagged = scanner.signals(of: "Lorem ipsum dolor sit amet.\nCode looks like { this } and ends here.")
        #expect(flagged.c4.loremIpsum && flagged.c4.curlyBracket)
        // Without an end mark (TFDS) or with too few words, the line never reaches the check.
        let unreached = scanner.signals(of: "lorem ipsum dolor sit amet\nx {y.")
        #expect(!unreached.c4.loremIpsum && !unreached.c4.curlyBracket)
        #expect(unreached.c4FineWeb.loremIpsum && !unreached.c4FineWeb.curlyBracket)
    }

    @Test func c4FindsEveryPhraseInAnyCase() {
        for phrase in ["Terms of Use", "PRIVACY POLICY", "cookie policy", "uses cookies", "Use of cookies", "use cookies"] {
            let signals = scanner.signals(of: "Please read the \(phrase) of this site now.")
            #expect(signals.c4.policyLines == 1, "\(phrase)")
            #expect(signals.c4.linesKept == 0, "\(phrase)")
        }
        #expect(scanner.signals(of: "You must enable JavaScript to see this page.").c4.javascriptLines == 1)
        #expect(scanner.signals(of: "Some Lorem Ipsum text goes right here.").c4.loremIpsum)
        #expect(scanner.signals(of: "A line with no phrase at all here.").c4.linesKept == 1)
    }

    @Test func c4CitationsAndEndMarks() {
        // The citation goes before the end-mark test; datatrove also accepts a final "'".
        let signals = scanner.signals(of: "The value is quite large.[1]\nHe said it was 'fine for us'")
        #expect(signals.c4.linesKept == 1)
        #expect(signals.c4Datatrove.linesKept == 2)
        let ellipsis = scanner.signals(of: "This line trails off into nothing...")
        #expect(ellipsis.c4.linesKept == 0)
    }

    @Test func paragraphSplitsAtRunsOfLineFeedsInsideTheStrippedText() {
        // (text, paragraphs duplicated, their characters) from Python: re.split(r"\n{2,}", text.strip()).
        let cases: [(String, Double, Int)] = [
            ("\n\na\n\nb\n\na\n\n", 1.0 / 3, 1),  // a, b, a
            (" x \n\n\n x \n \n x", 0, 0),  // "x ", " x \n \n x": a blank line with a space does not split
            ("p\n\np\n\n\n\np", 2.0 / 3, 2),
            ("\u{3000}q\n\nq\u{3000}", 1.0 / 2, 1),  // strip() removes Unicode spaces
            ("a\n\n", 0, 0),
        ]
        for (text, fraction, characters) in cases {
            let signals = scanner.signals(of: text)
            #expect(signals.dupParagraphFraction == fraction, "\(text.debugDescription)")
            #expect(signals.dupParagraphCharFraction == Double(characters) / Double(text.unicodeScalars.count))
        }
    }

    @Test func sentenceCounting() {
        let count = { (line: String) -> Int in
            var copy = line
            return copy.withUTF8 { QualitySignalScanner.sentenceCount($0.baseAddress!, start: 0, end: $0.count) }
        }
        #expect(count("Mr. Smith went home. He slept.") == 2)
        #expect(count("It was e.g. fine. Yes! Really? ok.") == 3)  // "? ok": lowercase follows
        #expect(count("One sentence without an end") == 1)
        #expect(count("He said \"stop.\" Then he left.") == 2)
    }

    @Test func fineWebRatios() {
        let signals = scanner.signals(of: "Line one ends.\nline two no\n\nthird line ends!")
        #expect(signals.finewebLines == 3)
        #expect(signals.finewebLinePunctRatio == 2.0 / 3)
        #expect(signals.finewebShortLineRatio == 1)
        #expect(signals.finewebListRatio == 3.0 / 11)
        #expect(signals.finewebCharDupRatio == 0)
        let duplicated = scanner.signals(of: "same line\nsame line\nother")
        #expect(duplicated.finewebCharDupRatio == 9.0 / 23)
        // No rstrip: a trailing space defeats the terminal mark.
        #expect(scanner.signals(of: "Ends with a period. \nx").finewebLinePunctRatio == 0)
        let long = String(repeating: "word ", count: 7) + "end."
        #expect(scanner.signals(of: long).finewebShortLineRatio == 0)
    }

    @Test func scannerIsReusableAcrossDocuments() {
        let first = scanner.signals(of: "a b a b a b c")
        _ = scanner.signals(of: String(repeating: "other words here. ", count: 5000))
        #expect(scanner.signals(of: "a b a b a b c") == first)
    }
}

/// The n-gram kernel against a direct transcription of datatrove's functions (on word hashes).
@Suite struct NGramOracleTests {
    /// `find_top_duplicate(get_n_grams(words, n))`: length joined with spaces × count.
    static func top(_ words: [UInt64], _ lengths: [Int], n: Int) -> Int? {
        guard words.count >= n else { return nil }
        var counts: [[UInt64]: Int] = [:]
        var order: [[UInt64]] = []
        var firstPosition: [[UInt64]: Int] = [:]
        for position in 0...(words.count - n) {
            let gram = Array(words[position..<(position + n)])
            if counts[gram] == nil {
                order.append(gram)
                firstPosition[gram] = position
            }
            counts[gram, default: 0] += 1
        }
        var best = order[0]
        for gram in order where counts[gram]! > counts[best]! { best = gram }
        let position = firstPosition[best]!
        return (lengths[position..<(position + n)].reduce(0, +) + n - 1) * counts[best]!
    }

    /// `find_all_duplicate(words, n)`.
    static func duplicate(_ words: [UInt64], _ lengths: [Int], n: Int) -> Int {
        var seen = Set<[UInt64]>()
        var total = 0
        var index = 0
        while index < words.count - n + 1 {
            let gram = Array(words[index..<(index + n)])
            if seen.contains(gram) {
                total += lengths[index..<(index + n)].reduce(0, +)
                index += n
            } else {
                seen.insert(gram)
                index += 1
            }
        }
        return total
    }

    /// With both `NGramCounter` layouts (compact, and wide for every document).
    @Test(arguments: [1 << 16, 0])
    func matchesTheReferenceOnRepetitiveRandomText(compactLimit: Int) {
        var generator = SeededGenerator(seed: 7)
        let vocabulary = ["a", "b", "cc", "the", "of", ",", ".", "word", "x1", "zz"]
        for round in 0..<200 {
            let size = Int(generator.next() % 400)
            let vocabularySize = 2 + round % (vocabulary.count - 1)
            let text = (0..<size).map { _ in vocabulary[Int(generator.next() % UInt64(vocabularySize))] }
                .joined(separator: " ")
            let scanner = QualitySignalScanner()
            scanner.counter.compactLimit = compactLimit
            let signals = scanner.signals(of: text)
            let words = (0..<scanner.wordHashes.count).map { scanner.wordHashes[$0] }
            let lengths = (0..<scanner.wordLengths.count).map { Int(scanner.wordLengths[$0]) }
            let chars = Double(signals.charCount)
            let tops = [signals.top2GramCharFraction, signals.top3GramCharFraction, signals.top4GramCharFraction]
            for n in 2...4 {
                #expect(tops[n - 2] == Self.top(words, lengths, n: n).map { Double($0) / chars }, "round \(round) n \(n)")
            }
            let duplicates = [
                signals.dup5GramCharFraction, signals.dup6GramCharFraction, signals.dup7GramCharFraction,
                signals.dup8GramCharFraction, signals.dup9GramCharFraction, signals.dup10GramCharFraction,
            ]
            for n in 5...10 where words.count >= n {
                #expect(duplicates[n - 5] == Double(Self.duplicate(words, lengths, n: n)) / chars, "round \(round) n \(n)")
            }
        }
    }
}
