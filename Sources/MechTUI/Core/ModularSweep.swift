/// A modular-addition model run on every input (a, b), a row of `a` at a time: the last layer's
/// MLP activations at the answer position for every neuron, and how many answers are right.
/// Partial while computing (`rowsDone` < modulus; rows not reached are NaN).
public struct ModularSweep: Sendable {
    public let modulus: Int
    public let layer: Int
    public let neurons: Int
    public var rowsDone: Int
    public var correct: Int
    /// [a][b][neuron] flattened: index (a · modulus + b) · neurons + neuron.
    public var activations: [Float]

    public init(modulus: Int, layer: Int, neurons: Int) {
        self.modulus = modulus
        self.layer = layer
        self.neurons = neurons
        rowsDone = 0
        correct = 0
        activations = Array(repeating: .nan, count: modulus * modulus * neurons)
    }

    public var inputsDone: Int { rowsDone * modulus }
    public var isComplete: Bool { rowsDone == modulus }
    public var accuracy: Double { inputsDone > 0 ? Double(correct) / Double(inputsDone) : .nan }

    public func activation(a: Int, b: Int, neuron: Int) -> Float { activations[(a * modulus + b) * neurons + neuron] }
}
