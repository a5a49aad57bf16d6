import Foundation

/// A value made on first use and kept, safe to ask for from several threads: the 16-bit
/// checkpoint's embeddings (TransformerWeights) and the analyses' per-layer foldings
/// (ProcessedWeights) are made this way.
public final class Lazy<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var made: Value?
    private let make: () -> Value

    public init(_ make: @escaping () -> Value) { self.make = make }

    public var value: Value {
        lock.lock()
        defer { lock.unlock() }
        if let made { return made }
        let value = make()
        made = value
        return value
    }
}
