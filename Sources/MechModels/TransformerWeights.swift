import MechTensor

/// A normalisation's parameters (LayerNorm or RMSNorm). A LayerNorm without bias and an RMSNorm
/// carry a zero bias, as TransformerLens does, so folding and the affine step read one layout.
public struct LayerNormWeights: Sendable {
    public let weight: Tensor  // [d_model]
    public let bias: Tensor    // [d_model]

    public init(weight: Tensor, bias: Tensor) {
        self.weight = weight
        self.bias = bias
    }
}

/// A [rows, cols] matrix in x·W orientation ([in, out]) read through a leading dimension: a whole
/// tensor, or a block of columns of a wider one (GPT-2's fused c_attn holds W_Q | W_K | W_V).
public struct WeightMatrix: Sendable {
    public let storage: Tensor   // [rows, ld]
    public let rows: Int
    public let cols: Int
    public let columnOffset: Int

    public init(_ whole: Tensor) {
        precondition(whole.rank == 2)
        self.init(storage: whole, columns: 0..<whole.shape[1])
    }

    public init(storage: Tensor, columns: Range<Int>) {
        precondition(storage.rank == 2 && columns.upperBound <= storage.shape[1])
        self.storage = storage
        rows = storage.shape[0]
        cols = columns.count
        columnOffset = columns.lowerBound
    }

    /// Distance between rows, in floats.
    public var ld: Int { storage.shape[1] }
    /// Element [0, 0].
    public var pointer: UnsafeMutablePointer<Float> { storage.pointer + columnOffset }

    /// A contiguous copy [rows, cols] (a view when the matrix is the whole storage).
    public func contiguous() -> Tensor {
        if ld == cols { return storage }
        let out = Tensor(uninitialized: [rows, cols])
        for r in 0..<rows { (out.pointer + r * cols).update(from: pointer + r * ld, count: cols) }
        return out
    }
}

/// One block's parameters in Mechscope's internal layout, TransformerLens's per-head matrices with
/// the heads side by side: W_Q [d_model, head·d_head] is TL's W_Q [head, d_model, d_head], and so on.
public struct BlockWeights: Sendable {
    public let ln1: LayerNormWeights?
    public let wQ: WeightMatrix    // [d_model, head·d_head]
    public let bQ: Tensor          // [head·d_head]
    public let wK: WeightMatrix    // [d_model, kv_head·d_head]
    public let bK: Tensor          // [kv_head·d_head]
    public let wV: WeightMatrix    // [d_model, kv_head·d_head]
    public let bV: Tensor          // [kv_head·d_head]
    public let attnOut: Tensor     // W_O [head·d_head, d_model]  rows: head-major z
    public let attnOutBias: Tensor // b_O [d_model]
    public let ln2: LayerNormWeights?
    public let mlpIn: Tensor?      // W_in [d_model, d_mlp]   (up_proj in gated MLPs)
    public let mlpInBias: Tensor?  // [d_mlp]
    public let mlpGate: Tensor?    // W_gate [d_model, d_mlp] (gated MLPs only)
    public let mlpGateBias: Tensor? // [d_mlp]  (gated MLPs only)
    public let mlpOut: Tensor?     // W_out [d_mlp, d_model]
    public let mlpOutBias: Tensor? // [d_model]

    public init(ln1: LayerNormWeights?, wQ: WeightMatrix, bQ: Tensor, wK: WeightMatrix, bK: Tensor,
                wV: WeightMatrix, bV: Tensor, attnOut: Tensor, attnOutBias: Tensor, ln2: LayerNormWeights?,
                mlpIn: Tensor?, mlpInBias: Tensor?, mlpGate: Tensor? = nil, mlpGateBias: Tensor? = nil, mlpOut: Tensor?, mlpOutBias: Tensor?) {
        self.ln1 = ln1
        self.wQ = wQ
        self.bQ = bQ
        self.wK = wK
        self.bK = bK
        self.wV = wV
        self.bV = bV
        self.attnOut = attnOut
        self.attnOutBias = attnOutBias
        self.ln2 = ln2
        self.mlpIn = mlpIn
        self.mlpInBias = mlpInBias
        self.mlpGate = mlpGate
        self.mlpGateBias = mlpGateBias
        self.mlpOut = mlpOut
        self.mlpOutBias = mlpOutBias
    }
}

