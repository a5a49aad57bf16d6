import Foundation

/// Why an intervention cannot run on a model: each case names the intervention and what is wrong.
public enum InterventionError: Error, CustomStringConvertible, LocalizedError, Equatable {
    case layerOutOfRange(intervention: String, layer: Int, layers: Int)
    case headOutOfRange(intervention: String, head: Int, heads: Int)
    case neuronOutOfRange(intervention: String, neuron: Int, dMLP: Int)
    case noMLP(intervention: String)
    case shapeMismatch(intervention: String, what: String, expected: [Int], found: [Int])
    case positionOutOfRange(intervention: String, position: Int, tokens: Int)

    public var description: String {
        switch self {
        case .layerOutOfRange(let i, let layer, let layers):
            return "\(i): layer \(layer) is out of range (the model has \(layers) layers, 0–\(layers - 1))"
        case .headOutOfRange(let i, let head, let heads):
            return "\(i): head \(head) is out of range (each layer has \(heads) heads, 0–\(heads - 1))"
        case .neuronOutOfRange(let i, let neuron, let dMLP):
            return "\(i): neuron \(neuron) is out of range (each MLP has \(dMLP) neurons, 0–\(dMLP - 1))"
        case .noMLP(let i):
            return "\(i): the model is attention-only and has no MLP neurons"
        case .shapeMismatch(let i, let what, let expected, let found):
            return "\(i): \(what) has shape \(found), expected \(expected)"
        case .positionOutOfRange(let i, let position, let tokens):
            return "\(i): position \(position) is out of range (the prompt has \(tokens) tokens)"
        }
    }

    public var errorDescription: String? { description }
}

extension Intervention {
    /// Checks the intervention against a model's shape, and against a prompt of `tokens` rows when
    /// given (the rows the edited hook will hold); throws the first problem found.
    public func validate(against config: TransformerConfig, tokens: Int? = nil) throws {
        let name = label
        if let layer = hook.layer, layer < 0 || layer >= config.nLayers {
            throw InterventionError.layerOutOfRange(intervention: name, layer: layer, layers: config.nLayers)
        }
        func head(_ h: Int) throws {
            guard h >= 0, h < config.nHeads else {
                throw InterventionError.headOutOfRange(intervention: name, head: h, heads: config.nHeads)
            }
        }
        func neuron(_ n: Int) throws {
            guard !config.attnOnly else { throw InterventionError.noMLP(intervention: name) }
            guard n >= 0, n < config.dMLP else {
                throw InterventionError.neuronOutOfRange(intervention: name, neuron: n, dMLP: config.dMLP)
            }
        }
        func count(_ what: String, _ found: Int, _ expected: Int) throws {
            guard found == expected else {
                throw InterventionError.shapeMismatch(intervention: name, what: what, expected: [expected], found: [found])
            }
        }
        func positions(_ list: [Int]?) throws {
            guard let tokens, let bad = list?.first(where: { $0 < 0 || $0 >= tokens }) else { return }
            throw InterventionError.positionOutOfRange(intervention: name, position: bad, tokens: tokens)
        }
        func source(_ shape: [Int], _ row: [Int]?) throws {
            guard let row else { return }
            let expected = tokens.map { [$0] + row }
            let matches = expected.map { $0 == shape } ?? (shape.count == row.count + 1 && Array(shape.dropFirst()) == row)
            guard matches else {
                throw InterventionError.shapeMismatch(intervention: name, what: "the source activation",
                                                      expected: expected ?? ([-1] + row), found: shape)
            }
        }
        switch self {
        case .zeroHead(_, let h, let p): try head(h); try positions(p)
        case .processedZeroHead(_, let h, let v): try head(h); try count("the value bias", v.count, config.dHead)
        case .meanHead(_, let h, let m): try head(h); try count("the mean", m.count, config.dHead)
        case .setNeuron(_, let n, _), .meanNeuron(_, let n, _): try neuron(n)
        case .patch(let hook, let t, let p): try source(t.shape, Self.rowShape(hook, config)); try positions(p)
        case .patchHead(_, let h, let t, let p):
            try head(h); try source(t.shape, [config.nHeads, config.dHead]); try positions(p)
        case .addVector(let hook, let v, _, let p):
            if let row = Self.rowShape(hook, config), row.count == 1 { try count("the vector", v.count, row[0]) }
            try positions(p)
        }
    }

    /// The shape of one position's row of a [pos, …] hook, or nil for hooks shaped otherwise.
    static func rowShape(_ hook: HookPoint, _ c: TransformerConfig) -> [Int]? {
        switch hook {
        case .embed, .posEmbed, .residPre, .ln1Normalized, .attnOut, .residMid, .ln2Normalized, .mlpOut,
             .residPost, .lnFinalNormalized, .encoderEmbed, .encoderPosEmbed, .tokenTypeEmbed, .embedLNNormalized,
             .fullEmbed, .normalizedResidPost:
            return [c.dModel]
        case .ln1Scale, .ln2Scale, .lnFinalScale, .embedLNScale: return [1]
        case .q, .rotQ, .z: return [c.nHeads, c.dHead]
        case .k, .v, .rotK: return [c.nKVHeads, c.dHead]
        case .result: return [c.nHeads, c.dModel]
        case .mlpPre, .mlpPreLinear, .mlpPost: return [c.dMLP]
        case .attnScores, .pattern: return nil
        }
    }
}
