/// The raw heuristic quality signals of one document, stored one column each in `quality_signal`.
///
/// Every signal is raw (a count, ratio or flag), never only pass/fail: the presets in the `docs`
/// view (`gopher_quality_pass`, `c4_reason`, ...) apply the published thresholds to them in SQL.
/// Ratios whose denominator is zero are `nil` (stored NULL), never NaN or infinity; a NULL ratio
/// fails no rule, and the length rules catch such documents first.
///
/// Definitions (see `QualitySignalScanner` and its per-family files for the details and the
/// deliberate differences from each reference):
/// - *characters* are Unicode scalars (Python's `len(str)`);
/// - *words* are the tokens of `QualitySignalScanner`'s word splitter (runs of letters, digits,
///   marks and `_`; runs of punctuation and symbols are separate "symbol words"; each Han, Kana,
///   Thai, Lao, Khmer or Myanmar character is a word of its own), standing in for datatrove's
///   `split_into_words` (NLTK `word_tokenize` for English);
/// - *lines* are the pieces between LF bytes.
public struct QualitySignals: Sendable, Equatable {
    /// The version of these definitions, stored with every row (`quality_signal.signal_version`)
    /// and in `quality_signal_version`. Bump it whenever a definition changes; `catalog rescore`
    /// then recomputes the rows of older versions.
    public static let version = 1

    /// A one-line description of `version`, stored in `quality_signal_version`.
    public static let versionDescription =
        "v1: Gopher quality/repetition (datatrove), C4 clean_page (TFDS, datatrove, FineWeb configs), FineWeb quality (datatrove)"

    // MARK: Sizes

    /// Unicode scalars in the text (`len(text)`).
    public var charCount = 0
    /// Lines of `text.splitlines()` (LF only; no trailing empty line).
    public var lineCount = 0
    /// Non-symbol words: words with at least one character that is not punctuation or a symbol
    /// (Gopher's length rule and mean word length).
    public var wordCount = 0
    /// All words including symbol words (the denominator of Gopher's ratios and FineWeb's
    /// list ratio).
    public var wordCountAll = 0

    // MARK: Gopher quality (datatrove gopher_quality_filter.py)

    /// Mean length in characters of the non-symbol words.
    public var meanWordLength: Double?
    /// `text.count("#") / wordCountAll`.
    public var hashWordRatio: Double?
    /// `(text.count("...") + text.count("…")) / wordCountAll`.
    public var ellipsisWordRatio: Double?
    /// Lines whose `lstrip()` starts with `•` or `-`, over lines.
    public var bulletLineFraction: Double?
    /// Lines whose `rstrip()` ends with `...` or `…`, over lines.
    public var ellipsisLineFraction: Double?
    /// Words (all) with at least one alphabetic character (L*), over all words.
    public var alphaWordFraction: Double?
    /// Distinct words of {the, be, to, of, and, that, have, with} present (case-sensitive, like
    /// datatrove).
    public var stopWordCount = 0

    // MARK: Gopher repetition (datatrove gopher_repetition_filter.py)

    /// Duplicate paragraphs (2nd and later occurrences; `text.strip()` split on `\n{2,}`) over paragraphs.
    public var dupParagraphFraction: Double?
    /// Characters in duplicate paragraphs over `charCount`.
    public var dupParagraphCharFraction: Double?
    /// Duplicate lines (split on `\n+`) over lines.
    public var dupLineFraction: Double?
    /// Characters in duplicate lines over `charCount`.
    public var dupLineCharFraction: Double?
    /// Most frequent word 2-gram: characters of the n-gram joined with spaces × its count, over
    /// `charCount` (nil with fewer than 2 words).
    public var top2GramCharFraction: Double?
    /// The same for 3-grams.
    public var top3GramCharFraction: Double?
    /// The same for 4-grams.
    public var top4GramCharFraction: Double?
    /// Characters of duplicate 5-grams (datatrove `find_all_duplicate`: words joined without
    /// spaces, skip n words after a duplicate) over `charCount`.
    public var dup5GramCharFraction: Double?
    /// The same for 6-grams.
    public var dup6GramCharFraction: Double?
    /// The same for 7-grams.
    public var dup7GramCharFraction: Double?
    /// The same for 8-grams.
    public var dup8GramCharFraction: Double?
    /// The same for 9-grams.
    public var dup9GramCharFraction: Double?
    /// The same for 10-grams.
    public var dup10GramCharFraction: Double?

    // MARK: C4 clean_page line statistics, in three configurations

    /// The outcome of C4's line filter (`clean_page`) in one configuration.
    public struct C4Lines: Sendable, Equatable {
        /// Lines kept (passing every line rule; document-dropping lines do not stop the count).
        public var linesKept = 0
        /// Sentences in kept lines.
        public var sentences = 0
        /// A line that passed the end-mark and length rules contains "lorem ipsum" (drops the page).
        public var loremIpsum = false
        /// A line that passed the rules before it contains `{` (drops the page).
        public var curlyBracket = false
        /// Lines dropped because they contain "javascript".
        public var javascriptLines = 0
        /// Lines dropped because they contain a policy phrase.
        public var policyLines = 0

        /// Zero counts.
        public init() {}
    }

    /// TFDS `c4_utils.clean_page` defaults: end marks `. ? ! "`, ≥ 5 words per line, words counted
    /// after citation removal (the page needs ≥ 3 sentences).
    public var c4 = C4Lines()
    /// datatrove `C4QualityFilter` defaults: end marks also `'`, ≥ 3 words per line counted before
    /// citation removal (the page needs ≥ 5 sentences).
    public var c4Datatrove = C4Lines()
    /// datatrove `C4QualityFilter(filter_no_terminal_punct=False)` as FineWeb ran it: no end-mark rule.
    public var c4FineWeb = C4Lines()

    // MARK: FineWeb quality (datatrove fineweb_quality_filter.py)

    /// Lines of `text.split("\n")` that are not blank after `strip()`.
    public var finewebLines = 0
    /// Non-blank lines ending (no `rstrip`) with a terminal punctuation mark, over non-blank lines.
    public var finewebLinePunctRatio: Double?
    /// Non-blank lines of at most 30 characters, over non-blank lines.
    public var finewebShortLineRatio: Double?
    /// Characters of duplicate non-blank lines over characters of the text without LF.
    public var finewebCharDupRatio: Double?
    /// LF count over `wordCountAll`.
    public var finewebListRatio: Double?

    /// Empty signals (what a text without characters has).
    public init() {}
}
