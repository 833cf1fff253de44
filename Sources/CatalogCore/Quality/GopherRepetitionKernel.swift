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
/// N-grams are compared by a 64-bit polynomial hash of their word hashes (prefix sums, so any
/// n-gram's hash is one multiply-subtract; collisions are negligible) and as word sequences: datatrove compares the joined strings, so "ab c" and "a bc" are the same
/// 5-gram there when joined without spaces, and different here.
///
/// **Speed.** Each word is hashed once. The 2-grams are counted in a reused open-addressing
/// table (`NGramCounter`: one 8-byte slot per n-gram holding fingerprint, count and first
/// position, probed with a single branch taken only on collisions); an (n+1)-gram can only
/// repeat where the n-grams at i and i+1 both repeat, so 3-, 4- and 5-grams are counted only
/// at such positions (found 8 flags at a time), and the walks for 5…10 touch a table only
/// where the 5-gram repeats (an n-gram whose 5-gram prefix is unique in the document can match
/// nothing). This is exact, and most positions of most documents skip all tables after the
/// 2-grams. The tables' sizes, fingerprints and probe order are part of the definition (they
/// decide which colliding hashes merge): a faster layout must keep them.
extension QualitySignalScanner {
    /// The base of the polynomial n-gram hash (odd).
    static let ngramBase: UInt64 = 0x9E37_79B9_7F4A_7C15

    func scanNGrams(into signals: inout QualitySignals) {
        // Local copies: no exclusivity checks on the class's stored properties in the loops.
        var state = NGramState(
            table: table, counter: counter, repeated: repeated, prefix: prefixHashes, candidates: candidates,
            ngramHashes: ngramHashes, hashes: wordHashes, lengths: wordLengths)
        state.run(chars: signals.charCount, into: &signals)
        table = state.table
        counter = state.counter
        repeated = state.repeated
        prefixHashes = state.prefix
        candidates = state.candidates
        ngramHashes = state.ngramHashes
    }
}

/// The buffers and loops of the n-gram pass.
struct NGramState {
    var table: NGramTable
    var counter: NGramCounter
    /// Per position: whether the n-gram of the last size counted repeats (8 zero bytes of padding).
    var repeated: ScanBuffer<UInt8>
    /// prefix[i] = polynomial hash of words 0..<i.
    var prefix: ScanBuffer<UInt64>
    var candidates: ScanBuffer<Int32>
    /// The n-gram hashes of the positions a duplicate walk may visit.
    var ngramHashes: ScanBuffer<UInt64>
    let hashes: ScanBuffer<UInt64>
    let lengths: ScanBuffer<Int32>

    init(
        table: NGramTable, counter: NGramCounter, repeated: ScanBuffer<UInt8>, prefix: ScanBuffer<UInt64>,
        candidates: ScanBuffer<Int32>, ngramHashes: ScanBuffer<UInt64>, hashes: ScanBuffer<UInt64>,
        lengths: ScanBuffer<Int32>
    ) {
        self.table = table
        self.counter = counter
        self.repeated = repeated
        self.prefix = prefix
        self.candidates = candidates
        self.ngramHashes = ngramHashes
        self.hashes = hashes
        self.lengths = lengths
    }

    /// base^n for n = 0...10 (computed once, not per document).
    static let powers: [UInt64] = (0...10).map { n in
        (0..<n).reduce(1) { power, _ in power &* QualitySignalScanner.ngramBase }
    }

    /// The hash of the n words at `position` (`power` = base^n).
    @inline(__always) func hash(at position: Int, n: Int, power: UInt64) -> UInt64 {
        let mixed = (prefix[position &+ n] &- prefix[position] &* power) &* 0xD6E8_FEB8_6659_FD93
        return mixed ^ (mixed >> 32)
    }

    /// Characters of the n words at `position`, plus `separators`.
    @inline(__always) func characters(at position: Int, n: Int) -> Int {
        var total = 0
        for offset in 0..<n { total &+= Int(lengths[position &+ offset]) }
        return total
    }