/// All parameters of a transformer in the internal layout, bound and shape-checked by its family's
/// checkpoint reader (GPT2Checkpoint, LlamaCheckpoint, GPTNeoXCheckpoint).
public struct TransformerWeights: Sendable {
    public let tokenEmbedding: Tensor     // W_E [vocab, d_model]
    public let positionEmbedding: Tensor? // W_pos [n_ctx, d_model], learned positions only
    public let blocks: [BlockWeights]
    public let lnFinal: LayerNormWeights?
    public let unembedding: Tensor        // [vocab, d_model]: logits = x · unembeddingᵀ (W_U transposed)
    public let unembeddingBias: Tensor?   // [vocab]

    public init(tokenEmbedding: Tensor, positionEmbedding: Tensor?, blocks: [BlockWeights],
                lnFinal: LayerNormWeights?, unembedding: Tensor, unembeddingBias: Tensor?) {
        self.tokenEmbedding = tokenEmbedding
        self.positionEmbedding = positionEmbedding
        self.blocks = blocks
        self.lnFinal = lnFinal
        self.unembedding = unembedding
        self.unembeddingBias = unembeddingBias
    }

    /// Reads a checkpoint with its family's names and layouts.
    public init(config c: TransformerConfig, source: WeightSource) throws {
        switch c.modelType {
        case "gpt_neox": self = try GPTNeoXCheckpoint(config: c, source: source).weights()
        case _ where TransformerConfig.llamaFamilyModelTypes.contains(c.modelType):
            self = try LlamaCheckpoint(config: c, source: source).weights()
        default: self = try GPT2Checkpoint(config: c, source: source).weights()
        }
    }
}

/// Shape-checked tensor lookup shared by the checkpoint readers.
struct CheckpointTensors {
    let source: WeightSource
    /// Prefixes tried in turn ("model." for Llama's `LlamaForCausalLM`, "" for a bare model).
    let prefixes: [String]

    func load(_ name: String, _ shape: [Int]) throws -> Tensor {
        let key = prefixes.map { $0 + name }.first(where: source.contains) ?? (prefixes.first ?? "") + name
        guard source.contains(key) else { throw ModelError.missingTensor(folder: source.location, tensor: key) }
        let t = try source.tensor(named: key)
        guard t.shape == shape else {
            throw ModelError.wrongShape(folder: source.location, tensor: key, expected: shape, found: t.shape)
        }
        return t
    }

    func contains(_ name: String) -> Bool { prefixes.contains { source.contains($0 + name) } }

    /// An nn.Linear weight stored [out, in], returned in x·W orientation [in, out] (a transposed copy).
    func linear(_ name: String, out: Int, in inFeatures: Int) throws -> Tensor {
        try load(name, [out, inFeatures]).transposedCopy()
    }

    /// The untied unembedding `lm_head.weight` [vocab, d_model] and its bias if the checkpoint has one.
    func separateUnembedding(_ c: TransformerConfig, name: String = "lm_head") throws -> (Tensor, Tensor?) {
        let weight = try CheckpointTensors(source: source, prefixes: [""]).load("\(name).weight", [c.vocabSize, c.dModel])
        let bias = source.contains("\(name).bias")
            ? try CheckpointTensors(source: source, prefixes: [""]).load("\(name).bias", [c.vocabSize]) : nil
        return (weight, bias)
    }
}

extension Tensor {
    /// A 2-D tensor's transpose in new memory: [a, b] → [b, a].
    func transposedCopy() -> Tensor {
        let a = shape[0], b = shape[1]
        let out = Tensor(uninitialized: [b, a])
        let src = pointer, dst = out.pointer
        let tile = 32
        for i0 in stride(from: 0, to: a, by: tile) {
            for j0 in stride(from: 0, to: b, by: tile) {
                for i in i0..<min(i0 + tile, a) {
                    for j in j0..<min(j0 + tile, b) { dst[j * a + i] = src[i * b + j] }
                }
            }
        }
        return out
    }

    /// Elements `range` of a 1-D tensor, sharing memory.
    func slice(_ range: Range<Int>) -> Tensor {
        Tensor(shape: [range.count], buffer: buffer, offset: offset + range.lowerBound)
    }
}
