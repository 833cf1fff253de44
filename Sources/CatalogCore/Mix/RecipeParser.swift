import Yams

/// A recipe read from YAML, with what was wrong (problems) or worth saying (warnings).
public struct ParsedRecipe: Sendable {
    /// The recipe, when there were no problems.
    public var recipe: Recipe?
    /// Every problem found, in document order.
    public var problems: [RecipeDiagnostic]
    /// Things the parser changed, such as normalised weights.
    public var warnings: [RecipeDiagnostic]
    /// The YAML line of each SQL expression, by recipe path (`components[0].where`).
    public var lines: [String: Int] = [:]
}

/// Parses recipe YAML into a `Recipe` with strict validation: unknown keys are errors, every
/// problem names its recipe path and YAML line, and all problems are collected.
///
/// SQL expressions (`where`, `prefer`) are only checked for shape here; `RecipeChecker` checks
/// them against a catalog.
public enum RecipeParser {
    /// Characters allowed in recipe, component and phase names.
    static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 128
            && name.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "._-".unicodeScalars.contains($0)) }
    }

    /// Parses `yaml`.
    public static func parse(_ yaml: String) -> ParsedRecipe {
        let reader = NodeReader()
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            return ParsedRecipe(recipe: nil, problems: [reader.yamlProblem(error)], warnings: [])
        } catch {
            return ParsedRecipe(recipe: nil, problems: [RecipeDiagnostic(path: "", line: nil, message: "\(error)")], warnings: [])
        }
        guard let root else {
            return ParsedRecipe(
                recipe: nil, problems: [RecipeDiagnostic(path: "", line: 1, message: "the recipe is empty")], warnings: [])
        }
        let recipe = reader.recipe(root)
        return ParsedRecipe(
            recipe: reader.problems.isEmpty ? recipe : nil, problems: reader.problems, warnings: reader.warnings,
            lines: reader.lines)
    }
}

/// Walks the YAML nodes, collecting problems.
private final class NodeReader {
    var problems: [RecipeDiagnostic] = []
    var warnings: [RecipeDiagnostic] = []
    var lines: [String: Int] = [:]

    func problem(_ path: String, _ node: Node?, _ message: String) {
        problems.append(RecipeDiagnostic(path: path, line: node?.mark?.line, message: message))
    }

    func warning(_ path: String, _ node: Node?, _ message: String) {
        warnings.append(RecipeDiagnostic(path: path, line: node?.mark?.line, message: message))
    }

    func yamlProblem(_ error: YamlError) -> RecipeDiagnostic {
        switch error {
        case let .scanner(_, problem, mark, _), let .parser(_, problem, mark, _), let .composer(_, problem, mark, _):
            return RecipeDiagnostic(path: "", line: mark.line, message: "not valid YAML: \(problem)")
        case let .duplicatedKeysInMapping(duplicates, context):
            return RecipeDiagnostic(
                path: "", line: context.mark.line,
                message: "repeated key\(duplicates.count == 1 ? "" : "s") \(duplicates.joined(separator: ", ")); each key may appear once")
        default:
            return RecipeDiagnostic(path: "", line: nil, message: "not valid YAML: \(error)")
        }
    }

    /// The members of a mapping node; unknown keys are problems.
    func members(_ node: Node, _ path: String, allowed: [String]) -> [String: Node]? {
        guard case let .mapping(mapping) = node else {
            problem(path, node, "expected a mapping with keys \(allowed.joined(separator: ", "))")
            return nil
        }
        var result: [String: Node] = [:]
        for (key, value) in mapping {
            guard let name = key.string else {
                problem(path, key, "keys must be strings")
                continue
            }
            let childPath = path.isEmpty ? name : "\(path).\(name)"
            if !allowed.contains(name) {
                problem(childPath, key, "unknown key '\(name)'; allowed here: \(allowed.joined(separator: ", "))")
                continue
            }
            result[name] = value
        }
        return result
    }

    func scalarText(_ node: Node) -> String? {
        if case let .scalar(scalar) = node { return scalar.string }
        return nil
    }

