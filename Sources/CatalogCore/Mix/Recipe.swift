/// A named mix recipe: how many tokens (or documents) to draw from which filtered parts of the
/// catalog, in which proportions and phases. Parsed and validated by `RecipeParser`.
public struct Recipe: Sendable, Equatable {
    /// The recipe's name (letters, digits, `.`, `_`, `-`); versions are per name.
    public var name: String
    /// Free text kept with the recipe.
    public var description: String?
    /// The seed of every sampling and shuffling decision.
    public var seed: UInt64
    /// What the budget counts.
    public var unit: MixUnit
    /// The budget in `unit`s (tokens or documents).
    public var total: Int64
    /// Whether documents with `duplicate_of` set are left out (default true).
    public var excludeDuplicates: Bool
    /// How often a document may be used at most, across all phases (default 4).
    public var maxEpochs: Int
    /// What happens when a target exceeds what is available.
    public var shortfall: ShortfallPolicy
    /// Output settings (defaults for `catalog materialize`).
    public var output: RecipeOutput
    /// The components, in recipe order (which breaks every tie).
    public var components: [RecipeComponent]
    /// How components are weighted.
    public var weighting: RecipeWeighting
    /// The phases, written in order; one phase `main` with share 1 when the recipe has none.
    public var phases: [RecipePhase]

    /// The component named `name`.
    public func component(named name: String) -> RecipeComponent? { components.first { $0.name == name } }
}

/// What a recipe's budget counts.
public enum MixUnit: String, Sendable, Equatable {
    /// Estimated tokens (`docs.tokens`).
    case tokens
    /// Documents.
    case docs
}

/// What happens when a component's target exceeds its available documents.
public enum ShortfallPolicy: String, Sendable, Equatable, CaseIterable {
    /// Any target above one pass over the available documents is an error.
    case error
    /// Whole passes are repeated up to the epoch cap; beyond it, an error.
    case repeatEpochs = "repeat"
    /// Passes are repeated up to the epoch cap; the rest of the target moves to components of the
    /// same phase with room, in proportion to their weights; what no component can take is
    /// reported as a shortfall.
    case redistribute
}

/// Output settings of a recipe.
public struct RecipeOutput: Sendable, Equatable {
    /// `jsonl.zst`, `jsonl`, `jsonl.gz`, `mds` or `mds-raw` (`ShardFormat`).
    public var format: String
    /// Shard size in bytes before rotation.
    public var shardSizeBytes: Int64
    /// The fields written per document.
    public var fields: [String]

    /// The formats a recipe may name.
    public static let formats = ShardFormat.allCases.map(\.rawValue)
    /// The fields a recipe may name.
    public static let knownFields = OutputField.allCases.map(\.rawValue)
    /// Defaults: `jsonl.zst`, 256 MiB shards, `[id, text, source, domain]`.
    public static let defaults = RecipeOutput(
        format: "jsonl.zst", shardSizeBytes: 256 << 20, fields: ["id", "text", "source", "domain"])
}

/// One component: a SQL filter over `docs` with a weight.
public struct RecipeComponent: Sendable, Equatable {
    /// The component's name (unique in the recipe).
    public var name: String
    /// SQL boolean expression over the `docs` view (nil: every document).
    public var filter: String?
    /// Share of each phase's budget before normalisation (nil with `weighting`).
    public var weight: Double?
    /// SQL expression ≥ 0: the sampling weight of a document inside the component (nil: 1).
    public var prefer: String?
    /// Per-component epoch cap (nil: the recipe's).
    public var maxEpochs: Int?
}

/// How component weights are derived.
public enum RecipeWeighting: Sendable, Equatable {
    /// The components' `weight`s, normalised.
    case explicit
    /// p ∝ available^(1/T) (T = 1: proportional to what is available; large T: uniform).
    case temperature(Double)
    /// UniMax (Chung et al. 2023): the budget spread uniformly over components, none beyond
    /// `maxEpochs` passes over its data, the rest shared by the others.
    case unimax(maxEpochs: Double)
}

/// One phase of a curriculum: a share of the total, optional weights and an extra filter.
public struct RecipePhase: Sendable, Equatable {
    /// The phase's name.
    public var name: String
    /// Share of the total budget (normalised over phases).
    public var share: Double
    /// Per-component weights for this phase (components not named get 0); nil: the recipe's.
    public var weights: [String: Double]?
    /// SQL boolean expression over `docs` that every document of the phase must also satisfy.
    public var filter: String?
}
