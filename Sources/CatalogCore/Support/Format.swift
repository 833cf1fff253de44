/// Number formatting for people (no locale: output is stable across machines).
public enum Format {
    /// `value` with exactly `digits` decimals.
    public static func decimal(_ value: Double, digits: Int) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf") }
        // Beyond 2^53 a double has no fraction to show, and scaling could overflow Int64.
        guard abs(value) < 9e15 else { return String(value) }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        guard abs(value) * scale < 9e15 else { return String(value) }
        let scaled = (abs(value) * scale).rounded()
        let integer = Int64(scaled / scale)
        var fraction = String(Int64(scaled) - integer * Int64(scale))
        while fraction.count < digits { fraction = "0" + fraction }
        let sign = value < 0 && scaled > 0 ? "-" : ""
        return digits > 0 ? "\(sign)\(integer).\(fraction)" : "\(sign)\(integer)"
    }
}