    func string(_ node: Node?, _ path: String, required: Bool = false) -> String? {
        guard let node else {
            if required { problem(path, nil, "required") }
            return nil
        }
        guard let text = scalarText(node), node.null == nil || !required else {
            problem(path, node, "expected a string")
            return nil
        }
        if node.null != nil { return nil }
        return text
    }

    func number(_ node: Node?, _ path: String) -> Double? {
        guard let node else { return nil }
        guard scalarText(node) != nil, let value = node.float, value.isFinite else {
            problem(path, node, "expected a number")
            return nil
        }
        return value
    }

    func positiveInt(_ node: Node?, _ path: String) -> Int? {
        guard let node else { return nil }
        guard scalarText(node) != nil, let value = node.int else {
            problem(path, node, "expected a whole number")
            return nil
        }
        guard value >= 1 else {
            problem(path, node, "must be >= 1")
            return nil
        }
        return value
    }

    func bool(_ node: Node?, _ path: String) -> Bool? {
        guard let node else { return nil }
        guard scalarText(node) != nil, let value = node.bool else {
            problem(path, node, "expected true or false")
            return nil
        }
        return value
    }

    func name(_ node: Node?, _ path: String) -> String? {
        guard let text = string(node, path, required: true) else { return nil }
        guard RecipeParser.isValidName(text) else {
            problem(path, node, "'\(text)' is not a valid name; use letters, digits, '.', '_' and '-'")
            return nil
        }
        return text
    }

    /// A SQL expression: a non-empty string.
    func expression(_ node: Node?, _ path: String) -> String? {
        guard let text = string(node, path) else { return nil }
        lines[path] = node?.mark?.line
        if text.allSatisfy(\.isWhitespace) {
            problem(path, node, "is empty; remove the key or give a SQL expression over docs")
            return nil
        }
        return text
    }

    func recipe(_ root: Node) -> Recipe? {
        let topKeys = [
            "name", "description", "seed", "unit", "total_tokens", "total_docs", "exclude_duplicates", "max_epochs",
            "shortfall", "output", "components", "weighting", "phases",
        ]
        guard let top = members(root, "", allowed: topKeys) else { return nil }
        let name = self.name(top["name"], "name")
        let description = string(top["description"], "description")

        var seed: UInt64?
        if let node = top["seed"] {
            if let value = node.int, value >= 0, scalarText(node) != nil {
                seed = UInt64(value)
            } else {
                problem("seed", node, "expected a whole number >= 0")
            }
        } else {
            problem("seed", nil, "required: every sampling decision derives from it (e.g. seed: 1)")
        }

        var unit = MixUnit.tokens
        if let node = top["unit"] {
            if let text = scalarText(node), let value = MixUnit(rawValue: text) {
                unit = value
            } else {
                problem("unit", node, "expected tokens or docs")
            }
        }
        var total: Int64?
        let budgetKey = unit == .tokens ? "total_tokens" : "total_docs"
        let otherKey = unit == .tokens ? "total_docs" : "total_tokens"
        if let node = top[otherKey] {
            problem(otherKey, node, unit == .tokens ? "needs unit: docs (or use total_tokens)" : "not used with unit: docs; use total_docs")
        }
        if let node = top[budgetKey] {
            if let text = scalarText(node) {
                do throws(MixError) {
                    total = try MixSize.count(text)
                } catch {
                    problem(budgetKey, node, "\(error)")
                }
            } else {
                problem(budgetKey, node, "expected a count like 2B or 500M")
            }
        } else {
            problem(budgetKey, nil, "required" + (unit == .tokens ? " (e.g. total_tokens: 2B), or unit: docs with total_docs" : ""))
        }

        let excludeDuplicates = bool(top["exclude_duplicates"], "exclude_duplicates") ?? true
        let maxEpochs = positiveInt(top["max_epochs"], "max_epochs") ?? 4
        var shortfall = ShortfallPolicy.error
        if let node = top["shortfall"] {
            if let text = scalarText(node), let value = ShortfallPolicy(rawValue: text) {
                shortfall = value
            } else {
                problem("shortfall", node, "expected error, repeat or redistribute")
            }
        }
        let output = top["output"].map { self.output($0) } ?? RecipeOutput.defaults
        let weighting = top["weighting"].map { self.weighting($0) } ?? .explicit
        var components: [RecipeComponent] = []
        if let node = top["components"] {
            components = self.components(node, weighting: weighting)
        } else {
            problem("components", nil, "required: a list of components with name, where and weight")
        }
        let phases = top["phases"].map { self.phases($0, components: components) }
            ?? [RecipePhase(name: "main", share: 1, weights: nil, filter: nil)]

        guard let name, let seed, let total else { return nil }
        return Recipe(
            name: name, description: description, seed: seed, unit: unit, total: total,
            excludeDuplicates: excludeDuplicates, maxEpochs: maxEpochs, shortfall: shortfall, output: output,
            components: components, weighting: weighting, phases: phases)
    }

