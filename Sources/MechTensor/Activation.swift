/// The MLP nonlinearities the supported architectures use.
public enum Activation: String, Sendable, CaseIterable {
    /// GPT-2's tanh approximation, `gelu_new` in Hugging Face configs.
    case geluNew = "gelu_new"
    /// Exact GELU, x·Φ(x) with the error function.
    case gelu = "gelu"
    case relu = "relu"
    /// x·σ(x) (`silu`/`swish`), the gate of Llama's SwiGLU.
    case silu = "silu"

    /// The activation named by a Hugging Face `activation_function` value, if supported.
    public init?(huggingFaceName name: String) {
        switch name {
        case "gelu_new", "gelu_pytorch_tanh", "gelu_fast": self = .geluNew
        case "gelu": self = .gelu
        case "relu": self = .relu
        case "silu", "swish": self = .silu
        default: return nil
        }
    }

    /// Applies the activation elementwise, returning a new tensor.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        let y = x.copy()
        apply(inPlace: y.pointer, count: y.count)
        return y
    }

    /// Applies the activation in place over raw memory (split across cores for large inputs).
    public func apply(inPlace p: UnsafeMutablePointer<Float>, count: Int) {
        let chunk = 1 << 15
        let chunks = (count + chunk - 1) / chunk
        Parallel.forEach(0..<chunks, minimumWorkPerItem: chunk) { c in
            let start = c * chunk
            applySerial(p + start, count: min(chunk, count - start))
        }
    }

    private func applySerial(_ p: UnsafeMutablePointer<Float>, count: Int) {
        typealias Vec = VectorMath.Vec
        switch self {
        case .relu:
            VectorMath.map(p, count: count) { $0.replacing(with: 0, where: $0 .< 0) }
        case .geluNew:
            // 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))
            VectorMath.map(p, count: count) { x in
                let inner = 0.7978845608028654 * (x + 0.044715 * x * x * x)
                return 0.5 * x * (1 + VectorMath.tanh(inner))
            }
        case .silu:
            // x·σ(x) = x / (1 + e^(−x))
            VectorMath.map(p, count: count) { x in x / (1 + VectorMath.exp(-x)) }
        case .gelu:
            // x·Φ(x) = 0.5·x·erfc(−x/√2)
            VectorMath.map(p, count: count) { x in
                0.5 * x * VectorMath.erfc(-x * 0.7071067811865476)
            }
        }
    }
}
