/// The results the views draw from, and what is on its way: the explorer's cache of derived data.
public struct AnalysisStore: Sendable {
    private var values: [AnalysisRequest: AnalysisValue] = [:]
    /// Requests handed to the worker and not finished yet.
    public private(set) var pending: Set<AnalysisRequest> = []
    /// Requests that failed, with a one-line reason (shown in place of the result).
    public private(set) var failures: [AnalysisRequest: String] = [:]

    public init() {}

    public subscript(_ request: AnalysisRequest) -> AnalysisValue? { values[request] }

    public func isPending(_ request: AnalysisRequest) -> Bool { pending.contains(request) }
    public func failure(_ request: AnalysisRequest) -> String? { failures[request] }

    /// Whether `request` needs handing to the worker.
    public func needs(_ request: AnalysisRequest) -> Bool {
        values[request] == nil && !pending.contains(request) && failures[request] == nil
    }

    public mutating func markPending(_ request: AnalysisRequest) { pending.insert(request) }

    /// A partial result: stored, still pending.
    public mutating func progress(_ request: AnalysisRequest, _ value: AnalysisValue) { values[request] = value }

    public mutating func finish(_ request: AnalysisRequest, _ value: AnalysisValue) {
        values[request] = value
        pending.remove(request)
    }

    public mutating func fail(_ request: AnalysisRequest, _ reason: String) {
        failures[request] = reason
        pending.remove(request)
    }

    /// Forgets everything that depends on the prompt (a new run arrived).
    public mutating func dropPromptDependent() {
        values = values.filter { !$0.key.dependsOnPrompt }
        pending = pending.filter { !$0.dependsOnPrompt }
        failures = failures.filter { !$0.key.dependsOnPrompt }
    }

    /// Forgets one pending request (cancelled before it ran).
    public mutating func cancel(_ request: AnalysisRequest) { pending.remove(request) }

    /// Forgets a pending request and its partial result: the worker was told to stop it, and it
    /// starts afresh when asked for again.
    public mutating func abandon(_ request: AnalysisRequest) {
        pending.remove(request)
        values[request] = nil
    }

    /// What the status line lists as running; a patching grid says how far it is ("patching resid_pre 37/120").
    public var pendingLabels: [String] {
        pending.map { request in
            guard case .patching(let cells)? = values[request] else { return request.label }
            return "\(request.label) \(cells.filled)/\(cells.count)"
        }.sorted()
    }
}