    func output(_ node: Node) -> RecipeOutput {
        var output = RecipeOutput.defaults
        guard let fields = members(node, "output", allowed: ["format", "shard_size", "fields"]) else { return output }
        if let format = fields["format"] {
            if let text = scalarText(format), RecipeOutput.formats.contains(text) {
                output.format = text
            } else {
                problem("output.format", format, "expected one of \(RecipeOutput.formats.joined(separator: ", "))")
            }
        }
        if let size = fields["shard_size"] {
            if let text = scalarText(size) {
                do throws(MixError) {
                    output.shardSizeBytes = try MixSize.bytes(text)
                } catch {
                    problem("output.shard_size", size, "\(error)")
                }
            } else {
                problem("output.shard_size", size, "expected a size like 256MiB")
            }
        }
        if let list = fields["fields"] {
            guard case let .sequence(sequence) = list else {
                problem("output.fields", list, "expected a list such as [id, text, source, domain]")
                return output
            }
            var names: [String] = []
            for (index, item) in sequence.enumerated() {
                let path = "output.fields[\(index)]"
                guard let text = scalarText(item), RecipeOutput.knownFields.contains(text) else {
                    problem(path, item, "expected one of \(RecipeOutput.knownFields.joined(separator: ", "))")
                    continue
                }
                if names.contains(text) {
                    problem(path, item, "'\(text)' is listed twice")
                    continue
                }
                names.append(text)
            }
            if names.isEmpty && sequence.isEmpty { problem("output.fields", list, "must name at least one field") }
            output.fields = names
        }
        return output
    }

    func weighting(_ node: Node) -> RecipeWeighting {
        guard let fields = members(node, "weighting", allowed: ["temperature", "unimax"]) else { return .explicit }
        if fields.count != 1 {
            problem("weighting", node, "give exactly one of temperature: T or unimax: {max_epochs: N}")
            return .explicit
        }
        if let temperature = fields["temperature"] {
            guard let value = number(temperature, "weighting.temperature") else { return .explicit }
            guard value > 0 else {
                problem("weighting.temperature", temperature, "must be > 0")
                return .explicit
            }
            return .temperature(value)
        }
        if let unimax = fields["unimax"], let options = members(unimax, "weighting.unimax", allowed: ["max_epochs"]) {
            guard let epochsNode = options["max_epochs"] else {
                problem("weighting.unimax.max_epochs", unimax, "required (passes over a component's data at most)")
                return .explicit
            }
            guard let epochs = number(epochsNode, "weighting.unimax.max_epochs") else { return .explicit }
            guard epochs > 0 else {
                problem("weighting.unimax.max_epochs", epochsNode, "must be > 0")
                return .explicit
            }
            return .unimax(maxEpochs: epochs)
        }
        return .explicit
    }

