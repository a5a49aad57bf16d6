import MechFormats
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
///
/// Blocks are resident (views of the mapped F32 checkpoint, or converted once at load) unless the
/// checkpoint stores them in 16 bits: then they stay F16/BF16 in the memory map and `block(_:)`
/// converts one block's weights into fresh float32 buffers (recycled by `BufferPool`) each time it
/// is asked, so the forward pass holds one converted block at a time, never a float32 model copy.
public struct TransformerWeights: @unchecked Sendable {
    public let tokenEmbedding: Tensor     // W_E [vocab, d_model]
    public let positionEmbedding: Tensor? // W_pos [n_ctx, d_model], learned positions only
    public let lnFinal: LayerNormWeights?
    /// [vocab, d_model]: logits = x · unembeddingᵀ (W_U transposed). An encoder read without its MLM
    /// head (`architecture.lmHead` false) holds its word embeddings here, the matrix BERT's MLM decoder
    /// is tied to; nothing computes logits from it then.
    public let unembedding: Tensor
    public let unembeddingBias: Tensor?   // [vocab]
    /// BERT's token-type table [type_vocab, d_model] (nil without token types).
    public let tokenTypeEmbedding: Tensor?
    /// The LayerNorm over the summed embeddings (BERT's `embeddings.LayerNorm`), nil for decoders.
    public let embeddingNorm: LayerNormWeights?
    public let layerCount: Int
    private let residentBlocks: [BlockWeights]?
    private let readBlock: (Int) -> BlockWeights

    /// Weights whose blocks are all in memory.
    public init(tokenEmbedding: Tensor, positionEmbedding: Tensor?, blocks: [BlockWeights],
                lnFinal: LayerNormWeights?, unembedding: Tensor, unembeddingBias: Tensor?,
                tokenTypeEmbedding: Tensor? = nil, embeddingNorm: LayerNormWeights? = nil) {
        self.init(tokenEmbedding: tokenEmbedding, positionEmbedding: positionEmbedding, layerCount: blocks.count,
                  residentBlocks: blocks, readBlock: { blocks[$0] }, lnFinal: lnFinal,
                  unembedding: unembedding, unembeddingBias: unembeddingBias,
                  tokenTypeEmbedding: tokenTypeEmbedding, embeddingNorm: embeddingNorm)
    }

    /// Weights whose blocks `readBlock` converts on demand (checked beforehand, so it cannot fail).
    init(tokenEmbedding: Tensor, positionEmbedding: Tensor?, layerCount: Int, residentBlocks: [BlockWeights]?,
         readBlock: @escaping (Int) -> BlockWeights, lnFinal: LayerNormWeights?, unembedding: Tensor,
         unembeddingBias: Tensor?, tokenTypeEmbedding: Tensor? = nil, embeddingNorm: LayerNormWeights? = nil) {
        self.tokenTypeEmbedding = tokenTypeEmbedding
        self.embeddingNorm = embeddingNorm
        self.tokenEmbedding = tokenEmbedding
        self.positionEmbedding = positionEmbedding
        self.layerCount = layerCount
        self.residentBlocks = residentBlocks
        self.readBlock = readBlock
        self.lnFinal = lnFinal
        self.unembedding = unembedding
        self.unembeddingBias = unembeddingBias
    }

    /// Whether blocks are converted from 16-bit storage each time they are read.
    public var convertsBlocksOnDemand: Bool { residentBlocks == nil }

    /// Block `l`'s weights (for a 16-bit checkpoint: a fresh float32 conversion; keep it only while needed).
    public func block(_ l: Int) -> BlockWeights { residentBlocks?[l] ?? readBlock(l) }

    /// Every block (for a 16-bit checkpoint this converts them all: prefer `block(_:)` one at a time).
    public var blocks: [BlockWeights] { residentBlocks ?? (0..<layerCount).map(readBlock) }

    /// Reads a checkpoint with its family's names and layouts.
    public init(config c: TransformerConfig, source: WeightSource) throws {
        let reader: BlockReader
        switch c.modelType {
        case "bert": reader = try BertCheckpoint(config: c, source: source)
        case "gpt_neox": reader = try GPTNeoXCheckpoint(config: c, source: source)
        case _ where TransformerConfig.llamaFamilyModelTypes.contains(c.modelType):
            reader = try LlamaCheckpoint(config: c, source: source)
        default: reader = try GPT2Checkpoint(config: c, source: source)
        }
        let globals = try reader.globals()
        // Block 0 is read in full (names, shapes, layouts); every other block must have the same tensors.
        let log = TensorLog()
        let first = CheckpointTensors(source: source, prefixes: reader.prefixes, transient: true, log: log)
        _ = try reader.block(0, first.layer(reader.layerPrefix(0)))
        for l in 1..<max(c.nLayers, 1) {
            try first.checkSameTensors(as: reader.layerPrefix(0), in: reader.layerPrefix(l))
        }
        let halfPrecision = log.names.contains { source.isStoredInHalfPrecision($0) }
        if halfPrecision {
            let onDemand = CheckpointTensors(source: source, prefixes: reader.prefixes, transient: true, log: nil)
            self.init(tokenEmbedding: globals.tokenEmbedding, positionEmbedding: globals.positionEmbedding,
                      layerCount: c.nLayers, residentBlocks: nil,
                      readBlock: { l in
                          do { return try reader.block(l, onDemand.layer(reader.layerPrefix(l))) } catch {
                              // Unreachable: every block's names, shapes and dtypes were checked above.
                              fatalError("block \(l) of \(source.location) could not be read after checking: \(error)")
                          }
                      },
                      lnFinal: globals.lnFinal, unembedding: globals.unembedding, unembeddingBias: globals.unembeddingBias,
                      tokenTypeEmbedding: globals.tokenTypeEmbedding, embeddingNorm: globals.embeddingNorm)
        } else {
            let resident = CheckpointTensors(source: source, prefixes: reader.prefixes, transient: false, log: nil)
            let blocks = try (0..<c.nLayers).map { try reader.block($0, resident.layer(reader.layerPrefix($0))) }
            self.init(tokenEmbedding: globals.tokenEmbedding, positionEmbedding: globals.positionEmbedding, blocks: blocks,
                      lnFinal: globals.lnFinal, unembedding: globals.unembedding, unembeddingBias: globals.unembeddingBias,
                      tokenTypeEmbedding: globals.tokenTypeEmbedding, embeddingNorm: globals.embeddingNorm)
        }
    }
}

