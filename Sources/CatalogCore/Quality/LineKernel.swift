#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Line-level signals: Gopher bullet and ellipsis lines, Gopher duplicate lines and paragraphs,
/// the FineWeb quality ratios, and (per line) the C4 line filter.
///
/// Line splitting follows each reference on LF: `splitlines()` lines (Gopher quality, C4) are
/// the pieces between LFs without a trailing empty piece; Gopher repetition lines are
/// `re.split(r"\n+", text)` (empty pieces only at the start or end); FineWeb lines are the
/// pieces of `text.split("\n")` that are not blank after `strip()`. Other line breaks (CR,
/// U+2028, ...) are not split on (a deliberate simplification: ingested text uses LF).
///
/// FineWeb (huggingface/datatrove `pipeline/filters/fineweb_quality_filter.py`): the terminal
/// marks are a subset of datatrove's `TERMINAL_PUNCTUATION` (see `isTerminalPunctuation`), checked
/// on the line as is (no `rstrip`, like datatrove, so trailing spaces defeat it).
extension QualitySignalScanner {
    func scanLines(
        _ bytes: UnsafePointer<UInt8>, count: Int, newlines: Int, into signals: inout QualitySignals
    ) {
        var table = self.table
        var breaks = paragraphBreaks
        defer {
            self.table = table
            paragraphBreaks = breaks
        }
        table.reset(forElements: newlines + 1)
        breaks.reset(reserving: 0)
        var splitLines = 0
        var bulletLines = 0
        var ellipsisLines = 0
        var gopherLines = 0
        var gopherDupLines = 0
        var gopherDupChars = 0
        var fineWebLines = 0
        var fineWebPunctLines = 0
        var fineWebShortLines = 0
        var fineWebDupChars = 0
        var c4 = C4LineState()

        var lineStart = 0
        while lineStart <= count {
            let lineEnd: Int
            if lineStart == count {
                lineEnd = count
            } else if let found = memchr(bytes + lineStart, 0x0A, count - lineStart) {
                lineEnd = bytes.distance(to: found.assumingMemoryBound(to: UInt8.self))
            } else {
                lineEnd = count
            }
            let isFinalPiece = lineEnd == count
            // The first LF of a run of two or more: where `scanParagraphs` may split.
            if lineEnd &+ 1 < count && bytes[lineEnd &+ 1] == 0x0A && (lineEnd == 0 || bytes[lineEnd &- 1] != 0x0A) {
                breaks.append(lineEnd)
            }
            if lineEnd > lineStart {
                // A non-empty piece: a Gopher repetition line and a splitlines() line.
                gopherLines &+= 1
                splitLines &+= 1
                let (strippedStart, strippedEnd) = Self.strip(bytes, start: lineStart, end: lineEnd)
                let blank = strippedStart == strippedEnd
                let duplicate = table.contains(orInsert: SignalHash.bytes(bytes + lineStart, count: lineEnd - lineStart, readable: count - lineStart))
                var lineChars = -1
                if duplicate {
                    lineChars = UnicodeText.scalarCount(bytes, start: lineStart, end: lineEnd, readableEnd: count)
                    gopherDupLines &+= 1
                    gopherDupChars &+= lineChars
                    if !blank { fineWebDupChars &+= lineChars }
                }
                if !blank {
                    let first = bytes[strippedStart]
                    if first == 0x2D || (first == 0xE2 && strippedEnd - strippedStart >= 3
                        && bytes[strippedStart + 1] == 0x80 && bytes[strippedStart + 2] == 0xA2) {
                        bulletLines &+= 1  // "-" or "•"
                    }
                    if Self.endsWithEllipsis(bytes, start: strippedStart, end: strippedEnd) { ellipsisLines &+= 1 }
                    fineWebLines &+= 1
                    if Self.isTerminalPunctuation(UnicodeText.lastScalar(bytes, start: lineStart, end: lineEnd)) {
                        fineWebPunctLines &+= 1
                    }
                    let lineBytes = lineEnd - lineStart
                    if lineBytes <= 30 {
                        fineWebShortLines &+= 1
                    } else if lineBytes <= 120 {
                        if lineChars < 0 {
                            lineChars = UnicodeText.scalarCount(bytes, start: lineStart, end: lineEnd, readableEnd: count)
                        }
                        if lineChars <= 30 { fineWebShortLines &+= 1 }
                    }
                    filterC4Line(bytes, start: strippedStart, end: strippedEnd, textEnd: count, state: &c4)
                }
            } else if !isFinalPiece {
                splitLines &+= 1  // an empty line between two LFs
            }
            lineStart = lineEnd + 1
        }
        // re.split(r"\n+", text) has an empty first (last) piece when the text starts (ends) with LF.
        let emptyPieces = (bytes[0] == 0x0A ? 1 : 0) + (bytes[count - 1] == 0x0A ? 1 : 0)
        gopherLines &+= emptyPieces
        if emptyPieces == 2 { gopherDupLines &+= 1 }

        signals.lineCount = splitLines
        signals.bulletLineFraction = ratio(bulletLines, splitLines)
        signals.ellipsisLineFraction = ratio(ellipsisLines, splitLines)
        signals.dupLineFraction = ratio(gopherDupLines, gopherLines)
        signals.dupLineCharFraction = ratio(gopherDupChars, signals.charCount)
        signals.finewebLines = fineWebLines
        signals.finewebLinePunctRatio = ratio(fineWebPunctLines, fineWebLines)
        signals.finewebShortLineRatio = ratio(fineWebShortLines, fineWebLines)
        signals.finewebCharDupRatio = ratio(fineWebDupChars, signals.charCount - newlines)
        signals.finewebListRatio = ratio(newlines, signals.wordCountAll)
        c4.finish(into: &signals)
    }

