import Foundation
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
/// The projections keep their checkpoint's storage (`LinearWeight`): the forward pass multiplies
/// them as stored; `wQ`, `attnOut`, … give the x·W orientation analyses slice per head.
public struct BlockWeights: Sendable {
    public let ln1: LayerNormWeights?
    public let q: LinearWeight      // d_model → head·d_head
    public let bQ: Tensor           // [head·d_head]
    public let k: LinearWeight      // d_model → kv_head·d_head
    public let bK: Tensor           // [kv_head·d_head]
    public let v: LinearWeight      // d_model → kv_head·d_head
    public let bV: Tensor           // [kv_head·d_head]
    public let o: LinearWeight      // head·d_head → d_model (rows of W_O: head-major z)
    public let attnOutBias: Tensor  // b_O [d_model]
    public let ln2: LayerNormWeights?
    public let up: LinearWeight?    // d_model → d_mlp (W_in; up_proj in gated MLPs)
    public let mlpInBias: Tensor?   // [d_mlp]
    public let gate: LinearWeight?  // d_model → d_mlp (gated MLPs only)
    public let mlpGateBias: Tensor? // [d_mlp]  (gated MLPs only)
    public let down: LinearWeight?  // d_mlp → d_model (W_out)
    public let mlpOutBias: Tensor?  // [d_model]

    public var wQ: WeightMatrix { q.matrix }                  // [d_model, head·d_head]
    public var wK: WeightMatrix { k.matrix }                  // [d_model, kv_head·d_head]
    public var wV: WeightMatrix { v.matrix }                  // [d_model, kv_head·d_head]
    public var attnOut: Tensor { o.matrix.contiguous() }      // W_O [head·d_head, d_model]
    public var mlpIn: Tensor? { up?.matrix.contiguous() }     // W_in [d_model, d_mlp]
    public var mlpGate: Tensor? { gate?.matrix.contiguous() } // W_gate [d_model, d_mlp]
    public var mlpOut: Tensor? { down?.matrix.contiguous() }  // W_out [d_mlp, d_model]

    /// A block from matrices already in x·W orientation.
    public init(ln1: LayerNormWeights?, wQ: WeightMatrix, bQ: Tensor, wK: WeightMatrix, bK: Tensor,
                wV: WeightMatrix, bV: Tensor, attnOut: Tensor, attnOutBias: Tensor, ln2: LayerNormWeights?,
                mlpIn: Tensor?, mlpInBias: Tensor?, mlpGate: Tensor? = nil, mlpGateBias: Tensor? = nil, mlpOut: Tensor?, mlpOutBias: Tensor?) {
        self.init(ln1: ln1, q: LinearWeight(wQ), bQ: bQ, k: LinearWeight(wK), bK: bK, v: LinearWeight(wV), bV: bV,
                  o: LinearWeight(WeightMatrix(attnOut)), attnOutBias: attnOutBias, ln2: ln2,
                  up: mlpIn.map { LinearWeight(WeightMatrix($0)) }, mlpInBias: mlpInBias,
                  gate: mlpGate.map { LinearWeight(WeightMatrix($0)) }, mlpGateBias: mlpGateBias,
                  down: mlpOut.map { LinearWeight(WeightMatrix($0)) }, mlpOutBias: mlpOutBias)
    }

    /// A block from projections as their checkpoint stores them.
    public init(ln1: LayerNormWeights?, q: LinearWeight, bQ: Tensor, k: LinearWeight, bK: Tensor, v: LinearWeight, bV: Tensor,
                o: LinearWeight, attnOutBias: Tensor, ln2: LayerNormWeights?, up: LinearWeight?, mlpInBias: Tensor?,
                gate: LinearWeight? = nil, mlpGateBias: Tensor? = nil, down: LinearWeight?, mlpOutBias: Tensor?) {
        self.ln1 = ln1
        self.q = q
        self.bQ = bQ
        self.k = k
        self.bK = bK
        self.v = v
        self.bV = bV
        self.o = o
        self.attnOutBias = attnOutBias
        self.ln2 = ln2
        self.up = up
        self.mlpInBias = mlpInBias
        self.gate = gate
        self.mlpGateBias = mlpGateBias
        self.down = down
        self.mlpOutBias = mlpOutBias
    }

    /// Whether a projection is stored as nn.Linear's [out, in] (its x·W orientation is made on demand).
    var storesLinearLayout: Bool {
        [q, k, v, o, up, gate, down].contains { weight in
            if case .outByIn? = weight?.storage { return true }
            return false
        }
    }
}