/// The weights outside the blocks.
struct GlobalWeights {
    let tokenEmbedding: Tensor
    let positionEmbedding: Tensor?
    let lnFinal: LayerNormWeights?
    let unembedding: Tensor
    let unembeddingBias: Tensor?
    var tokenTypeEmbedding: Tensor? = nil
    var embeddingNorm: LayerNormWeights? = nil
}

/// One family's checkpoint names and layouts.
protocol BlockReader {
    /// Name prefixes tried in turn (e.g. "model." then "").
    var prefixes: [String] { get }
    /// The prefix of block `l`'s names ("h.3.", "layers.3.").
    func layerPrefix(_ l: Int) -> String
    func globals() throws -> GlobalWeights
    /// Block `l` in the internal layout, its tensors read through `tensors` (names relative to the layer).
    func block(_ l: Int, _ tensors: LayerTensors) throws -> BlockWeights
}

/// The names and shapes block 0 read, to check the other blocks against.
final class TensorLog {
    var entries: [(suffix: String, shape: [Int])] = []
    var names: [String] = []
}

/// Shape-checked tensor lookup shared by the checkpoint readers.
struct CheckpointTensors {
    let source: WeightSource
    /// Prefixes tried in turn ("model." for Llama's `LlamaForCausalLM`, "" for a bare model).
    let prefixes: [String]
    /// Read 16-bit tensors into fresh memory the source does not keep (blocks of 16-bit checkpoints).
    var transient = false
    var log: TensorLog? = nil

    func key(_ name: String) -> String {
        prefixes.map { $0 + name }.first(where: source.contains) ?? (prefixes.first ?? "") + name
    }

    func load(_ name: String, _ shape: [Int]) throws -> Tensor {
        let key = key(name)
        try check(key, shape)
        log?.names.append(key)
        return transient ? try source.transientTensor(named: key) : try source.tensor(named: key)
    }

    private func check(_ key: String, _ shape: [Int]) throws {
        guard let stored = source.storedShape(key) else { throw ModelError.missingTensor(folder: source.location, tensor: key) }
        guard stored == shape else {
            throw ModelError.wrongShape(folder: source.location, tensor: key, expected: shape, found: stored)
        }
        if let dtype = source.unreadableDType(key) {
            throw FormatError.unsupportedDtype(path: source.location, tensor: key, dtype: dtype)
        }
    }

    func contains(_ name: String) -> Bool { prefixes.contains { source.contains($0 + name) } }

    func layer(_ prefix: String) -> LayerTensors { LayerTensors(tensors: self, prefix: prefix) }

    /// Every tensor block `first` read exists under `other` with the same shape and a readable dtype.
    func checkSameTensors(as first: String, in other: String) throws {
        for entry in log?.entries ?? [] { try check(key(other + entry.suffix), entry.shape) }
    }

    /// The untied unembedding `NAME.weight` [vocab, d_model] and its bias if the checkpoint has one.
    func separateUnembedding(_ c: TransformerConfig, name: String = "lm_head") throws -> (Tensor, Tensor?) {
        let top = CheckpointTensors(source: source, prefixes: [""])
        let weight = try top.load("\(name).weight", [c.vocabSize, c.dModel])
        let bias = source.contains("\(name).bias") ? try top.load("\(name).bias", [c.vocabSize]) : nil
        return (weight, bias)
    }
}

/// One block's tensors, named relative to the block ("attn.c_attn.weight").
struct LayerTensors {
    let tensors: CheckpointTensors
    let prefix: String

    func load(_ suffix: String, _ shape: [Int]) throws -> Tensor {
        tensors.log?.entries.append((suffix, shape))
        return try tensors.load(prefix + suffix, shape)
    }

    /// An nn.Linear weight stored [out, in], returned in x·W orientation [in, out] (a transposed copy).
    func linear(_ suffix: String, out: Int, in inFeatures: Int) throws -> Tensor {
        try load(suffix, [out, inFeatures]).transposedCopy()
    }

    /// A bias that the architecture may lack (then zeros, as TransformerLens stores them).
    func bias(_ suffix: String, _ count: Int, present: Bool) throws -> Tensor {
        present ? try load(suffix, [count]) : Tensor(zeros: [count])
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