    mutating func run(chars: Int, into signals: inout QualitySignals) {
        let words = hashes.count
        repeated.reset(reserving: words + 8)
        candidates.reset(reserving: words)
        prefix.reset(reserving: words + 1)
        let power = Self.powers
        computePrefix(power: power)
        repeated.base.update(repeating: 0, count: words + 8)

        // 2-grams: every position. One pass: a position is flagged when its n-gram is seen a
        // second time (and the first occurrence with it), and the top n-gram is tracked as
        // counts grow (the highest count, ties to the earliest first occurrence). The results
        // go straight into `signals` (no per-document arrays).
        signals.top2GramCharFraction = nil
        signals.top3GramCharFraction = nil
        signals.top4GramCharFraction = nil
        guard words >= 2 else {
            let none = ratio(0, chars)
            signals.dup5GramCharFraction = none
            signals.dup6GramCharFraction = none
            signals.dup7GramCharFraction = none
            signals.dup8GramCharFraction = none
            signals.dup9GramCharFraction = none
            signals.dup10GramCharFraction = none
            return
        }
        counter.reset(forElements: words - 1, positions: words)
        var tally = countNGrams(n: 2, power: power[2], total: words - 1, fromCandidates: false)
        signals.top2GramCharFraction = topFraction(n: 2, bestCount: tally.best, bestFirst: Int(tally.bestFirst), chars: chars)

        // 3-, 4-, 5-grams: only where the two (n-1)-grams inside repeat.
        for n in 3...5 {
            guard words >= n else {
                tally.repeating = 0
                repeated.base.update(repeating: 0, count: words + 8)
                break
            }
            collectCandidates(positions: words - n + 1)
            repeated.base.update(repeating: 0, count: words + 8)
            counter.reset(forElements: candidates.count, positions: words)
            tally = countNGrams(n: n, power: power[n], total: candidates.count, fromCandidates: true)
            let top = topFraction(n: n, bestCount: tally.best, bestFirst: Int(tally.bestFirst), chars: chars)
            if n == 3 { signals.top3GramCharFraction = top }
            if n == 4 { signals.top4GramCharFraction = top }
        }
        // `repeated` marks the repeating 5-grams now.
        if tally.repeating > 0 {
            let flagged = collectRepeated()
            assert(flagged == tally.repeating)
        }
        @inline(__always) func duplicates(_ n: Int) -> Double? {
            words >= n ? ratio(duplicateCharacters(n: n, repeating: tally.repeating, power: power[n]), chars) : ratio(0, chars)
        }
        signals.dup5GramCharFraction = duplicates(5)
        signals.dup6GramCharFraction = duplicates(6)
        signals.dup7GramCharFraction = duplicates(7)
        signals.dup8GramCharFraction = duplicates(8)
        signals.dup9GramCharFraction = duplicates(9)
        signals.dup10GramCharFraction = duplicates(10)
    }

    /// What counting the n-grams of one size found.
    struct Tally {
        /// The highest count, and the first position of the n-gram first seen with it.
        var best = 0
        var bestFirst: Int32 = 0
        /// Positions flagged as repeating.
        var repeating = 0
    }

    /// Counts the n-grams at positions `0..<total`, or at `candidates[0..<total]` when
    /// `fromCandidates`, into `counter` (reset by the caller): flags each position (and the
    /// n-gram's first occurrence) when its n-gram repeats, counts the positions flagged, and
    /// keeps the top n-gram (the highest count, ties to the earliest first occurrence).
    private mutating func countNGrams(n: Int, power: UInt64, total: Int, fromCandidates: Bool) -> Tally {
        switch (counter.isCompact, fromCandidates) {
        case (true, false): return countNGrams(n: n, power: power, total: total, fromCandidates: false, compact: true)
        case (true, true): return countNGrams(n: n, power: power, total: total, fromCandidates: true, compact: true)
        case (false, false): return countNGrams(n: n, power: power, total: total, fromCandidates: false, compact: false)
        case (false, true): return countNGrams(n: n, power: power, total: total, fromCandidates: true, compact: false)
        }
    }

    /// One loop of `countNGrams(n:power:total:fromCandidates:)` per layout and position source
    /// (the flags are constants once inlined). Branch-free apart from collisions.
    @inline(__always) private mutating func countNGrams(
        n: Int, power: UInt64, total: Int, fromCandidates: Bool, compact: Bool
    ) -> Tally {
        var best = 0
        var bestFirst: Int32 = 0
        var repeating = 0
        let flags = repeated.base
        let positions = candidates.base
        for index in 0..<total {
            let position = fromCandidates ? Int(positions[index]) : index
            let hash = hash(at: position, n: n, power: power)
            let (count, first) = compact
                ? counter.addCompact(hash, position: Int32(truncatingIfNeeded: position))
                : counter.addWide(hash, position: Int32(truncatingIfNeeded: position))
            let repeats: UInt8 = count > 1 ? 1 : 0
            flags[position] = repeats
            // A plain store, not `|=`: a new n-gram is its own first occurrence (the same 0
            // again), and a repeated one sets its first occurrence's flag (no read-modify-write
            // stall).
            flags[Int(first)] = repeats
            repeating &+= Int(repeats) &+ (count == 2 ? 1 : 0)
            if count > best || (count == best && first < bestFirst) {
                best = count
                bestFirst = first
            }
        }
        return Tally(best: best, bestFirst: bestFirst, repeating: repeating)
    }