/// All parameters of a transformer in the internal layout, bound and shape-checked by its family's
/// checkpoint reader (GPT2Checkpoint, LlamaCheckpoint, GPTNeoXCheckpoint, BertCheckpoint).
///
/// No block is ever copied whole: GPT-2's F32 blocks are views of the mapped checkpoint, kept for the
/// model's life. Other blocks are read when asked for (`block(_:)`): an F32 nn.Linear block as views
/// of the mapping (the pass multiplies [out, in] as stored), a 16-bit or quantized one widened into
/// fresh float32 buffers (recycled by `BufferPool`), so the forward pass holds one converted block at
/// a time. The block read last is kept, so an analysis asking for one layer head by head reads it once.
public struct TransformerWeights: @unchecked Sendable {
    public let layerCount: Int
    /// Tensors the checkpoint holds that no part of the model reads (buffers such as rotary `inv_freq`,
    /// a pooler, an untied copy of a tied unembedding), sorted; empty when the source cannot list its names.
    public private(set) var unreadTensorNames: [String] = []
    private let residentBlocks: [BlockWeights]?
    private let readBlock: (Int) -> BlockWeights
    private let globalWeights: Lazy<GlobalWeights>

    /// W_E [vocab, d_model].
    public var tokenEmbedding: Tensor { globalWeights.value.tokenEmbedding }
    /// W_pos [n_ctx, d_model], learned positions only.
    public var positionEmbedding: Tensor? { globalWeights.value.positionEmbedding }
    public var lnFinal: LayerNormWeights? { globalWeights.value.lnFinal }
    /// [vocab, d_model]: logits = x · unembeddingᵀ (W_U transposed). An encoder read without its MLM
    /// head (`architecture.lmHead` false) holds its word embeddings here, the matrix BERT's MLM decoder
    /// is tied to; nothing computes logits from it then.
    public var unembedding: Tensor { globalWeights.value.unembedding }
    /// [vocab]
    public var unembeddingBias: Tensor? { globalWeights.value.unembeddingBias }
    /// BERT's token-type table [type_vocab, d_model] (nil without token types).
    public var tokenTypeEmbedding: Tensor? { globalWeights.value.tokenTypeEmbedding }
    /// The LayerNorm over the summed embeddings (BERT's `embeddings.LayerNorm`), nil for decoders.
    public var embeddingNorm: LayerNormWeights? { globalWeights.value.embeddingNorm }

    /// Weights whose blocks are all in memory.
    public init(tokenEmbedding: Tensor, positionEmbedding: Tensor?, blocks: [BlockWeights],
                lnFinal: LayerNormWeights?, unembedding: Tensor, unembeddingBias: Tensor?,
                tokenTypeEmbedding: Tensor? = nil, embeddingNorm: LayerNormWeights? = nil) {
        let globals = GlobalWeights(tokenEmbedding: tokenEmbedding, positionEmbedding: positionEmbedding, lnFinal: lnFinal,
                                    unembedding: unembedding, unembeddingBias: unembeddingBias,
                                    tokenTypeEmbedding: tokenTypeEmbedding, embeddingNorm: embeddingNorm)
        self.init(layerCount: blocks.count, residentBlocks: blocks, readBlock: { blocks[$0] }, globals: Lazy { globals })
    }

    /// Weights whose blocks `readBlock` converts on demand, and whose embeddings, final norm and
    /// unembedding `globals` reads on first use (both checked beforehand, so they cannot fail).
    init(layerCount: Int, residentBlocks: [BlockWeights]?, readBlock: @escaping (Int) -> BlockWeights,
         globals: Lazy<GlobalWeights>) {
        self.layerCount = layerCount
        self.residentBlocks = residentBlocks
        self.readBlock = readBlock
        self.globalWeights = globals
    }

    /// Whether blocks are read (16-bit ones converted) each time they are asked for, not held.
    public var readsBlocksOnDemand: Bool { residentBlocks == nil }

    /// Block `l`'s weights (read on demand unless resident: keep it only while needed).
    public func block(_ l: Int) -> BlockWeights { residentBlocks?[l] ?? readBlock(l) }

    /// Every block (for blocks read on demand this reads them all: prefer `block(_:)` one at a time).
    public var blocks: [BlockWeights] { residentBlocks ?? (0..<layerCount).map(readBlock) }

