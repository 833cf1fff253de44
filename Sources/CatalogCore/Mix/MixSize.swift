/// Reading the sizes recipes and flags use: counts (`2B`, `500M`, `1.5T`) and byte sizes
/// (`256MiB`, `64MB`, `1GiB`).
public enum MixSize {
    /// A count with an optional decimal suffix K (10³), M (10⁶), B or G (10⁹), T (10¹²):
    /// `2B`, `500M`, `1.5T`, `10_000`. The result must be a positive whole number.
    public static func count(_ text: String) throws(MixError) -> Int64 {
        let multipliers: [(String, Double)] = [("K", 1e3), ("M", 1e6), ("B", 1e9), ("G", 1e9), ("T", 1e12)]
        return try parse(text, multipliers: multipliers, what: "a count like 2B, 500M, 1.5T or 10000")
    }

    /// A byte size: a plain number of bytes, decimal `KB`/`MB`/`GB`/`TB` (also `K`, `M`, `G`, `T`)
    /// or binary `KiB`/`MiB`/`GiB`/`TiB`.
    public static func bytes(_ text: String) throws(MixError) -> Int64 {
        let multipliers: [(String, Double)] = [
            ("KiB", 1024), ("MiB", 1_048_576), ("GiB", 1_073_741_824), ("TiB", 1_099_511_627_776),
            ("KB", 1e3), ("MB", 1e6), ("GB", 1e9), ("TB", 1e12), ("K", 1e3), ("M", 1e6), ("G", 1e9), ("T", 1e12),
            ("B", 1),
        ]
        return try parse(text, multipliers: multipliers, what: "a size like 256MiB, 64MB or 1048576")
    }

    private static func parse(_ text: String, multipliers: [(String, Double)], what: String) throws(MixError) -> Int64 {
        let trimmed = text.filter { $0 != "_" && $0 != " " }
        var number = Substring(trimmed)
        var multiplier = 1.0
        for (suffix, value) in multipliers where trimmed.hasSuffix(suffix) {
            number = trimmed.dropLast(suffix.count)
            multiplier = value
            break
        }
        guard !number.isEmpty, number.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
              let value = Double(number) else {
            throw .badSize(text, reason: "expected \(what)")
        }
        let result = (value * multiplier).rounded()
        guard result >= 1, result < 9.2e18 else { throw .badSize(text, reason: "must be between 1 and 9.2e18") }
        guard abs(value * multiplier - result) < 1e-6 * max(1, result) else {
            throw .badSize(text, reason: "must be a whole number")
        }
        return Int64(result)
    }
}