    /// Fills `prefix[0...words]`: prefix[i + 1] = prefix[i] × base + hashes[i] (wrapping). Four
    /// words per step, each prefix from the one four back (prefix[i + k] = prefix[i] × base^k +
    /// the polynomial of words i..<i + k): the same values with a quarter of the multiply
    /// latency on the dependency chain.
    private mutating func computePrefix(power: [UInt64]) {
        let words = hashes.count
        let base = QualitySignalScanner.ngramBase
        let (power2, power3, power4) = (power[2], power[3], power[4])
        let out = prefix.base
        let input = hashes.base
        var running: UInt64 = 0
        out[0] = 0
        var index = 0
        while index &+ 4 <= words {
            let sum1 = input[index]
            let sum2 = sum1 &* base &+ input[index &+ 1]
            let sum3 = sum2 &* base &+ input[index &+ 2]
            let sum4 = sum3 &* base &+ input[index &+ 3]
            out[index &+ 1] = running &* base &+ sum1
            out[index &+ 2] = running &* power2 &+ sum2
            out[index &+ 3] = running &* power3 &+ sum3
            running = running &* power4 &+ sum4
            out[index &+ 4] = running
            index &+= 4
        }
        while index < words {
            running = running &* base &+ input[index]
            out[index &+ 1] = running
            index &+= 1
        }
    }

    /// Fills `candidates` with the positions below `positions` whose flag and the next
    /// position's flag are both set (8 at a time where none is; branch-free otherwise).
    private mutating func collectCandidates(positions: Int) {
        let flags = UnsafeRawPointer(repeated.base)
        let out = candidates.base
        var found = 0
        var position = 0
        while position < positions {
            if position &+ 8 <= positions
                && flags.loadUnaligned(fromByteOffset: position, as: UInt64.self)
                    & flags.loadUnaligned(fromByteOffset: position &+ 1, as: UInt64.self) == 0 {
                position &+= 8
                continue
            }
            let end = min(position &+ 8, positions)
            while position < end {
                out[found] = Int32(truncatingIfNeeded: position)
                found &+= Int(repeated.base[position] & repeated.base[position &+ 1])
                position &+= 1
            }
        }
        candidates.count = found
    }

    /// The top n-gram's characters (joined with spaces) × count over `chars`: the n-gram first
    /// seen among those with the highest count (`bestFirst`, its first position); with every
    /// n-gram unique (or none counted), the first n-gram of the document.
    private func topFraction(n: Int, bestCount: Int, bestFirst: Int, chars: Int) -> Double? {
        let position = bestCount > 1 ? bestFirst : 0
        return ratio((characters(at: position, n: n) + n - 1) * max(bestCount, 1), chars)
    }

    /// datatrove `find_all_duplicate(words, n)`, visiting the table only where the 5-gram
    /// repeats: at `candidates[0..<repeating]`, the flagged positions in order (filled by
    /// `collectRepeated`). Their n-gram hashes are computed first, in a loop of independent
    /// iterations, so the walk's dependency chain is only probe, compare and advance.
    private mutating func duplicateCharacters(n: Int, repeating: Int, power: UInt64) -> Int {
        guard repeating > 0 else { return 0 }
        table.reset(forElements: repeating)
        let positions = candidates.base
        // The flagged positions where an n-gram fits (the list is sorted).
        let last = hashes.count - n
        var visitable = repeating
        while visitable > 0 && Int(positions[visitable - 1]) > last { visitable -= 1 }
        ngramHashes.reset(reserving: visitable)
        let walkHashes = ngramHashes.base
        for index in 0..<visitable { walkHashes[index] = hash(at: Int(positions[index]), n: n, power: power) }
        var total = 0
        var index = 0
        while index < visitable {
            let position = Int(positions[index])
            index &+= 1
            if table.contains(orInsert: walkHashes[index &- 1]) {
                total &+= characters(at: position, n: n)
                // Jump n words: skip the flagged positions inside the n-gram.
                while index < visitable && Int(positions[index]) < position &+ n { index &+= 1 }
            }
        }
        return total
    }

    /// Fills `candidates` with the flagged positions, in order; returns how many.
    private mutating func collectRepeated() -> Int {
        let words = hashes.count
        let flags = UnsafeRawPointer(repeated.base)
        let out = candidates.base
        var found = 0
        var position = 0
        while position < words {
            if flags.loadUnaligned(fromByteOffset: position, as: UInt64.self) == 0 {
                position &+= 8
                continue
            }
            let end = min(position &+ 8, words)
            while position < end {
                out[found] = Int32(truncatingIfNeeded: position)
                found &+= Int(repeated.base[position])
                position &+= 1
            }
        }
        return found
    }
}
