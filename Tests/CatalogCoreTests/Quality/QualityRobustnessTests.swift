import Testing
@testable import CatalogCore

/// Odd and multilingual text: no crash, no NaN or infinity, a score in [0, 1].
@Suite struct QualityRobustnessTests {
    let scanner = QualitySignalScanner()

    /// Every stored value is finite (or NULL) and the score is in [0, 1].
    func expectWellFormed(_ signals: QualitySignals, _ label: String) {
        for (name, value) in zip(QualitySignals.columnNames, signals.columnValues) {
            if case let .real(number) = value { #expect(number.isFinite && number >= 0, "\(label): \(name)") }
        }
        let score = QualityScore.score(signals)
        #expect(score >= 0 && score <= 1, "\(label): score \(score)")
    }

    static let samples: [(String, String)] = [
        ("Chinese", "我爱北京天安门。天安门上太阳升！这是一个测试，没有空格。"),
        ("Japanese", "これは日本語のテキストです。カタカナとひらがなと漢字。"),
        ("Thai", "ภาษาไทยเขียนติดกันโดยไม่มีช่องว่างระหว่างคำ และใช้ช่องว่างแทนจุด"),
        ("Arabic", "هذا نص باللغة العربية. يكتب من اليمين إلى اليسار؟ نعم!"),
        ("Hebrew", "זהו טקסט בעברית. הוא נכתב מימין לשמאל."),
        ("emoji", String(repeating: "🙂🎉👍🏽👨‍👩‍👧 ", count: 200)),
        ("whitespace", " \t\n\n \u{3000}\u{00A0}\n"),
        ("markup", String(repeating: "{{Infobox|name=[[x]]}}\n<div class=\"a\"></div>\n'''b'''\n|}\n", count: 50)),
        ("controls", "a\u{0}b\u{1F}c\u{200B}d\u{FEFF}e\u{85}f"),
        ("combining", "e\u{301}\u{301}\u{301} a\u{308} Z\u{335}\u{31B}\u{346}"),
        ("dots", String(repeating: ".", count: 1000)),
        ("newlines", String(repeating: "\n", count: 1000)),
    ]

    @Test func multilingualAndOddTextIsWellFormed() {
        for (label, text) in Self.samples { expectWellFormed(scanner.signals(of: text), label) }
    }

    @Test func scriptsWithoutSpacesFallBackToOneWordPerCharacter() {
        let chinese = scanner.signals(of: "我爱北京")
        #expect(chinese.wordCount == 4)
        #expect(chinese.meanWordLength == 1)
        #expect(chinese.alphaWordFraction == 1)
        // Thai vowel marks stay with their letter: กิน is 2 words (ก+ิ, น).
        #expect(scanner.signals(of: "กิน").wordCount == 2)
        // Hangul is written with spaces: ordinary words.
        #expect(scanner.signals(of: "한국어 문장").wordCount == 2)
        #expect(scanner.signals(of: "中文abc").wordCount == 3)  // 中, 文, abc
    }

    @Test func emptyAndWhitespaceOnlyTextHaveNoRatios() {
        let empty = scanner.signals(of: "")
        #expect(empty.charCount == 0 && empty.wordCountAll == 0)
        #expect(empty.meanWordLength == nil && empty.alphaWordFraction == nil && empty.finewebLinePunctRatio == nil)
        #expect(QualityScore.score(empty) == 0)
        let blank = scanner.signals(of: " \n\t\n ")
        #expect(blank.finewebLines == 0)
        #expect(blank.wordCount == 0)
        expectWellFormed(blank, "blank")
    }

    @Test func singleLineOfTenMegabytes() {
        // One line, no LF, 10 MB: a repeated sentence (every n-gram repeats) ...
        let sentence = "the same words again and again, "
        let repeated = String(repeating: sentence, count: 10_000_000 / sentence.utf8.count)
        let signals = scanner.signals(of: repeated)
        #expect(signals.lineCount == 1)
        #expect(signals.finewebLines == 1)
        #expect((signals.dup10GramCharFraction ?? 0) > 0.5)
        expectWellFormed(signals, "10 MB repeated")
        // ... and one word of 10 MB: C4 drops the line (a word over 1,000 characters).
        let word = String(repeating: "x", count: 10_000_000)
        let long = scanner.signals(of: word)
        #expect(long.wordCount == 1 && long.meanWordLength == 10_000_000)
        #expect(long.c4FineWeb.linesKept == 0)
        expectWellFormed(long, "10 MB word")
    }

    @Test func scoreStaysInRangeOnRandomText() {
        var generator = SeededGenerator(seed: 42)
        let alphabet: [Unicode.Scalar] = Array("aeiou xyz.,!?#-•…\n\n{}[]|0123456789漢字かなก日".unicodeScalars)
            + ["\u{1F600}", "\u{0301}", "\u{200D}", "\u{3000}", "\u{0627}"]
        for _ in 0..<300 {
            let length = Int(generator.next() % 3000)
            var text = String.UnicodeScalarView()
            for _ in 0..<length { text.append(alphabet[Int(generator.next() % UInt64(alphabet.count))]) }
            expectWellFormed(scanner.signals(of: String(text)), "random")
        }
    }

    @Test func scoreRangeAndOrderOnAdversarialInput() {
        let prose = """
            The committee met on Tuesday and agreed that the river should be cleaned before the summer. \
            Its members had argued for months about who would pay for the work, and with what money. \
            In the end the town council offered to share the cost with the two villages downstream. \
            Volunteers from the school will help to clear the banks, which have been neglected for years. \
            The first boats are expected to return to the water in the autumn, if the weather allows it.
            """
        let best = QualityScore.score(scanner.signals(of: prose))
        #expect(best > 0.5 && best <= 1)
        let repeated = QualityScore.score(scanner.signals(of: String(repeating: "buy now\n", count: 500)))
        #expect(repeated < 0.3)
        #expect(QualityScore.score(scanner.signals(of: String(repeating: "#", count: 5000))) < 0.1)
        var extreme = QualitySignals()
        extreme.wordCount = Int.max
        extreme.meanWordLength = .infinity
        extreme.alphaWordFraction = .nan
        extreme.stopWordCount = 8
        let score = QualityScore.score(extreme)
        #expect(score >= 0 && score <= 1)
    }
}