    /// Gopher repetition paragraphs: `text.strip()` split on `\n{2,}` (after `scanLines`,
    /// which records where runs of LFs start in `paragraphBreaks`).
    func scanParagraphs(
        _ bytes: UnsafePointer<UInt8>, count: Int, newlines: Int, into signals: inout QualitySignals
    ) {
        let (start, end) = Self.strip(bytes, start: 0, end: count)
        guard start < end else {
            signals.dupParagraphFraction = 0  // [""]: one paragraph, no duplicate
            signals.dupParagraphCharFraction = ratio(0, signals.charCount)
            return
        }
        var table = self.table
        defer { self.table = table }
        table.reset(forElements: newlines / 2 + 1)
        var paragraphs = 0
        var duplicates = 0
        var duplicateChars = 0
        var paragraphStart = start
        @inline(__always) func finishParagraph(at paragraphEnd: Int) {
            paragraphs &+= 1
            if table.contains(orInsert: SignalHash.bytes(
                bytes + paragraphStart, count: paragraphEnd - paragraphStart, readable: count - paragraphStart))
            {
                duplicates &+= 1
                duplicateChars &+= UnicodeText.scalarCount(bytes, start: paragraphStart, end: paragraphEnd, readableEnd: count)
            }
        }
        let breaks = paragraphBreaks  // a local copy: no exclusivity check per access
        // The splits are the first LFs of the runs of two or more LFs (found by `scanLines`)
        // inside the stripped text; a run cannot reach `end` (the text before it is not blank).
        for index in 0..<breaks.count {
            let newline = breaks[index]
            guard newline >= start && newline &+ 1 < end else { continue }
            finishParagraph(at: newline)
            var next = newline &+ 1
            while next < end && bytes[next] == 0x0A { next &+= 1 }
            paragraphStart = next
        }
        finishParagraph(at: end)
        signals.dupParagraphFraction = ratio(duplicates, paragraphs)
        signals.dupParagraphCharFraction = ratio(duplicateChars, signals.charCount)
    }

    /// `str.strip()` bounds of `bytes[start..<end]` (Unicode whitespace).
    @inline(__always) static func strip(_ bytes: UnsafePointer<UInt8>, start: Int, end: Int) -> (Int, Int) {
        var low = start
        while low < end {
            let byte = bytes[low]
            if byte < 0x80 {
                if !UnicodeText.isASCIISpace(byte) { break }
                low &+= 1
            } else {
                let (value, length) = UnicodeText.decode(bytes, count: end, at: low)
                if !UnicodeText.isNonASCIISpace(value) { break }
                low &+= length
            }
        }
        var high = end
        while high > low {
            let byte = bytes[high - 1]
            if byte < 0x80 {
                if !UnicodeText.isASCIISpace(byte) { break }
                high &-= 1
            } else {
                var lead = high - 1
                while lead > low && (bytes[lead] & 0xC0) == 0x80 { lead -= 1 }
                let (value, _) = UnicodeText.decode(bytes, count: high, at: lead)
                if !UnicodeText.isNonASCIISpace(value) { break }
                high = lead
            }
        }
        return (low, high)
    }

    /// Whether `bytes[start..<end]` ends with `...` or `…`.
    @inline(__always) static func endsWithEllipsis(_ bytes: UnsafePointer<UInt8>, start: Int, end: Int) -> Bool {
        guard end - start >= 3 else { return false }
        return (bytes[end - 1] == 0x2E && bytes[end - 2] == 0x2E && bytes[end - 3] == 0x2E)
            || (bytes[end - 3] == 0xE2 && bytes[end - 2] == 0x80 && bytes[end - 1] == 0xA6)
    }

    /// Sentence-ending marks of FineWeb's `line_punct_ratio`: ASCII `. ! ?` and the terminal
    /// marks of other scripts that datatrove's `TERMINAL_PUNCTUATION` lists (a subset of its
    /// ~160: the common ones of Armenian, Arabic, Syriac, Devanagari, Myanmar, Ethiopic,
    /// Mongolian, CJK, full-width and small forms, and `‼ ‽ ⁇ ⁈ ⁉`).
    @inline(__always) static func isTerminalPunctuation(_ value: UInt32) -> Bool {
        switch value {
        case 0x21, 0x2E, 0x3F,
             0x0589, 0x061F, 0x06D4, 0x0700, 0x0701, 0x0702, 0x07F9, 0x0964, 0x0965, 0x104A, 0x104B,
             0x1362, 0x1367, 0x1368, 0x166E, 0x1803, 0x1809, 0x203C, 0x203D, 0x2047, 0x2048, 0x2049,
             0x2E2E, 0x2E3C, 0x3002, 0xA4FF, 0xA60E, 0xA60F, 0xA6F3, 0xA6F7, 0xFE52, 0xFE56,
             0xFE57, 0xFF01, 0xFF0E, 0xFF1F, 0xFF61:
            return true
        default:
            return false
        }
    }
}
