/// Word n-gram repetition: Gopher's top 2/3/4-gram and duplicate 5…10-gram character fractions.
///
/// Reproduces huggingface/datatrove `pipeline/filters/gopher_repetition_filter.py`
/// (`find_top_duplicate`, `find_all_duplicate`) over the words of `GopherQualityKernel.swift`
/// (symbol words included, as datatrove's `split_into_words` includes punctuation tokens):
///
/// - **top n-gram** (n = 2, 3, 4): the most frequent n-gram (ties: the first to appear, as
///   `Counter.most_common(1)`), its length joined with spaces × its count, over `len(text)`.
///   Like datatrove, and unlike RPv2, a count of 1 is not 0: with every n-gram unique the
///   first n-gram counts once. Fewer than n words: nil (datatrove skips the rule).
/// - **duplicate n-gram characters** (n = 5…10): walk the positions; if the n-gram (words
///   joined without spaces) was seen at an earlier visited position, add its length and jump n
///   words, else remember it and advance by one. Over `len(text)`.
///
/// N-grams are compared by a 64-bit hash of their word hashes (collisions are negligible) and
/// as word sequences: datatrove compares the joined strings, so "ab c" and "a bc" are the same
/// 5-gram there when joined without spaces, and different here.
///
/// **Speed.** Each word is hashed once. The 2-grams are counted in a reused open-addressing
/// table; an (n+1)-gram can only repeat where the n-grams at i and i+1 both repeat, so
/// 3-, 4- and 5-grams are counted only at such positions, and the walks for 5…10 touch a
/// table only where the 5-gram repeats (an n-gram whose 5-gram prefix is unique in the
/// document can match nothing). This is exact, and most positions of most documents skip all
/// tables after the 2-grams.
extension QualitySignalScanner {
    func scanNGrams(into signals: inout QualitySignals) {
        // Local copies: no exclusivity checks on the class's stored properties in the loops.
        var table = self.table
        var slots = self.slots
        var repeated = self.repeated
        defer {
            self.table = table
            self.slots = slots
            self.repeated = repeated
        }
        let wordHashes = self.wordHashes
        let wordLengths = self.wordLengths
        let words = wordHashes.count
        let chars = signals.charCount
        slots.reset(reserving: words)
        repeated.reset(reserving: words)
        repeated.base.update(repeating: 1, count: words)  // "the (n-1)-grams here repeat": all, for n = 2
        var repeatingPositions = 0
        var top: [Double?] = [nil, nil, nil]
        for n in 2...5 {
            guard words >= n else { break }
            let positions = words - n + 1
            // Only positions where the (n-1)-grams at i and i+1 repeat can hold a repeating n-gram.
            table.reset(forElements: n == 2 ? positions : repeatingPositions)
            var bestCount = 0
            for position in 0..<positions {
                if n == 2 || (repeated[position] != 0 && repeated[position + 1] != 0) {
                    var hash = wordHashes[position]
                    for offset in 1..<n { hash = SignalHash.combine(hash, wordHashes[position + offset]) }
                    let slot = table.add(hash)
                    slots[position] = Int32(truncatingIfNeeded: slot)
                    bestCount = max(bestCount, table.count(at: slot))
                } else {
                    slots[position] = -1
                }
            }
            if n <= 4 {
                // The top n-gram is the one first seen among those with the highest count: the
                // earliest position holding that count. With every n-gram unique it is the first.
                var position = 0
                if bestCount > 1 {
                    while position < positions {
                        let slot = Int(slots[position])
                        if slot >= 0 && table.count(at: slot) == bestCount { break }
                        position += 1
                    }
                }
                let count = max(bestCount, 1)
                var length = n - 1
                for offset in 0..<n { length += Int(wordLengths[position + offset]) }
                top[n - 2] = ratio(length * count, chars)
            }
            // Mark where the n-gram repeats, for the next size.
            repeatingPositions = 0
            for position in 0..<positions {
                let slot = Int(slots[position])
                let repeats = slot >= 0 && table.count(at: slot) > 1
                repeated[position] = repeats ? 1 : 0
                if repeats { repeatingPositions += 1 }
            }
            for position in positions..<words { repeated[position] = 0 }
        }
        signals.top2GramCharFraction = top[0]
        signals.top3GramCharFraction = top[1]
        signals.top4GramCharFraction = top[2]
        // `repeated` now marks the repeating 5-grams (all 0 with fewer than 5 words).
        if words < 5 {
            repeated.base.update(repeating: 0, count: words)
            repeatingPositions = 0
        }
        var duplicates: [Double?] = []
        for n in 5...10 {
            duplicates.append(words >= n ? ratio(Self.duplicateCharacters(
                n: n, words: words, repeating: repeatingPositions, hashes: wordHashes, lengths: wordLengths,
                repeated: repeated, table: &table), chars) : ratio(0, chars))
        }
        signals.dup5GramCharFraction = duplicates[0]
        signals.dup6GramCharFraction = duplicates[1]
        signals.dup7GramCharFraction = duplicates[2]
        signals.dup8GramCharFraction = duplicates[3]
        signals.dup9GramCharFraction = duplicates[4]
        signals.dup10GramCharFraction = duplicates[5]
    }

    /// datatrove `find_all_duplicate(words, n)`, visiting tables only where the 5-gram repeats.
    private static func duplicateCharacters(
        n: Int, words: Int, repeating: Int, hashes wordHashes: ScanBuffer<UInt64>, lengths wordLengths: ScanBuffer<Int32>,
        repeated: ScanBuffer<UInt8>, table: inout NGramTable
    ) -> Int {
        var characters = 0
        var started = false
        var position = 0
        let last = words - n
        while position <= last {
            guard repeated[position] != 0 else {
                position += 1
                continue
            }
            if !started {
                table.reset(forElements: repeating)
                started = true
            }
            var hash = wordHashes[position]
            for offset in 1..<n { hash = SignalHash.combine(hash, wordHashes[position + offset]) }
            if table.contains(orInsert: hash) {
                for offset in 0..<n { characters += Int(wordLengths[position + offset]) }
                position += n
            } else {
                position += 1
            }
        }
        return characters
    }
}