    /// Reads a checkpoint with its family's names and layouts.
    ///
    /// Opening reads no 16-bit weight: the names, shapes and dtypes of the embeddings, the
    /// unembedding and every block are checked first (block 0 in full, `CheckpointTensors.probe`),
    /// then 16-bit blocks are converted as a pass reaches them and 16-bit embeddings and
    /// unembedding on first use, so a 7B BF16 checkpoint opens in well under a second.
    public init(config c: TransformerConfig, source: WeightSource) throws {
        let reader: BlockReader
        switch c.modelType {
        case "bert": reader = try BertCheckpoint(config: c, source: source)
        case "gpt_neox": reader = try GPTNeoXCheckpoint(config: c, source: source)
        case _ where TransformerConfig.llamaFamilyModelTypes.contains(c.modelType):
            reader = try LlamaCheckpoint(config: c, source: source)
        default: reader = try GPT2Checkpoint(config: c, source: source)
        }
        // Block 0 is probed in full (names, shapes, layouts); every other block must have the same tensors.
        let log = TensorLog()
        let first = CheckpointTensors(source: source, prefixes: reader.prefixes, probe: true, log: log)
        let probed = try reader.block(0, first.layer(reader.layerPrefix(0)))
        for l in 1..<max(c.nLayers, 1) {
            try first.checkSameTensors(as: reader.layerPrefix(0), in: reader.layerPrefix(l))
        }
        // One block more than the config declares would be silently dropped (transformers only warns).
        if let extra = first.firstTensor(readAs: reader.layerPrefix(0), in: reader.layerPrefix(c.nLayers)) {
            throw ModelError.blockBeyondLayerCount(folder: source.location, tensor: extra, layers: c.nLayers)
        }
        let globalsLog = TensorLog()
        _ = try reader.globals(CheckpointTensors(source: source, prefixes: reader.prefixes, probe: true, log: globalsLog))
        let read = CheckpointTensors(source: source, prefixes: reader.prefixes)
        let globals: Lazy<GlobalWeights>
        if globalsLog.names.contains(where: { source.isStoredInHalfPrecision($0) }) {
            globals = Lazy {
                do { return try reader.globals(read) } catch {
                    // Unreachable: the same names, shapes and dtypes were checked above.
                    fatalError("the embeddings of \(source.location) could not be read after checking: \(error)")
                }
            }
        } else {
            let loaded = try reader.globals(read)
            globals = Lazy { loaded }
        }
        let readNames = Set(globalsLog.names + (0..<max(c.nLayers, 1)).flatMap { l in
            log.entries.map { first.key(reader.layerPrefix(l) + $0.suffix) }
        })
        let unread = (source.tensorNames ?? []).filter { !readNames.contains($0) }.sorted()
        let halfPrecision = log.names.contains { source.isStoredInHalfPrecision($0) }
        if halfPrecision || probed.storesLinearLayout {
            let onDemand = CheckpointTensors(source: source, prefixes: reader.prefixes, transient: true)
            let recent = RecentBlock()
            self.init(layerCount: c.nLayers, residentBlocks: nil,
                      readBlock: { l in
                          recent.block(l) { l in
                              do { return try reader.block(l, onDemand.layer(reader.layerPrefix(l))) } catch {
                                  // Unreachable: every block's names, shapes and dtypes were checked above.
                                  fatalError("block \(l) of \(source.location) could not be read after checking: \(error)")
                              }
                          }
                      },
                      globals: globals)
        } else {
            let blocks = try (0..<c.nLayers).map { try reader.block($0, read.layer(reader.layerPrefix($0))) }
            self.init(layerCount: c.nLayers, residentBlocks: blocks, readBlock: { blocks[$0] }, globals: globals)
        }
        unreadTensorNames = unread
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
    /// The embeddings, final norm and unembedding, read through `tensors`.
    func globals(_ tensors: CheckpointTensors) throws -> GlobalWeights
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
    /// Check names, shapes and dtypes only: every tensor comes back as untouched memory of its shape
    /// (allocated, never written, so it costs neither time nor resident memory).
    var probe = false
    var log: TensorLog? = nil

    func key(_ name: String) -> String {
        prefixes.map { $0 + name }.first(where: source.contains) ?? (prefixes.first ?? "") + name
    }

    func load(_ name: String, _ shape: [Int]) throws -> Tensor {
        let key = key(name)
        try check(key, shape)
        log?.names.append(key)
        if probe { return Tensor(uninitialized: shape) }
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

    /// The first tensor block `first` read that also exists under `other`, by its stored name.
    func firstTensor(readAs first: String, in other: String) -> String? {
        (log?.entries ?? []).lazy.map { key(other + $0.suffix) }.first(where: source.contains)
    }

    /// The untied unembedding `NAME.weight` [vocab, d_model] and its bias if the checkpoint has one.
    func separateUnembedding(_ c: TransformerConfig, name: String = "lm_head") throws -> (Tensor, Tensor?) {
        let top = CheckpointTensors(source: source, prefixes: [""], probe: probe, log: log)
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

    /// An nn.Linear weight, stored [out, in] and kept so (a view of the mapping for F32).
    func linear(_ suffix: String, out: Int, in inFeatures: Int) throws -> LinearWeight {
        LinearWeight(.outByIn(try load(suffix, [out, inFeatures])))
    }

    /// A bias that the architecture may lack (then zeros, as TransformerLens stores them).
    func bias(_ suffix: String, _ count: Int, present: Bool) throws -> Tensor {
        present ? try load(suffix, [count]) : Tensor(zeros: [count])
    }
}

extension Tensor {
    /// Elements `range` of a 1-D tensor, sharing memory.
    func slice(_ range: Range<Int>) -> Tensor {
        Tensor(shape: [range.count], buffer: buffer, offset: offset + range.lowerBound)
    }
}
