#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The default `quality` score in [0, 1], computed from the signals alone (docs/quality-score.md).
///
/// A weighted mean of six "looks like running prose" components, each a linear ramp clamped to
/// [0, 1], times a repetition penalty:
///
/// | component | signal | 0 at | 1 at | weight |
/// |---|---|---|---|---|
/// | words with letters | `alpha_word_fraction` | 0.6 | 0.9 | 3 |
/// | English function words | `stop_word_count` | 1 | 7 | 2 |
/// | length | log10 `word_count` | 1.3 (20 words) | 2.3 (200 words) | 1 |
/// | word length | `mean_word_length` | 2 and 12 | 3.5 to 7 | 1 |
/// | lines ending a sentence | `fineweb_line_punct_ratio` | 0.05 | 0.4 | 1 |
/// | not a list of short lines | `fineweb_short_line_ratio` | 0.9 | 0.3 | 1 |
///
/// penalty = 1 − 0.8 × max(ramp(`dup_line_char_fraction`, 0.1, 0.5),
/// ramp(`dup_10gram_char_fraction`, 0.1, 0.5), ramp(`top_2gram_char_fraction`, 0.1, 0.3)).
///
/// A text without words scores 0; other missing signals count as 0; the result is never NaN. The
/// formula was set from what the components mean, not fitted to labels; the dev-corpus check
/// (per-source medians, DCLM labels) is in docs/quality-score.md.
public enum QualityScore {
    /// The score of `signals`, in [0, 1].
    public static func score(_ signals: QualitySignals) -> Double {
        guard signals.wordCount > 0 else { return 0 }  // nothing but symbols and spaces
        let words = Double(max(signals.wordCount, 1))
        let components: [(value: Double, weight: Double)] = [
            (ramp(signals.alphaWordFraction ?? 0, from: 0.6, to: 0.9), 3),
            (ramp(Double(signals.stopWordCount), from: 1, to: 7), 2),
            (ramp(log10(words), from: 1.3, to: 2.3), 1),
            (wordLengthComponent(signals.meanWordLength), 1),
            (ramp(signals.finewebLinePunctRatio ?? 0, from: 0.05, to: 0.4), 1),
            (1 - ramp(signals.finewebShortLineRatio ?? 1, from: 0.3, to: 0.9), 1),
        ]
        var total = 0.0
        var weights = 0.0
        for component in components {
            total += component.value * component.weight
            weights += component.weight
        }
        let repetition = max(
            ramp(signals.dupLineCharFraction ?? 0, from: 0.1, to: 0.5),
            ramp(signals.dup10GramCharFraction ?? 0, from: 0.1, to: 0.5),
            ramp(signals.top2GramCharFraction ?? 0, from: 0.1, to: 0.3))
        let score = total / weights * (1 - 0.8 * repetition)
        return score.isFinite ? min(max(score, 0), 1) : 0
    }

    /// 0 at `from`, 1 at `to` (either order), linear between, clamped; 0 for NaN.
    static func ramp(_ value: Double, from: Double, to: Double) -> Double {
        guard value.isFinite else { return 0 }
        let position = (value - from) / (to - from)
        return min(max(position, 0), 1)
    }

    /// 1 for a mean word length in 3.5…7, falling to 0 at 2 and at 12.
    static func wordLengthComponent(_ mean: Double?) -> Double {
        guard let mean, mean.isFinite else { return 0 }
        if mean < 3.5 { return ramp(mean, from: 2, to: 3.5) }
        if mean > 7 { return ramp(mean, from: 12, to: 7) }
        return 1
    }
}
