/// The version of the `catalog` tool and its library.
public enum CatalogVersion {
    /// Semantic version printed by `catalog --version`.
    public static let string = "0.1.0"
}