    func components(_ node: Node, weighting: RecipeWeighting) -> [RecipeComponent] {
        guard case let .sequence(sequence) = node, !sequence.isEmpty else {
            problem("components", node, "expected a non-empty list of components")
            return []
        }
        var components: [RecipeComponent] = []
        var weightNodes: [Node?] = []
        for (index, item) in sequence.enumerated() {
            let path = "components[\(index)]"
            guard let fields = members(item, path, allowed: ["name", "where", "weight", "prefer", "max_epochs"]) else {
                continue
            }
            let name = self.name(fields["name"], "\(path).name")
            if let name, components.contains(where: { $0.name == name }) {
                problem("\(path).name", fields["name"], "'\(name)' is already the name of another component")
            }
            let filter = expression(fields["where"], "\(path).where")
            let prefer = expression(fields["prefer"], "\(path).prefer")
            let maxEpochs = positiveInt(fields["max_epochs"], "\(path).max_epochs")
            var weight: Double?
            if let weightNode = fields["weight"] {
                if weighting != .explicit {
                    problem("\(path).weight", weightNode, "not used with weighting; remove it or remove weighting")
                } else if let value = number(weightNode, "\(path).weight") {
                    if value > 0 { weight = value } else { problem("\(path).weight", weightNode, "must be > 0") }
                }
            } else if weighting == .explicit {
                problem("\(path).weight", item, "required (a share of the total), or give weighting: temperature/unimax")
            }
            weightNodes.append(fields["weight"])
            if let name {
                components.append(RecipeComponent(name: name, filter: filter, weight: weight, prefer: prefer, maxEpochs: maxEpochs))
            }
        }
        if weighting == .explicit {
            let weights = components.compactMap(\.weight)
            let sum = weights.reduce(0, +)
            if weights.count == components.count, sum > 0, abs(sum - 1) > 1e-9 {
                warning("components", node, "weights sum to \(RowPrinter.realText(sum)), not 1; normalised")
                for index in components.indices { components[index].weight = (components[index].weight ?? 0) / sum }
            }
        }
        return components
    }

    func phases(_ node: Node, components: [RecipeComponent]) -> [RecipePhase] {
        guard case let .sequence(sequence) = node, !sequence.isEmpty else {
            problem("phases", node, "expected a non-empty list of phases with name and share")
            return []
        }
        var phases: [RecipePhase] = []
        for (index, item) in sequence.enumerated() {
            let path = "phases[\(index)]"
            guard let fields = members(item, path, allowed: ["name", "share", "weights", "where"]) else { continue }
            let name = self.name(fields["name"], "\(path).name")
            if let name, phases.contains(where: { $0.name == name }) {
                problem("\(path).name", fields["name"], "'\(name)' is already the name of another phase")
            }
            var share: Double?
            if let shareNode = fields["share"] {
                if let value = number(shareNode, "\(path).share") {
                    if value > 0 { share = value } else { problem("\(path).share", shareNode, "must be > 0") }
                }
            } else {
                problem("\(path).share", item, "required (the phase's share of the total)")
            }
            let filter = expression(fields["where"], "\(path).where")
            var weights: [String: Double]?
            if let weightsNode = fields["weights"] {
                weights = phaseWeights(weightsNode, "\(path).weights", components: components)
            }
            if let name, let share {
                phases.append(RecipePhase(name: name, share: share, weights: weights, filter: filter))
            }
        }
        let sum = phases.map(\.share).reduce(0, +)
        if phases.count == sequence.count, sum > 0, abs(sum - 1) > 1e-9 {
            warning("phases", node, "shares sum to \(RowPrinter.realText(sum)), not 1; normalised")
            for index in phases.indices { phases[index].share /= sum }
        }
        return phases
    }

    func phaseWeights(_ node: Node, _ path: String, components: [RecipeComponent]) -> [String: Double]? {
        guard case let .mapping(mapping) = node else {
            problem(path, node, "expected a mapping from component names to weights")
            return nil
        }
        var weights: [String: Double] = [:]
        for (key, value) in mapping {
            guard let name = key.string else {
                problem(path, key, "keys must be component names")
                continue
            }
            let childPath = "\(path).\(name)"
            guard components.contains(where: { $0.name == name }) else {
                let known = components.map(\.name).joined(separator: ", ")
                problem(childPath, key, "unknown component '\(name)'; components: \(known)")
                continue
            }
            guard let weight = number(value, childPath) else { continue }
            guard weight >= 0 else {
                problem(childPath, value, "must be >= 0")
                continue
            }
            weights[name] = weight
        }
        let sum = weights.values.reduce(0, +)
        guard sum > 0 else {
            problem(path, node, "at least one weight must be > 0")
            return nil
        }
        if abs(sum - 1) > 1e-9 {
            warning(path, node, "weights sum to \(RowPrinter.realText(sum)), not 1; normalised")
            for key in weights.keys { weights[key] = (weights[key] ?? 0) / sum }
        }
        return weights
    }
}
